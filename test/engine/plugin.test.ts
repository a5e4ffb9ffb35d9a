import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

/** The built library, as a program embedding dvcts would import it (built-ins run from dist). */
const api = await import(pathToFileURL(resolve(import.meta.dirname, '../../dist/api/index.js')).href);

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const shout = (version: string) => ({
  name: 'shout',
  version,
  description: 'Upper-cases a text file (a test-only built-in).',
  options: { type: 'object', properties: { suffix: { type: 'string', default: '!' } } },
  runner: pathToFileURL(resolve(import.meta.dirname, '../fixtures/plugin/shout-run.mjs')).href,
});

const PIPELINE = `stages:
  loud:
    uses: shout
    deps: [in.txt]
    outs: [out.txt]
    with: { suffix: '!!' }
`;

describe('a built-in registered by the caller', () => {
  it('is validated, runs in a worker, and is recorded with its version; unknown to the CLI', async () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'in.txt': 'hello\n' }));
    const bad = p.dvcts('repro');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error[E_UNKNOWN_BUILTIN]');

    const builtins = api.builtinRegistry([...api.builtins.values(), shout('7')]);
    const events: { type: string; line?: string }[] = [];
    const result = await api.repro({ cwd: p.root, builtins, onEvent: (e: { type: string }) => events.push(e) });
    expect(result.failed).toEqual([]);
    expect(p.read('out.txt')).toBe('HELLO!!\n');
    expect(events.filter((e) => e.type === 'stage-log').map((e) => e.line)).toEqual(['shouted 6 characters']);
    expect(p.read('pipelines/p.lock')).toMatch(/uses: shout\n\s+version: "?7"?\n/);

    expect((await api.status({ cwd: p.root, builtins })).stages[0].state).toBe('up-to-date');
    const bumped = await api.status({ cwd: p.root, builtins: api.builtinRegistry([shout('8')]) });
    expect(bumped.stages[0].reasons).toEqual([{ kind: 'version-changed', from: '7', to: '8' }]);
  });

  it("keeps a failing built-in's code, data and hint across the worker-thread boundary", async () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'in.txt': '  \n' }));
    const failures: unknown[] = [];
    const builtins = api.builtinRegistry([shout('7')]);
    const result = await api.repro({ cwd: p.root, builtins, onEvent: (e: { type: string; failure?: unknown }) => e.type === 'stage-failed' && failures.push(e.failure) });
    expect(result.failed).toEqual(['pipelines/p.yaml:loud']);
    expect(failures).toEqual([
      expect.objectContaining({ code: 'E_SHOUT_EMPTY', hint: 'write something to shout', data: { file: p.path('in.txt'), line: 1 } }),
    ]);
  });

  it('a registry refuses two built-ins with one name', () => {
    expect(() => api.builtinRegistry([shout('1'), shout('2')])).toThrow(/two built-ins are named "shout"/);
  });
});
