import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

/** `.dvcts/config.yaml` and `config.local.yaml`: a misspelt key is an error at its line, with a did-you-mean. */
let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function refused(p: TempProject, ...args: string[]): string {
  const r = p.dvcts(...args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return r.stderr;
}

describe('config files', () => {
  it('a misspelt key in a section, or a misspelt section, is E_CONFIG_UNKNOWN_KEY at file:line:col with did-you-mean', () => {
    const p = (project = TempProject.init({ 'a.txt': 'a\n' }));
    p.write({ '.dvcts/config.yaml': 'cache:\n  type: [copy]\ncore:\n    jbos: 2\n' });
    expect(refused(p, 'add', 'a.txt')).toContain('error[E_CONFIG_UNKNOWN_KEY]: .dvcts/config.yaml:4:5: unknown key "jbos" in core; did you mean "jobs"?');
    p.write({ '.dvcts/config.yaml': '# settings\n\nparsnig:\n  bool: store_true\n' });
    expect(refused(p, 'status')).toContain('.dvcts/config.yaml:3:1: unknown key "parsnig"; did you mean "parsing"?');
    // nothing close: the known keys are listed
    p.write({ '.dvcts/config.yaml': 'cache: { type: [copy], shared: group }\n' });
    expect(refused(p, 'add', 'a.txt')).toContain('.dvcts/config.yaml:1:24: unknown key "shared" in cache (known: type)');
    p.write({ '.dvcts/config.yaml': 'cache:\n  type: [copy\n' });
    expect(refused(p, 'status')).toMatch(/error\[E_CONFIG_INVALID\]: \.dvcts\/config\.yaml:\d+:\d+: not valid YAML/);
    expect(existsSync(p.path('a.txt.dvcts'))).toBe(false);
  });

  it('config.local.yaml is checked too; every key the README shows is accepted', () => {
    const p = (project = TempProject.init({ 'a.txt': 'a\n' }));
    p.write({ '.dvcts/config.local.yaml': 'core:\n  remtoe: store\n' });
    expect(refused(p, 'remote', 'list')).toContain('.dvcts/config.local.yaml:2:3: unknown key "remtoe" in core; did you mean "remote"?');
    p.write({
      '.dvcts/config.local.yaml': '',
      '.dvcts/config.yaml':
        'cache:\n  type: [reflink, copy]\ncore:\n  jobs: 4\n  remote: storage\nparsing:\n  bool: store_true\n  list: nargs\nremote:\n  storage:\n    url: /tmp/somewhere\n',
    });
    p.dvcts('add', 'a.txt').expectOk();
    expect(p.dvcts('remote', 'list').expectOk().stdout).toContain('storage\t/tmp/somewhere\t(default)');
  });
});
