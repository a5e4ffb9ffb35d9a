import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsedCopy } from '../../src/pipeline/parsed-copy.js';
import { TempProject } from '../helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

/** A parse that counts its calls: what `parsedCopy` answers without it came from the copy. */
function counting<T>(value: T): { parse: () => Promise<T>; calls: () => number } {
  let calls = 0;
  return { parse: async () => (calls++, value), calls: () => calls };
}

describe('parsed copies', () => {
  it('answer only the exact text they were made from; a damaged copy, a failed parse or a value JSON cannot hold is parsed again', async () => {
    project = new TempProject();
    const root = project.root;
    const first = counting({ a: [1, 'x'] });
    expect(await parsedCopy(root, 'k', 'dir/f.yaml', 'a: [1, x]\n', first.parse)).toEqual({ a: [1, 'x'] });
    expect(await parsedCopy(root, 'k', 'dir/f.yaml', 'a: [1, x]\n', first.parse)).toEqual({ a: [1, 'x'] });
    expect(first.calls()).toBe(1);
    // One byte more (a trailing space) is another text.
    const edited = counting({ a: [2] });
    expect(await parsedCopy(root, 'k', 'dir/f.yaml', 'a: [1, x] \n', edited.parse)).toEqual({ a: [2] });
    expect(edited.calls()).toBe(1);
    // Another kind of parse of the same file has its own copy.
    const otherKind = counting(['names']);
    expect(await parsedCopy(root, 'other', 'dir/f.yaml', 'a: [1, x] \n', otherKind.parse)).toEqual(['names']);
    expect(otherKind.calls()).toBe(1);
    const parsedDir = join(root, '.dvcts', 'tmp', 'parsed');
    for (const name of readdirSync(parsedDir)) writeFileSync(join(parsedDir, name), '{"text": "a: [1, x] \\n", "val');
    const afterDamage = counting({ a: [3] });
    expect(await parsedCopy(root, 'k', 'dir/f.yaml', 'a: [1, x] \n', afterDamage.parse)).toEqual({ a: [3] });
    expect(afterDamage.calls()).toBe(1);
    await expect(parsedCopy(root, 'k', 'bad.yaml', 'x', () => Promise.reject(new Error('invalid')))).rejects.toThrow('invalid');
    const afterFailure = counting('ok');
    await parsedCopy(root, 'k', 'bad.yaml', 'x', afterFailure.parse);
    expect(afterFailure.calls()).toBe(1);
    const nan = counting({ v: Number.NaN });
    await parsedCopy(root, 'k', 'nan.yaml', 'v: .nan', nan.parse);
    expect(Object.is((await parsedCopy(root, 'k', 'nan.yaml', 'v: .nan', nan.parse)).v, Number.NaN)).toBe(true);
    expect(nan.calls()).toBe(2);
  });

  it('keep the text as it is, so a text with line breaks and non-ASCII characters is answered from its copy', async () => {
    project = new TempProject();
    const root = project.root;
    // 'é' is 2 bytes in UTF-8 and '😀' 4 (two UTF-16 units): the length kept counts bytes.
    const text = 'name: "é😀"\nitems: [a, "b\\n"]\n';
    const first = counting({ name: 'é😀', items: ['a', 'b\n'] });
    await parsedCopy(root, 'k', 'f.yaml', text, first.parse);
    expect(await parsedCopy(root, 'k', 'f.yaml', text, first.parse)).toEqual({ name: 'é😀', items: ['a', 'b\n'] });
    expect(first.calls()).toBe(1);
    // The layout, written by hand: a line naming it, the text's length in UTF-8 bytes (30 UTF-16
    // units: 11 + 1 + 17 + 1; 'é' takes one byte more, '😀' two more: 33), the text unescaped, the value.
    const [name] = readdirSync(join(root, '.dvcts', 'tmp', 'parsed'));
    const copy = readFileSync(join(root, '.dvcts', 'tmp', 'parsed', name!), 'utf8');
    expect(copy).toBe(`dvcts-parsed-copy 3\n33\n${text}{"name":"é😀","items":["a","b\\n"]}`);
    // Same length, one character changed: parsed again.
    const changed = counting({ other: true });
    expect(await parsedCopy(root, 'k', 'f.yaml', text.replace('a,', 'c,'), changed.parse)).toEqual({ other: true });
    expect(changed.calls()).toBe(1);
  });

  it('never hide an edit of a pointer or the config from status, and a copy that cannot be kept changes nothing', () => {
    project = TempProject.init({ 'data/a.txt': 'one\n' });
    project.dvcts('add', 'data').expectOk();
    expect(project.dvcts('status').expectOk().stdout).toContain('up to date'); // copies made
    const pointer = project.read('data.dvcts');
    project.write({ 'data.dvcts': pointer.replace(/id: [0-9a-f]{32}\.dir/, 'id: 00000000000000000000000000000000.dir') });
    expect(project.dvcts('status').stdout).toContain('data');
    expect(project.dvcts('status').stdout).not.toContain('up to date');
    project.write({ 'data.dvcts': pointer.replace('  size:', '  size: [oops\n  x:') });
    const broken = project.dvcts('status');
    expect(broken.stderr + broken.stdout).toMatch(/E_POINTER_INVALID|data\.dvcts:\d+:\d+/);
    project.write({ 'data.dvcts': pointer });
    expect(project.dvcts('status').expectOk().stdout).toContain('up to date');
    project.write({ '.dvcts/config.yaml': 'cache:\n  type: [hardlnk]\n' });
    const badConfig = project.dvcts('status');
    expect(badConfig.code).not.toBe(0);
    expect(badConfig.stderr).toContain('.dvcts/config.yaml');
    // No parsed/ folder can be made (a file stands there): everything still works, from the texts.
    project.write({ '.dvcts/config.yaml': 'cache:\n  type: [copy]\n' });
    rmSync(project.path('.dvcts/tmp/parsed'), { recursive: true, force: true });
    project.write({ '.dvcts/tmp/parsed': 'not a folder' });
    expect(project.dvcts('status').expectOk().stdout).toContain('up to date');
  });
});
