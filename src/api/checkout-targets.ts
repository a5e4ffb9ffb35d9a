import { DvctsError, ExitCode } from '../core/errors.js';
import type { StageSpec } from '../core/spec.js';
import { buildDag } from '../graph/dag.js';
import { resolveTargets } from '../graph/targets.js';
import { projectPathOf } from './project-path.js';
import type { TrackedOutput } from './references.js';

/**
 * Picks the outputs that checkout/diff targets name. A target is a pointer or lock file, a data
 * path (the output itself, a folder holding outputs, or a path inside an output — which selects
 * the whole output), or a stage (`name`, `file.yaml:name`, a foreach group, a pipeline file).
 * No targets selects everything. A target that names nothing recorded is E_TARGET_NOT_TRACKED.
 */
export function selectOutputs(
  root: string,
  cwd: string,
  outputs: readonly TrackedOutput[],
  targets: readonly string[],
  stages: readonly StageSpec[],
  label: string,
): TrackedOutput[] {
  if (targets.length === 0) return [...outputs];
  const chosen = new Set<TrackedOutput>();
  for (const target of targets) {
    const matched = matchPath(root, cwd, outputs, target) ?? matchStage(outputs, target, stages);
    if (matched.length === 0) {
      throw new DvctsError('E_TARGET_NOT_TRACKED', `'${target}' is not a tracked path, pointer file or stage output in ${label}`, {
        data: { target, where: label },
        hint: 'name a *.dvcts file, a path added with `dvcts add`, or a stage whose lock file records outputs',
        exitCode: ExitCode.usage,
      });
    }
    for (const o of matched) chosen.add(o);
  }
  return outputs.filter((o) => chosen.has(o));
}

function matchPath(root: string, cwd: string, outputs: readonly TrackedOutput[], target: string): TrackedOutput[] | undefined {
  let rel: string;
  try {
    rel = projectPathOf(root, cwd, target);
  } catch {
    return undefined; // not a project path: maybe a stage name such as `pipelines/a.yaml:split`
  }
  const matched = outputs.filter(
    (o) => o.source === rel || o.path === rel || o.path.startsWith(`${rel}/`) || rel.startsWith(`${o.path}/`),
  );
  return matched.length > 0 ? matched : undefined;
}

function matchStage(outputs: readonly TrackedOutput[], target: string, stages: readonly StageSpec[]): TrackedOutput[] {
  let ids: string[];
  try {
    ids = resolveTargets(buildDag(stages).dag, [target]);
  } catch {
    return [];
  }
  const wanted = new Set(ids.map((id) => stages.find((s) => s.id === id)).map((s) => `${s?.lockFile}\0${s?.name}`));
  return outputs.filter((o) => o.stage !== undefined && wanted.has(`${o.source}\0${o.stage}`));
}
