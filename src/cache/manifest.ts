import { writeSync } from 'node:fs';
import type { ObjectId } from '../core/ids.js';
import { hashBytes } from './hash.js';
import { LaneHasher } from './xxh-lanes.js';
import { parseManifestTable } from './manifest-table.js';

/** One file of a tracked directory: posix path relative to the directory, content id, bytes. */
export interface ManifestEntry {
  readonly path: string;
  readonly id: ObjectId;
  readonly size: number;
}

/**
 * Serialisation (the bytes whose hash is the directory id, so it must never change):
 * UTF-8 JSON lines, one `{"path":…,"id":…,"size":…}` per file, keys in that order, sorted by
 * path in UTF-16 code-unit order (JavaScript's default string order, locale-free), each line
 * ending in "\n". An empty directory is the empty string. JSON lines keep manifests of 100k files
 * streamable and diffable with standard tools.
 */
export function serializeManifest(entries: readonly ManifestEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let out = '';
  for (const e of sorted) out += manifestLine(e.path, e.id, e.size);
  return out;
}

/** One line of the serialisation: what JSON.stringify({ path, id, size }) gives, plus "\n". */
function manifestLine(path: string, id: ObjectId, size: number): string {
  return `{"path":${JSON.stringify(path)},"id":"${id}","size":${size}}\n`;
}

/** The directory id: hash of the serialisation + ".dir". */
export async function manifestId(serialized: string): Promise<ObjectId> {
  return ((await hashBytes(Buffer.from(serialized, 'utf8'))) + '.dir') as ObjectId;
}

/**
 * Parses and validates a manifest read from the store (see parseManifestTable) into entries.
 * Paths that hold a million files use the table itself.
 */
export function parseManifest(text: string, id: string, where: string): ManifestEntry[] {
  return parseManifestTable(Buffer.from(text, 'utf8'), id, where).toEntries();
}

/** Characters of manifest text hashed (and written) at once by ManifestStream. */
const STREAM_CHUNK = 256 * 1024;

/**
 * A manifest built line by line from entries that arrive in sorted order (walkSorted): the text
 * is hashed in chunks as it grows, and written to `fd` when one is given, so a folder of a million
 * files never holds its manifest (or a list of entries) in memory. The bytes, and so the id, are
 * those serializeManifest gives for the same entries. Lines of an earlier manifest can be copied
 * in as they are (appendLines: a re-add reusing what did not change, see stored-runs.ts).
 */
export class ManifestStream {
  private readonly hasher = new LaneHasher(3 * STREAM_CHUNK);
  private pending = '';
  private previous: string | undefined;
  /** Lines copied in but not yet hashed: [rawStart, rawEnd) of rawFrom. */
  private rawFrom: Buffer | undefined;
  private rawStart = 0;
  private rawEnd = 0;
  /** Bytes hashed (and written) so far. */
  private done = 0;
  count = 0;
  size = 0;

  constructor(private readonly fd?: number) {
    this.hasher.reset();
  }

  add(path: string, id: ObjectId, size: number): void {
    if (this.previous !== undefined && !(this.previous < path)) throw new Error(`manifest entries out of order: '${path}' after '${this.previous}'`);
    if (this.rawFrom !== undefined) this.drainRaw();
    this.previous = path;
    this.pending += manifestLine(path, id, size);
    this.count++;
    this.size += size;
    if (this.pending.length >= STREAM_CHUNK) this.drain();
  }

  /**
   * Appends `files` whole lines, bytes [start, end) of `from` (a verified manifest), the last of
   * them for `lastPath`, holding `bytes` of data. Adjacent ranges of one buffer are hashed at once.
   */
  appendLines(from: Buffer, start: number, end: number, files: number, bytes: number, lastPath: string): void {
    this.drain();
    if (this.rawFrom !== from || this.rawEnd !== start) {
      this.drainRaw();
      this.rawFrom = from;
      this.rawStart = start;
    }
    this.rawEnd = end;
    this.previous = lastPath;
    this.count += files;
    this.size += bytes;
  }

  /** Bytes of manifest so far: where the next line starts (lines added so far are hashed first). */
  mark(): number {
    this.drain();
    return this.done + (this.rawEnd - this.rawStart);
  }

  /** The directory id of everything added. */
  finish(): ObjectId {
    this.drain();
    this.drainRaw();
    return `${this.hasher.digest()}.dir` as ObjectId;
  }

  private drain(): void {
    if (this.pending === '') return;
    const input = this.hasher.ensure(3 * this.pending.length);
    this.consume(input, input.write(this.pending, 0, 'utf8'));
    this.pending = '';
  }

  private drainRaw(): void {
    const from = this.rawFrom;
    if (from === undefined) return;
    for (let at = this.rawStart; at < this.rawEnd; ) {
      const n = Math.min(this.rawEnd - at, 3 * STREAM_CHUNK);
      const input = this.hasher.ensure(n);
      from.copy(input, 0, at, at + n);
      this.consume(input, n);
      at += n;
    }
    this.rawFrom = undefined;
    this.rawStart = this.rawEnd = 0;
  }

  /** Hashes input[0, n) and writes it out. */
  private consume(input: Buffer, n: number): void {
    this.hasher.update(0, n);
    if (this.fd !== undefined) {
      for (let at = 0; at < n; ) at += writeSync(this.fd, input, at, n - at);
    }
    this.done += n;
  }
}
