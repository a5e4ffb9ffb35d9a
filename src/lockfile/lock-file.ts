import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DvctsError } from '../core/errors.js';
import { isObjectId } from '../core/ids.js';
import { parsedCopy } from '../pipeline/parsed-copy.js';
import type { YamlFailure } from '../pipeline/safe-yaml.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { LOCK_SCHEMA, type LockEntry, type LockedPath } from './types.js';

/** The entries of one pipeline's lock file, by stage name. */
export type LockFile = ReadonlyMap<string, LockEntry>;

/** Reads a lock file; a missing file is an empty lock. Corrupt content is a clear error, not a crash. */
export async function readLockFile(root: string, lockPath: string): Promise<LockFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(root, lockPath));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw e;
  }
  return parseLockFile(bytes, lockPath, root);
}

/**
 * Parses a lock file (e.g. the text read from a git revision, or the bytes of the file); with the
 * project's `root`, an unchanged file is answered from its parsed copy (parsed-copy.ts), and its
 * bytes are decoded only when it changed. The copy holds the checked entries, in file order:
 * checking 32k entries again cost every status ~35 ms.
 */
export async function parseLockFile(source: string | Buffer, lockPath: string, root?: string): Promise<LockFile> {
  const parse = async (): Promise<LockFile> => {
    const text = typeof source === 'string' ? source : source.toString('utf8');
    return interpretLockDoc((await import('../pipeline/safe-yaml.js')).parseYamlValue(text, lockPath, lockYamlFailure(lockPath)), lockPath);
  };
  if (root === undefined) return parse();
  return new Map(await parsedCopy(root, 'lock-entries', lockPath, source, async () => [...(await parse())]));
}

function fixLockHint(lockPath: string): string {
  return `the lock file is written by dvcts; restore it from git (git checkout -- ${lockPath}) or delete it to rerun every stage of that pipeline`;
}

function lockYamlFailure(lockPath: string): YamlFailure {
  return { code: 'E_LOCK_INVALID', hint: fixLockHint(lockPath), data: { path: lockPath } };
}

function invalidLock(lockPath: string, why: string): DvctsError {
  return new DvctsError('E_LOCK_INVALID', `${lockPath}: ${why}`, { data: { path: lockPath }, hint: fixLockHint(lockPath) });
}

function interpretLockDoc(doc: unknown, lockPath: string): LockFile {
  const bad = (why: string): DvctsError => invalidLock(lockPath, why);
  if (doc === null || doc === undefined) return new Map();
  if (!isRecord(doc) || !isRecord(doc.stages ?? {})) throw bad('expected a mapping with "stages:"');
  if (doc.schema !== LOCK_SCHEMA) throw bad(`unknown schema ${JSON.stringify(doc.schema)} (expected ${LOCK_SCHEMA})`);
  const entries = new Map<string, LockEntry>();
  const stages = (doc.stages ?? {}) as Record<string, unknown>;
  // A plain loop without spreads or closures per entry: a lock file of 32k stages is read by every status.
  for (const name in stages) {
    const raw = stages[name];
    if (!isRecord(raw)) throw bad(`stage "${name}" is not a mapping`);
    const entry = {} as { -readonly [K in keyof LockEntry]: LockEntry[K] }; // keys in the order lock entries are made
    if (raw.cmd !== undefined) entry.cmd = Array.isArray(raw.cmd) ? raw.cmd.map(String) : [String(raw.cmd)];
    if (typeof raw.uses === 'string') entry.uses = raw.uses;
    if (isRecord(raw.with)) entry.with = raw.with;
    if (typeof raw.version === 'string') entry.version = raw.version;
    entry.deps = lockedPaths(raw, 'deps', name, bad);
    entry.params = isRecord(raw.params) ? (raw.params as LockEntry['params']) : {};
    entry.outs = lockedPaths(raw, 'outs', name, bad);
    entries.set(name, entry);
  }
  return entries;
}

function lockedPaths(raw: Record<string, unknown>, key: 'deps' | 'outs', name: string, bad: (why: string) => DvctsError): LockedPath[] {
  const list = raw[key] ?? [];
  if (!Array.isArray(list)) throw bad(`stage "${name}": ${key} is not a list`);
  for (const p of list) {
    if (!isRecord(p) || typeof p.path !== 'string' || typeof p.id !== 'string' || !isObjectId(p.id) || typeof p.size !== 'number') {
      throw bad(`stage "${name}": malformed ${key} entry ${JSON.stringify(p)}`);
    }
  }
  return list as LockedPath[];
}

const HEADER = '# Written by dvcts after each successful stage run. Commit it; do not edit.\n';

/**
 * Each stage's YAML, kept with its entry: `repro` rewrites the whole file after every stage, and
 * making every stage's YAML again each time made a run of 2k generated stages quadratic.
 */
const stageTexts = new WeakMap<LockEntry, { readonly name: string; readonly text: string }>();

/**
 * Serialises deterministically: stages by name, fixed field order, params keys sorted. The text
 * is what YAML-stringifying the whole document gives; each stage's part is made once per entry.
 */
export async function formatLockFile(entries: LockFile): Promise<string> {
  const { stringify } = await import('yaml');
  const names = [...entries.keys()].sort();
  if (names.length === 0) return `${HEADER}${stringify({ schema: LOCK_SCHEMA, stages: {} }, { lineWidth: 0 })}`;
  const stages = names.map((name) => {
    const entry = entries.get(name)!;
    const kept = stageTexts.get(entry);
    if (kept?.name === name) return kept.text;
    // One level deeper under `stages:`: every line two spaces in (blank lines of a block scalar stay empty).
    const text = stringify({ [name]: lockShape(entry) }, { lineWidth: 0 }).replace(/^(?=.)/gm, '  ');
    stageTexts.set(entry, { name, text });
    return text;
  });
  return `${HEADER}${stringify({ schema: LOCK_SCHEMA }, { lineWidth: 0 })}stages:\n${stages.join('')}`;
}

function lockShape(e: LockEntry): Record<string, unknown> {
  return {
    ...(e.cmd ? { cmd: e.cmd.length === 1 ? e.cmd[0] : e.cmd } : {}),
    ...(e.uses !== undefined ? { uses: e.uses, version: e.version, with: sortKeysDeep(e.with ?? {}) } : {}),
    ...(e.deps.length > 0 ? { deps: e.deps.map(formatPath) } : {}),
    ...(Object.keys(e.params).length > 0 ? { params: sortKeysDeep(e.params) } : {}),
    ...(e.outs.length > 0 ? { outs: e.outs.map(formatPath) } : {}),
  };
}

export async function writeLockFile(root: string, lockPath: string, entries: LockFile): Promise<void> {
  await writeFileAtomic(join(root, lockPath), await formatLockFile(entries), { durable: true });
}

function formatPath(p: LockedPath): Record<string, unknown> {
  return { path: p.path, hash: p.hash, id: p.id, size: p.size, ...(p.nfiles !== undefined ? { nfiles: p.nfiles } : {}) };
}

export function sortKeysDeep(value: unknown): any {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeysDeep(value[k])]));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
