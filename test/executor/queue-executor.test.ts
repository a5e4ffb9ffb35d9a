import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';
import { filesBelow } from '../remote/project.js';
import { Cluster } from './cluster.js';
import { startQueueRepro } from './queue-run.js';

// Each test: the same project run locally and on `dvcts worker` processes through a real
// redis-server and a folder remote. What the local run writes is the expected value.

const STAGES = 30;

/** A foreach of 30 stages (a script and params among their deps) and a stage joining them. */
function foreachProject(): Record<string, string> {
  const items = Array.from({ length: STAGES }, (_, i) => i);
  const joinDeps = items.map((i) => `      - out/part-${i}.txt`).join('\n');
  return {
    'params.yaml': 'tag:\n  prefix: row\n',
    'data/in.txt': 'alpha\nbeta\ngamma\n',
    'scripts/tag.sh': '#!/bin/sh\n# tag.sh ITEM PREFIX: numbers the lines of data/in.txt\nmkdir -p out\nawk -v k="$1" -v p="$2" \'{ print p "-" k ": " NR " " $0 }\' data/in.txt > "out/part-$1.txt"\necho "tagged $1"\n',
    'pipelines/fan.yaml': `stages:
  tag:
    foreach: [${items.join(', ')}]
    do:
      cmd: sh scripts/tag.sh \${item} \${tag.prefix}
      deps: [scripts/tag.sh, data/in.txt]
      params: [tag.prefix]
      outs: ["out/part-\${item}.txt"]
  total:
    cmd: cat out/part-*.txt | sort > total.txt && wc -l < total.txt > count.txt
    deps:
${joinDeps}
    outs: [total.txt]
    metrics:
      - count.txt:
          cache: false
`,
  };
}

/** Outputs and lock files of a project: what must be identical between a local and a queue run. */
function results(p: TempProject): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const dir of ['out', 'pipelines']) {
    if (existsSync(p.path(dir))) for (const [path, bytes] of filesBelow(p.path(dir))) out.set(`${dir}/${path}`, bytes);
  }
  for (const file of ['total.txt', 'count.txt', 'slow.txt', 'all.txt']) if (existsSync(p.path(file))) out.set(file, readFileSync(p.path(file)));
  return out;
}

function localRun(files: Record<string, string>): Map<string, Buffer> {
  const p = TempProject.init(files);
  try {
    p.dvcts('repro').expectOk();
    return results(p);
  } finally {
    p.cleanup();
  }
}

function queueProject(cluster: Cluster, files: Record<string, string>): TempProject {
  const p = TempProject.init(files);
  mkdirSync(cluster.remote, { recursive: true });
  p.dvcts('remote', 'add', '--default', 'shared', cluster.remote).expectOk();
  return p;
}

async function until(what: string, ready: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('repro --executor queue on 3 workers', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await Cluster.start(3);
    await cluster.ready();
  });
  afterAll(async () => cluster?.stop());

  it('runs a 30-stage foreach DAG on the workers with outputs and lock files identical to a local repro', async () => {
    const files = foreachProject();
    const expected = localRun(files);
    const p = queueProject(cluster, files);
    try {
      const run = await startQueueRepro(p, cluster, '--jobs', '6').done;
      expect(run.code, run.stderr).toBe(0);
      expect(results(p)).toEqual(expected);
      // Every stage ran on a worker (no input reached a worker except through the remote), and
      // the work was shared: each of the three workers took some of it.
      expect([...run.stderr.matchAll(/^\[tag@\d+@w\d\] tagged \d+$/gm)]).toHaveLength(STAGES);
      for (const w of cluster.workers) expect(w.jobsStarted, w.name).toBeGreaterThan(0);
      // Up to date afterwards: nothing runs again.
      expect(p.dvcts('status').expectOk().stdout).not.toMatch(/changed|never run/);
    } finally {
      p.cleanup();
    }
  }, 180_000);
});

const SLOW_PROJECT = {
  'data/in.txt': 'one\ntwo\n',
  'pipelines/slow.yaml': `stages:
  slow:
    cmd: echo started && sleep 4 && tr a-z A-Z < data/in.txt > slow.txt && echo finished
    deps: [data/in.txt]
    outs: [slow.txt]
`,
};

