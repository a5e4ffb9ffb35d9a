import { isAlias, isCollection, isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { SourceRange } from '../core/diagnostics.js';
import { DvctsError } from '../core/errors.js';

/**
 * YAML from git is untrusted: aliases can expand a 1 KB document into gigabytes ("billion
 * laughs") or into a cycle (`x: &a [*a]`) that overflows the stack of any code walking the value.
 * Every YAML dvcts reads goes through the alias check below: the expanded document may have at
 * most MAX_ALIAS_NODES nodes added by aliases and MAX_DEPTH levels, and no alias may point
 * into its own anchor. Parsing itself never expands aliases (the Document keeps them as nodes).
 */
export const MAX_ALIAS_NODES = 100_000;
export const MAX_DEPTH = 200;

export interface YamlProblem {
  readonly message: string;
  /** Character offsets [start, end) of the node at fault. */
  readonly range: readonly [number, number];
}

/** The first alias (or nesting) problem of a parsed document, or undefined when it is safe to expand. */
export function aliasProblem(doc: Document): YamlProblem | undefined {
  const measured = new Map<Node, { size: number; height: number }>();
  const open = new Set<Node>(); // collections being measured: an alias to one of them is a cycle
  let added = 0;
  const fail = (node: Node, message: string): never => {
    const [start, end] = node.range ?? [0, 0];
    throw { message, range: [start, end] } satisfies YamlProblem;
  };
  const measure = (node: Node, depth: number): { size: number; height: number } => {
    if (depth > MAX_DEPTH) fail(node, `the document nests deeper than ${MAX_DEPTH} levels`);
    if (isAlias(node)) {
      const target = node.resolve(doc) as Node | undefined;
      if (target === undefined) return { size: 1, height: 1 };
      if (open.has(target)) fail(node, `alias *${node.source} refers to a node that contains it (a recursive alias)`);
      const shape = measured.get(target) ?? measure(target, depth);
      added += shape.size;
      if (added > MAX_ALIAS_NODES) fail(node, `aliases expand the document by more than ${MAX_ALIAS_NODES} nodes (an alias bomb?)`);
      if (depth + shape.height > MAX_DEPTH) fail(node, `alias *${node.source} nests the document deeper than ${MAX_DEPTH} levels`);
      return shape;
    }
    const known = measured.get(node);
    if (known !== undefined) return known;
    let size = 1;
    let height = 1;
    if (isCollection(node)) {
      open.add(node);
      for (const item of node.items) {
        for (const child of isPair(item) ? [item.key, item.value] : [item]) {
          if (child === null || typeof child !== 'object') continue;
          const shape = measure(child as Node, depth + 1);
          size += shape.size;
          height = Math.max(height, shape.height + 1);
        }
      }
      open.delete(node);
    }
    const shape = { size, height };
    measured.set(node, shape);
    return shape;
  };
  try {
    if (doc.contents) measure(doc.contents as Node, 1);
    return undefined;
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'range' in e && 'message' in e) return e as YamlProblem;
    throw e;
  }
}

/** How a caller reports a file it cannot parse: its own error code (E_LOCK_INVALID, ...) and how to fix it. */
export interface YamlFailure {
  readonly code: 'E_LOCK_INVALID' | 'E_PARAMS_INVALID' | 'E_CONFIG_INVALID' | 'E_METRICS_INVALID';
  readonly hint: string;
  readonly exitCode?: number;
  /** More structured data for the error (e.g. the lock file's `path`). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Metrics and plots files, whose callers report a parse failure as a problem of that file. */
export const METRICS_YAML: YamlFailure = { code: 'E_METRICS_INVALID', hint: 'fix the stage that writes it, then run it again' };

/**
 * Parses YAML (or JSON) text into plain values. Syntax errors and unsafe aliases throw the
 * caller's error code with `file:line:col` in the message and { file, line, col } in the data.
 */
export function parseYamlValue(text: string, file: string, failure: YamlFailure): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntax = doc.errors[0];
  const problem = syntax ? { message: syntax.message.split('\n')[0] ?? syntax.message, range: syntax.pos } : aliasProblem(doc);
  if (problem !== undefined) {
    const { line, col } = lineCounter.linePos(problem.range[0]);
    throw new DvctsError(failure.code, `${file}:${line}:${col}: not valid YAML: ${problem.message}`, {
      data: { ...failure.data, file, line, col, reason: `not valid YAML: ${problem.message}` },
      hint: failure.hint,
      ...(failure.exitCode !== undefined ? { exitCode: failure.exitCode } : {}),
    });
  }
  // The check above bounds what aliases add, so the library's own (coarser) alias counter is off.
  return doc.toJS({ maxAliasCount: -1 });
}

/**
 * Where the value at `keyPath` (e.g. ['stages', 'train', 'outs', 0, 'path']) of a file is, or
 * with `key: true` the mapping key that names it (['stages', 'train'] -> `train:`), for messages.
 */
export function locateIn(file: string, text: string, keyPath: readonly (string | number)[], opts: { key?: boolean } = {}): SourceRange | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const last = keyPath[keyPath.length - 1];
  const parent = opts.key ? doc.getIn(keyPath.slice(0, -1), true) : undefined;
  const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === last) : undefined;
  const node = (opts.key ? pair?.key : doc.getIn(keyPath, true)) as Node | undefined;
  if (node?.range == null) return undefined;
  const from = lineCounter.linePos(node.range[0]);
  const to = lineCounter.linePos(node.range[1]);
  return { file, line: from.line, col: from.col, endLine: to.line, endCol: to.col };
}
