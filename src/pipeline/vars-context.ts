import { error, type Diagnostic, type SourceRange } from '../core/diagnostics.js';
import { closeMatches } from '../core/suggest.js';
import { allKeyPaths, formatKeyPath, type KeySegment } from './key-path.js';
import { toPlain, type LEntry, type LMap, type LNode } from './located.js';

/** A param that an interpolated value came from: changing it must rerun the stage. */
export interface TrackedVar {
  readonly file: string;
  readonly key: string;
}

export type VarLookup =
  | { readonly found: true; readonly value: LNode; readonly tracked: readonly TrackedVar[] }
  | { readonly found: false; readonly suggestions: readonly string[] };

const NOWHERE: SourceRange = { file: '', line: 1, col: 1, endLine: 1, endCol: 1 };

/**
 * The values `${...}` can see: params.yaml, then `vars` in order, then foreach/matrix locals. The
 * values are the parsed YAML nodes, so a float stays a float and a redefinition can name both
 * lines. Like DVC, mappings merge and a value is never redefined (E_VARS_REDEFINED). Remembers which
 * params file each subtree came from, so interpolated values are tracked like declared params;
 * inline values are not tracked (DVC does the same).
 */
export class VarsContext {
  /** Top-level keys of `origins`, made on first use by withLocals (32k foreach items ask it). */
  private originTops: Set<string> | undefined;

  private constructor(
    private root: LMap,
    /** Key path of a subtree taken whole from a file -> that file. Only subtree roots are recorded. */
    private readonly origins: Map<string, string>,
    /** Params files merged whole so far: DVC loads a file once. */
    private readonly loadedFiles = new Set<string>(),
    /** foreach/matrix locals of this context: never from a params file, so never tracked. */
    private readonly localKeys?: ReadonlySet<string>,
  ) {}

  static empty(): VarsContext {
    return new VarsContext({ kind: 'map', entries: [], range: NOWHERE }, new Map());
  }

  clone(): VarsContext {
    return new VarsContext(this.root, new Map(this.origins), new Set(this.loadedFiles));
  }

  markLoaded(file: string): void {
    this.loadedFiles.add(file);
  }

  hasLoaded(file: string): boolean {
    return this.loadedFiles.has(file);
  }

  /**
   * Merges `values` in; `file` is the project-relative params file they came from (undefined for
   * inline vars). A value already defined is kept and reported at `at` (default: the new key).
   */
  merge(values: LMap, file: string | undefined, at: SourceRange | undefined, diagnostics: Diagnostic[]): void {
    this.originTops = undefined;
    this.root = this.mergeMaps(this.root, values, [], file, (path, existing, incoming) => {
      const where = (r: SourceRange): string => `${r.file}:${r.line}:${r.col}`;
      diagnostics.push(
        error('E_VARS_REDEFINED', `cannot redefine "${path}" from ${where(incoming.keyRange)}: it is already defined at ${where(existing.keyRange)}`, at ?? incoming.keyRange, 'like DVC, vars never override a value: remove or rename one of them, or load only other keys (`file.yaml:key1,key2`)'),
      );
    });
  }

  /** A child context with foreach/matrix locals (`item`, `key`) that shadow top-level keys. */
  withLocals(locals: Readonly<Record<string, LNode>>): VarsContext {
    const shadowed = (key: string): boolean => Object.hasOwn(locals, key);
    const entries = [
      ...this.root.entries.filter((e) => !shadowed(e.key)),
      ...Object.entries(locals).map(([key, value]) => ({ key, keyRange: value.range, value })),
    ];
    // The origins are shared when no local shadows one (a context with locals is never merged
    // into: vars-loader clones it first), so a foreach item does not copy every params key.
    this.originTops ??= new Set([...this.origins.keys()].map(topKeyOf));
    const tops = this.originTops;
    const origins = Object.keys(locals).some((key) => tops.has(key)) ? new Map([...this.origins].filter(([path]) => !shadowed(topKeyOf(path)))) : this.origins;
    return new VarsContext({ ...this.root, entries }, origins, this.loadedFiles, new Set(Object.keys(locals)));
  }

  lookup(segments: readonly KeySegment[]): VarLookup {
    let node: LNode | undefined = this.root;
    for (const segment of segments) node = node === undefined ? undefined : childOf(node, segment);
    if (node === undefined) {
      return { found: false, suggestions: closeMatches(formatKeyPath(segments), allKeyPaths(toPlain(this.root))) };
    }
    if (this.localKeys?.has(String(segments[0]))) return { found: true, value: node, tracked: [] };
    const key = formatKeyPath(segments);
    const files = new Set<string>();
    for (const [path, file] of this.origins) {
      if (isSameOrInside(path, key) || isSameOrInside(key, path)) files.add(file);
    }
    return { found: true, value: node, tracked: [...files].map((file) => ({ file, key })) };
  }

  private mergeMaps(
    target: LMap,
    source: LMap,
    prefix: readonly KeySegment[],
    file: string | undefined,
    redefined: (path: string, existing: LEntry, incoming: LEntry) => void,
  ): LMap {
    const entries = [...target.entries];
    const index = new Map(entries.map((e, i) => [e.key, i]));
    for (const incoming of source.entries) {
      const path = formatKeyPath([...prefix, incoming.key]);
      const at = index.get(incoming.key);
      const existing = at === undefined ? undefined : entries[at];
      if (at === undefined || existing === undefined) {
        index.set(incoming.key, entries.push(incoming) - 1);
        if (file !== undefined) this.origins.set(path, file);
      } else if (existing.value.kind === 'map' && incoming.value.kind === 'map') {
        this.pushOriginDown(path, existing.value);
        entries[at] = { ...existing, value: this.mergeMaps(existing.value, incoming.value, [...prefix, incoming.key], file, redefined) };
      } else {
        redefined(path, existing, incoming);
      }
    }
    return { ...target, entries };
  }

  /** Before merging into a subtree that came whole from one file, record its children separately. */
  private pushOriginDown(path: string, map: LMap): void {
    const file = this.origins.get(path);
    if (file === undefined) return;
    this.origins.delete(path);
    for (const entry of map.entries) this.origins.set(`${path}.${entry.key}`, file);
  }
}

/** A list item by index (`a[0]`, DVC's `a.0`), a mapping value by key. */
function childOf(node: LNode, segment: KeySegment): LNode | undefined {
  if (node.kind === 'seq') {
    const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : NaN;
    return Number.isInteger(index) ? node.items[index] : undefined;
  }
  if (node.kind === 'map' && typeof segment === 'string') return node.entries.find((e) => e.key === segment)?.value;
  return undefined;
}

/** `a.b` is inside `a`; `a[0]` is inside `a`; `ab` is not inside `a`. */
function isSameOrInside(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}.`) || path.startsWith(`${ancestor}[`);
}

function topKeyOf(path: string): string {
  return /^[^.[]*/.exec(path)?.[0] ?? path;
}
