import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

/** Should-fix of the security issue: text that would be silently changed or read without bound is refused where it is. */
describe('pipeline text and table lines', () => {
  let p: TempProject;
  afterEach(() => p.cleanup());

  it('invalid UTF-8, a line break in a stage name, a control character in a command: located errors, nothing runs', () => {
    p = TempProject.init({
      'pipelines/names.yaml': 'stages:\n  "two\\nlines":\n    cmd: touch ran1\n  ok:\n    cmd: "touch ran2 \\u001b[2J"\n',
      'pipelines/bytes.yaml': Buffer.concat([Buffer.from('stages:\n  caf'), Buffer.from([0xe9]), Buffer.from(':\n    cmd: touch ran3\n')]),
    });
    const run = p.dvcts('repro');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pipelines/bytes.yaml:2:6: error[E_YAML]: not valid UTF-8: byte 0xe9');
    expect(run.stderr).toContain('pipelines/names.yaml:2:3: error[E_STAGE_NAME]: invalid stage name "two\\nlines"');
    expect(run.stderr).toContain('pipelines/names.yaml:5:10: error[E_CMD_INVALID]');
    for (const f of ['ran1', 'ran2', 'ran3']) expect(existsSync(p.path(f))).toBe(false);
  });

  it('a multi-line command is fine', () => {
    p = TempProject.init({ 'pipelines/p.yaml': 'stages:\n  s:\n    cmd: |\n      echo one > out.txt\n      echo two >> out.txt\n    outs: [out.txt]\n' });
    p.dvcts('repro').expectOk();
    expect(p.read('out.txt')).toBe('one\ntwo\n');
  });

  it('dropna refuses a line, or a quoted record, longer than max_line_bytes, naming where it starts', () => {
    const long = `3,${'x'.repeat(5000)}\n`;
    const quoted = `4,"${'y\n'.repeat(3000)}"\n`;
    p = TempProject.init({
      'long.csv': `id,text\n1,a\n${long}`,
      'quoted.csv': `id,text\n1,a\n2,b\n${quoted}`,
      'pipelines/p.yaml': `stages:
  long:
    uses: dropna
    deps: [long.csv]
    outs: [long.out.csv]
    with: { max_line_bytes: 1000 }
  quoted:
    uses: dropna
    deps: [quoted.csv]
    outs: [quoted.out.csv]
    with: { max_line_bytes: 1000 }
`,
    });
    const run = p.dvcts('repro', '-k');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('E_LINE_TOO_LONG');
    expect(run.stderr).toContain('long.csv:3: a line or record is longer than 1000 bytes (it starts at byte 12)');
    expect(run.stderr).toContain('quoted.csv:4: a line or record is longer than 1000 bytes');
    expect(existsSync(p.path('long.out.csv'))).toBe(false);
  });
});
