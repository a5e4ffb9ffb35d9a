import { describe, expect, it } from 'vitest';
import { ParamsReader, readParam } from '../../src/pipeline/params.js';
import { makeProject } from './helpers.js';

describe('readParam / ParamsReader', () => {
  it('reads dotted and indexed keys, a whole file, and undefined for missing ones', async () => {
    const root = await makeProject({ 'params.yaml': 'train:\n  lr: 0.1\n  layers: [{ n: 8 }]\n', 'p.json': '{"a": {"b": [1, 2]}}' });
    expect(await readParam(root, { file: 'params.yaml', key: 'train.lr' })).toBe(0.1);
    expect(await readParam(root, { file: 'params.yaml', key: 'train.layers[0].n' })).toBe(8);
    expect(await readParam(root, { file: 'p.json', key: 'a.b.1' })).toBe(2);
    expect(await readParam(root, { file: 'p.json' })).toEqual({ a: { b: [1, 2] } });
    expect(await readParam(root, { file: 'params.yaml', key: 'train.nope' })).toBeUndefined();
    expect(await readParam(root, { file: 'missing.yaml', key: 'a' })).toBeUndefined();
  });

  it('parses each file once per reader', async () => {
    const root = await makeProject({ 'params.yaml': 'a: 1\n' });
    const reader = new ParamsReader(root);
    expect(await reader.read({ file: 'params.yaml', key: 'a' })).toBe(1);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${root}/params.yaml`, 'a: 2\n');
    expect(await reader.read({ file: 'params.yaml', key: 'a' })).toBe(1);
    expect(await new ParamsReader(root).read({ file: 'params.yaml', key: 'a' })).toBe(2);
  });

  it('throws E_PARAMS_INVALID for a file that is not YAML', async () => {
    const root = await makeProject({ 'params.yaml': 'a: [1\n' });
    await expect(readParam(root, { file: 'params.yaml', key: 'a' })).rejects.toMatchObject({ code: 'E_PARAMS_INVALID', data: { file: 'params.yaml' } });
  });
});
