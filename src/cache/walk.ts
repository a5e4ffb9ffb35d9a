import { readdirSync, readlinkSync } from 'node:fs';
import { join, sep } from 'node:path';
import { rethrowSystemError, symlinkError, unsupportedFileTypeError } from './errors.js';
import { makeYielder } from './yield.js';

export interface WalkedFile {
  /** Posix path relative to the walked directory. */
  readonly relPath: string;
  readonly absPath: string;
}

/**
 * Decides whether a symlink found inside a tracked directory is acceptable. The cache itself
 * creates symlinks into its object store (link type "symlink"); any other link is refused
 * because following it could track data outside the project or loop forever.
 */
export type SymlinkPolicy = (absPath: string, target: string) => boolean;

/**
 * Lists the regular files under `dir`, recursively. Empty directories produce nothing (like git
 * and DVC). Symlinks not accepted by `allowSymlink` throw E_SYMLINK; sockets, FIFOs and devices
 * throw E_UNSUPPORTED_FILE_TYPE. The order is unspecified: manifests sort their entries.
 * Directory reads are synchronous (see yield.ts), yielding to the event loop now and then.
 */
export async function walkFiles(dir: string, allowSymlink: SymlinkPolicy): Promise<WalkedFile[]> {
  const files: WalkedFile[] = [];
  // Normalised once here, so that names below are joined by concatenation (path.join per file
  // costs as much as the stat of a no-op status).
  const pending: { absDir: string; relDir: string }[] = [{ absDir: join(dir), relDir: '' }];
  const yielder = makeYielder(64);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    try {
      readOneDir(next.absDir, next.relDir, allowSymlink, files, pending);
    } catch (e) {
      rethrowSystemError(e, next.absDir, 'list');
    }
    await yielder.tick();
  }
  return files;
}

function readOneDir(
  absDir: string,
  relDir: string,
  allowSymlink: SymlinkPolicy,
  out: WalkedFile[],
  pending: { absDir: string; relDir: string }[],
): void {
  for (const d of readdirSync(absDir, { withFileTypes: true })) {
    const absPath = absDir.endsWith(sep) ? absDir + d.name : `${absDir}${sep}${d.name}`;
    const relPath = relDir === '' ? d.name : `${relDir}/${d.name}`;
    if (d.isFile()) {
      out.push({ relPath, absPath });
    } else if (d.isDirectory()) {
      pending.push({ absDir: absPath, relDir: relPath });
    } else if (d.isSymbolicLink()) {
      const target = readlinkSync(absPath);
      if (!allowSymlink(absPath, target)) throw symlinkError(absPath, target);
      out.push({ relPath, absPath });
    } else {
      throw unsupportedFileTypeError(absPath, direntKind(d));
    }
  }
}

export function direntKind(d: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean }): string {
  if (d.isFIFO()) return 'FIFO';
  if (d.isSocket()) return 'socket';
  return d.isBlockDevice() ? 'block device' : 'character device';
}
