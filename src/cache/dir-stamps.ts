import type { ObjectId } from '../core/ids.js';
import { KeyedRows, parseQuotedKey, type RowFormat } from './keyed-rows.js';
import { LaneHasher } from './xxh-lanes.js';

/**
 * Directory stamps: for a tracked directory, one digest of every file's path and stamp (inode,
 * size, mtime: what the state cache trusts a file by), with the directory's id, size and file
 * count as they were when that digest was taken. A no-op `status` of a directory then costs a
 * sorted walk with one stat per file and no state-cache lookups, manifest text or state loading:
 * if the digest is unchanged, every file has the stamp under which its id was trusted, so the
 * manifest, and the id, are unchanged too. The trust model is the state cache's (see state.ts).
 *
 * Stored in `.dvcts/tmp/dir-stamps` (disposable, like the state cache): a header line, then one
 * line per directory, `digest TAB id TAB size TAB nfiles TAB "key"` (the key JSON-quoted, last).
 * Written with temp + rename, merged with what is on disk at flush (keyed-rows.ts).
 */
const HEADER = 'dvcts-dir-stamps 1\n';

export interface StampedSummary {
  readonly id: ObjectId;
  readonly size: number;
  readonly nfiles: number;
}

interface StampRow extends StampedSummary {
  readonly digest: string;
}

/** The stat fields a file is trusted by (the state cache's stamp). */
export interface StampFields {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

export class DirStamps {
  private readonly rows: KeyedRows<StampRow>;

  constructor(file: string) {
    this.rows = new KeyedRows(file, STAMP_ROWS);
  }

  /** The summary recorded for `dirKey` when its stamp digest was `digest`. */
  lookup(dirKey: string, digest: string): StampedSummary | undefined {
    const row = this.rows.get(dirKey);
    return row?.digest === digest ? row : undefined;
  }

  has(dirKey: string): boolean {
    return this.rows.get(dirKey) !== undefined;
  }

  record(dirKey: string, digest: string, summary: StampedSummary): void {
    this.rows.set(dirKey, { digest, id: summary.id, size: summary.size, nfiles: summary.nfiles });
  }

  /** Writes what this process learnt, over what the file holds now (another process's lines stay). */
  flush(): Promise<void> {
    return this.rows.flush();
  }
}

const STAMP_ROWS: RowFormat<StampRow> = {
  header: HEADER,
  format: (key, r) => `${r.digest}\t${r.id}\t${r.size}\t${r.nfiles}\t${JSON.stringify(key)}`,
  parse(line) {
    const [digest, id, size, nfiles, quotedKey] = line.split('\t', 5);
    if (digest === undefined || id === undefined || quotedKey === undefined || !/^[0-9a-f]{32}$/.test(digest) || !/^[0-9a-f]{32}\.dir$/.test(id)) return undefined;
    const key = parseQuotedKey(quotedKey);
    const row = { digest, id: id as ObjectId, size: Number(size), nfiles: Number(nfiles) };
    return key !== undefined && Number.isSafeInteger(row.size) && Number.isSafeInteger(row.nfiles) ? { key, row } : undefined;
  },
};

/** Bytes hashed at once; an entry is a length, the path's UTF-8 bytes, a link flag and three doubles. */
const DIGEST_CHUNK = 64 * 1024;
const FIXED_BYTES = 4 + 1 + 3 * 8;

/**
 * The stamp digest of a directory, fed one file at a time in manifest order: 128 bits (the two
 * XXH64 lanes of content ids) over each file's path, link flag and stamp fields, length-prefixed
 * so that no two listings give the same bytes.
 */
export class StampDigest {
  private readonly hasher = new LaneHasher(DIGEST_CHUNK);
  private input = this.hasher.ensure(DIGEST_CHUNK);
  // Numbers go in through a DataView: Buffer's writeDoubleLE/writeUInt32LE check bounds in JS.
  private view = new DataView(this.input.buffer, this.input.byteOffset, this.input.length);
  private at = 0;

  constructor() {
    this.hasher.reset();
  }

  add(relPath: string, isLink: boolean, stat: StampFields): void {
    const most = FIXED_BYTES + 3 * relPath.length;
    if (this.at + most > this.input.length) {
      this.drain();
      if (most > this.input.length) {
        this.input = this.hasher.ensure(most);
        this.view = new DataView(this.input.buffer, this.input.byteOffset, this.input.length);
      }
    }
    const pathBytes = this.input.write(relPath, this.at + 4, 'utf8');
    const view = this.view;
    view.setUint32(this.at, pathBytes, true);
    const at = this.at + 4 + pathBytes;
    view.setUint8(at, isLink ? 1 : 0);
    view.setFloat64(at + 1, stat.ino, true);
    view.setFloat64(at + 9, stat.size, true);
    view.setFloat64(at + 17, stat.mtimeMs, true);
    this.at = at + 25;
  }

  /** The digest of what was added; the digest starts over. */
  finish(): string {
    this.drain();
    const digest = this.hasher.digest();
    this.hasher.reset();
    return digest;
  }

  private drain(): void {
    this.hasher.update(0, this.at);
    this.at = 0;
  }
}
