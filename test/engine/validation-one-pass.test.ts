import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

/** `file:line:col: error[CODE]` headers of a rendered diagnostics list, in order. */
function headers(stderr: string): string[] {
  return [...stderr.matchAll(/^(\S+:\d+:\d+): error\[(\w+)\]/gm)].map((m) => `${m[1]} ${m[2]}`);
}

// Each problem below used to hide another, or was found only while running. Lines and columns
// are counted by hand in this text (line 1 is `stages:`).
const PIPELINE = `stages:
  ratios:
    uses: split
    deps: [data/in.csv]
    outs: [out/split/]
    with: { ratios: { train: 0.5, test: 0.6 }, seed: "\${split.sed}" }
  unknown:
    uses: nosuchbuiltin
    deps: [data/in.csv]
    outs: [out/x.csv]
  writer:
    cmd: echo hi > out/x.csv
    deps: [data/in.csv]
    outs: [out/x.csv]
  loop:
    cmd: cat loop.txt > loop.txt
    deps: [loop.txt]
    outs: [loop.txt]
  outside:
    uses: dropna
    deps: [data/in.csv]
    outs: [../outside.csv]
  missing:
    cmd: cat data/in.cs > out/y
    deps: [data/in.cs]
    outs: [out/y]
    params: [split.sede]
  fine:
    cmd: cp data/in.csv out/fine.csv
    deps: [data/in.csv]
    outs: [out/fine.csv]
`;

describe('validation finds every problem before anything runs, in one pass', () => {
  it('reports each case at its file:line:col with a hint, exits 2, runs nothing', () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'params.yaml': 'split: { seed: 1 }\n', 'data/in.csv': 'a,b\n1,2\n' }));
    const r = p.dvcts('repro');
    expect(r.code).toBe(2);
    expect(headers(r.stderr)).toEqual([
      // an interpolation error no longer hides the ratios-sum error of the same stage
      'pipelines/p.yaml:6:21 E_SPLIT_RATIOS_SUM',
      'pipelines/p.yaml:6:55 E_INTERP_MISSING',
      // an unknown built-in no longer hides that two stages write one output
      'pipelines/p.yaml:8:11 E_UNKNOWN_BUILTIN',
      'pipelines/p.yaml:10:12 E_OUT_CONFLICT',
      // a stage reading its own output is a cycle, not a run-time E_DEP_MISSING
      'pipelines/p.yaml:17:12 E_CYCLE',
      // an output outside the project: that error only (no false "got 1 and 0" arity error)
      'pipelines/p.yaml:22:12 E_PATH_OUTSIDE',
      // a dep that exists nowhere, and a param params.yaml lacks: found before running
      'pipelines/p.yaml:25:12 E_DEP_MISSING',
      'pipelines/p.yaml:27:14 E_PARAM_MISSING',
    ]);
    expect(r.stderr).not.toContain('E_DROPNA_ARITY');
    expect(r.stderr).toContain('hint: did you mean "${split.seed}"?');
    expect(r.stderr).toContain('hint: did you mean "data/in.csv"?');
    expect(r.stderr).toContain('hint: did you mean "split.seed"?');
    expect(r.stderr).toContain('8 error(s); nothing was run.');
    expect(r.stdout).toBe('');
    expect(existsSync(p.path('out'))).toBe(false); // not even the valid stage ran
    expect(existsSync(p.path('pipelines/p.lock'))).toBe(false);
  });

  it('a dep inside or around its own output folder is a cycle too', () => {
    const p = (project = TempProject.init({
      'pipelines/p.yaml': `stages:
  inside:
    cmd: mkdir -p a && date > a/x
    deps: [a/x]
    outs: [a]
  around:
    cmd: mkdir -p b/c && date > b/c/y
    deps: [b]
    outs: [b/c]
`,
    }));
    const r = p.dvcts('repro');
    expect(r.code).toBe(2);
    expect(headers(r.stderr)).toEqual(['pipelines/p.yaml:4:12 E_CYCLE', 'pipelines/p.yaml:8:12 E_CYCLE']);
    expect(r.stderr).toContain('dependency "a/x" of stage "inside" lies inside its own output "a"');
    expect(r.stderr).toContain('dependency "b" of stage "around" contains its own output "b/c"');
  });

  it('a missing dep that add tracks points at its pointer file; deps of other stages than the target are not required', () => {
    const p = (project = TempProject.init({
      'pipelines/p.yaml': `stages:
  use:
    cmd: cat raw/x.txt > y.txt
    deps: [raw/x.txt]
    outs: [y.txt]
  other:
    cmd: cat nowhere.txt > z.txt
    deps: [nowhere.txt]
    outs: [z.txt]
`,
      'raw/x.txt': 'x\n',
    }));
    p.dvcts('add', 'raw').expectOk();
    p.sh('rm -r raw');
    const r = p.dvcts('repro', 'use');
    expect(r.code).toBe(2);
    expect(headers(r.stderr)).toEqual(['pipelines/p.yaml:4:12 E_DEP_MISSING']);
    expect(r.stderr).toContain('hint: it is tracked by raw.dvcts: `dvcts checkout raw.dvcts` puts the data back');
    p.dvcts('checkout', 'raw.dvcts').expectOk();
    p.dvcts('repro', 'use').expectOk();
    expect(p.read('y.txt')).toBe('x\n');
  });

  it('a declared param in a params file that does not exist', () => {
    const p = (project = TempProject.init({
      'pipelines/p.yaml': `stages:
  train:
    cmd: echo > m.txt
    params: [{ custom.yaml: [lr] }]
    outs: [m.txt]
`,
    }));
    const r = p.dvcts('status');
    expect(r.code).toBe(2);
    expect(headers(r.stderr)).toEqual(['pipelines/p.yaml:4:30 E_PARAM_MISSING']);
    expect(r.stderr).toContain('params file "custom.yaml" does not exist');
  });
});
