import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpProject, fitByHand } from './exp-project.js';

interface ShowJson {
  columns: { kind: string; label: string }[];
  rows: { name: string; kind: string; rev?: string; baseline?: string; values: Record<string, unknown> }[];
  best: Record<string, string[]>;
}

describe('exp run / show / apply: experiments as refs/exps/NAME, HEAD never moves', () => {
  let p: ExpProject;
  let head: string;
  const byHand = new Map<number, { metrics: string; model: string }>();

  beforeAll(() => {
    p = ExpProject.make();
    p.dvcts('repro').expectOk();
    head = p.commit('baseline');
    for (const lr of [0.1, 1]) byHand.set(lr, fitByHand(p, { lr }));
  });
  afterAll(() => p.cleanup());

  const unmoved = (): void => {
    expect(p.git('rev-parse', 'HEAD').trim()).toBe(head);
    expect(p.git('symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');
    expect(p.git('rev-parse', 'refs/heads/main').trim()).toBe(head);
    expect(p.git('diff', '--cached', '--name-only')).toBe(''); // the index still equals HEAD
  };

  it('two runs with different lr give two refs on the baseline, with the values the script computes', () => {
    p.dvcts('exp', 'run', '-S', 'train.lr=0.1', '-n', 'slow').expectOk();
    const fast = p.dvcts('exp', 'run', '-S', 'train.lr=1', '-n', 'fast').expectOk();
    expect(fast.ran).toEqual(['train']); // the data stage is up to date
    expect(p.prepRuns()).toBe(1); // only the first repro ran it
    unmoved();

    const refs = p.refs();
    expect(Object.keys(refs).sort()).toEqual(['fast', 'slow']);
    for (const name of ['fast', 'slow']) expect(p.git('rev-parse', `${refs[name]}^`).trim()).toBe(head);
    p.git('fsck', '--strict', '--no-dangling'); // git itself accepts the objects dvcts wrote
    expect(p.git('show', 'refs/exps/slow:params.yaml')).toContain('lr: 0.1 # learning rate');
    expect(p.git('show', 'refs/exps/fast:params.yaml')).toContain('lr: 1 # learning rate');
    expect(p.git('show', '--name-only', '--format=', 'refs/exps/fast').trim().split('\n').sort()).toEqual(['params.yaml', 'pipelines/digits.lock']);

    const show = p.json<ShowJson>('exp', 'show');
    const row = (name: string) => show.rows.find((r) => r.name === name)!;
    expect(show.rows.map((r) => r.name)).toEqual(['workspace', 'main', 'slow', 'fast']);
    expect(row('main').rev).toBe(head);
    for (const [name, lr] of [['slow', 0.1], ['fast', 1]] as const) {
      const expected = JSON.parse(byHand.get(lr)!.metrics) as { val: { loss: number; accuracy: number }; train: { loss: number } };
      expect(row(name).values['train.lr']).toBe(lr);
      expect(row(name).values['val.loss']).toBe(expected.val.loss);
      expect(row(name).values['val.accuracy']).toBe(expected.val.accuracy);
      expect(row(name).baseline).toBe(head);
    }
    // By hand: lr 1 reaches a lower val loss than lr 0.1 after 8 epochs, so it is the best.
    const loss = (lr: number): number => (JSON.parse(byHand.get(lr)!.metrics) as { val: { loss: number } }).val.loss;
    expect(loss(1)).toBeLessThan(loss(0.1));
    expect(show.best['val.loss']).toEqual(['fast']);
  });

  it('exp apply restores the params and outputs of the first; exp show marks it in the text table', () => {
    p.dvcts('exp', 'apply', 'slow').expectOk();
    expect(p.read('params.yaml')).toBe(p.git('show', 'refs/exps/slow:params.yaml'));
    expect(p.read('pipelines/digits.lock')).toBe(p.git('show', 'refs/exps/slow:pipelines/digits.lock'));
    expect(p.read('model.json')).toBe(byHand.get(0.1)!.model);
    expect(p.read('metrics.json')).toBe(byHand.get(0.1)!.metrics);
    expect(p.dvcts('status').expectOk().stdout).not.toMatch(/train/); // workspace consistent with its lock
    unmoved();

    const text = p.dvcts('exp', 'show', '--only-changed').expectOk().stdout;
    expect(text.split('\n')[0]).toMatch(/^Experiment\s+Created\s+train\.lr\s+/);
    expect(text).toMatch(/fast\s.*\*/);
    expect(text).not.toMatch(/slow\s.*\*/);
    const csv = p.dvcts('exp', 'show', '--csv').expectOk().stdout.split('\n');
    expect(csv[0]).toMatch(/^Experiment,Kind,Rev,Baseline,Created,/);
    expect(csv.find((l) => l.startsWith('slow,experiment,'))).toContain(',0.1,');
  });

  it('exp run --temp leaves the workspace as it was', () => {
    const before = ['params.yaml', 'pipelines/digits.lock', 'model.json', 'metrics.json'].map((f) => p.read(f));
    const r = p.dvcts('exp', 'run', '--temp', '-S', 'train.lr=0.3', '-S', 'train.epochs=3', '-n', 'temp').expectOk();
    expect(r.ran).toEqual(['train']);
    expect(['params.yaml', 'pipelines/digits.lock', 'model.json', 'metrics.json'].map((f) => p.read(f))).toEqual(before);
    expect(p.tempWorkspaces()).toEqual([]);
    expect(p.prepRuns()).toBe(1);
    const show = p.json<ShowJson>('exp', 'show');
    const expected = JSON.parse(fitByHand(p, { lr: 0.3, epochs: 3 }).metrics) as { val: { loss: number } };
    expect(show.rows.find((row) => row.name === 'temp')!.values['val.loss']).toBe(expected.val.loss);
    unmoved();
  });

  it('exp diff, exp branch and exp remove', () => {
    const diff = p.json<{ params: { changes: { key: string; old: unknown; new: unknown }[] } }>('exp', 'diff', 'slow', 'fast');
    expect(diff.params.changes).toEqual([{ path: 'params.yaml', key: 'train.lr', old: 0.1, new: 1, change: 0.9 }]);
    p.dvcts('exp', 'branch', 'fast', 'try-fast').expectOk();
    expect(p.git('rev-parse', 'try-fast').trim()).toBe(p.refs().fast);
    expect(p.dvcts('exp', 'branch', 'fast', 'try-fast').code).toBe(2);
    expect(p.dvcts('metrics', 'diff', 'slow', 'fast', '--json').expectOk().stdout).toContain('val.loss'); // an experiment name is a revision
    p.dvcts('exp', 'remove', 'temp').expectOk();
    expect(Object.keys(p.refs()).sort()).toEqual(['fast', 'slow']);
    unmoved();
  });

  it('refuses bad input before anything changes', () => {
    const params = p.read('params.yaml');
    const unknown = p.dvcts('exp', 'run', '-S', 'train.lrr=1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/E_EXP_PARAM_UNKNOWN.*train\.lrr[\s\S]*did you mean "train\.lr"/);
    expect(p.dvcts('exp', 'run', '-S', 'train.lr').stderr).toContain('E_EXP_SET_INVALID');
    expect(p.dvcts('exp', 'run', '-n', 'slow').stderr).toContain('E_EXP_EXISTS');
    expect(p.dvcts('exp', 'run', '-n', 'a/b').stderr).toContain('E_EXP_NAME_INVALID');
    expect(p.dvcts('exp', 'apply', 'nope').stderr).toMatch(/E_EXP_NOT_FOUND[\s\S]*experiments: fast, slow/);
    expect(p.read('params.yaml')).toBe(params);
    expect(Object.keys(p.refs()).sort()).toEqual(['fast', 'slow']);

    // An edit nothing records is never overwritten silently.
    p.write({ 'params.yaml': `${params}# my note\n` });
    const conflict = p.dvcts('exp', 'apply', 'fast');
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/E_EXP_APPLY_CONFLICT[\s\S]*params\.yaml/);
    expect(p.read('params.yaml')).toBe(`${params}# my note\n`);
    p.dvcts('exp', 'apply', 'fast', '--force').expectOk();
    expect(p.read('params.yaml')).toBe(p.git('show', 'refs/exps/fast:params.yaml'));
    unmoved();
  });

  it('needs a git commit to start from', () => {
    const bare = ExpProject.make();
    try {
      const r = bare.dvcts('exp', 'run');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('E_EXP_NO_COMMIT');
    } finally {
      bare.cleanup();
    }
  });
});
