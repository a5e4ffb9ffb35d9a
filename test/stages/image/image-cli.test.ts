import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeLog } from '../../../src/cache/item-log.js';
import { CLI, TempProject } from '../../helpers/project.js';
import { scene } from './helpers.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const PIPELINE = (withOptions: object) => `stages:
  images:
    uses: image
    deps: [raw]
    outs: [datasets/images]
    metrics: [reports/images.json]
    with: ${JSON.stringify(withOptions)}
  split:
    uses: split
    deps: [datasets/images/manifest.csv]
    outs: [datasets/splits]
    metrics: [reports/split.json]
    with: { ratios: { train: 0.5, val: 0.25, test: 0.25 }, seed: 3, stratify: label, group: source }
`;
const AUGMENT = { ops: [{ normalize: { width: 24, height: 24 } }, { jitter: { p: 1 } }, { flip: {} }], copies: 1, seed: 5 };

/** `n` distinct small scenes per label, as JPEG. */
async function images(p: TempProject, perLabel: Record<string, number>, offset = 0): Promise<void> {
  for (const [label, n] of Object.entries(perLabel)) {
    for (let i = 0; i < n; i++) p.write({ [`raw/${label}/${String(i + offset).padStart(3, '0')}.jpg`]: await scene(64 + i, 48, (i * 37 + label.length * 90) % 360) });
  }
}

function report(p: TempProject): { processed: number; reused: number; removed: number; sources: number; images_out: number } {
  return JSON.parse(p.read('reports/images.json'));
}

/** Output images computed so far: the memo holds one `{"id":...}` record per computed output. */
function computedOutputs(p: TempProject): number {
  const values = [...decodeLog(readFileSync(p.path('.dvcts/cache/items/image.log'))).entries.values()];
  return values.filter((v) => v.toString('utf8').startsWith('{"id":')).length;
}

describe('image stage from the CLI', () => {
  it('processes only what changed: add 1 -> 1, delete 1 -> its outputs and rows go, ops or seed change -> all', async () => {
    project = TempProject.init({ 'pipelines/images.yaml': PIPELINE(AUGMENT) });
    await images(project, { cat: 6, dog: 6 });
    project.dvcts('repro', 'images').expectOk();
    expect(report(project)).toMatchObject({ sources: 12, processed: 12, reused: 0, removed: 0, images_out: 24 });
    expect(computedOutputs(project)).toBe(24);

    const kept = statSync(project.path('datasets/images/cat/001.c1.png')).ino;
    await images(project, { dog: 1 }, 100); // dog/100.jpg
    const added = project.dvcts('repro', 'images').expectOk();
    expect(statSync(project.path('datasets/images/cat/001.c1.png')).ino).toBe(kept); // the same file, not written again
    expect(added.stderr).toContain('13 source images: 1 processed, 12 reused from the cache, 0 removed since the last run'); // a stage's log goes to stderr
    expect(report(project)).toMatchObject({ sources: 13, processed: 1, reused: 12, removed: 0, images_out: 26 });
    expect(computedOutputs(project)).toBe(26); // its 2 outputs only
    expect(project.read('datasets/images/manifest.csv')).toContain('dog/100.c1.png,dog,dog/100.jpg,1,24,24');

    rmSync(project.path('raw/cat/002.jpg'));
    project.dvcts('repro', 'images').expectOk();
    expect(report(project)).toMatchObject({ sources: 12, processed: 0, reused: 12, removed: 1, images_out: 24 });
    expect(project.read('datasets/images/manifest.csv')).not.toContain('cat/002');
    expect(readdirSync(project.path('datasets/images/cat')).filter((f) => f.startsWith('002'))).toEqual([]);

    const before = project.read('datasets/images/manifest.csv');
    const copy1 = readFileSync(project.path('datasets/images/dog/003.c1.png'));
    project.write({ 'pipelines/images.yaml': PIPELINE({ ...AUGMENT, seed: 6 }) });
    project.dvcts('repro', 'images').expectOk();
    expect(report(project)).toMatchObject({ sources: 12, processed: 12, reused: 0, removed: 0 });
    expect(readFileSync(project.path('datasets/images/dog/003.c1.png')).equals(copy1)).toBe(false); // new randomness
    expect(project.read('datasets/images/manifest.csv')).toBe(before); // same names and sizes

    project.write({ 'pipelines/images.yaml': PIPELINE({ ...AUGMENT, seed: 6, ops: [...AUGMENT.ops, { rotate: { degrees: 10 } }] }) });
    project.dvcts('repro', 'images').expectOk();
    expect(report(project)).toMatchObject({ sources: 12, processed: 12, reused: 0 });

    // a no-op rerun does not even start the stage
    expect(project.dvcts('repro', 'images').expectOk().ran).toEqual([]);
  });

  it('image -> split stratified by label, copies of a source kept together', async () => {
    project = TempProject.init({ 'pipelines/images.yaml': PIPELINE(AUGMENT) });
    await images(project, { cat: 8, dog: 4 });
    project.dvcts('repro').expectOk();
    const rows = (split: string) => project!.read(`datasets/splits/${split}.csv`).trim().split('\n').slice(1).map((l) => l.split(','));
    // By hand: 8 cat sources -> 4 / 2 / 2, 4 dog sources -> 2 / 1 / 1; two images (copy 0 and 1) per source.
    const counts = Object.fromEntries(['train', 'val', 'test'].map((s) => [s, { cat: 0, dog: 0 }]));
    for (const s of ['train', 'val', 'test']) for (const r of rows(s)) counts[s]![r[1] as 'cat' | 'dog']++;
    expect(counts).toEqual({ train: { cat: 8, dog: 4 }, val: { cat: 4, dog: 2 }, test: { cat: 4, dog: 2 } });
    // every image of one source file (known from its name, cat/003.c1.png -> cat/003) in one split
    const splitOfSource = new Map<string, string>();
    for (const s of ['train', 'val', 'test']) {
      for (const r of rows(s)) {
        const source = (r[0] as string).replace(/\.c\d+\.png$/, '');
        expect(r[2]).toBe(`${source}.jpg`);
        expect(splitOfSource.get(source) ?? s).toBe(s);
        splitOfSource.set(source, s);
      }
    }
    expect(splitOfSource.size).toBe(12);
  });

  it('reports bad options at their YAML line before anything runs', () => {
    project = TempProject.init({
      'pipelines/bad.yaml': [
        'stages:',
        '  a:',
        '    uses: image',
        '    deps: [raw]',
        '    outs: [out-a]',
        '    with:',
        '      ops:',
        '        - { normalize: { width: 32 }, crop: { width: 8, height: 8 } }',
        '        - jiter: {}',
        '        - jitter: { hue: 0.7 }',
        '  b:',
        '    uses: image',
        '    deps: [raw]',
        '    outs: [out-b]',
        '    with:',
        '      ops: [{ jitter: { brightness: [1.5, 0.5] } }]',
        '      copies: 0',
        '      keep_original: false',
        '      quality: 80',
        '  c:',
        '    uses: image',
        '    deps: [raw]',
        '    outs: [out-c]',
        '    with: { ops: [{ normalize: { width: 8 } }], copies: 2, images: elsewhere }',
        '',
      ].join('\n'),
    });
    const run = project.dvcts('status');
    expect(run.code).toBe(2);
    // position and code of each problem, worked out by hand from the YAML above
    const errors = [...run.stderr.matchAll(/^pipelines\/bad\.yaml:(\d+:\d+): error\[(E_\w+)\]/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(errors).toEqual([
      '8:11 E_OPTION_VALUE', // two ops in one item
      '9:11 E_OPTION_UNKNOWN', // jiter
      '10:26 E_OPTION_VALUE', // hue 0.7 > 0.5
      '16:37 E_IMAGE_RANGE', // [1.5, 0.5]
      '17:15 E_IMAGE_NO_OUTPUT',
      '19:16 E_OPTION_UNUSED', // quality with png
      '24:11 E_IMAGE_ARITY', // images: needs a second dep
      '24:57 E_IMAGE_NO_RANDOM_OP',
      '24:68 E_OPTION_FILE_NOT_DEP',
    ]);
    expect(run.stderr).toContain('"ops[2].jitter.hue" must be <= 0.5, got 0.7');
    expect(run.stderr).toContain('hint: did you mean "jitter"?');
  });

  it('shows a progress bar on a terminal and no control codes in a pipe', async () => {
    project = TempProject.init({ 'pipelines/images.yaml': PIPELINE({ ops: [{ normalize: { width: 256, height: 256 } }], concurrency: 1 }) });
    for (let i = 0; i < 30; i++) project.write({ [`raw/x/${i}.jpg`]: await scene(800, 600, i * 11) });
    // `script` runs the command on a pseudo-terminal (util-linux, in every Debian).
    const tty = spawnSync('script', ['-qec', `${process.execPath} ${CLI} repro images`, '/dev/null'], { cwd: project.root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(/images \[[=-]+\] \d+\/30 images \| [\d.]+\/s \| ETA \d+s/);
    rmSync(project.path('.dvcts/cache'), { recursive: true });
    writeFileSync(project.path('raw/x/extra.jpg'), await scene(100, 100, 1));
    const piped = project.dvcts('repro', 'images').expectOk();
    expect(piped.stdout + piped.stderr).not.toContain('\x1b[');
    expect(piped.stderr).not.toMatch(/\/31 images/); // a short run prints no periodic line
  });
});
