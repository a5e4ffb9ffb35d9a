import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';
import { GitProject } from './git-project.js';

describe('dvcts install', () => {
  let p: GitProject;
  beforeEach(() => {
    p = GitProject.create();
  });
  afterEach(() => p.cleanup());

  it('makes `git checkout` switch the data too', () => {
    p.write({ 'data/labels.csv': 'id,label\n1,cat\n' });
    p.dvcts('add', 'data/labels.csv').expectOk();
    p.commit('v1');
    p.git('branch', 'old');
    p.write({ 'data/labels.csv': 'id,label\n1,dog\n2,cat\n' });
    p.dvcts('add', 'data/labels.csv').expectOk();
    p.commit('v2');
    expect(p.dvcts('install').expectOk().stdout).toContain('post-checkout: created');

    p.git('checkout', '-q', 'old');
    expect(p.read('data/labels.csv')).toBe('id,label\n1,cat\n');
    p.git('checkout', '-q', 'main');
    expect(p.read('data/labels.csv')).toBe('id,label\n1,dog\n2,cat\n');
  });

  it('makes the hooks run the bundled CLI named by package.json "bin"', () => {
    p.dvcts('install').expectOk();
    const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
    const bin = (JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8')) as { bin: { dvcts: string } }).bin.dvcts;
    for (const hook of ['post-checkout', 'post-merge']) {
      expect(readFileSync(p.path(`.git/hooks/${hook}`), 'utf8')).toContain(`dvcts_main='${resolve(repo, bin)}'`);
    }
  });

  it('is idempotent and keeps a user hook, appending a marked block', () => {
    const hook = p.path('.git/hooks/post-checkout');
    writeFileSync(hook, '#!/bin/sh\necho user hook ran\n');
    chmodSync(hook, 0o755);
    expect(p.dvcts('install').expectOk().stdout).toContain('post-checkout: appended');
    const once = readFileSync(hook, 'utf8');
    expect(p.dvcts('install').expectOk().stdout).toContain('post-checkout: unchanged');
    expect(readFileSync(hook, 'utf8')).toBe(once);
    expect(once.startsWith('#!/bin/sh\necho user hook ran\n')).toBe(true);
    expect(once.match(/>>> dvcts/g)).toHaveLength(1);
  });

  it('refuses to append shell to a hook in another language', () => {
    const hook = p.path('.git/hooks/post-merge');
    writeFileSync(hook, '#!/usr/bin/env python3\nprint("hi")\n');
    const run = p.dvcts('install');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('E_HOOK_FOREIGN');
    expect(readFileSync(hook, 'utf8')).toBe('#!/usr/bin/env python3\nprint("hi")\n');
  });
});

it('dvcts install outside git is E_NOT_GIT', () => {
  const p = TempProject.init();
  try {
    const run = p.dvcts('install');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('E_NOT_GIT');
  } finally {
    p.cleanup();
  }
});
