import type { ImageFormat } from './definition.js';

const EXTENSION: Readonly<Record<ImageFormat, string>> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

/**
 * Output names keep the source's folders and name: `cat/sub/img001.jpg` gives
 * `cat/sub/img001.c0.png`, `cat/sub/img001.c1.png`, ... When two sources in one folder share a
 * name without extension (`a.jpg`, `a.png`), both keep their extension (`a.jpg.c0.png`,
 * `a.png.c0.png`), so no output overwrites another. Source paths are already checked to have no
 * `..` or empty segments, so every output stays inside the output folder.
 */
export class OutputNames {
  private readonly stems = new Map<string, string>();

  constructor(
    sourceRels: readonly string[],
    private readonly format: ImageFormat,
  ) {
    const byFolder = new Map<string, string[]>();
    for (const rel of sourceRels) {
      const slash = rel.lastIndexOf('/');
      const folder = rel.slice(0, slash + 1);
      const names = byFolder.get(folder) ?? [];
      names.push(rel.slice(slash + 1));
      byFolder.set(folder, names);
    }
    for (const [folder, names] of byFolder) {
      for (const [name, stem] of uniqueStems(names)) this.stems.set(folder + name, folder + stem);
    }
  }

  /** The output path (relative to the output folder) of `copy` of the source at `rel`. */
  of(rel: string, copy: number): string {
    const stem = this.stems.get(rel);
    if (stem === undefined) throw new Error(`no output name for ${rel}`);
    return `${stem}.c${copy}.${EXTENSION[this.format]}`;
  }
}

/** File name -> the name outputs use: without its extension unless that would clash. */
function uniqueStems(names: readonly string[]): Map<string, string> {
  const stems = new Map(names.map((n) => [n, withoutExtension(n)]));
  for (;;) {
    const users = new Map<string, string[]>();
    for (const [name, stem] of stems) users.set(stem, [...(users.get(stem) ?? []), name]);
    const clashing = [...users.values()].filter((u) => u.length > 1).flat();
    // File names are unique in a folder, so each round turns at least one stem back into its
    // full name, and full names never clash with each other: this ends.
    const changed = clashing.filter((name) => stems.get(name) !== name);
    if (changed.length === 0) return stems;
    for (const name of changed) stems.set(name, name);
  }
}

function withoutExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
