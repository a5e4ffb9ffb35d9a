import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpProject, fitByHand } from './exp-project.js';

interface ShowJson {
  rows: { name: string; values: Record<string, unknown> }[];
}
interface StatusRow {
  name: string;
  state: string;
  reason?: string;
}

/** Most training runs at once, from the start/end stamps the script wrote. */
function mostAtOnce(runs: { start: number; end?: number }[]): number {
  const edges = runs.flatMap((r) => [
    { at: r.start, d: 1 },
    { at: r.end ?? Infinity, d: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.d - b.d); // an end before a start at the same instant
  let now = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (now += e.d));
  return most;
}

async function until(what: string, test: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('queue: exp run --queue, queue start -j N in temporary workspaces, status, logs, kill', () => {
  let p: ExpProject;
  let head: string;
  let workspace: string[];
  const files = ['params.yaml', 'pipelines/digits.lock', 'model.json', 'metrics.json'];

  beforeAll(() => {
    p = ExpProject.make({ epochs: 4, sleep_ms: 500 });
    p.dvcts('repro').expectOk();
    head = p.commit('baseline');
    workspace = files.map((f) => p.read(f));
  });
  afterAll(() => p.cleanup());

  it('4 queued experiments with -j 2 run two at a time, each equal to a run by hand', async () => {
    const lrs = [0.05, 0.2, 0.6, 1.5];
    for (const [i, lr] of lrs.entries()) p.dvcts('exp', 'run', '--queue', '-S', `train.lr=${lr}`, '-n', `q${i}`).expectOk();
    expect(Object.keys(p.refs('refs/exps-queue')).sort()).toEqual(['q0', 'q1', 'q2', 'q3']);
    expect(p.json<StatusRow[]>('queue', 'status').map((r) => [r.name, r.state])).toEqual(lrs.map((_, i) => [`q${i}`, 'queued']));
    expect(p.fitRuns()).toHaveLength(1); // queuing ran nothing

    const r = p.dvcts('queue', 'start', '-j', '2').expectOk();
    expect(r.stderr).toContain('4 succeeded, 0 failed');
    const runs = p.fitRuns().slice(1);
    expect(runs.map((x) => x.lr).sort((a, b) => a - b)).toEqual(lrs);
    expect(mostAtOnce(runs)).toBe(2); // overlapping, never three
    expect(p.prepRuns()).toBe(1); // the data stage came from the shared cache each time

    const show = p.json<ShowJson>('exp', 'show');
    for (const [i, lr] of lrs.entries()) {
      const expected = JSON.parse(fitByHand(p, { lr, epochs: 4 }).metrics) as { val: { loss: number; accuracy: number } };
      const row = show.rows.find((x) => x.name === `q${i}`)!;
      expect(row.values['val.loss']).toBe(expected.val.loss);
      expect(row.values['val.accuracy']).toBe(expected.val.accuracy);
    }
    expect(p.json<StatusRow[]>('queue', 'status').map((x) => x.state)).toEqual(['success', 'success', 'success', 'success']);
    expect(p.dvcts('queue', 'logs', 'q2').expectOk().stdout).toMatch(/train[\s\S]*success/);
    expect(p.git('rev-parse', 'HEAD').trim()).toBe(head);
    expect(files.map((f) => p.read(f))).toEqual(workspace);
    expect(p.tempWorkspaces()).toEqual([]);
  });

  it('Ctrl-C puts running experiments back in the queue, with no temporary workspace left; queue kill marks one failed', async () => {
    p.write({ 'params.yaml': p.read('params.yaml').replace('epochs: 4', 'epochs: 8') });
    p.dvcts('exp', 'run', '--queue', '-S', 'train.lr=0.11', '-n', 'long-a').expectOk();
    p.dvcts('exp', 'run', '--queue', '-S', 'train.lr=0.12', '-n', 'long-b').expectOk();
    p.write({ 'params.yaml': workspace[0]! });
    const before = p.fitRuns().length;

    const first = p.start('queue', 'start', '-j', '2');
    await until('both to train', () => p.fitRuns().slice(before).filter((x) => x.epochs > 0).length === 2);
    process.kill(first.pid, 'SIGINT');
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('2 back in the queue');
    const states = (): Record<string, string> => Object.fromEntries(p.json<StatusRow[]>('queue', 'status').map((x) => [x.name, x.state]));
    expect(states()).toMatchObject({ 'long-a': 'queued', 'long-b': 'queued' });
    expect(p.tempWorkspaces()).toEqual([]);
    expect(Object.keys(p.refs())).not.toContain('long-a');
    expect(p.fitRuns().slice(before).map((x) => x.end)).toEqual([undefined, undefined]); // stopped, not waited for

    // Started again, the two interrupted ones run to the end; a third is killed while it trains.
    p.write({ 'params.yaml': p.read('params.yaml').replace('epochs: 4', 'epochs: 60') });
    p.dvcts('exp', 'run', '--queue', '-S', 'train.lr=0.13', '-n', 'long-c').expectOk();
    p.write({ 'params.yaml': workspace[0]! });
    const second = p.start('queue', 'start');
    await until('long-c to train', () => p.fitRuns().some((x) => x.lr === 0.13 && x.epochs > 0));
    expect(p.dvcts('queue', 'kill', 'q0').code).toBe(2); // finished: nothing to kill
    p.dvcts('queue', 'kill', 'long-c').expectOk();
    const killed = await second.done;
    expect(killed.code).toBe(1);
    expect(states()).toMatchObject({ 'long-a': 'success', 'long-b': 'success', 'long-c': 'failed' });
    expect(p.json<StatusRow[]>('queue', 'status').find((x) => x.name === 'long-c')!.reason).toMatch(/killed/);
    expect(Object.keys(p.refs()).sort()).toEqual(['long-a', 'long-b', 'q0', 'q1', 'q2', 'q3']);
    expect(p.fitRuns().find((x) => x.lr === 0.13)!.end).toBeUndefined(); // killed before its last epoch
    expect(p.tempWorkspaces()).toEqual([]);
    expect(p.git('rev-parse', 'HEAD').trim()).toBe(head);
  }, 120_000);
});
