import { error, type Diagnostic, type SourceRange } from '../core/diagnostics.js';
import { parseKeyPath } from './key-path.js';
import { fromPlain, rangeOf, type LEntry, type LNode, type LScalar } from './located.js';
import type { TrackedVar, VarsContext } from './vars-context.js';

/** Where interpolation reports problems and the params files its values came from. */
export interface InterpolationSink {
  readonly diagnostics: Diagnostic[];
  readonly tracked: TrackedVar[];
}

/** Values used only when the context has no such key (`${deps}` / `${outs}` inside `cmd`). */
export type Fallbacks = Readonly<Record<string, string>>;

type Piece = { readonly text: string } | { readonly expr: string; readonly token: string };

/**
 * DVC-style `${...}` interpolation over a located tree. A string that is exactly one `${x}` takes
 * x's type (number, list, mapping...); inside a longer string x must be a scalar. `\${` is a literal.
 * Map keys are interpolated too (an out written `${name}.csv: {cache: false}`).
 */
export function interpolate(node: LNode, ctx: VarsContext, sink: InterpolationSink, fallbacks: Fallbacks = {}): LNode {
  switch (node.kind) {
    case 'seq':
      return { ...node, items: node.items.map((item) => interpolate(item, ctx, sink, fallbacks)) };
    case 'map':
      return { ...node, entries: node.entries.map((entry) => interpolateEntry(entry, ctx, sink, fallbacks)) };
    case 'scalar':
      if (typeof node.value !== 'string' || !node.value.includes('${')) return node;
      return interpolateString(node.value, node, locatorFor(node), ctx, sink, fallbacks);
  }
}

function interpolateEntry(entry: LEntry, ctx: VarsContext, sink: InterpolationSink, fallbacks: Fallbacks): LEntry {
  const value = interpolate(entry.value, ctx, sink, fallbacks);
  if (!entry.key.includes('${')) return { ...entry, value };
  const keyNode: LScalar = { kind: 'scalar', value: entry.key, range: entry.keyRange };
  const key = interpolateString(entry.key, keyNode, () => entry.keyRange, ctx, sink, fallbacks, true);
  return { ...entry, key: key.kind === 'scalar' ? String(key.value) : entry.key, value };
}

type Locator = (token: string, occurrence: number) => SourceRange;

function interpolateString(
  text: string,
  node: LScalar,
  locate: Locator,
  ctx: VarsContext,
  sink: InterpolationSink,
  fallbacks: Fallbacks,
  forceString = false,
): LNode {
  const pieces = splitPieces(text);
  if ('error' in pieces) {
    sink.diagnostics.push(error('E_INTERP_SYNTAX', pieces.error, node.range, 'close it with "}" or write "\\${" for a literal "${"'));
    return node;
  }
  const seen = new Map<string, number>();
  const resolved: unknown[] = [];
  let ok = true;
  for (const piece of pieces) {
    if ('text' in piece) {
      resolved.push(piece.text);
      continue;
    }
    const occurrence = seen.get(piece.token) ?? 0;
    seen.set(piece.token, occurrence + 1);
    const value = resolve(piece, () => locate(piece.token, occurrence), ctx, sink, fallbacks);
    if (value === undefined) ok = false;
    resolved.push(value);
  }
  if (!ok) return node;
  const whole = pieces.length === 1 && !('text' in (pieces[0] as Piece));
  if (whole && !forceString) return fromPlain(resolved[0], node.range);
  const nonScalar = resolved.findIndex((v) => v !== null && typeof v === 'object');
  if (nonScalar >= 0) {
    const piece = pieces[nonScalar] as { token: string };
    const range = locate(piece.token, 0);
    sink.diagnostics.push(
      error('E_INTERP_TYPE', `${piece.token} is a ${Array.isArray(resolved[nonScalar]) ? 'list' : 'mapping'}; only a scalar can be part of a longer string`, range, `use it as the whole value ("${piece.token}") or pick one element (e.g. ${piece.token.slice(0, -1)}[0]})`),
    );
    return node;
  }
  return { kind: 'scalar', value: resolved.map(String).join(''), range: node.range };
}

function resolve(
  piece: { expr: string; token: string },
  rangeOfToken: () => SourceRange,
  ctx: VarsContext,
  sink: InterpolationSink,
  fallbacks: Fallbacks,
): unknown {
  const segments = parseKeyPath(piece.expr);
  if (!segments) {
    sink.diagnostics.push(error('E_INTERP_SYNTAX', `"${piece.token}" is not a valid key (expected a.b[0].c)`, rangeOfToken()));
    return undefined;
  }
  const found = ctx.lookup(segments);
  if (found.found) {
    sink.tracked.push(...found.tracked);
    return found.value;
  }
  const fallback = segments.length === 1 ? fallbacks[String(segments[0])] : undefined;
  if (fallback !== undefined) return fallback;
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
