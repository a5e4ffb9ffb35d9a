import { parseYamlValue } from '../pipeline/safe-yaml.js';
import { parseLockFile } from '../lockfile/lock-file.js';
import { lookupPath, parseKeyPath } from '../pipeline/key-path.js';
import type { ProjectOptions } from './builtins.js';
import { openProjectCache } from './config.js';
import { flatten } from './metrics.js';
import { commitSnapshot, isMetadataFile, workspaceSnapshot, type MetadataSnapshot } from './metadata-files.js';
import { compare, type MetricChange } from './metrics-diff.js';
import { openProject } from './open-project.js';
import { openSide, type ProjectSide } from './versioned-files.js';

export interface ParamsDiffResult {
  readonly a: string;
  readonly b: string;
  /** `path` is the params file, `key` the dotted param. */
  readonly changes: readonly MetricChange[];
}

export interface ParamsDiffOptions extends ProjectOptions {
  readonly a?: string;
  readonly b?: string;
  readonly all?: boolean;
}

/**
 * `dvcts params diff [A] [B]`: the tracked params — those the pipelines declare or interpolate
 * now, and those either side's lock files recorded — with their values in the params files of
 * each side (a revision reads them from git). Only changed params unless `all`.
 */
export async function paramsDiff(opts: ParamsDiffOptions = {}): Promise<ParamsDiffResult> {
  const project = await openProject(opts);
  const { root } = project;
  const cache = await openProjectCache(root);
  const [sideA, sideB] = [await openSide(root, cache, opts.a ?? 'HEAD'), await openSide(root, cache, opts.b)];
  const tracked = new Map<string, Set<string | undefined>>(); // params file -> keys (undefined: the whole file)
  const track = (file: string, key: string | undefined): void => void (tracked.get(file) ?? tracked.set(file, new Set()).get(file)!).add(key);
  for (const stage of project.dag.byId.values()) for (const p of stage.params) track(p.file, p.key);
  for (const rev of [opts.a ?? 'HEAD', opts.b]) {
    for (const [file, keys] of await lockedParams(root, rev)) for (const key of keys) track(file, key);
  }
  const changes: MetricChange[] = [];
  for (const [file, keys] of [...tracked].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const [before, after] = [await paramsAt(sideA, file, keys), await paramsAt(sideB, file, keys)];
    for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const change = compare(file, key, before.get(key), after.get(key));
      if (opts.all || change.old !== change.new) changes.push(change);
    }
  }
  return { a: sideA.label, b: sideB.label, changes };
}

/** Params keys recorded in the lock files of a side, by params file. */
async function lockedParams(root: string, rev: string | undefined): Promise<Map<string, string[]>> {
  let snapshot: MetadataSnapshot = workspaceSnapshot(root);
  if (rev !== undefined) {
    const { requireGitRepo } = await import('../scm/git-repo.js');
    const { resolveRevision } = await import('../scm/revision.js');
    const repo = requireGitRepo(root, `reading params at a git revision ('${rev}')`);
    snapshot = commitSnapshot(repo, await resolveRevision(repo, rev), root, rev);
  }
  const found = new Map<string, string[]>();
  for (const file of (await snapshot.files()).filter((f) => isMetadataFile(f) && f.endsWith('.lock'))) {
    for (const entry of (await parseLockFile(await snapshot.read(file), file)).values()) {
      for (const [paramsFile, values] of Object.entries(entry.params)) found.set(paramsFile, [...(found.get(paramsFile) ?? []), ...Object.keys(values)]);
    }
  }
  return found;
}

/** The values of `keys` in a params file at a side (a whole-file entry flattens the file). */
export async function paramsAt(side: ProjectSide, file: string, keys: ReadonlySet<string | undefined>): Promise<Map<string, unknown>> {
  const got = await side.read(file);
  const content: unknown = 'text' in got ? (parseYamlValue(got.text, file, { code: 'E_PARAMS_INVALID', hint: `fix ${file} at that position` }) ?? undefined) : undefined;
  const values = new Map<string, unknown>();
  if (content === undefined) return values;
  for (const key of keys) {
    if (key === undefined) {
      for (const [k, v] of Object.entries(flatten(content))) values.set(k, v);
      continue;
    }
    const segments = parseKeyPath(key);
    const found = segments ? lookupPath(content, segments) : { found: false as const };
    if (found.found) values.set(key, found.value);
  }
  return values;
}
