import { allKeyPaths, formatKeyPath, lookupPath, type KeySegment } from './key-path.js';
import { closeMatches } from '../core/suggest.js';

/** A param that an interpolated value came from: changing it must rerun the stage. */
export interface TrackedVar {
  readonly file: string;
  readonly key: string;
}

export type VarLookup =
  | { readonly found: true; readonly value: unknown; readonly tracked: readonly TrackedVar[] }
  | { readonly found: false; readonly suggestions: readonly string[] };

type PlainMap = Record<string, unknown>;

/**
 * The values `${...}` can see: params.yaml, then `vars` in order (later wins, mappings merge deeply),
 * then foreach/matrix locals. Remembers which params file each subtree came from, so interpolated
 * values are tracked like declared params; inline values are not tracked (DVC does the same).
 */
export class VarsContext {
  private constructor(
    private readonly root: PlainMap,
    /** Key path of a subtree taken whole from a file -> that file. Only subtree roots are recorded. */
    private readonly origins: Map<string, string>,
    /** Params files merged whole so far: DVC loads a file once. */
    private readonly loadedFiles = new Set<string>(),
  ) {}

  clone(): VarsContext {
    return new VarsContext(structuredClone(this.root), new Map(this.origins), new Set(this.loadedFiles));
  }

  markLoaded(file: string): void {
    this.loadedFiles.add(file);
  }

  hasLoaded(file: string): boolean {
    return this.loadedFiles.has(file);
  }

  static empty(): VarsContext {
    return new VarsContext({}, new Map());
  }

  /** Merges `values` in (later wins); `file` is the project-relative params file they came from. */
  merge(values: PlainMap, file?: string): void {
    this.mergeInto(this.root, values, [], file);
  }

  /** A child context with foreach/matrix locals (`item`, `key`) that shadow top-level keys. */
  withLocals(locals: PlainMap): VarsContext {
    const origins = new Map([...this.origins].filter(([path]) => !Object.hasOwn(locals, topKeyOf(path))));
    return new VarsContext({ ...this.root, ...locals }, origins, this.loadedFiles);
  }

  hasTopKey(key: string): boolean {
    return Object.hasOwn(this.root, key);
  }

  lookup(segments: readonly KeySegment[]): VarLookup {
    const found = lookupPath(this.root, segments);
    if (!found.found) {
      return { found: false, suggestions: closeMatches(formatKeyPath(segments), allKeyPaths(this.root)) };
    }
    const key = formatKeyPath(segments);
    const files = new Set<string>();
    for (const [path, file] of this.origins) {
      if (isSameOrInside(path, key) || isSameOrInside(key, path)) files.add(file);
    }
    return { found: true, value: found.value, tracked: [...files].map((file) => ({ file, key })) };
  }

  private mergeInto(target: PlainMap, source: PlainMap, prefix: readonly KeySegment[], file: string | undefined): void {
    for (const [key, incoming] of Object.entries(source)) {
      const path = [...prefix, key];
      const existing = target[key];
      if (isPlainMap(existing) && isPlainMap(incoming)) {
        this.pushOriginDown(formatKeyPath(path), existing);
        this.mergeInto(existing, incoming, path, file);
        continue;
      }
      const formatted = formatKeyPath(path);
      for (const recorded of [...this.origins.keys()]) {
        if (isSameOrInside(recorded, formatted)) this.origins.delete(recorded);
      }
      target[key] = structuredClone(incoming);
      if (file !== undefined) this.origins.set(formatted, file);
    }
  }

  /** Before merging into a subtree that came whole from one file, record its children separately. */
  private pushOriginDown(path: string, map: PlainMap): void {
    const file = this.origins.get(path);
    if (file === undefined) return;
    this.origins.delete(path);
    for (const key of Object.keys(map)) this.origins.set(`${path}.${key}`, file);
  }
}

function isPlainMap(value: unknown): value is PlainMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `a.b` is inside `a`; `a[0]` is inside `a`; `ab` is not inside `a`. */
function isSameOrInside(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}.`) || path.startsWith(`${ancestor}[`);
}

function topKeyOf(path: string): string {
  return /^[^.[]*/.exec(path)?.[0] ?? path;
}
