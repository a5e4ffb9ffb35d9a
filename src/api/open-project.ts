import type { Diagnostic } from '../core/diagnostics.js';
import { hasErrors } from '../core/diagnostics.js';
import { DiagnosticsError } from '../core/errors.js';
import { buildDag, type Dag } from '../graph/dag.js';
import { join, relative, resolve } from 'node:path';
import { discoverPipelineFiles } from '../pipeline/pipeline-files.js';
import { loadProjectMemoized } from '../pipeline/load-memo.js';
import { loadConfig, type ProjectConfig } from './config.js';
import type { BuiltinRegistry } from '../core/builtin.js';
import { builtins, type ProjectOptions } from './builtins.js';
import { findProjectRoot } from './project.js';

export interface OpenProject {
  readonly root: string;
  readonly config: ProjectConfig;
  readonly dag: Dag;
  /** Warnings found while loading (errors abort with DiagnosticsError). */
  readonly warnings: readonly Diagnostic[];
  /** Source texts, to render diagnostics that are found later. */
  readonly sources: ReadonlyMap<string, string>;
  /** The CLI targets with pipeline file paths made project-relative. */
  readonly targets: readonly string[];
}

export interface OpenOptions extends ProjectOptions {
  /** Stage targets; a pipeline file they name (`sub/dvc.yaml:train`) is loaded too. */
  readonly targets?: readonly string[];
  /**
   * `repro`: when the pipelines have errors, deps that exist nowhere are reported with them (one
   * pass); without errors the caller checks the deps of the stages it selected (`missingDeps`).
   */
  readonly reportMissingDeps?: boolean | 'pulling';
}

/**
 * Finds the project, loads and validates every pipeline and builds the DAG. All problems are
 * collected first: one DiagnosticsError carries every error, so the user fixes them in one pass.
 */
export async function openProject(opts: OpenOptions = {}): Promise<OpenProject> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const root = findProjectRoot(cwd);
  const config = await loadConfig(root);
  const targets = (opts.targets ?? []).map((t) => projectRelativeTarget(t, cwd, root));
  const files = await discoverPipelineFiles(root);
  for (const t of targets) {
    const file = pipelineFileOf(t);
    if (file !== undefined && !files.includes(file)) files.push(file);
  }
  const loaded = await loadProjectMemoized(root, { files, parsing: config.parsing, builtins: opts.builtins ?? builtins }, join(root, '.dvcts', 'tmp', 'loaded-project.json'));
  const { dag, diagnostics } = buildDag(loaded.spec.stages);
  // Graph problems (two stages writing one output, cycles) of stages that have errors of their own too.
  const whole = loaded.invalidStages.length === 0 ? { dag, diagnostics } : buildDag([...loaded.spec.stages, ...loaded.invalidStages]);
  const all = [...loaded.diagnostics, ...whole.diagnostics];
  if (hasErrors(all) && opts.reportMissingDeps) {
    const { missingDeps } = await import('./missing-deps.js');
    all.push(...(await missingDeps(root, whole.dag, whole.dag.stages.map((s) => s.id), opts.reportMissingDeps === 'pulling')));
  }
  all.sort(byPosition);
  const hinted = await withHints(all, opts.builtins);
  if (hasErrors(hinted)) throw new DiagnosticsError(hinted, 'the pipeline is invalid', loaded.sources);
  return { root, config, dag, warnings: hinted, sources: loaded.sources, targets };
}

/** `sub/dvc.yaml:stage` -> `sub/dvc.yaml`; `pipelines/a.yaml` -> itself; a bare stage name -> undefined. */
function pipelineFileOf(target: string): string | undefined {
  const file = target.includes(':') ? target.slice(0, target.lastIndexOf(':')) : target;
  return /\.ya?ml$/.test(file) ? file : undefined;
}

/** Pipeline file parts of targets are paths from the current directory; stage ids use project-relative ones. */
function projectRelativeTarget(target: string, cwd: string, root: string): string {
  const file = pipelineFileOf(target);
  if (file === undefined) return target;
  return relative(root, resolve(cwd, file)).split('\\').join('/') + target.slice(file.length);
}

/**
 * A diagnostic without a hint of its own gets its code's general hint from the catalogue (every
 * layer's error table: loaded only when there is something to hint).
 */
async function withHints(all: readonly Diagnostic[], registry: BuiltinRegistry | undefined): Promise<Diagnostic[]> {
  if (all.length === 0) return [];
  const { hintFor } = await import('./error-catalogue.js');
  return all.map((d) => {
    const hint = hintFor(d.code, d.hint, registry);
    return hint === undefined ? d : { ...d, hint };
  });
}

/** File, then line, then column: the order a person fixes them in. */
function byPosition(a: Diagnostic, b: Diagnostic): number {
  const ra = a.range;
  const rb = b.range;
  if (ra === undefined || rb === undefined) return ra === rb ? 0 : ra === undefined ? 1 : -1;
  return ra.file.localeCompare(rb.file) || ra.line - rb.line || ra.col - rb.col;
}
