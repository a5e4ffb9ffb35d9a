import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { assertColumnsExist, isRagged, openTable } from '../../table/index.js';

/** One source image to process. */
export interface SourceItem {
  /** Posix path relative to the input folder (or, for a manifest, to its image folder). */
  readonly rel: string;
  readonly abs: string;
  readonly label: string;
  /** The manifest's `source`: the original image these outputs come from (for `split`'s group). */
  readonly source: string;
  /** How errors name it: a project-relative path, or `manifest.csv:LINE (path)`. */
  readonly where: string;
}

/** A file or manifest row that cannot be processed, and why (sharp's reason, for images). */
export interface BadItem {
  readonly path: string;
  readonly reason: string;
}

export interface Sources {
  readonly items: SourceItem[];
  readonly bad: BadItem[];
  /** Hidden files and folders (names starting with "."), left out. */
  readonly hidden: number;
}

/** Codepoint order: the same on every machine, whatever the locale. */
export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every file under `dir` laid out as `<label>/<file>` (deeper folders allowed: the label is the
 * first level). Symbolic links are not followed; files directly in `dir` have no label.
 */
export async function folderSources(root: string, dir: string): Promise<Sources> {
  const items: SourceItem[] = [];
  const bad: BadItem[] = [];
  let hidden = 0;
  const visit = async (rel: string): Promise<void> => {
    const entries: Dirent[] = await readdir(join(dir, rel), { withFileTypes: true });
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const abs = join(dir, childRel);
      const where = relative(root, abs);
      if (entry.name.startsWith('.')) hidden++;
      else if (entry.isDirectory()) await visit(childRel);
      else if (entry.isSymbolicLink()) bad.push({ path: where, reason: 'a symbolic link (links are not followed)' });
      else if (!entry.isFile()) bad.push({ path: where, reason: 'not a regular file' });
      else if (rel === '') bad.push({ path: where, reason: 'not inside a <label>/ folder' });
      else items.push({ rel: childRel, abs, label: childRel.slice(0, childRel.indexOf('/')), source: childRel, where });
    }
  };
  await visit('');
  items.sort((a, b) => byPath(a.rel, b.rel));
  return { items, bad, hidden };
}

/**
 * The rows of a manifest-shaped table (columns `path`, `label`, optional `source`), `path`
 * relative to `imagesDir`. A path that could leave the folder is a bad row, never opened.
 */
export async function manifestSources(root: string, manifest: string, imagesDir: string): Promise<Sources> {
  const table = await openTable(manifest);
  assertColumnsExist(manifest, table.columns, ['path', 'label'], 'manifest');
  const items: SourceItem[] = [];
  const bad: BadItem[] = [];
  const firstLine = new Map<string, number>();
  const name = relative(root, manifest);
  for await (const row of table) {
    const path = text(row.record['path']);
    const where = `${name}:${row.line} (${JSON.stringify(path)})`;
    const label = text(row.record['label']);
    const problem = isRagged(row, table.columns)
      ? `the row has ${row.fieldCount} fields, the header ${table.columns.length}`
      : (pathProblem(path) ?? (label === '' ? 'empty label' : undefined));
    const seen = firstLine.get(path);
    if (problem !== undefined) bad.push({ path: where, reason: problem });
    else if (seen !== undefined) bad.push({ path: where, reason: `the same path as line ${seen}` });
    else {
      firstLine.set(path, row.line);
      items.push({ rel: path, abs: join(imagesDir, path), label, source: text(row.record['source']) || path, where });
    }
  }
  items.sort((a, b) => byPath(a.rel, b.rel));
  return { items, bad, hidden: 0 };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** Why a manifest path is refused: it must be relative, with `/` separators, and stay inside. */
export function pathProblem(path: string): string | undefined {
  if (path === '') return 'empty path';
  if (path.includes('\0')) return 'the path holds a NUL byte';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'an absolute path (paths are relative to the image folder)';
  if (path.includes('\\')) return 'a backslash in the path (use / between folders)';
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..')) return 'an empty, "." or ".." path segment';
  return undefined;
}
