import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { closeSync, openSync, readdirSync, readSync, type BigIntStats, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { ObjectId } from '../core/ids.js';
import { errnoOf, rethrowSystemError } from './errors.js';
import { replaceAtomic } from './atomic.js';
import { LineLog } from './line-log.js';
import { StateTable } from './state-table.js';

/**
 * The state cache: (path, inode, size, mtime) -> id, so an unchanged file is never read twice.
 *
 * Storage, in `.dvcts/tmp/state/`:
 *   base.tsv             a compacted snapshot of everything known
 *   delta-<t>-<pid>-<r>.tsv the entries one process learnt, written once at flush
 * Each file is a header line `dvcts-state 3`, then one line per entry: `key TAB stamp TAB id`
 * (a key holding a tab, newline, backslash or leading quote is written as a JSON string), written
 * with temp + rename. In memory the lines stay the bytes they are in the files, indexed by a hash
 * table in typed arrays (state-table.ts): a million entries make no JS object each.
 *
 * Why deltas: a command that hashes 3 new files writes 3 entries, not the 100k-entry snapshot,
 * and two processes flushing at once write two different files, so neither loses the other's
 * work. Load merges base + deltas; once there are more than COMPACT_AFTER deltas, or a flush of
 * at least COMPACT_MIN_BYTES leaves the files holding 1.5 times the bytes of the current entries
 * or more (a folder of a million files checked out again), the flush folds everything into a new
 * base and deletes the deltas it read (and files of older formats): every later command holds
 * each entry once in memory. Two
 * compactions racing can drop a delta another process wrote meanwhile: the cost is a re-hash,
 * never a wrong id, because an entry is only used when inode, size and mtime all still match.
 *
 * Trade-off (DVC and git have it too): a file rewritten with the same size and its mtime
 * restored (or rewritten within the filesystem's timestamp granularity) is not noticed.
 */
const HEADER = 'dvcts-state 3\n';
const HEADER_BYTES = Buffer.from(HEADER, 'latin1');
/** Bytes gathered per write of a state file, and read at once. */
const WRITE_CHUNK = 1 << 20;
const READ_CHUNK = 4 << 20;
const NEWLINE = 10;
const SUFFIX = '.tsv';
const BASE_FILE = `base${SUFFIX}`;
const DELTA_PREFIX = 'delta-';
const COMPACT_AFTER = 16;
const COMPACT_MIN_BYTES = 1 << 20;
/** Keys that would break the line format are stored JSON-quoted. */
const NEEDS_QUOTING = /[\t\n\\]|^"/;

/**
 * What identifies a file version without reading it: "<inode>:<size>:<mtime ms>". Plain (not
 * bigint) stats are used: BigIntStats cost 14 BigInts + 4 Dates per file, and on a 100k-file
 * status their garbage collection was a sixth of the run. The price: mtimeMs is a double, exact
 * to ~0.25 µs at today's epoch, and inodes above 2^53 round. Two versions of one path that share
 * size and inode and whose mtimes differ by less than that are taken as the same; Linux stamps
 * files from a clock that ticks far coarser on most filesystems, so nothing is lost in practice
 * (the same trade-off as mtime granularity itself, see above). BigIntStats (tests, callers that
 * have them) give the identical string: Node derives mtimeMs as sec * 1e3 + nsec / 1e6.
 */
export function stampOf(stats: Stats | BigIntStats): string {
  if ('mtimeNs' in stats) {
    const { ino, size, mtimeNs } = stats;
    const ms = Number(mtimeNs / 1_000_000_000n) * 1e3 + Number(mtimeNs % 1_000_000_000n) / 1e6;
    return `${Number(ino)}:${Number(size)}:${ms}`;
  }
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

export interface StateCache {
  /** The id recorded for `key` if the file still has the same stamp (inode, size, mtime). */
  lookup(key: string, stamp: string): ObjectId | undefined;
  record(key: string, stamp: string, id: ObjectId): void;
  /** Whether anything is recorded for `key` (whatever its stamp). */
  has(key: string): boolean;
  /** Writes what this process learnt since the last flush (no-op when nothing is new). */
  flush(): Promise<void>;
}

export async function openStateCache(stateDir: string): Promise<StateCache> {
  return loadStateCache(stateDir);
}

/**
 * The state cache, loaded on first use: a command that never asks it (a no-op status answered by
 * directory stamps, see dir-stamps.ts) never reads it, and one that only teaches it (a re-add
 * that hashed the few files of a changed run, see dir-store.ts) writes a delta without reading
 * it. Loading is synchronous for that reason.
 */
export function lazyStateCache(stateDir: string): StateCache {
  let loaded: FileStateCache | undefined;
  // What is learnt unloaded is kept as the delta's own lines (bytes, not an array of strings per
  // file: see LineLog): a checkout into an emptied workspace learns every file it places.
  let learnt = new LineLog();
  const state = (): FileStateCache => {
    if (loaded === undefined) {
      loaded = loadStateCache(stateDir, learnt.chunks());
      learnt = new LineLog();
    }
    return loaded;
  };
  return {
    lookup: (key, stamp) => state().lookup(key, stamp),
    record: (key, stamp, id) => (loaded === undefined ? learnt.append(`${quoteKey(key)}\t${stamp}\t${id}\n`) : loaded.record(key, stamp, id)),
    has: (key) => state().has(key),
    flush: async () => {
      // Unread, the files would gain a delta per command with nothing ever folding them in.
      if (loaded === undefined && learnt.count > 0 && deltaNames(stateDir).length < COMPACT_AFTER) {
        await mkdir(stateDir, { recursive: true });
        await writeLinesAtomic(join(stateDir, newDeltaName()), learnt.chunks());
        learnt = new LineLog();
      }
      if (loaded !== undefined || learnt.count > 0) await state().flush();
    },
  };
}

function deltaNames(stateDir: string): string[] {
  try {
    return readdirSync(stateDir).filter((n) => n.startsWith(DELTA_PREFIX) && n.endsWith(SUFFIX));
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return [];
    throw e;
  }
}

/** Deltas this process wrote: numbers its names, in order. */
let deltasWritten = 0;

/**
 * A new delta's name: the time, the process, then a count so that two deltas one process writes
 * within a millisecond sort in the order written (newer wins on reading; with only a random suffix
 * there, half such pairs read the older one as newer and its entries were lost to a re-hash).
 */
function newDeltaName(): string {
  const seq = String(deltasWritten++).padStart(8, '0');
  return `${DELTA_PREFIX}${Date.now()}-${process.pid}-${seq}-${randomBytes(3).toString('hex')}${SUFFIX}`;
}

/** Reads the state files into a table that first holds `learnt` (lines learnt unread: the newest). */
function loadStateCache(stateDir: string, learnt: readonly Buffer[] = []): FileStateCache {
  const table = new StateTable();
  for (const lines of learnt) table.addLearntBytes(lines, unquoteKey);
  const deltasRead: string[] = [];
  let names: string[];
  try {
    names = readdirSync(stateDir);
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') throw e;
    names = [];
  }
  // Newest first (deltas are named by time, the base is older than them all): a key's line from
  // an older file is skipped, not held until a newer one replaces it (see StateTable).
  const deltas = names.filter((n) => n.startsWith(DELTA_PREFIX) && n.endsWith(SUFFIX)).sort().reverse();
  const ordered = names.includes(BASE_FILE) ? [...deltas, BASE_FILE] : deltas;
  const spare: Spare = { buf: undefined };
  for (const name of ordered) {
    table.olderFile();
    if (readStateFile(join(stateDir, name), table, spare) && name !== BASE_FILE) deltasRead.push(name);
  }
  const outdated = names.filter((n) => !n.startsWith('.tmp-') && !n.endsWith(SUFFIX));
  return new FileStateCache(stateDir, table, deltasRead, outdated);
}

/**
 * Adds one state file's entries to `table`, read READ_CHUNK bytes of whole lines at a time; false
 * when it is missing (compacted meanwhile) or not a state file of this version. A damaged line is
 * skipped, not trusted, and so is a last line cut short.
 */
function readStateFile(path: string, table: StateTable, spare: Spare): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return false;
    throw e;
  }
  try {
    let carry: Buffer = Buffer.alloc(0);
    let start = -1; // where lines begin in the first chunk: after the header
    for (;;) {
      // A line longer than a chunk (it never is) gets a larger one.
      const size = Math.max(READ_CHUNK, 2 * carry.length);
      const buf = spare.buf !== undefined && spare.buf.length >= size ? spare.buf : Buffer.allocUnsafe(size);
      spare.buf = undefined;
      carry.copy(buf);
      const bytesRead = readSync(fd, buf, carry.length, buf.length - carry.length, null);
      const filled = carry.length + bytesRead;
      if (start < 0) {
        if (filled < HEADER.length && bytesRead > 0) {
          carry = buf.subarray(0, filled);
          continue;
        }
        if (filled < HEADER.length || !buf.subarray(0, HEADER.length).equals(HEADER_BYTES)) return false;
        start = HEADER.length;
      }
      if (bytesRead === 0) {
        spare.buf = buf; // it holds no line the table keeps
        return true;
      }
      const lastLine = buf.lastIndexOf(NEWLINE, filled - 1);
      if (lastLine < start) {
        carry = buf.subarray(0, filled);
        continue;
      }
      carry = Buffer.from(buf.subarray(lastLine + 1, filled));
      if (!table.addFileBytes(buf.subarray(0, lastLine + 1), start, unquoteKey)) spare.buf = buf;
      start = 0;
    }
  } finally {
    closeSync(fd);
  }
}

