import type { ErrorCode } from '../core/error-catalogue.js';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Scalar } from 'yaml';
import { error, type Diagnostic } from '../core/diagnostics.js';
import { aliasProblem } from './safe-yaml.js';
import { rangeOf, toScalarValue, type LEntry, type LNode, type SourceFile } from './located.js';

export interface ParsedYaml {
  /** Absent when the file has syntax errors (a half-parsed tree would produce misleading errors). */
  readonly root?: LNode;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ParseYamlOptions {
  /** Code for a duplicate key, given the keys of the mapping that holds it (E_DUPLICATE_STAGE under `stages`). */
  readonly duplicateCode?: (mapPath: readonly string[]) => ErrorCode;
}

export function sourceFile(path: string, text: string): SourceFile {
  const lines = new LineCounter();
  // Our own line index (offset 0 starts line 1), so files that are never parsed can be located too.
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return { path, text, lines };
}

/** Parses YAML into a located tree. Never throws: syntax errors become E_YAML diagnostics. */
export function parseYaml(source: SourceFile, opts: ParseYamlOptions = {}): ParsedYaml {
  // uniqueKeys: false — duplicates are reported here, with a code that says what was duplicated.
  const doc = parseDocument(source.text, { uniqueKeys: false, merge: true, prettyErrors: false });
  const syntax = doc.errors.map((e) =>
    error('E_YAML', `invalid YAML: ${firstLine(e.message)}`, rangeOf(source, e.pos[0], e.pos[1]), 'fix the YAML syntax at this position'),
  );
  if (syntax.length > 0) return { diagnostics: syntax };
  const unsafe = aliasProblem(doc);
  if (unsafe !== undefined) {
    const range = rangeOf(source, unsafe.range[0], unsafe.range[1]);
    return { diagnostics: [error('E_YAML', `unsafe YAML: ${unsafe.message}`, range, 'write the values out instead of using anchors and aliases here')] };
  }
  const converter = new Converter(source, doc, opts.duplicateCode ?? (() => 'E_DUPLICATE_KEY'));
  const root = doc.contents ? converter.convert(doc.contents as Node, []) : undefined;
  return { ...(root ? { root } : {}), diagnostics: converter.diagnostics };
}

/** YAML 1.2 integers (core schema); every other number (`1.0`, `1e3`, `.inf`, `!!float 3`) is a float. */
const YAML_INT = /^[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;

function isYamlFloat(node: Scalar): boolean {
  if (typeof node.value !== 'number') return false;
  if (node.tag !== undefined) return node.tag === 'tag:yaml.org,2002:float';
  return !YAML_INT.test(node.source ?? '');
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

class Converter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly source: SourceFile,
    private readonly doc: Document,
    private readonly duplicateCode: (mapPath: readonly string[]) => ErrorCode,
  ) {}

  convert(node: Node, path: readonly string[]): LNode {
    const range = this.rangeOfNode(node);
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      return target ? this.convert(target, path) : { kind: 'scalar', value: null, range };
    }
    if (isSeq(node)) return { kind: 'seq', items: node.items.map((item) => this.convert(item as Node, path)), range };
    if (isMap(node)) return { kind: 'map', entries: this.entries(node.items, path), range };
    if (isScalar(node)) {
      const [start, end] = node.range ?? [0, 0];
      const float = isYamlFloat(node) ? { float: true as const } : {};
      return { kind: 'scalar', value: toScalarValue(node.value), range, origin: { source: this.source, start, end }, ...float };
    }
    return { kind: 'scalar', value: null, range };
  }

  private entries(pairs: readonly { key: unknown; value: unknown }[], path: readonly string[]): LEntry[] {
    const explicit: LEntry[] = [];
    const explicitKeys = new Set<string>(); // a mapping of 32k stages: no scan of the keys so far per key
    const merged: LEntry[] = [];
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      // With `merge: true` the parser turns a `<<` key into a symbol.
      const isMergeKey = keyNode !== null && isScalar(keyNode) && typeof keyNode.value === 'symbol';
      const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : '';
      const keyRange = keyNode ? this.rangeOfNode(keyNode) : this.rangeOfNode(pair.value as Node);
      if (isMergeKey && pair.value) {
        merged.push(...this.mergeEntries(pair.value as Node, path));
        continue;
      }
      const value: LNode = pair.value
        ? this.convert(pair.value as Node, [...path, key])
        : { kind: 'scalar', value: null, range: keyRange };
      if (explicitKeys.has(key)) {
        this.diagnostics.push(duplicateDiagnostic(this.duplicateCode(path), key, keyRange));
        continue;
      }
      explicitKeys.add(key);
      explicit.push({ key, keyRange, value });
    }
    // YAML merge keys: explicit keys win over merged ones, whatever their order.
    const extra = merged.filter((m, i) => !explicitKeys.has(m.key) && merged.findIndex((o) => o.key === m.key) === i);
    return [...explicit, ...extra];
  }

  private mergeEntries(value: Node, path: readonly string[]): LEntry[] {
    const sources = isSeq(value) ? (value.items as Node[]) : [value];
    return sources.flatMap((s) => {
      const node = this.convert(s, path);
      return node.kind === 'map' ? node.entries : [];
    });
  }

  private rangeOfNode(node: Node | null | undefined): ReturnType<typeof rangeOf> {
    const [start, end] = node?.range ?? [0, 0];
    return rangeOf(this.source, start, end);
  }
}

function duplicateDiagnostic(code: ErrorCode, key: string, range: ReturnType<typeof rangeOf>): Diagnostic {
  const what = code === 'E_DUPLICATE_STAGE' ? `stage "${key}" is defined twice` : `key "${key}" is defined twice`;
  return error(code, `${what} in this mapping`, range, 'rename or remove one of the two definitions');
}
