import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, TempProject, waitFor } from '../helpers/project.js';
import { TEMP_FILE_RE } from './harness.js';

/**
 * SIGKILL while `checkout` stages a folder's files (phase 1: each object verified and written at
 * its own path in a `.tmp-` folder beside the target). A folder that was missing is still missing
 * (it appears whole, by one rename, or not at all); one that was there holds exactly what it held.
 * The next checkout sweeps the staging folder and finishes.
 */
let project: TempProject | undefined;
afterEach(() => project?.cleanup());

/** Enough small files that staging them takes a good fraction of a second here. */
const FILES = 20_000;
const FOLDERS = 20;
const content = (i: number): string => `file ${i}\n`;
const rel = (i: number): string => `d${i % FOLDERS}/f${i}.txt`;

function withManyFiles(): TempProject {
  const p = TempProject.init({});
  for (let d = 0; d < FOLDERS; d++) mkdirSync(p.path(`data/files/d${d}`), { recursive: true });
  for (let i = 0; i < FILES; i++) writeFileSync(p.path(`data/files/${rel(i)}`), content(i));
  p.dvcts('add', 'data/files').expectOk();
  return p;
}

const stagingFolders = (p: TempProject): string[] => readdirSync(p.path('data')).filter((n) => TEMP_FILE_RE.test(n));

/** Whether a staging folder beside data/files holds 3 folders of staged files already (it may vanish meanwhile). */
function staging(p: TempProject): boolean {
  try {
    return stagingFolders(p).some((n) => readdirSync(p.path(`data/${n}`)).length >= 3);
  } catch {
    return false;
  }
}

/** Starts `dvcts checkout`, SIGKILLs it once it is staging, and checks that the kill came before the staging folder went. */
async function killWhileStaging(p: TempProject): Promise<void> {
  const child = spawn(process.execPath, [CLI, 'checkout'], { cwd: p.root, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
  await waitFor(() => staging(p), 'checkout to stage files', 60_000);
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(stagingFolders(p)).toHaveLength(1);
}

/** Every file below data/files with its inode and mtime: what "unchanged" means. */
function listing(p: TempProject): string[] {
  const root = p.path('data/files');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => {
      const s = statSync(join(d.parentPath, d.name));
      return `${join(d.parentPath, d.name).slice(root.length + 1)} ${s.ino} ${s.mtimeMs}`;
    })
    .sort();
}

function expectCheckedOut(p: TempProject): void {
  p.dvcts('checkout').expectOk();
  expect(stagingFolders(p)).toEqual([]);
  expect(readdirSync(p.path('data/files'), { recursive: true }).length).toBe(FILES + FOLDERS);
  for (const i of [0, 1, FILES / 2 + 7, FILES - 1]) expect(readFileSync(p.path(`data/files/${rel(i)}`), 'utf8')).toBe(content(i));
  expect(p.dvcts('status', '-q').code).toBe(0);
}

describe('SIGKILL while checkout stages a folder', () => {
  it('a folder that was missing stays missing, and the next checkout finishes', { timeout: 120_000 }, async () => {
    const p = (project = withManyFiles());
    renameSync(p.path('data/files'), p.path('set-aside')); // not deleted: making files right after mass deletions is slow here
    await killWhileStaging(p);
    expect(existsSync(p.path('data/files'))).toBe(false);
    expectCheckedOut(p);
  });

  it('a folder that was there holds what it held, and the next checkout finishes', { timeout: 120_000 }, async () => {
    const p = (project = withManyFiles());
    for (let d = 0; d < FOLDERS; d += 2) renameSync(p.path(`data/files/d${d}`), p.path(`set-aside-${d}`));
    const before = listing(p);
    await killWhileStaging(p);
    expect(listing(p)).toEqual(before);
    expectCheckedOut(p);
    for (let d = 0; d < FOLDERS; d += 2) rmSync(p.path(`set-aside-${d}`), { recursive: true });
  });
});
