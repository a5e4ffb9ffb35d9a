import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { join } from 'node:path';
import type { ObjectId } from '../core/ids.js';
import { errnoOf } from './errors.js';
import { writeFileAtomic } from './atomic.js';

/**
 * The state cache: (path, inode, size, mtime ns) -> id, so an unchanged file is never read twice.
 *
 * Storage, in `.dvcts/tmp/state/`:
 *   base.json           a compacted snapshot of everything known
 *   delta-<pid>-<r>.json the entries one process learnt, written once at flush
 * Each file is `{"version":2,"entries":[[path, stamp, id], …]}` where stamp is
 * "<inode>:<size>:<mtime ns>" (decimal: inodes and ns mtimes exceed 2^53), written with
 * temp + rename. One string per file keeps loading 100k entries and comparing them cheap.
 *
 * Why deltas: a command that hashes 3 new files writes 3 entries, not the 100k-entry snapshot,
 * and two processes flushing at once write two different files, so neither loses the other's
 * work. Load merges base + deltas (~JSON.parse speed); once there are more than COMPACT_AFTER
 * deltas, a flush folds everything into a new base and deletes the deltas it read. Two
 * compactions racing can drop a delta another process wrote meanwhile: the cost is a re-hash,
 * never a wrong id, because an entry is only used when inode, size and mtime all still match.
 *
 * Trade-off (DVC and git have it too): a file rewritten with the same size and its mtime
 * restored (or rewritten within the filesystem's timestamp granularity) is not noticed.
 */
const STATE_VERSION = 2;
const BASE_FILE = 'base.json';
const DELTA_PREFIX = 'delta-';
const COMPACT_AFTER = 16;

/** [key, stamp, id]: the on-disk tuple, kept as is in memory (no conversion on load). */
type StateRow = [string, string, string];

/**
 * What identifies a file version without reading it. Only this string is kept per file, not the
 * BigIntStats: retaining 10k stats objects (14 BigInts + 4 Dates each) made GC the main cost.
 */
export function stampOf(stats: BigIntStats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeNs}`;
}

export interface StateCache {
  /** The id recorded for `key` if the file still has the same stamp (inode, size, mtime). */
  lookup(key: string, stamp: string): ObjectId | undefined;
  record(key: string, stamp: string, id: ObjectId): void;
  /** Writes what this process learnt since the last flush (no-op when nothing is new). */
  flush(): Promise<void>;
}

export async function openStateCache(stateDir: string): Promise<StateCache> {
  const rows = new Map<string, StateRow>();
  const deltasRead: string[] = [];
  const names: string[] = await readdir(stateDir).catch((e: unknown) => {
    if (errnoOf(e) === 'ENOENT') return [];
    throw e;
  });
  // Base first so that deltas (newer knowledge) override it.
  const deltas = names.filter((n) => n.startsWith(DELTA_PREFIX)).sort();
  const ordered = names.includes(BASE_FILE) ? [BASE_FILE, ...deltas] : deltas;
  for (const name of ordered) {
    const loaded = await readStateFile(join(stateDir, name));
    if (loaded === undefined) continue;
    for (const row of loaded) rows.set(row[0], row);
    if (name !== BASE_FILE) deltasRead.push(name);
  }
  return new FileStateCache(stateDir, rows, deltasRead);
}

/** Reads one state file; a missing (compacted meanwhile) or unreadable one is simply skipped. */
async function readStateFile(path: string): Promise<StateRow[] | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { version?: unknown; entries?: unknown };
    if (parsed.version !== STATE_VERSION || !Array.isArray(parsed.entries)) return undefined;
    return (parsed.entries as unknown[]).filter(isStateRow);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || e instanceof SyntaxError) return undefined;
    throw e;
  }
}

function isStateRow(row: unknown): row is StateRow {
  return Array.isArray(row) && row.length === 3 && row.every((cell) => typeof cell === 'string');
}

class FileStateCache implements StateCache {
  private dirty = new Map<string, StateRow>();

  constructor(
    private readonly dir: string,
    private readonly rows: Map<string, StateRow>,
    private deltasRead: string[],
  ) {}

  lookup(key: string, stamp: string): ObjectId | undefined {
    const row = this.rows.get(key);
    return row !== undefined && row[1] === stamp ? (row[2] as ObjectId) : undefined;
  }

  record(key: string, stamp: string, id: ObjectId): void {
    const row: StateRow = [key, stamp, id];
    this.rows.set(key, row);
    this.dirty.set(key, row);
  }

  async flush(): Promise<void> {
    if (this.dirty.size === 0) return;
    await mkdir(this.dir, { recursive: true });
    if (this.deltasRead.length >= COMPACT_AFTER) await this.compact();
    else await this.writeDelta();
    this.dirty = new Map();
  }

  private async writeDelta(): Promise<void> {
    const name = `${DELTA_PREFIX}${Date.now()}-${process.pid}-${randomBytes(3).toString('hex')}.json`;
    await writeFileAtomic(join(this.dir, name), serialize(this.dirty.values()));
    this.deltasRead.push(name); // folded into the base by this process's next compaction
  }

  private async compact(): Promise<void> {
    await writeFileAtomic(join(this.dir, BASE_FILE), serialize(this.rows.values()));
    await Promise.all(this.deltasRead.map((name) => rm(join(this.dir, name), { force: true })));
    this.deltasRead = [];
  }
}

function serialize(rows: Iterable<StateRow>): string {
  return JSON.stringify({ version: STATE_VERSION, entries: [...rows] });
}
