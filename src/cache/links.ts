import { chmodSync, closeSync, constants, copyFileSync, fchmodSync, fstatSync, linkSync, openSync, rmSync, statSync, symlinkSync, writeSync, type Stats } from 'node:fs';
import { chmod, copyFile, link, lstat, readdir, realpath, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceAtomic } from './atomic.js';
import { errnoOf, linkFailedError, pathNotFoundError, rethrowSystemError } from './errors.js';

export type LinkType = 'reflink' | 'hardlink' | 'symlink' | 'copy';
export const LINK_TYPES: readonly LinkType[] = ['reflink', 'hardlink', 'symlink', 'copy'];
export const DEFAULT_LINK_TYPES: readonly LinkType[] = ['reflink', 'copy'];

/** Mode of workspace files the user may edit (copies and reflinks). */
const WRITABLE_MODE = 0o644;

/** Hard and symbolic links share bytes with the cache object: they stay read-only (protected). */
export function isProtectedLinkType(type: LinkType): boolean {
  return type === 'hardlink' || type === 'symlink';
}

// errnos meaning "this filesystem cannot do this kind of link": try the next type, and do not
// try this one again in this process (10,000 failing reflinks would cost 10,000 syscalls).
const UNSUPPORTED = new Set(['EOPNOTSUPP', 'ENOTSUP', 'EXDEV', 'EINVAL', 'ENOSYS', 'EPERM']);

/**
 * Materialises cache objects in the workspace with the first link type of the chain that works.
 * The destination is replaced atomically (temp beside it + rename): a reader never sees a half
 * file, and an existing file is swapped, never edited in place (it may be a link to the cache).
 */
export class Linker {
  private readonly unsupported = new Set<LinkType>();

  constructor(private readonly chain: readonly LinkType[]) {}

  /**
   * link() for the many-files path: creates the new file `tmp` (renamed over `dest` later by the
   * caller) synchronously with the first link type of the chain that works; `bytes` are the
   * object's verified content, which the copy type writes without reading the object again.
   * Returns the stat of the new file (following a symlink), which a rename keeps: the copy type
   * takes it from the open file, sparing a lookup of `tmp` by name.
   */
  placeSync(objectPath: string, tmp: string, dest: string, bytes: Uint8Array): Stats {
    let lastError: unknown;
    for (const type of this.chain) {
      if (this.unsupported.has(type)) continue;
      try {
        return createLinkSync(type, objectPath, tmp, bytes) ?? statSync(tmp);
      } catch (e) {
        rmSync(tmp, { force: true });
        lastError = this.failed(type, e, dest);
      }
    }
    throw linkFailedError(dest, this.chain, lastError);
  }

  /** After `type` failed with `e`: remembers an unsupported type, rethrows what no other type can fix. */
  private failed(type: LinkType, e: unknown, dest: string): unknown {
    const code = errnoOf(e);
    if (code !== undefined && UNSUPPORTED.has(code) && type !== 'copy') this.unsupported.add(type);
    else if (code !== 'EMLINK') rethrowSystemError(e, dest, 'write');
    return e; // EMLINK: this object has too many hard links; the next type may work
  }

  /** Whether `link(…, { keepCopies: true })` keeps a just-saved file as it is (the chain starts with a copy type). */
  keepsCopies(): boolean {
    const first = this.chain.find((type) => !this.unsupported.has(type));
    return first === undefined || !isProtectedLinkType(first);
  }

  /**
   * Creates/replaces `dest` from `objectPath`; returns the link type used. With `keepCopies`,
   * `dest` already holds the object's bytes as its own file (it was just saved), so reaching
   * 'reflink' or 'copy' in the chain means there is nothing to do.
   */
  async link(objectPath: string, dest: string, opts: { keepCopies?: boolean } = {}): Promise<LinkType> {
    let lastError: unknown;
    for (const type of this.chain) {
      if (this.unsupported.has(type)) continue;
      if (opts.keepCopies && !isProtectedLinkType(type)) return type;
      try {
        await replaceAtomic(dest, (tmp) => createLink(type, objectPath, tmp));
        return type;
      } catch (e) {
        lastError = this.failed(type, e, dest);
      }
    }
    throw linkFailedError(dest, this.chain, lastError);
  }
}

