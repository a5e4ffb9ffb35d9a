import { createHash } from 'node:crypto';
import type { ItemCache } from '../../core/builtin.js';

const NAMESPACE = 'image';
/** Records kept in memory before one append to the memo log (a kill loses at most these). */
const FLUSH_EVERY = 64;

/** What is remembered of one output image: its bytes live in the content store under `id`. */
export interface OutputRecord {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/**
 * The per-item cache of the image stage. Each output image is keyed by (the stage's output
 * config: ops, seed, format, quality, stage and sharp versions; source path; source content id;
 * copy index) and its bytes are a content-store object, so adding one image to a folder of
 * 10,000 processes one image, and changing the ops or seed reprocesses them all. A source's
 * content id is remembered with its (inode, size, mtime), so a rerun does not read unchanged
 * files, and so is each output file the stage wrote, so a rerun can keep it (the trade-off of the
 * project's state cache: a rewrite that keeps size and mtime is not noticed).
 */
export class OutputMemo {
  private pending: [string, Buffer][] = [];

  constructor(
    private readonly cache: ItemCache,
    /** Canonical JSON of everything besides the source that decides the output bytes. */
    private readonly config: string,
  ) {}

  async get(rel: string, contentId: string, copy: number): Promise<OutputRecord | undefined> {
    const value = await this.cache.get(NAMESPACE, this.keyOf(rel, contentId, copy));
    return value === undefined ? undefined : (JSON.parse(value.toString('utf8')) as OutputRecord);
  }

  put(rel: string, contentId: string, copy: number, record: OutputRecord): Promise<void> {
    return this.remember(this.keyOf(rel, contentId, copy), JSON.stringify(record));
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    await this.cache.putMany(NAMESPACE, batch);
  }

  /** The content id learnt for the file at `path` when it had `stamp` (inode, size, mtime). */
  async contentId(path: string, stamp: string): Promise<string | undefined> {
    return (await this.cache.get(NAMESPACE, JSON.stringify(['content-id', path, stamp])))?.toString('utf8');
  }

  rememberContentId(path: string, stamp: string, id: string): Promise<void> {
    return this.remember(JSON.stringify(['content-id', path, stamp]), id);
  }

  /** What this stage wrote at `path` (an output file): its stamp (inode, size, mtime) and content id. */
  async writtenOutput(path: string): Promise<{ stamp: string; id: string } | undefined> {
    const value = await this.cache.get(NAMESPACE, JSON.stringify(['written', path]));
    if (value === undefined) return undefined;
    const [stamp, id] = value.toString('utf8').split('\t') as [string, string];
    return { stamp, id };
  }

  rememberWrittenOutput(path: string, stamp: string, id: string): Promise<void> {
    return this.remember(JSON.stringify(['written', path]), `${stamp}\t${id}`);
  }

  /**
   * Replaces the list of sources the last run of the stage writing `outDir` had, and returns how
   * many of those are gone now. Stored as 8-byte digests, and only when the list changed.
   */
  async swapLastSources(outDir: string, sources: readonly string[]): Promise<number> {
    const key = JSON.stringify(['last-sources', outDir]);
    const now = digestSet(sources);
    const before = await this.cache.get(NAMESPACE, key);
    const previous = before === undefined ? [] : chunks(before);
    const removed = previous.filter((d) => !now.has(d)).length;
    const list = Buffer.from([...now].sort().join(''), 'hex');
    if (before === undefined || !before.equals(list)) await this.cache.put(NAMESPACE, key, list);
    return removed;
  }

  /** Records are appended in batches; a kill loses at most the last batch (recomputed next time). */
  private async remember(key: string, value: string): Promise<void> {
    this.pending.push([key, Buffer.from(value)]);
    if (this.pending.length >= FLUSH_EVERY) await this.flush();
  }

  private keyOf(rel: string, contentId: string, copy: number): string {
    return JSON.stringify([this.config, rel, contentId, copy]);
  }
}

function digestSet(paths: readonly string[]): Set<string> {
  return new Set(paths.map((p) => createHash('sha256').update(p).digest('hex').slice(0, 16)));
}

function chunks(list: Buffer): string[] {
  const out: string[] = [];
  for (let at = 0; at + 8 <= list.length; at += 8) out.push(list.toString('hex', at, at + 8));
  return out;
}
