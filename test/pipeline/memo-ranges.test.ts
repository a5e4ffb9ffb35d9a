import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StageSpec } from '../../src/core/spec.js';
import { loadProjectMemoized } from '../../src/pipeline/load-memo.js';
import { compactRanges, restoreRanges } from '../../src/pipeline/memo-ranges.js';
import { makeProject, testBuiltins } from './helpers.js';

// The loaded-project memo keeps each distinct source range once (src/pipeline/memo-ranges.ts).
const PIPELINE = [
  'stages:',
  '  copy:',
  '    foreach: [a, b, c]',
  '    do:',
  '      cmd: cp in/${item} out/${item}',
  '      deps:',
  '        - in/${item}',
  '      outs:',
  '        - out/${item}',
  '  report:',
  '    cmd: echo',
  '    params: [lr]',
  '    metrics: [m.json]',
  '',
].join('\n');

const at = (line: number, col: number, endCol: number) => ({ file: 'pipelines/p.yaml', line, col, endLine: line, endCol });

describe('the memo of a loaded project', () => {
  it('holds each source range once, and gives back the stages of a fresh load, ranges included', async () => {
    const root = await makeProject({ 'pipelines/p.yaml': PIPELINE, 'params.yaml': 'lr: 1\n' });
    const memo = join(root, '.dvcts', 'tmp', 'loaded-project.json');
    const opts = { files: ['pipelines/p.yaml'], builtins: testBuiltins };
    const fresh = await loadProjectMemoized(root, opts, memo);
    expect(fresh.diagnostics).toEqual([]);
    const kept = JSON.parse(readFileSync(memo, 'utf8').split('\n')[1]!) as { ranges: unknown[]; stages: { range: unknown }[] };
    // Worked by hand from PIPELINE: the `copy` key, its dep and out templates (shared by a, b, c),
    // the `report` key, its metric, its param; in the order the stages first name them.
    expect(kept.ranges).toEqual([at(2, 3, 7), at(7, 11, 21), at(9, 11, 22), at(10, 3, 9), at(13, 15, 21), at(12, 14, 16)]);
    expect(kept.stages.map((s) => s.range)).toEqual([0, 0, 0, 3]);
    const again = await loadProjectMemoized(root, opts, memo);
    expect(again.spec.stages).toEqual(fresh.spec.stages);
    expect(again.spec.stages[3]!.params[0]!.range).toEqual(at(12, 14, 16));
    expect(again.spec.stages[1]!.outs[0]!.range).toEqual(at(9, 11, 22));
  });

  it('leaves the stages it is given as they are, a stage without a range included', () => {
    const made: StageSpec = {
      id: 'p.yaml:s', name: 's', file: 'p.yaml', lockFile: 'p.lock', wdir: '', cmd: ['run'],
      deps: [{ path: 'in', range: at(4, 9, 11) }], outs: [{ path: 'out', kind: 'out', cache: true, persist: false }],
      params: [], frozen: false, alwaysChanged: false,
    };
    const before = structuredClone(made);
    const compacted = compactRanges([made]);
    expect(made).toEqual(before);
    expect(compacted.ranges).toEqual([at(4, 9, 11)]);
    expect(restoreRanges(JSON.parse(JSON.stringify(compacted)))).toEqual([before]);
  });
});
