import { error, type Diagnostic } from '../core/diagnostics.js';
import { isWithin } from '../core/path-rule.js';
import type { StageSpec } from '../core/spec.js';
import type { TrackedData } from './data-status.js';

/**
 * Stage outputs that are, lie inside, or hold data tracked with `dvcts add` (or its pointer
 * file): repro deletes outputs before a stage runs, so it would delete that data. One located
 * error per output, found before anything runs.
 */
export function outputsOverTrackedData(stages: readonly StageSpec[], tracked: readonly TrackedData[]): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const stage of stages) {
    for (const out of stage.outs) {
      const hit = tracked.find((t) => isWithin(out.path, t.path) || isWithin(t.path, out.path) || isWithin(t.pointer, out.path));
      if (hit === undefined) continue;
      const relation = out.path === hit.path ? 'is' : isWithin(out.path, hit.path) ? 'lies inside' : 'holds';
      found.push(
        error('E_OUT_TRACKED', `output "${out.path}" of stage "${stage.name}" ${relation} "${hit.path}", tracked with \`dvcts add\` (${hit.pointer}); repro would delete it`, out.range, `choose another output path, or stop tracking the data with add (git rm ${hit.pointer}) if the stage produces it now`),
      );
    }
  }
  return found;
}