/**
 * Copies go to a fresh temp file: COPYFILE_EXCL says so, and spares the ftruncate(0) that libuv
 * makes otherwise, which on ext4 marks the new file for a flush at close (auto_da_alloc): a
 * checkout of a 1 GiB file spent 0.3 s in that close (strace), on top of the copy itself.
 */
const INTO_NEW_FILE = constants.COPYFILE_EXCL;

/** Whether files created with WRITABLE_MODE keep exactly that mode (learnt once: later ones skip the chmod). */
let createModeExact: boolean | undefined;

/**
 * createLink, synchronously; the copy type writes `bytes` (the object's content, already read)
 * and returns the new file's stat, taken after the write (the other types return undefined).
 */
function createLinkSync(type: LinkType, objectPath: string, tmp: string, bytes: Uint8Array): Stats | undefined {
  switch (type) {
    case 'reflink':
      copyFileSync(objectPath, tmp, constants.COPYFILE_FICLONE_FORCE | INTO_NEW_FILE);
      chmodSync(tmp, WRITABLE_MODE);
      return;
    case 'copy': {
      const fd = openSync(tmp, 'wx', WRITABLE_MODE);
      try {
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
        const stats = fstatSync(fd);
        createModeExact ??= (stats.mode & 0o777) === WRITABLE_MODE;
        if (!createModeExact) fchmodSync(fd, WRITABLE_MODE);
        return stats;
      } finally {
        closeSync(fd);
      }
    }
    case 'hardlink':
      linkSync(objectPath, tmp);
      return;
    case 'symlink':
      symlinkSync(objectPath, tmp);
      return;
  }
}

async function createLink(type: LinkType, objectPath: string, tmp: string): Promise<void> {
  switch (type) {
    case 'reflink':
      await copyFile(objectPath, tmp, constants.COPYFILE_FICLONE_FORCE | INTO_NEW_FILE);
      await chmod(tmp, WRITABLE_MODE);
      return;
    case 'copy':
      await copyFile(objectPath, tmp, INTO_NEW_FILE);
      await chmod(tmp, WRITABLE_MODE);
      return;
    case 'hardlink':
      await link(objectPath, tmp);
      return;
    case 'symlink':
      await symlink(objectPath, tmp);
      return;
  }
}

/**
 * Makes a workspace file (or every file of a directory) safe to edit: a hard or symbolic link to
 * the cache is replaced by a writable copy of its content; the cache object is not touched.
 * A file that is already a private writable file is left as it is.
 */
export async function unprotect(absPath: string): Promise<void> {
  const stats = await lstat(absPath).catch((e: unknown) => {
    if (errnoOf(e) === 'ENOENT') throw pathNotFoundError(absPath);
    throw e;
  });
  if (stats.isDirectory()) {
    for (const name of await readdir(absPath)) await unprotect(join(absPath, name));
    return;
  }
  const linked = stats.isSymbolicLink() || stats.nlink > 1;
  const readOnly = (stats.mode & 0o200) === 0;
  if (!linked && !readOnly) return;
  const source = stats.isSymbolicLink() ? await realpath(absPath) : absPath;
  try {
    await replaceAtomic(absPath, async (tmp) => {
      // FICLONE where possible: a reflink is copy-on-write, so editing it cannot reach the cache.
      await copyFile(source, tmp, constants.COPYFILE_FICLONE | INTO_NEW_FILE);
      await chmod(tmp, WRITABLE_MODE);
    });
  } catch (e) {
    rethrowSystemError(e, absPath, 'unprotect');
  }
}
