import { resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import type { ProjectSpec, StageSpec } from '../core/spec.js';
import type { BuiltinRegistry } from '../core/builtin.js';
import { DEFAULT_UNPACK_STYLE, type UnpackStyle } from './dict-unpack.js';
import { loadPipelineFile } from './load-file.js';
import { discoverPipelineFiles, normaliseFileArg } from './pipeline-files.js';
import { lockFileOf } from './paths.js';
import { ProjectFiles } from './project-files.js';

export interface LoadOptions {
  /** Project-relative pipeline files; default: every pipelines/*.yaml and pipelines/*.yml (sorted), plus a root dvc.yaml. */
  readonly files?: readonly string[];
  /** Built-in stages that `uses:` may name (api/ hands down its list). */
  readonly builtins: BuiltinRegistry;
  /** How a mapping interpolated in `cmd` becomes arguments (DVC's `parsing.bool` / `parsing.list`). */
  readonly parsing?: UnpackStyle;
}

export interface LoadedProject {
  readonly spec: ProjectSpec;
  readonly diagnostics: readonly Diagnostic[];
  /** Stages with errors, as far as they could be read: the graph checks see them too. */
  readonly invalidStages: readonly StageSpec[];
  /** Full text of every file read (pipelines, params, vars), keyed by project-relative path: used to render diagnostics. */
  readonly sources: ReadonlyMap<string, string>;
  /** Every file the load asked for, read or found missing (see load-memo.ts). */
  readonly inputs: readonly string[];
}

/**
 * Reads every pipeline file of a project into the typed model. Never throws for bad user input:
 * every problem is a Diagnostic, all of them are collected, and stages with errors are left out.
 */
export async function loadProject(root: string, opts: LoadOptions): Promise<LoadedProject> {
  const absoluteRoot = resolve(root);
  const pipelineFiles = opts.files ? opts.files.map(normaliseFileArg) : await discoverPipelineFiles(absoluteRoot);
  const files = new ProjectFiles(absoluteRoot, pipelineFiles.flatMap((f) => [f, lockFileOf(f)]));
  const diagnostics: Diagnostic[] = [];
  const stages: StageSpec[] = [];
  const invalidStages: StageSpec[] = [];
  const unpack = opts.parsing ?? DEFAULT_UNPACK_STYLE;
  for (const file of pipelineFiles) stages.push(...(await loadPipelineFile(files, file, opts.builtins, unpack, diagnostics, invalidStages)));
  return {
    spec: { root: absoluteRoot, files: pipelineFiles, stages },
    diagnostics: dedupe(diagnostics),
    invalidStages,
    sources: files.sources,
    inputs: files.asked(),
  };
}

/** A params file shared by several pipelines reports its problems once. */
function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.message, d.range]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
