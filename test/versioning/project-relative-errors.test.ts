import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('runtime errors', () => {
  it('name files relative to the project root, as validation errors do (a corrupt cache object met by checkout)', () => {
    const p = (project = TempProject.init({ 'dd/f1': '11\n', 'dd/f2': '22\n', 'dd/f3': '33\n' }));
    p.dvcts('add', 'dd').expectOk();
    const objects = p.path('.dvcts/cache/objects');
    const corrupt = readdirSync(objects, { recursive: true, encoding: 'utf8' })
      .map((rel) => join(objects, rel))
      .find((path) => statSync(path).isFile() && readFileSync(path, 'utf8') === '22\n')!;
    chmodSync(corrupt, 0o644);
    writeFileSync(corrupt, '99\n'); // same size, other bytes
    p.sh('rm -r dd');
    const r = p.dvcts('checkout', 'dd');
    expect(r.code).toBe(1);
    const rel = corrupt.slice(p.root.length + 1);
    expect(rel).toMatch(/^\.dvcts\/cache\/objects\/[0-9a-f]{2}\/[0-9a-f]{30}$/);
    expect(r.stderr).toContain(`at '${rel}' is corrupt`);
    expect(r.stderr).not.toContain(p.root);
  });
});
