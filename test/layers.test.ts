import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers } from '../scripts/check-layers.mjs';

const SRC = resolve(import.meta.dirname, '../src');

let fake: string | undefined;
afterEach(() => fake && rmSync(fake, { recursive: true, force: true }));

/** A fake src/ tree: path -> file text. */
function fakeSrc(files: Record<string, string>): string {
  fake = mkdtempSync(join(tmpdir(), 'dvcts-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(fake, path)), { recursive: true });
    writeFileSync(join(fake, path), text);
  }
  return fake;
}

describe('folder layering (DESIGN.md module layout)', () => {
  it('src/ has no import pointing up the layer order, hence no folder-level cycle', () => {
    expect(checkLayers(SRC)).toEqual([]);
  });

  it('finds a cache <-> lockfile cycle, a built-in importing another, a stray file in stages/ and an unknown folder', () => {
    const src = fakeSrc({
      'cache/run-cache.ts': "import { sortKeysDeep } from '../lockfile/lock-file.js';\n",
      'lockfile/lock-file.ts': "import type { Cache } from '../cache/index.js';\nexport const sortKeysDeep = 1;\n",
      'stages/a/definition.ts': "import { helper } from '../b/run.js';\n",
      'stages/b/definition.ts': "export {};\n",
      'stages/registry.ts': "export {};\n",
      'misc/x.ts': "export {};\n",
    });
    expect(checkLayers(src)).toEqual([
      'src/misc/ is not in the layer order (scripts/check-layers.mjs, DESIGN.md)',
      'src/stages/registry.ts: src/stages/ holds only built-in folders',
      expect.stringMatching(/^\S+\/cache\/run-cache\.ts: imports \.\.\/lockfile\/lock-file\.js — src\/cache\/ may not import src\/lockfile\/ \(listed after it\)$/),
      expect.stringMatching(/\/stages\/a\/definition\.ts: the built-in a imports the built-in b$/),
    ]);
  });

  it('counts type-only, re-export and dynamic imports', () => {
    const src = fakeSrc({
      'core/a.ts': "import type { X } from '../api/x.js';\n",
      'core/b.ts': "export { y } from '../cli/y.js';\n",
      'core/c.ts': "const m = await import('../scheduler/z.js');\n",
    });
    expect(checkLayers(src)).toHaveLength(3);
  });
});
