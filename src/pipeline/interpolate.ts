import { error, type Diagnostic, type SourceRange } from '../core/diagnostics.js';
import { unpackDict, type UnpackStyle } from './dict-unpack.js';
import { parseKeyPath, type KeySegment } from './key-path.js';
import { rangeOf, relocate, type LEntry, type LNode, type LScalar } from './located.js';
import { scalarText } from './scalar-text.js';
import type { TrackedVar, VarsContext } from './vars-context.js';

/** Where interpolation reports problems and the params files its values came from. */
export interface InterpolationSink {
  readonly diagnostics: Diagnostic[];
  readonly tracked: TrackedVar[];
}

export interface InterpolateOptions {
  /** Values used only when the context has no such key (`${deps}` / `${outs}` inside `cmd`); made on demand. */
  readonly fallback?: (key: string) => string | undefined;
  /** Inside `cmd` only (DVC): a mapping becomes `--key value` arguments, in this style. */
  readonly unpack?: UnpackStyle;
}

type Piece = { readonly text: string } | { readonly expr: string; readonly token: string };
type Resolved = { readonly node: LNode; readonly segments?: readonly KeySegment[] };

/**
 * DVC-style `${...}` interpolation over a located tree. A string that is exactly one `${x}` takes
 * x's type (number, list, mapping...); inside a longer string x must be a scalar, written as DVC
 * writes it (a float stays `1.0`), or, in `cmd`, a mapping to unpack. `\${` is a literal.
 * Map keys are interpolated too (an out written `${name}.csv: {cache: false}`).
 */
export function interpolate(node: LNode, ctx: VarsContext, sink: InterpolationSink, opts: InterpolateOptions = {}): LNode {
  switch (node.kind) {
    case 'seq':
      return { kind: 'seq', items: node.items.map((item) => interpolate(item, ctx, sink, opts)), range: node.range };
    case 'map':
      return { kind: 'map', entries: node.entries.map((entry) => interpolateEntry(entry, ctx, sink, opts)), range: node.range };
    case 'scalar':
      if (typeof node.value !== 'string' || !node.value.includes('${')) return node;
      return interpolateString(node.value, node, locatorFor(node), ctx, sink, opts);
  }
}

function interpolateEntry(entry: LEntry, ctx: VarsContext, sink: InterpolationSink, opts: InterpolateOptions): LEntry {
  const value = interpolate(entry.value, ctx, sink, opts);
  if (!entry.key.includes('${')) return { ...entry, value };
  const keyNode: LScalar = { kind: 'scalar', value: entry.key, range: entry.keyRange };
  const key = interpolateString(entry.key, keyNode, () => entry.keyRange, ctx, sink, opts, true);
  return { ...entry, key: key.kind === 'scalar' ? String(key.value) : entry.key, value };
}

type Locator = (token: string, occurrence: number) => SourceRange;

// A foreach of 32k items interpolates the same few templates 32k times: their parse is kept
// (results are only read). Bounded, for long-lived processes that see many pipelines.
const MEMO_LIMIT = 4096;
const splitMemo = new Map<string, ReturnType<typeof splitPieces>>();
const keyPathMemo = new Map<string, readonly KeySegment[] | undefined>();

function memoized<T>(memo: Map<string, T>, text: string, parse: (text: string) => T): T {
  if (memo.has(text)) return memo.get(text) as T;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  const parsed = parse(text);
  memo.set(text, parsed);
  return parsed;
}

function interpolateString(
  text: string,
  node: LScalar,
  locate: Locator,
  ctx: VarsContext,
  sink: InterpolationSink,
  opts: InterpolateOptions,
  forceString = false,
): LNode {
  const pieces = memoized(splitMemo, text, splitPieces);
  if ('error' in pieces) {
    sink.diagnostics.push(error('E_INTERP_SYNTAX', pieces.error, node.range, 'close it with "}" or write "\\${" for a literal "${"'));
    return node;
  }
  const parts: (string | { resolved: Resolved; token: string; range: () => SourceRange })[] = [];
  let ok = true;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if ('text' in piece) {
      parts.push(piece.text);
      continue;
    }
    const range = (): SourceRange => locate(piece.token, occurrenceOf(pieces, i));
    const resolved = resolve(piece, range, ctx, sink, opts);
    if (resolved === undefined) ok = false;
    else parts.push({ resolved, token: piece.token, range });
  }
  if (!ok) return node;
  const first = parts[0];
  const only = parts.length === 1 && first !== undefined && typeof first !== 'string' ? first.resolved.node : undefined;
  if (only !== undefined && !forceString && !(opts.unpack && only.kind === 'map')) return relocate(only, node.range);
  const words = parts.map((part) => (typeof part === 'string' ? part : wordOf(part.resolved, part.token, part.range, ctx, sink, opts)));
  if (words.includes(undefined)) return node;
  return { kind: 'scalar', value: words.join(''), range: node.range };
}

