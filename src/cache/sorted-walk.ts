import { readdirSync, readlinkSync, type Dirent } from 'node:fs';
import { join, sep } from 'node:path';
import { rethrowSystemError, symlinkError, unsupportedFileTypeError } from './errors.js';
import { direntKind, type SymlinkPolicy } from './walk.js';
import { makeYielder } from './yield.js';

/** One file met by walkSorted; the object is reused for the next file (copy what you keep). */
export interface SortedFile {
  /** Posix path relative to the walked directory: the manifest's `path`. */
  relPath: string;
  absPath: string;
  /** A symlink (one the policy accepted), not a regular file. */
  isLink: boolean;
}

interface Frame {
  readonly absDir: string;
  readonly relDir: string;
  readonly entries: Dirent[];
  next: number;
}

/**
 * Visits the regular files (and accepted symlinks) under `dir` in manifest order: sorted by
 * relative posix path in UTF-16 code-unit order, as serializeManifest sorts. Siblings are sorted
 * by name, a folder's name read as "name/" (what every path inside it continues with), so a
 * depth-first walk meets paths in exactly the order a sort of all paths gives ("a-b" < "a/x" <
 * "a0"), and a caller can stream a manifest without holding the list of files (1M files).
 *
 * Directory reads are synchronous (see yield.ts). `visit` may return a promise (a large file
 * read asynchronously); the walk awaits it before the next file.
 */
export async function walkSorted(dir: string, allowSymlink: SymlinkPolicy, visit: (file: SortedFile) => void | Promise<void>): Promise<void> {
  const root = join(dir);
  const stack: Frame[] = [{ absDir: root, relDir: '', entries: listSorted(root), next: 0 }];
  const file: SortedFile = { relPath: '', absPath: '', isLink: false };
  const yielder = makeYielder();
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const d = frame.entries[frame.next++];
    if (d === undefined) {
      stack.pop();
      continue;
    }
    const absPath = frame.absDir.endsWith(sep) ? frame.absDir + d.name : `${frame.absDir}${sep}${d.name}`;
    const relPath = frame.relDir === '' ? d.name : `${frame.relDir}/${d.name}`;
    if (d.isDirectory()) {
      stack.push({ absDir: absPath, relDir: relPath, entries: listSorted(absPath), next: 0 });
      continue;
    }
    if (d.isSymbolicLink()) {
      const target = readlinkSync(absPath);
      if (!allowSymlink(absPath, target)) throw symlinkError(absPath, target);
    } else if (!d.isFile()) {
      throw unsupportedFileTypeError(absPath, direntKind(d));
    }
    file.relPath = relPath;
    file.absPath = absPath;
    file.isLink = d.isSymbolicLink();
    // Awaited only when there is something to wait for: an await per file costs a microtask turn.
    const pending = visit(file);
    if (pending !== undefined) await pending;
    const pause = yielder.tick();
    if (pause !== undefined) await pause;
  }
}

function listSorted(absDir: string): Dirent[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(absDir, { withFileTypes: true });
  } catch (e) {
    return rethrowSystemError(e, absDir, 'list');
  }
  // Sorted as keys with the default sort (code-unit order, no comparator called per pair: at
  // start-up a JS comparator runs interpreted, and a no-op status sorts every folder of the data).
  const byKey = new Map<string, Dirent>();
  for (const d of entries) byKey.set(d.isDirectory() ? `${d.name}/` : d.name, d);
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}
