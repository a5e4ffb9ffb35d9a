import { chmodSync, constants, copyFileSync } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DvctsError } from '../core/errors.js';
import type { ItemCache } from '../core/builtin.js';
import type { ObjectId } from '../core/ids.js';
import { errnoOf } from './errors.js';
import { hashBytesSync } from './hash.js';
import { decodeLog, encodeFrame, keyDigest } from './item-log.js';
import { ObjectStore } from './object-store.js';

/**
 * Per-item memo: one append-only log per namespace, `.dvcts/cache/items/<namespace>.log` (format
 * and crash safety in item-log.ts). A batch of results is one append, not one file per item:
 * 1,000 translated sentences used to be 1,000 temp files + renames, which cost more than a
 * quarter of the translation itself. The log is read into memory on the first `get` of a
 * namespace (values stay in that one buffer); entries this process appends are added to it.
 * Appends by other processes after that read are not seen, which for a memo only means redoing
 * work. Keys are the caller's (item id + config), stored as SHA-256 digests.
 *
 * Big results (images) go to the object store instead (`putObject`), deduplicated like any
 * other content, and the log holds only their ids: the log stays small enough to load whole.
 */
export class FileItemCache implements ItemCache {
  private readonly loaded = new Map<string, Promise<Map<string, Buffer>>>();

  /** `dir` is `<cache>/items`; objects go to the store beside it (`<cache>/objects`). */
  constructor(
    private readonly dir: string,
    private readonly objects = new ObjectStore(join(dirname(dir), 'objects')),
  ) {}

  async putObject(bytes: Uint8Array): Promise<string> {
    const id = hashBytesSync(bytes);
    await this.objects.putBytes(id, bytes);
    return id;
  }

  async copyObject(id: string, dest: string): Promise<boolean> {
    try {
      // FICLONE (not _FORCE): a reflink where the filesystem can, a plain copy elsewhere.
      // Synchronous: callers run in a built-in's worker thread, and thousands of small copies
      // each cost a thread-pool round trip otherwise.
      copyFileSync(this.objects.pathOf(id as ObjectId), dest, constants.COPYFILE_FICLONE);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT' && !(await this.objects.has(id as ObjectId))) return false;
      throw e;
    }
    chmodSync(dest, 0o644); // objects are read-only; the copy is the user's file
    return true;
  }

  async get(namespace: string, key: string): Promise<Buffer | undefined> {
    const entries = await this.entriesOf(namespace);
    return entries.get(keyDigest(key).toString('latin1'));
  }

  put(namespace: string, key: string, value: Buffer): Promise<void> {
    return this.putMany(namespace, [[key, value]]);
  }

  async putMany(namespace: string, entries: ReadonlyArray<readonly [key: string, value: Buffer]>): Promise<void> {
    if (entries.length === 0) return;
    const path = this.logPathOf(namespace);
    const frame = encodeFrame(entries.map(([key, value]) => [keyDigest(key), value] as const));
    await mkdir(dirname(path), { recursive: true });
    // O_APPEND: the kernel places each write at the end, so concurrent writers never overlap.
    const handle = await open(path, 'a');
    try {
      for (let written = 0; written < frame.length; ) {
        const { bytesWritten } = await handle.write(frame, written, frame.length - written, null);
        written += bytesWritten;
      }
    } finally {
      await handle.close();
    }
    const known = this.loaded.get(namespace);
    if (known) {
      const map = await known;
      for (const [digest, value] of decodeLog(frame).entries) map.set(digest, value);
    }
  }

  private entriesOf(namespace: string): Promise<Map<string, Buffer>> {
    let entries = this.loaded.get(namespace);
    if (!entries) {
      entries = readLog(this.logPathOf(namespace));
      this.loaded.set(namespace, entries);
    }
    return entries;
  }

  private logPathOf(namespace: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(namespace) || namespace.startsWith('.')) {
      throw new DvctsError('E_ITEM_CACHE_NAMESPACE', `item-cache namespace "${namespace}" is not a plain name`, {
        data: { namespace },
        hint: 'use letters, digits, ".", "_" and "-" (not starting with ".")',
      });
    }
    return join(this.dir, `${namespace}.log`);
  }
}

async function readLog(path: string): Promise<Map<string, Buffer>> {
  try {
    return decodeLog(await readFile(path)).entries;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw e;
  }
}

/** Where a per-item cache lives: its memo logs, and the object store big results go to. */
export interface ItemCacheDirs {
  readonly items: string;
  readonly objects: string;
}

/** The per-item cache of a cache folder: `<cache>/items`, objects in `<cache>/objects`. */
export function itemCacheDirsOf(cacheDir: string): ItemCacheDirs {
  return { items: join(cacheDir, 'items'), objects: join(cacheDir, 'objects') };
}

export function openItemCache(dirs: ItemCacheDirs): ItemCache {
  return new FileItemCache(dirs.items, new ObjectStore(dirs.objects));
}