/** How many times the token of `pieces[at]` came before it in the string (to locate the n-th one, only for a message). */
function occurrenceOf(pieces: readonly Piece[], at: number): number {
  const token = (pieces[at] as { token: string }).token;
  let n = 0;
  for (let i = 0; i < at; i++) if ((pieces[i] as { token?: string }).token === token) n++;
  return n;
}

/** The text of one `${...}` inside a longer string; undefined (reported) for a list or a mapping that cannot be unpacked. */
function wordOf(resolved: Resolved, token: string, range: () => SourceRange, ctx: VarsContext, sink: InterpolationSink, opts: InterpolateOptions): string | undefined {
  const { node } = resolved;
  if (node.kind === 'scalar') return scalarText(node);
  if (node.kind === 'map' && opts.unpack && resolved.segments) {
    const unpacked = unpackDict(node, opts.unpack);
    if ('text' in unpacked) {
      for (const key of unpacked.keys) {
        const leaf = ctx.lookup([...resolved.segments, ...key]);
        if (leaf.found) sink.tracked.push(...leaf.tracked);
      }
      return unpacked.text;
    }
    sink.diagnostics.push(error('E_INTERP_TYPE', `${token} has a list inside a list ("${unpacked.nestedList}"): it cannot be unpacked into arguments`, range(), 'make the inner list a string, or pass its values one by one'));
    return undefined;
  }
  const what = node.kind === 'seq' ? 'a list' : 'a mapping';
  const pick = token.slice(0, -1);
  const hint =
    node.kind === 'map'
      ? `only \`cmd\` unpacks a mapping into --key value arguments; here pick one value (e.g. ${pick}.key})`
      : `use it as the whole value ("${token}") or pick one element (e.g. ${pick}[0]})`;
  sink.diagnostics.push(error('E_INTERP_TYPE', `${token} is ${what}; only a scalar can be part of a longer string`, range(), hint));
  return undefined;
}

function resolve(piece: { expr: string; token: string }, rangeOfToken: () => SourceRange, ctx: VarsContext, sink: InterpolationSink, opts: InterpolateOptions): Resolved | undefined {
  const segments = memoized(keyPathMemo, piece.expr, parseKeyPath);
  if (!segments) {
    sink.diagnostics.push(error('E_INTERP_SYNTAX', `"${piece.token}" is not a valid key (expected a.b[0].c)`, rangeOfToken()));
    return undefined;
  }
  const found = ctx.lookup(segments);
  if (found.found) {
    // a mapping unpacked in `cmd` tracks the keys it uses, one by one (see wordOf)
    if (!(opts.unpack && found.value.kind === 'map')) sink.tracked.push(...found.tracked);
    return { node: found.value, segments };
  }
  const fallback = segments.length === 1 ? opts.fallback?.(String(segments[0])) : undefined;
  if (fallback !== undefined) return { node: { kind: 'scalar', value: fallback, range: rangeOfToken() } };
  const hint =
    found.suggestions.length > 0
      ? `did you mean ${found.suggestions.map((s) => `"\${${s}}"`).join(' or ')}?`
      : 'define it in params.yaml or in the `vars:` of this file';
  sink.diagnostics.push(error('E_INTERP_MISSING', `no value for "${piece.expr.trim()}" in ${piece.token}`, rangeOfToken(), hint));
  return undefined;
}

/** Splits text into literal pieces and `${expr}` pieces; `\${` is a literal `${`. */
export function splitPieces(text: string): Piece[] | { error: string } {
  const pieces: Piece[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('\\${', i)) {
      literal += '${';
      i += 3;
    } else if (text.startsWith('${', i)) {
      const close = text.indexOf('}', i + 2);
      if (close < 0) return { error: `unclosed "\${" in "${text}"` };
      if (literal !== '') pieces.push({ text: literal });
      literal = '';
      pieces.push({ expr: text.slice(i + 2, close), token: text.slice(i, close + 1) });
      i = close + 1;
    } else {
      literal += text[i];
      i += 1;
    }
  }
  if (literal !== '') pieces.push({ text: literal });
  return pieces;
}

/** Finds the n-th `${...}` token in the scalar's source text; the whole scalar when it cannot. */
function locatorFor(node: LScalar): Locator {
  return (token, occurrence) => {
    const origin = node.origin;
    if (!origin) return node.range;
    const raw = origin.source.text.slice(origin.start, origin.end);
    let at = -1;
    for (let n = 0; n <= occurrence; n++) {
      at = raw.indexOf(token, at + 1);
      while (at > 0 && raw[at - 1] === '\\') at = raw.indexOf(token, at + 1);
      if (at < 0) return node.range;
    }
    return rangeOf(origin.source, origin.start + at, origin.start + at + token.length);
  };
}
