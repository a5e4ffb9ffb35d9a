import { writeFileSync, chmodSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpProject, fitByHand } from './exp-project.js';

interface Trial {
  name: string;
  number: number;
  params: { key: string; value: number }[];
  state: string;
  value?: number;
  prunedAt?: number;
  ran: string[];
}
interface Sweep {
  trials: Trial[];
  best?: Trial;
  direction: string;
  stageRuns: Record<string, number>;
}

const byNumber = (s: Sweep): Trial[] => [...s.trials].sort((a, b) => a.number - b.number);
const lrOf = (t: Trial): number => t.params.find((p) => p.key === 'train.lr')!.value;

describe('exp sweep: grid, seeded random and Optuna TPE; every trial an experiment', () => {
  let p: ExpProject;
  let head: string;

  beforeAll(() => {
    p = ExpProject.make({ epochs: 4 });
    p.dvcts('repro').expectOk();
    head = p.commit('baseline');
  });
  afterAll(() => p.cleanup());

  const sweep = (...args: string[]): Sweep => p.json<Sweep>('exp', 'sweep', '--objective', 'metrics.json:val.loss', ...args);

  it('a grid sweep runs every point as an experiment with the value the script computes; the data stage never reruns', () => {
    const s = sweep('-S', 'train.lr=choice(0.1,0.5,2)', '--sampler', 'grid', '-n', 'g');
    expect(s.direction).toBe('minimize'); // from the name val.loss
    expect(byNumber(s).map((t) => [t.name, lrOf(t), t.state])).toEqual([
      ['g-0', 0.1, 'complete'],
      ['g-1', 0.5, 'complete'],
      ['g-2', 2, 'complete'],
    ]);
    const byHand = [0.1, 0.5, 2].map((lr) => (JSON.parse(fitByHand(p, { lr, epochs: 4 }).metrics) as { val: { loss: number } }).val.loss);
    expect(byNumber(s).map((t) => t.value)).toEqual(byHand);
    expect(s.best!.value).toBe(Math.min(...byHand));
    // lr 0.5 is the workspace's own value: that trial's train stage was up to date.
    expect(byNumber(s).map((t) => t.ran.length)).toEqual([1, 0, 1]);
    expect(s.stageRuns).toEqual({ 'pipelines/digits.yaml:train': 2 });
    expect(p.prepRuns()).toBe(1); // only the repro before the sweep
    expect(Object.keys(p.refs()).sort()).toEqual(['g-0', 'g-1', 'g-2']);
    const show = p.json<{ rows: { name: string; values: Record<string, unknown> }[] }>('exp', 'show');
    expect(show.rows.find((r) => r.name === 'g-2')!.values['val.loss']).toBe(byHand[2]);
    expect(p.git('rev-parse', 'HEAD').trim()).toBe(head);
    expect(p.tempWorkspaces()).toEqual([]);

    p.dvcts('exp', 'apply', s.best!.name).expectOk(); // the best can be applied
    expect(p.read('params.yaml')).toBe(p.git('show', `refs/exps/${s.best!.name}:params.yaml`));
    p.git('checkout', '--', 'params.yaml', 'pipelines/digits.lock');
    p.dvcts('checkout').expectOk();
  });

  it('a seeded random sweep of 6 trials is the same again, and at --jobs 2', () => {
    const space = ['-S', 'train.lr=loguniform(0.01,4)', '-S', 'train.l2=uniform(0,0.01)', '--sampler', 'random'];
    const one = sweep(...space, '--seed', '7', '--trials', '6', '-n', 'r1');
    const two = sweep(...space, '--seed', '7', '--trials', '6', '-n', 'r2', '-j', '2');
    const strip = (s: Sweep) => byNumber(s).map((t) => ({ params: t.params, value: t.value, state: t.state }));
    expect(strip(two)).toEqual(strip(one));
    expect(new Set(byNumber(one).map(lrOf)).size).toBe(6);
    for (const t of byNumber(one)) {
      expect(lrOf(t)).toBeGreaterThanOrEqual(0.01);
      expect(lrOf(t)).toBeLessThan(4);
    }
    const other = sweep(...space, '--seed', '8', '--trials', '2', '-n', 'r3');
    expect(byNumber(other).map(lrOf)).not.toEqual(byNumber(one).slice(0, 2).map(lrOf));
    expect(p.prepRuns()).toBe(1);
  });

  it('tpe (Optuna) finds a better objective than its first random trials, and than a random sweep of as many trials', () => {
    const space = ['-S', 'train.lr=loguniform(0.001,20)', '-S', 'train.l2=loguniform(0.000001,0.1)', '--trials', '12'];
    const tpe = sweep(...space, '--sampler', 'tpe', '--startup-trials', '4', '-n', 't');
    const random = sweep(...space, '--sampler', 'random', '-n', 'rnd');
    const best = (trials: Trial[]): number => Math.min(...trials.map((t) => t.value!));
    const trials = byNumber(tpe);
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
    expect(best(trials)).toBeLessThan(best(trials.slice(0, 4)));
    // TPE samples where the good trials were: the median after the 4 random start-up trials is
    // far below theirs (for random sampling the two medians are alike).
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    expect(median(trials.slice(4).map((t) => t.value!))).toBeLessThan(0.7 * median(trials.slice(0, 4).map((t) => t.value!)));
    expect(tpe.best!.value).toBeLessThan(random.best!.value!);
    expect(tpe.best!.value).toBe(best(trials));
    // The values Optuna was told are the script's own.
    const lr = lrOf(tpe.best!);
    const l2 = tpe.best!.params.find((q) => q.key === 'train.l2')!.value;
    expect(tpe.best!.value).toBe((JSON.parse(fitByHand(p, { lr, l2, epochs: 4 }).metrics) as { val: { loss: number } }).val.loss);
    expect(p.prepRuns()).toBe(1);
  }, 120_000);

  it('tpe with --prune-on stops hopeless trials early from the per-epoch curves (Optuna MedianPruner)', () => {
    const before = p.fitRuns().length;
    const r = p.dvcts(
      'exp', 'sweep', '-S', 'train.lr=loguniform(0.001,20)', '-S', 'train.epochs=12', '-S', 'train.sleep_ms=200',
      '--objective', 'metrics.json:val.loss', '--sampler', 'tpe', '--trials', '6', '--startup-trials', '6',
      '--prune-on', 'curves.csv:val_loss', '--prune-startup-trials', '2', '-n', 'pr', '--json',
    ).expectOk();
    const s = JSON.parse(r.stdout) as Sweep;
    const trials = byNumber(s);
    expect(trials.slice(0, 2).map((t) => t.state)).toEqual(['complete', 'complete']); // never pruned before the median exists
    const pruned = trials.filter((t) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    const runs = p.fitRuns().slice(before);
    const runOf = (t: Trial): { epochs: number; end?: number } => {
      const run = runs.find((x) => x.lr === lrOf(t));
      if (run === undefined) throw new Error(`${t.name} was pruned before it trained`);
      return run;
    };
    for (const t of pruned) {
      expect(t.prunedAt).toBeGreaterThanOrEqual(1);
      expect(t.prunedAt).toBeLessThanOrEqual(runOf(t).epochs + 1); // decided on the trial's own epochs (its log line may lag a row)
      expect(p.refs()[t.name]).toBeUndefined(); // a pruned trial is not an experiment
    }
    // Stopped at once, not at the end (pruning decides within the first epochs here).
    expect(pruned.filter((t) => runOf(t).end === undefined && runOf(t).epochs < 12).length).toBeGreaterThan(0);
    for (const t of trials.filter((x) => x.state === 'complete')) expect(runOf(t).epochs).toBe(12);
    expect(p.tempWorkspaces()).toEqual([]);
  }, 120_000);

  it('Ctrl-C stops the running trials, records nothing of them and leaves no workspace behind', async () => {
    const before = p.fitRuns().length;
    const run = p.start('exp', 'sweep', '-S', 'train.lr=uniform(0.2,0.4)', '-S', 'train.epochs=20', '-S', 'train.sleep_ms=300', '--objective', 'metrics.json:val.loss', '--sampler', 'random', '--trials', '4', '-j', '2', '-n', 'stop');
    const deadline = Date.now() + 60_000;
    while (!p.fitRuns().slice(before).some((x) => x.epochs > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    process.kill(run.pid, 'SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(p.fitRuns().slice(before).every((x) => x.end === undefined)).toBe(true);
    expect(Object.keys(p.refs()).filter((n) => n.startsWith('stop-'))).toEqual([]);
    expect(p.tempWorkspaces()).toEqual([]);
    expect(p.git('rev-parse', 'HEAD').trim()).toBe(head);
  }, 90_000);

  it('refuses a bad space, objective or option before any trial runs', () => {
    const refs = Object.keys(p.refs());
    const bad = (args: string[], code: string): void => {
      const r = p.dvcts('exp', 'sweep', '--objective', 'metrics.json:val.loss', '--sampler', 'random', ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(code);
    };
    bad(['-S', 'train.lr=uniform(1)'], 'E_SWEEP_SPACE');
    bad(['-S', 'train.lr=loguniform(0,1)'], 'E_SWEEP_SPACE');
    bad(['-S', 'train.lrr=uniform(0,1)'], 'E_EXP_PARAM_UNKNOWN');
    bad(['-S', 'train.lr=uniform(0,1)', '--objective', 'nope.json:val.loss'], 'E_SWEEP_OPTION');
    bad(['-S', 'train.lr=uniform(0,1)', '--sampler', 'grid'], 'E_SWEEP_OPTION');
    expect(Object.keys(p.refs())).toEqual(refs);
  });

  it('--sampler tpe without Optuna names the Debian package', () => {
    const noSite = p.path('../python-without-site');
    writeFileSync(noSite, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n'); // no dist-packages: no optuna
    chmodSync(noSite, 0o755);
    const r = p.dvctsEnv({ ...p.env(), DVCTS_PYTHON: noSite }, 'exp', 'sweep', '-S', 'train.lr=uniform(0.1,1)', '--objective', 'metrics.json:val.loss', '--sampler', 'tpe');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/E_OPTUNA_MISSING[\s\S]*apt-get install python3-optuna/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