/** A buffer read into whose lines were all skipped (newer files gave their keys): the next read reuses it. */
interface Spare {
  buf: Buffer | undefined;
}

function quoteKey(key: string): string {
  return NEEDS_QUOTING.test(key) ? JSON.stringify(key) : key;
}

function unquoteKey(field: string): string | undefined {
  if (!field.startsWith('"')) return field;
  try {
    const key: unknown = JSON.parse(field);
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

class FileStateCache implements StateCache {
  constructor(
    private readonly dir: string,
    private readonly table: StateTable,
    private deltasRead: string[],
    private readonly outdated: readonly string[],
  ) {}

  lookup(key: string, stamp: string): ObjectId | undefined {
    return this.table.lookup(key, stamp) as ObjectId | undefined;
  }

  has(key: string): boolean {
    return this.table.has(key);
  }

  record(key: string, stamp: string, id: ObjectId): void {
    this.table.record(key, quoteKey(key), `${stamp}\t${id}`);
  }

  async flush(): Promise<void> {
    if (this.table.freshBytes === 0) return;
    await mkdir(this.dir, { recursive: true });
    const { freshBytes, bytes, liveBytes } = this.table;
    if (this.deltasRead.length >= COMPACT_AFTER || (freshBytes >= COMPACT_MIN_BYTES && 2 * bytes >= 3 * liveBytes)) await this.compact();
    else await this.writeDelta();
  }

  private async writeDelta(): Promise<void> {
    const name = newDeltaName();
    await writeLinesAtomic(join(this.dir, name), this.table.takeFresh());
    this.deltasRead.push(name); // folded into the base by this process's next compaction
  }

  private async compact(): Promise<void> {
    this.table.takeFresh();
    await writeLinesAtomic(join(this.dir, BASE_FILE), this.table.liveLines(quoteKey));
    const done = [...this.deltasRead, ...this.outdated];
    await Promise.all(done.map((name) => rm(join(this.dir, name), { force: true })));
    this.deltasRead = [];
  }
}

/** Writes a state file atomically, gathering its lines into writes of about a mebibyte. */
async function writeLinesAtomic(path: string, lines: Iterable<Buffer | string>): Promise<void> {
  // A full disk names the state file (the user's to fix), not the temp file beside it.
  await replaceAtomic(path, async (tmp) => {
    const handle = await open(tmp, 'w');
    try {
      const out = Buffer.allocUnsafe(WRITE_CHUNK);
      let n = out.write(HEADER, 0, 'latin1');
      for (const line of lines) {
        const length = typeof line === 'string' ? Buffer.byteLength(line, 'utf8') : line.length;
        if (n + length > out.length) {
          await writeAll(handle, out, n);
          n = 0;
        }
        if (length > out.length) await handle.write(typeof line === 'string' ? Buffer.from(line, 'utf8') : line);
        else n += typeof line === 'string' ? out.write(line, n, 'utf8') : line.copy(out, n);
      }
      await writeAll(handle, out, n);
    } finally {
      await handle.close();
    }
  }).catch((e: unknown) => rethrowSystemError(e, path, 'write'));
}

async function writeAll(handle: FileHandle, buf: Buffer, length: number): Promise<void> {
  for (let at = 0; at < length; ) at += (await handle.write(buf, at, length - at)).bytesWritten;
}
