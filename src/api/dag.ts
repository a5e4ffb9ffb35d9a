import type { DagNode } from '../graph/dag.js';
import { resolveTargets, selectStages } from '../graph/targets.js';
import type { ProjectOptions } from './builtins.js';
import { openProject } from './open-project.js';

export type { DagNode } from '../graph/dag.js';

/** `dvcts dag`: the selected stages (targets and what they need) with their edges, topologically. */
export async function dag(opts: ProjectOptions & { readonly targets?: readonly string[] } = {}): Promise<DagNode[]> {
  const project = await openProject(opts);
  const targets = project.targets.length > 0 ? resolveTargets(project.dag, project.targets) : undefined;
  const order = selectStages(project.dag, targets);
  const chosen = new Set(order);
  return order.map((id) => {
    const s = project.dag.byId.get(id)!;
    return {
      id,
      name: s.name,
      file: s.file,
      outs: s.outs.map((o) => o.path),
      upstream: (project.dag.upstream.get(id) ?? []).filter((u) => chosen.has(u)),
    };
  });
}
