import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

/**
 * `repro --dry` must predict exactly what `repro` then does. Each step edits the project, asks
 * --dry for its plan, runs the real repro, and compares stage by stage (run vs restore; every
 * stage not listed is up to date). Each step's expected plan is also written out by hand, from the
 * pipeline's edges: `raw.csv -> split (built-in) -> splits/{train,val,test}.csv`, `train.csv ->
 * train_rows`, `val.csv -> val_rows`, `train_rows + val_rows -> report`, `notes.txt -> notes`.
 */
const PIPELINE = `stages:
  split:
    uses: split
    deps: [raw.csv]
    outs: [splits/]
    with: { ratios: { train: 0.5, val: 0.25, test: 0.25 }, seed: "\${seed}" }
  train_rows:
    cmd: cut -d, -f1 splits/train.csv > train_rows.txt
    deps: [splits/train.csv]
    outs: [train_rows.txt]
  val_rows:
    cmd: cut -d, -f1 splits/val.csv > val_rows.txt
    deps: [splits/val.csv]
    outs: [val_rows.txt]
  report:
    cmd: cat train_rows.txt val_rows.txt > report.txt
    deps: [train_rows.txt, val_rows.txt]
    outs: [report.txt]
  notes:
    cmd: tr a-z A-Z < notes.txt > NOTES.txt
    deps: [notes.txt]
    outs: [NOTES.txt]
`;

// 8 rows of one class: every split gets rows, and a different seed puts different rows in each.
const RAW = `id,text\n${Array.from({ length: 8 }, (_, i) => `${i},row ${i}`).join('\n')}\n`;

type Plan = Record<string, 'run' | 'restore'>;

interface Report {
  readonly dry: boolean;
  readonly stages: readonly { stage: string; outcome: string }[];
}

const ACTION: Record<string, 'run' | 'restore' | undefined> = { 'would-run': 'run', 'would-restore': 'restore', ran: 'run', restored: 'restore' };

function planOf(report: Report): Plan {
  const plan: Plan = {};
  for (const s of report.stages) {
    const action = ACTION[s.outcome];
    if (action !== undefined) plan[s.stage.slice(s.stage.lastIndexOf(':') + 1)] = action;
  }
  return plan;
}

let p: TempProject;
beforeAll(() => {
  p = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'params.yaml': 'seed: 1\n', 'raw.csv': RAW, 'notes.txt': 'hello\n' });
});
afterAll(() => p.cleanup());

/** Dry plan, then the real run; both returned for comparison. */
function dryThenReal(...targets: string[]): { dry: Plan; real: Plan } {
  const dryRun = p.dvcts('repro', '--dry', '--json', ...targets).expectOk();
  const dry = JSON.parse(dryRun.stdout) as Report;
  expect(dry.dry).toBe(true);
  const real = JSON.parse(p.dvcts('repro', '--json', ...targets).expectOk().stdout) as Report;
  return { dry: planOf(dry), real: planOf(real) };
}

// The steps share one project and run in order: each starts from the state the last one left.
describe('repro --dry predicts what repro runs', () => {
  it('a new project: every stage', () => {
    const { dry, real } = dryThenReal();
    expect(dry).toEqual({ split: 'run', train_rows: 'run', val_rows: 'run', report: 'run', notes: 'run' });
    expect(real).toEqual(dry);
  });

  it('a changed seed: the split and everything after it ("after upstream"), not notes', () => {
    p.write({ 'params.yaml': 'seed: 2\n' });
    const { dry, real } = dryThenReal();
    expect(dry).toEqual({ split: 'run', train_rows: 'run', val_rows: 'run', report: 'run' });
    expect(real).toEqual(dry);
  });

  it('a reverted seed: the split and its downstream come back from the run-cache, predicted through the restored folder', () => {
    p.write({ 'params.yaml': 'seed: 1\n' });
    const { dry, real } = dryThenReal();
    expect(dry).toEqual({ split: 'restore', train_rows: 'restore', val_rows: 'restore', report: 'restore' });
    expect(real).toEqual(dry);
  });

  it('an edited middle output and a deleted leaf output', () => {
    p.write({ 'val_rows.txt': 'edited\n' });
    rmSync(p.path('NOTES.txt'));
    const { dry, real } = dryThenReal();
    // val_rows' output was edited: its recorded version for the same inputs is in the run-cache.
    expect(dry).toEqual({ val_rows: 'restore', notes: 'restore' });
    expect(real).toEqual(dry);
  });

  it('an edited command with a target: only what the target needs', () => {
    p.write({ 'pipelines/p.yaml': PIPELINE.replace('cut -d, -f1 splits/train.csv', 'cut -d, -f2 splits/train.csv'), 'notes.txt': 'changed\n' });
    const { dry, real } = dryThenReal('report');
    expect(dry).toEqual({ train_rows: 'run', report: 'run' });
    expect(real).toEqual(dry);
  });

  it('nothing changed: nothing would run, and the plan goes to stdout for a person too', () => {
    p.dvcts('repro').expectOk(); // notes, changed in the last step but not a target there
    const r = p.dvcts('repro', '--dry').expectOk();
    expect(r.stdout).toContain("Stage 'report' is up to date");
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('Stages: 5 up to date');
    expect(r.stderr).toBe('');
  });
});
