import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METRICS_YAML, parseYamlValue } from '../pipeline/safe-yaml.js';
import { resolveTargets, selectStages } from '../graph/targets.js';
import type { ProjectOptions } from './builtins.js';
import { openProject } from './open-project.js';

/** One metrics file of a stage, flattened to dotted keys -> scalar values. */
export interface MetricsFile {
  readonly path: string;
  readonly stage: string;
  /** undefined when the file does not exist yet (stage never ran) or is not JSON/YAML. */
  readonly values?: Readonly<Record<string, string | number | boolean | null>>;
  readonly error?: string;
}

/** `dvcts metrics show`: the `metrics:` files of the selected stages (default: all), flattened. */
export async function metricsShow(opts: ProjectOptions & { readonly targets?: readonly string[] } = {}): Promise<MetricsFile[]> {
  const project = await openProject(opts);
  const { root, dag } = project;
  const targets = project.targets.length > 0 ? resolveTargets(dag, project.targets) : undefined;
  const ids = targets ?? selectStages(dag, undefined);
  const files: MetricsFile[] = [];
  for (const id of ids) {
    const stage = dag.byId.get(id)!;
    for (const out of stage.outs.filter((o) => o.kind === 'metric')) {
      files.push({ path: out.path, stage: stage.id, ...(await readMetrics(join(root, out.path))) });
    }
  }
  return files;
}

async function readMetrics(abs: string): Promise<Pick<MetricsFile, 'values' | 'error'>> {
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch {
    return { error: 'missing (run `dvcts repro` to produce it)' };
  }
  try {
    return { values: flatten(abs.endsWith('.json') ? JSON.parse(text) : parseYamlValue(text, abs, METRICS_YAML)) };
  } catch (e) {
    return { error: `not JSON/YAML: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** Nested objects and arrays become dotted keys (`per_class.tang.train`, `dropped.0`). */
export function flatten(value: unknown, prefix = '', into: Record<string, string | number | boolean | null> = {}): Record<string, string | number | boolean | null> {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, into);
  } else if (prefix !== '') {
    into[prefix] = value as string | number | boolean | null;
  }
  return into;
}
