import type { Diagnostic } from '../core/diagnostics.js';
import { hasErrors } from '../core/diagnostics.js';
import { DiagnosticsError } from '../core/errors.js';
import { buildDag, type Dag } from '../graph/dag.js';
import { loadProject } from '../pipeline/load.js';
import { loadConfig, type ProjectConfig } from './config.js';
import { findProjectRoot } from './project.js';

export interface OpenProject {
  readonly root: string;
  readonly config: ProjectConfig;
  readonly dag: Dag;
  /** Warnings found while loading (errors abort with DiagnosticsError). */
  readonly warnings: readonly Diagnostic[];
  /** Source texts, to render diagnostics that are found later. */
  readonly sources: ReadonlyMap<string, string>;
}

export interface OpenOptions {
  readonly cwd?: string;
  /** Pipeline files to load (project-relative); default: all of them. */
  readonly files?: readonly string[];
}

/**
 * Finds the project, loads and validates every pipeline and builds the DAG. All problems are
 * collected first: one DiagnosticsError carries every error, so the user fixes them in one pass.
 */
export async function openProject(opts: OpenOptions = {}): Promise<OpenProject> {
  const root = findProjectRoot(opts.cwd);
  const config = await loadConfig(root);
  const loaded = await loadProject(root, opts.files ? { files: opts.files } : {});
  const { dag, diagnostics } = buildDag(loaded.spec.stages);
  const all = [...loaded.diagnostics, ...diagnostics];
  if (hasErrors(all)) throw new DiagnosticsError(all, 'the pipeline is invalid', loaded.sources);
  return { root, config, dag, warnings: all, sources: loaded.sources };
}
