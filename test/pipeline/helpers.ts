import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostics.js';
import { loadProject, type LoadedProject, type LoadOptions } from '../../src/pipeline/load.js';
import type { BuiltinDefinition } from '../../src/core/builtin.js';

const created: string[] = [];

afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A temp project holding `files` (project-relative path -> text); removed after the test. */
export async function makeProject(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'dvcts-pipeline-'));
  created.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/** A tiny built-in for tests: `copy` with a closed option schema and a check() on outs. */
export const copyBuiltin: BuiltinDefinition<{ mode: string; level: number; columns: string[]; ratios?: Record<string, number> }> = {
  name: 'copy',
  version: '1',
  description: 'Copies its dep to its out.',
  options: {
    type: 'object',
    properties: {
      mode: { type: 'string', enum: ['fast', 'safe'], default: 'safe', description: 'How to copy.' },
      level: { type: 'integer', minimum: 0, maximum: 9, default: 1 },
      columns: { type: 'array', items: { type: 'string' }, default: [] },
      ratios: { type: 'object', additionalProperties: { type: 'number' } },
    },
  },
  check(options, stage) {
    return stage.outs.length === 1 ? [] : [{ code: 'E_COPY_OUTS', path: [], message: `copy needs exactly one out, got ${stage.outs.length}` }];
  },
  async load() {
    return { async run() {} };
  },
};

export const testBuiltins: ReadonlyMap<string, BuiltinDefinition<any>> = new Map([[copyBuiltin.name, copyBuiltin]]);

export async function load(files: Record<string, string>, opts: LoadOptions = {}): Promise<LoadedProject> {
  const root = await makeProject(files);
  return loadProject(root, { builtins: testBuiltins, ...opts });
}

/** `CODE@line:col-endLine:endCol` — compact, exact ranges for assertions. */
export function where(d: Diagnostic): string {
  const r = d.range;
  return r ? `${d.code}@${r.line}:${r.col}-${r.endLine}:${r.endCol}` : `${d.code}@-`;
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}
