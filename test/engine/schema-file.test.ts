import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('schema/pipeline.schema.json', () => {
  it('is the current output of `dvcts schema` (regenerate: node dist/cli/main.js schema > schema/pipeline.schema.json)', () => {
    const p = new TempProject();
    try {
      expect(readFileSync(join(repo, 'schema', 'pipeline.schema.json'), 'utf8')).toBe(p.dvcts('schema').expectOk().stdout);
    } finally {
      p.cleanup();
    }
  });
});
