import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsck } from '../../src/api/fsck.js';
import { TempProject } from '../helpers/project.js';
import { contentDigests, killDelays, runAndKill, runToEnd, seededRandom } from './harness.js';

/**
 * SIGKILL at pseudo-random (seeded, reproducible) moments of `add` and `repro`. After every kill:
 * no corrupt or missing object (fsck), every pointer and lock file is whole YAML, and running
 * the command again converges to byte-identical data and metadata as an uninterrupted run.
 * Even iterations start from an empty cache (the store/hash paths), odd ones keep it (dedupe and
 * run-cache restore paths).
 */
const KILLS_PER_COMMAND = 12;

/** 300 small files in nested folders and one 4 MB file, all from a seeded generator. */
function datasetFiles(): Record<string, Buffer> {
  const random = seededRandom(42);
  const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 300; i++) files[`data/raw/shard${i % 7}/item${i}.bin`] = bytes(1024 + ((i * 97) % 4096));
  const block = bytes(64 * 1024);
  files['data/big.bin'] = Buffer.concat(Array.from({ length: 64 }, (_, i) => Buffer.concat([block.subarray(i), block.subarray(0, i)])));
  return files;
}

const PIPELINE = `stages:
  numbers:
    cmd: seq 1 400000 > work/numbers.txt
    deps: [data/seed.txt]
    outs: [work/numbers.txt]
  tagged:
    cmd: sed 's/$/,tag/' work/numbers.txt > work/tagged.txt
    deps: [work/numbers.txt]
    outs: [work/tagged.txt]
  parts:
    cmd: mkdir -p work/parts && split -l 40000 work/tagged.txt work/parts/part-
    deps: [work/tagged.txt]
    outs: [work/parts]
  filler:
    cmd: yes abcdefghijklmnopqrstuvwxyz | head -c 4000000 > work/filler.txt
    deps: [data/seed.txt]
    outs: [work/filler.txt]
`;

interface Scenario {
  readonly name: string;
  readonly args: readonly string[];
  readonly files: () => Record<string, string | Buffer>;
  /** Data and metadata compared with the reference after the command converges. */
  readonly compared: readonly string[];
  /** Puts the project back to "never ran", keeping the input data (and the cache when asked). */
  reset(p: TempProject, keepCache: boolean): void;
}

const ADD: Scenario = {
  name: 'add',
  args: ['add', 'data/raw', 'data/big.bin'],
  files: datasetFiles,
  compared: ['data'], // the data, both pointer files and .gitignore
  reset(p, keepCache) {
    for (const f of ['data/raw.dvcts', 'data/big.bin.dvcts', 'data/.gitignore']) rmSync(p.path(f), { force: true });
    if (!keepCache) wipeCache(p);
  },
};

const REPRO: Scenario = {
  name: 'repro',
  args: ['repro'],
  files: () => ({ 'data/seed.txt': 'seed 1\n', 'pipelines/p.yaml': PIPELINE }),
  compared: ['work', 'pipelines'],
  reset(p, keepCache) {
    for (const f of ['work', 'pipelines/p.lock']) rmSync(p.path(f), { recursive: true, force: true });
    if (!keepCache) wipeCache(p);
  },
};

function wipeCache(p: TempProject): void {
  for (const f of ['.dvcts/cache', '.dvcts/tmp/state']) rmSync(p.path(f), { recursive: true, force: true });
}

/** Every pointer and lock file that exists must be complete YAML (old or new, never half). */
function expectMetadataParses(p: TempProject): void {
  const candidates = ['data', 'pipelines'].flatMap((dir) =>
    existsSync(p.path(dir)) ? readdirSync(p.path(dir)).map((name) => `${dir}/${name}`) : [],
  );
  for (const file of candidates.filter((f) => f.endsWith('.dvcts') || f.endsWith('.lock'))) {
    const doc = parse(readFileSync(p.path(file), 'utf8')) as unknown;
    expect(doc, file).toBeTypeOf('object');
  }
}

describe.each([ADD, REPRO])('SIGKILL during $name', (scenario) => {
  let reference: TempProject;
  let project: TempProject;
  /**
   * Uninterrupted duration from an empty cache, and with the cache kept: the fastest of three, as
   * one run slowed by a busy machine spread the kills past the end of most runs.
   */
  const durationMs = { fresh: Infinity, kept: Infinity };
  beforeAll(() => {
    reference = TempProject.init(scenario.files());
    for (let i = 0; i < 3; i++) {
      scenario.reset(reference, false);
      durationMs.fresh = Math.min(durationMs.fresh, runToEnd(reference.root, scenario.args));
      scenario.reset(reference, true);
      durationMs.kept = Math.min(durationMs.kept, runToEnd(reference.root, scenario.args));
    }
    project = TempProject.init(scenario.files());
  });
  afterAll(() => {
    reference.cleanup();
    project.cleanup();
  });

  // 12 kills, each followed by fsck, a run to the end and fsck again: ~30 s alone, past the
  // default 60 s when the machine is shared by several test runs (main's tests time out too).
  it(`leaves a sound cache and converges after ${KILLS_PER_COMMAND} kills`, { timeout: 240_000 }, async () => {
    const expected = contentDigests(reference.root, scenario.compared).digests;
    const random = seededRandom(scenario.name === 'add' ? 7 : 11);
    // Half the kills per mode, each spread over that mode's own duration.
    const fresh = killDelays(KILLS_PER_COMMAND / 2, durationMs.fresh, random);
    const kept = killDelays(KILLS_PER_COMMAND / 2, durationMs.kept, random);
    let interrupted = 0;
    for (let i = 0; i < KILLS_PER_COMMAND; i++) {
      const keepCache = i % 2 === 1;
      const delay = (keepCache ? kept : fresh)[i >> 1]!;
      scenario.reset(project, keepCache);
      if (await runAndKill(project.root, scenario.args, delay)) interrupted++;
      const afterKill = await fsck({ cwd: project.root });
      expect({ delay, corrupt: afterKill.corrupt, missing: afterKill.missing, unreadable: afterKill.unreadable }).toEqual({
        delay,
        corrupt: [],
        missing: [],
        unreadable: [],
      });
      expectMetadataParses(project);

      runToEnd(project.root, scenario.args);
      const converged = contentDigests(project.root, scenario.compared);
      expect(converged.digests, `after the kill at ${delay} ms`).toEqual(expected);
      // Temp files of the killed writes are swept by the next run.
      expect(converged.litter, `after the kill at ${delay} ms`).toEqual([]);
      expect((await fsck({ cwd: project.root })).ok).toBe(true);
    }
    // Most kills must land while the command runs, or the test proves little.
    expect(interrupted).toBeGreaterThanOrEqual(KILLS_PER_COMMAND / 2);
  });
});
