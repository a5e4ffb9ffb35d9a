import type { SourceRange } from '../core/diagnostics.js';
import type { StageSpec } from '../core/spec.js';

/**
 * The loaded-project memo (load-memo.ts) keeps each distinct source range once: stages generated
 * by one foreach share the ranges of their template, and 32k stages wrote three copies of the same
 * few ranges each (a third of a 19 MB memo, parsed by every status). A stage, dep, out or param
 * holds its range's position in `ranges` instead; reading puts the ranges back, shared.
 */
export interface CompactStages {
  readonly stages: readonly StageSpec[];
  readonly ranges: readonly SourceRange[];
}

type WithRange = { range?: SourceRange | number };

export function compactRanges(stages: readonly StageSpec[]): CompactStages {
  const ranges: SourceRange[] = [];
  const byObject = new Map<SourceRange, number>();
  const byText = new Map<string, number>();
  const indexOf = (range: SourceRange): number => {
    let index = byObject.get(range);
    if (index !== undefined) return index;
    const text = JSON.stringify(range);
    index = byText.get(text);
    if (index === undefined) {
      index = ranges.push(range) - 1;
      byText.set(text, index);
    }
    byObject.set(range, index);
    return index;
  };
  // Copies with the same keys in the same order, only `range` a number: the stages given stay as they are.
  const compact = <T extends { readonly range?: SourceRange }>(item: T): T => (item.range === undefined ? item : ({ ...item, range: indexOf(item.range) } as unknown as T));
  const compacted = stages.map((stage) => {
    const copy = { ...compact(stage) } as { -readonly [K in keyof StageSpec]: StageSpec[K] };
    copy.deps = stage.deps.map(compact);
    copy.outs = stage.outs.map(compact);
    copy.params = stage.params.map(compact);
    return copy;
  });
  return { stages: compacted, ranges };
}

/** The stages of `compactRanges`, parsed from JSON, with their ranges back (in place); undefined when one points nowhere. */
export function restoreRanges(kept: CompactStages): StageSpec[] | undefined {
  const { ranges } = kept;
  const restore = (item: WithRange): boolean => {
    if (item.range === undefined) return true;
    const range = typeof item.range === 'number' ? ranges[item.range] : undefined;
    if (range === undefined) return false;
    item.range = range;
    return true;
  };
  if (!Array.isArray(kept.stages) || !Array.isArray(ranges)) return undefined;
  try {
    for (const stage of kept.stages as unknown as (WithRange & { deps: WithRange[]; outs: WithRange[]; params: WithRange[] })[]) {
      if (!restore(stage)) return undefined;
      for (const dep of stage.deps) if (!restore(dep)) return undefined;
      for (const out of stage.outs) if (!restore(out)) return undefined;
      for (const param of stage.params) if (!restore(param)) return undefined;
    }
  } catch {
    return undefined; // a damaged memo of the right format: load again
  }
  return kept.stages as StageSpec[];
}
