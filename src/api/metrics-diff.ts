import { METRICS_YAML, parseYamlValue } from '../pipeline/safe-yaml.js';
import { resolveTargets, selectStages } from '../graph/targets.js';
import type { ProjectOptions } from './builtins.js';
import { openProjectCache } from './config.js';
import { flatten } from './metrics.js';
import { openProject } from './open-project.js';
import { openSide, type ProjectSide } from './versioned-files.js';

type Scalar = string | number | boolean | null;

/** One metric compared across two sides; `change` when both are numbers. */
export interface MetricChange {
  readonly path: string;
  readonly key: string;
  readonly old?: Scalar;
  readonly new?: Scalar;
  readonly change?: number;
}

export interface MetricsDiffResult {
  readonly a: string;
  readonly b: string;
  readonly changes: readonly MetricChange[];
  /** Files one side could not read, and why. */
  readonly problems: readonly { readonly path: string; readonly side: string; readonly message: string }[];
}

export interface MetricsDiffOptions extends ProjectOptions {
  readonly targets?: readonly string[];
  /** Old revision; default HEAD. */
  readonly a?: string;
  /** New revision; default: the workspace. */
  readonly b?: string;
  /** Keep unchanged metrics too. */
  readonly all?: boolean;
}

/**
 * `dvcts metrics diff [A] [B]`: the `metrics:` files the pipelines declare (default: every stage),
 * read at both sides (a revision reads them from the cache or git, see openSide), flattened to
 * dotted keys and compared. Only changed metrics unless `all`.
 */
export async function metricsDiff(opts: MetricsDiffOptions = {}): Promise<MetricsDiffResult> {
  const project = await openProject(opts);
  const ids = project.targets.length > 0 ? resolveTargets(project.dag, project.targets) : selectStages(project.dag, undefined);
  const paths = [...new Set(ids.flatMap((id) => project.dag.byId.get(id)!.outs.filter((o) => o.kind === 'metric').map((o) => o.path)))].sort();
  const cache = await openProjectCache(project.root);
  const [sideA, sideB] = [await openSide(project.root, cache, opts.a ?? 'HEAD'), await openSide(project.root, cache, opts.b)];
  const changes: MetricChange[] = [];
  const problems: { path: string; side: string; message: string }[] = [];
  for (const path of paths) {
    const before = await readFlat(sideA, path, problems);
    const after = await readFlat(sideB, path, problems);
    if (before === undefined && after === undefined) continue;
    for (const key of [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort()) {
      const change = compare(path, key, before?.[key], after?.[key]);
      if (opts.all || change.old !== change.new) changes.push(change);
    }
  }
  return { a: sideA.label, b: sideB.label, changes, problems };
}

export async function readFlat(side: ProjectSide, path: string, problems: { path: string; side: string; message: string }[]): Promise<Record<string, Scalar> | undefined> {
  const got = await side.read(path);
  if ('missing' in got) {
    problems.push({ path, side: side.label, message: got.missing });
    return undefined;
  }
  try {
    return flatten(parseYamlValue(got.text, path, METRICS_YAML));
  } catch (e) {
    problems.push({ path, side: side.label, message: `not JSON/YAML: ${(e as Error).message.split('\n')[0]}` });
    return undefined;
  }
}

export function compare(path: string, key: string, old: unknown, now: unknown): MetricChange {
  const scalar = (v: unknown): Scalar | undefined => (v === undefined ? undefined : v !== null && typeof v === 'object' ? JSON.stringify(v) : (v as Scalar));
  const [o, n] = [scalar(old), scalar(now)];
  const change = typeof o === 'number' && typeof n === 'number' ? n - o : undefined;
  return { path, key, ...(o !== undefined ? { old: o } : {}), ...(n !== undefined ? { new: n } : {}), ...(change !== undefined ? { change } : {}) };
}
