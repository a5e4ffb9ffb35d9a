import { DvctsError, ExitCode } from '../core/errors.js';
import type { StageSpec } from '../core/spec.js';
import { didYouMean } from '../core/suggest.js';
import type { Dag } from './dag.js';

export interface Selection {
  /** Add everything the targets need (default), or run the targets alone (`-s`). */
  readonly single?: boolean;
  /** Targets and everything that depends on them, instead of what they depend on (DVC's --downstream). */
  readonly downstream?: boolean;
}

/**
 * Resolves CLI targets to stage ids: `file.yaml:stage`, `file.yaml` (all its stages), `stage`,
 * `stage@key`, or a foreach/matrix group name (all its generated stages).
 */
export function resolveTargets(dag: Dag, targets: readonly string[]): string[] {
  const ids: string[] = [];
  for (const target of targets) ids.push(...resolveOne(dag.stages, target));
  return [...new Set(ids)];
}

function resolveOne(stages: readonly StageSpec[], target: string): string[] {
  const colon = target.lastIndexOf(':');
  const file = colon > 0 ? target.slice(0, colon).replace(/^\.\//, '') : undefined;
  const name = colon > 0 ? target.slice(colon + 1) : target;
  const inFile = file === undefined ? stages : stages.filter((s) => s.file === file);
  if (file !== undefined && inFile.length === 0) throw unknownTarget(target, stages.map((s) => s.file));
  const byFile = stages.filter((s) => s.file === target.replace(/^\.\//, ''));
  if (file === undefined && byFile.length > 0) return byFile.map((s) => s.id);

  const exact = inFile.filter((s) => s.name === name);
  const matched = exact.length > 0 ? exact : inFile.filter((s) => s.group === name);
  if (matched.length === 0) throw unknownTarget(target, inFile.map((s) => s.name));
  const files = new Set(exact.map((s) => s.file));
  if (files.size > 1) {
    throw new DvctsError('E_AMBIGUOUS_TARGET', `stage name "${name}" is defined in several pipelines: ${[...files].join(', ')}`, {
      data: { target, files: [...files] },
      hint: `name one of them: ${[...files].map((f) => `${f}:${name}`).join(' or ')}`,
      exitCode: ExitCode.usage,
    });
  }
  return matched.map((s) => s.id);
}

function unknownTarget(target: string, candidates: readonly string[]): DvctsError {
  return new DvctsError('E_UNKNOWN_TARGET', `no stage or pipeline matches "${target}"`, {
    data: { target },
    hint: didYouMean(target.slice(target.lastIndexOf(':') + 1), candidates) ?? 'run `dvcts dag` to list the stages',
    exitCode: ExitCode.usage,
  });
}

/** The stage ids to consider, in topological order. No targets = the whole project. */
export function selectStages(dag: Dag, targetIds: readonly string[] | undefined, selection: Selection = {}): string[] {
  if (targetIds === undefined) return [...dag.order];
  const chosen = new Set(targetIds);
  if (selection.downstream) walk(targetIds, (id) => dag.downstream.get(id) ?? [], chosen);
  else if (!selection.single) {
    // DVC: a frozen stage's own dependencies are not reproduced through it.
    walk(targetIds, (id) => (dag.byId.get(id)?.frozen ? [] : dag.upstream.get(id) ?? []), chosen);
  }
  return dag.order.filter((id) => chosen.has(id));
}

function walk(start: readonly string[], next: (id: string) => readonly string[], seen: Set<string>): void {
  const queue = [...start];
  while (queue.length > 0) {
    for (const n of next(queue.pop()!)) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
}
