import { describe, expect, it } from 'vitest';
import { load, where } from './helpers.js';

/** Loads one pipeline file and returns `CODE@range` for each diagnostic. */
async function diagnose(yaml: string, extra: Record<string, string> = {}): Promise<string[]> {
  const { diagnostics } = await load({ 'pipelines/p.yaml': yaml, ...extra });
  return diagnostics.map(where);
}

describe('pipeline diagnostics: codes and exact ranges', () => {
  it('E_UNKNOWN_KEY at the key, with did-you-mean, at top level, stage level and out options', async () => {
    const { diagnostics } = await load({
      'pipelines/p.yaml': 'stage:\n  x: 1\nstages:\n  clean:\n    cmd: x\n    dep: [a]\n    outs:\n      - o: { cach: false }\n',
    });
    expect(diagnostics.map(where)).toEqual(['E_UNKNOWN_KEY@1:1-1:6', 'E_UNKNOWN_KEY@6:5-6:8', 'E_UNKNOWN_KEY@8:14-8:18']);
    expect(diagnostics.map((d) => d.hint)).toEqual(['did you mean "stages"?', 'did you mean "deps"?', 'did you mean "cache"?']);
    expect(diagnostics[1]?.message).toBe('unknown key "dep" in stage "clean"');
  });

  it('E_TYPE at the value node', async () => {
    expect(await diagnose('stages:\n  s:\n    cmd: x\n    frozen: "yes"\n    deps: { a: 1 }\n    desc: [x]\n  t: just-a-string\n')).toEqual([
      'E_TYPE@5:11-5:19',
      'E_TYPE@6:11-6:14',
      'E_TYPE@4:13-4:18',
      'E_TYPE@7:6-7:19',
    ]);
  });

  it('E_CMD_USES for both and for neither, at the stage name', async () => {
    expect(await diagnose('stages:\n  both:\n    cmd: x\n    uses: copy\n    outs: [o]\n  neither:\n    deps: [a]\n')).toEqual([
      'E_CMD_USES@2:3-2:7',
      'E_CMD_USES@6:3-6:10',
    ]);
  });

  it('E_UNKNOWN_BUILTIN at the uses value, with did-you-mean', async () => {
    const { diagnostics } = await load({ 'pipelines/p.yaml': 'stages:\n  s:\n    uses: copi\n' });
    expect(diagnostics.map(where)).toEqual(['E_UNKNOWN_BUILTIN@3:11-3:15']);
    expect(diagnostics[0]?.hint).toBe('did you mean "copy"?');
  });

  it('E_WITH_WITHOUT_USES at the with key', async () => {
    expect(await diagnose('stages:\n  s:\n    cmd: x\n    with: { a: 1 }\n')).toEqual(['E_WITH_WITHOUT_USES@4:5-4:9']);
  });

  it('option problems from the schema (unknown key at the key, bad value at the value) and from check(), each with its own code', async () => {
    const { diagnostics } = await load({
      'pipelines/p.yaml': 'stages:\n  s:\n    uses: copy\n    outs: [o]\n    with: { mod: fast, level: 12 }\n  t:\n    uses: copy\n    outs: [a, b]\n    with: { mode: fats }\n  u:\n    uses: copy\n    outs: [a, b]\n',
    });
    expect(diagnostics.map(where)).toEqual(['E_OPTION_UNKNOWN@5:13-5:16', 'E_OPTION_VALUE@5:31-5:33', 'E_OPTION_VALUE@9:19-9:23', 'E_COPY_OUTS@11:11-11:15']);
    expect(diagnostics.map((d) => d.hint)).toEqual(['did you mean "mode"?', undefined, 'did you mean "fast"?', undefined]);
    expect(diagnostics[3]?.message).toContain('copy needs exactly one out, got 2');
  });

  it('E_DUPLICATE_STAGE at the second occurrence', async () => {
    expect(await diagnose('stages:\n  s:\n    cmd: x\n  s:\n    cmd: y\n')).toEqual(['E_DUPLICATE_STAGE@4:3-4:4']);
  });

  it('E_YAML at the syntax error position; the file is not validated further', async () => {
    expect(await diagnose('stages:\n  s:\n    cmd: [a, b\n    deps: x\n')).toEqual(['E_YAML@4:5-4:6']);
  });

  it('E_PATH_OUTSIDE for .. escaping the root and for absolute paths, at the node', async () => {
    expect(
      await diagnose('stages:\n  s:\n    cmd: x\n    deps: [../secret, /etc/passwd]\n    outs:\n      - sub/../../o: { cache: false }\n    wdir: ..\n'),
    ).toEqual(['E_PATH_OUTSIDE@7:11-7:13', 'E_PATH_OUTSIDE@4:12-4:21', 'E_PATH_OUTSIDE@4:23-4:34', 'E_PATH_OUTSIDE@6:9-6:20']);
  });

  it('E_DUPLICATE_OUT across outs, metrics and plots of one stage', async () => {
    expect(await diagnose('stages:\n  s:\n    cmd: x\n    outs: [a, ./b]\n    metrics: [b/]\n')).toEqual(['E_DUPLICATE_OUT@5:15-5:17']);
  });

  it('E_VARS_FILE, E_VARS_KEY, E_STAGE_NAME and E_PARAMS_FILE', async () => {
    expect(
      await diagnose('vars: [nope.yaml, v.yaml:zz, p.toml]\nstages:\n  a@b:\n    cmd: x\n  s:\n    cmd: x\n    params: [{ p.toml: [a] }]\n', { 'v.yaml': 'z: 1\n' }),
    ).toEqual(['E_VARS_FILE@1:8-1:17', 'E_VARS_KEY@1:19-1:28', 'E_VARS_FILE@1:30-1:36', 'E_STAGE_NAME@3:3-3:6', 'E_PARAMS_FILE@7:16-7:22']);
  });

  it('E_YAML in a params file points into that file', async () => {
    const { diagnostics } = await load({ 'params.yaml': 'a: [1\n', 'pipelines/p.yaml': 'stages: {}\n' });
    expect(diagnostics.map((d) => d.range?.file)).toEqual(['params.yaml']);
  });

  it('collects ALL errors of a file, of different kinds', async () => {
    const yaml = `stages:
  decode:
    uses: copy
    deps: [../raw.csv]
    outs: [o.csv]
    with: { mode: turbo }
  train:
    cmd: python train.py --lr \${train.lr}
    outs: [m.bin, m.bin]
    dep: [x]
  eval:
    uses: evaluate
`;
    expect(await diagnose(yaml)).toEqual([
      'E_PATH_OUTSIDE@4:12-4:22',
      'E_OPTION_VALUE@6:19-6:24',
      'E_UNKNOWN_KEY@10:5-10:8',
      'E_DUPLICATE_OUT@9:19-9:24',
      'E_INTERP_MISSING@8:31-8:42',
      'E_UNKNOWN_BUILTIN@12:11-12:19',
    ]);
  });

  it('never throws, even for a missing file or a non-mapping document', async () => {
    expect((await load({}, { files: ['pipelines/missing.yaml'] })).diagnostics.map(where)).toEqual(['E_FILE_NOT_FOUND@-']);
    expect(await diagnose('- a\n- b\n')).toEqual(['E_TYPE@1:1-3:1']);
  });
});