describe('failures on the queue', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await Cluster.start(2);
    await cluster.ready();
  });
  afterAll(async () => cluster?.stop());

  it('a worker SIGKILLed mid-job loses the job to another worker (stalled-job check): same outputs, recorded once', async () => {
    const expected = localRun(SLOW_PROJECT);
    const p = queueProject(cluster, SLOW_PROJECT);
    try {
      const run = startQueueRepro(p, cluster);
      await until('a worker to start the stage', () => /\[slow@w\d\] started/.test(run.stderr()));
      const first = cluster.workers.find((w) => w.jobsStarted > 0)!;
      await first.kill('SIGKILL');
      const other = cluster.workers.find((w) => w !== first)!;
      const result = await run.done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`the run on worker ${first.name} stopped; the job went to worker ${other.name}`);
      expect(results(p)).toEqual(expected);
      expect([...result.stderr.matchAll(/^Stage 'slow' done/gm)]).toHaveLength(1);
      expect(runCacheRecords(cluster.remote)).toHaveLength(1);
      cluster.addWorker(`${first.name}-again`);
    } finally {
      p.cleanup();
    }
  }, 120_000);

  it('a worker sent SIGTERM mid-job finishes the job, then exits 0', async () => {
    const p = queueProject(cluster, { ...SLOW_PROJECT, 'data/in.txt': 'three\n' });
    try {
      await cluster.ready();
      const logSoFar = new Map(cluster.workers.map((w) => [w, w.log.length]));
      const run = startQueueRepro(p, cluster);
      await until('a worker to start the stage', () => /\[slow@[\w-]+\] started/.test(run.stderr()));
      const busy = cluster.workers.find((w) => !w.killed && w.log.slice(logSoFar.get(w)).includes(': stage '))!;
      const exited = new Promise<number | null>((done) => busy.child.once('exit', (code) => done(code)));
      busy.child.kill('SIGTERM');
      const result = await run.done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/the run on worker .* stopped/); // not handed to another worker
      expect(await exited).toBe(0);
      expect(busy.log).toMatch(/finishing the running jobs[\s\S]*: done in[\s\S]*stopped/);
      expect(p.read('slow.txt')).toBe('THREE\n');
      busy.killed = true;
      cluster.addWorker(`${busy.name}-next`);
    } finally {
      p.cleanup();
    }
  }, 120_000);

  it('a coordinator SIGKILLed and rerun restores the stages the workers finished from the remote run-cache', async () => {
    const files = {
      'data/in.txt': 'x\n',
      'pipelines/four.yaml': `stages:
  part:
    foreach: [a, b, c, d]
    do:
      cmd: sleep 1 && mkdir -p out && echo \${item} > out/\${item}.txt
      deps: [data/in.txt]
      outs: ["out/\${item}.txt"]
`,
    };
    const expected = localRun(files);
    const p = queueProject(cluster, files);
    try {
      await cluster.ready();
      const before = cluster.workers.map((w) => w.log.length);
      const since = (re: RegExp) => cluster.workers.reduce((n, w, i) => n + [...w.log.slice(before[i]).matchAll(re)].length, 0);
      // Killed while two jobs run on the workers: they finish there and record their runs on the remote.
      const first = startQueueRepro(p, cluster, '--jobs', '2');
      await until('two jobs running on workers', () => since(/: stage /g) >= 2);
      first.child.kill('SIGKILL');
      await first.done;
      await until('the two jobs finished', () => since(/: done in/g) >= 2);
      const again = await startQueueRepro(p, cluster).done;
      expect(again.code, again.stderr).toBe(0);
      const restored = [...again.stderr.matchAll(/^Stage '(part@\w)' restored from the run-cache/gm)].map((m) => m[1]);
      expect(restored, again.stderr).toHaveLength(2);
      expect(again.stderr.match(/^Running stage/gm), again.stderr).toHaveLength(2);
      expect(results(p)).toEqual(expected);
    } finally {
      p.cleanup();
    }
  }, 120_000);
});

/** The run-cache records on a folder remote. */
function runCacheRecords(remote: string): string[] {
  const dir = join(remote, 'runs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((prefix) => readdirSync(join(dir, prefix)).map((rest) => prefix + rest));
}
