import type { LineCounter } from 'yaml';
import type { SourceRange } from '../core/diagnostics.js';

/**
 * A small YAML tree that remembers where every node came from, so any later problem
 * (interpolation, validation, options) can point at the exact text in the file.
 */
export type LNode = LMap | LSeq | LScalar;

export type ScalarValue = string | number | boolean | null;

export interface LScalar {
  readonly kind: 'scalar';
  readonly value: ScalarValue;
  readonly range: SourceRange;
  /** Where the scalar's source text lies, to locate `${...}` inside it; absent for generated nodes. */
  readonly origin?: ScalarOrigin;
  /** A number written as a YAML float (`1.0`, `1e3`): interpolated as `1.0`, `1000.0`, like DVC. */
  readonly float?: true;
}

export interface ScalarOrigin {
  readonly source: SourceFile;
  readonly start: number;
  readonly end: number;
}

export interface LSeq {
  readonly kind: 'seq';
  readonly items: readonly LNode[];
  readonly range: SourceRange;
}

export interface LEntry {
  readonly key: string;
  readonly keyRange: SourceRange;
  readonly value: LNode;
}

export interface LMap {
  readonly kind: 'map';
  readonly entries: readonly LEntry[];
  readonly range: SourceRange;
}

/** The text of one file with a line index, shared by every node parsed from it. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly lines: LineCounter;
}

/** Range of the character offsets [start, end) of a file. */
export function rangeOf(source: SourceFile, start: number, end: number): SourceRange {
  const from = source.lines.linePos(start);
  const to = source.lines.linePos(Math.max(start, end));
  return { file: source.path, line: from.line, col: from.col, endLine: to.line, endCol: to.col };
}

export function entryOf(map: LMap, key: string): LEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

export function isScalar(node: LNode): node is LScalar {
  return node.kind === 'scalar';
}

/**
 * A copy of `node` placed at `range`: an interpolated value is reported where it is used, not in
 * the params file it came from. Number types (int or float) are kept.
 */
export function relocate(node: LNode, range: SourceRange): LNode {
  switch (node.kind) {
    case 'scalar':
      return { kind: 'scalar', value: node.value, range, ...(node.float ? { float: true } : {}) };
    case 'seq':
      return { kind: 'seq', items: node.items.map((item) => relocate(item, range)), range };
    case 'map':
      return { kind: 'map', entries: node.entries.map((e) => ({ key: e.key, keyRange: range, value: relocate(e.value, range) })), range };
  }
}

export function toPlain(node: LNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map':
      return Object.fromEntries(node.entries.map((e) => [e.key, toPlain(e.value)]));
  }
}

export function toScalarValue(value: unknown): ScalarValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

/** The YAML-ish name of a node's type, for messages ("expected a list, got a mapping"). */
export function describeNode(node: LNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  const v = node.value;
  if (v === null) return 'null';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  return 'a boolean';
}
