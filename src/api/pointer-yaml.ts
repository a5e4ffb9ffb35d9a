import { LineCounter, parseDocument, isMap, isSeq, isScalar, stringify, type Node } from 'yaml';
import { DvctsError } from '../core/errors.js';
import { aliasProblem } from '../pipeline/safe-yaml.js';
import { HASH_NAME, isDirId, isObjectId } from '../core/ids.js';
import { POINTER_INVALID, type PointerOut } from './pointer.js';

// Pointer files as YAML text: written by formatPointer, read by parsePointer (see pointer.ts).

const HEADER = '# Written by `dvcts add`. Commit this file to git; the data itself lives in the dvcts cache.\n';

/** Deterministic text: fixed key order, nothing that varies between runs. */
export function formatPointer(outs: readonly PointerOut[]): string {
  const lines = ['outs:'];
  for (const o of outs) {
    lines.push(`- path: ${stringify(o.path).trimEnd()}`, `  hash: ${o.hash}`, `  id: ${o.id}`, `  size: ${o.size}`);
    if (o.nfiles !== undefined) lines.push(`  nfiles: ${o.nfiles}`);
  }
  return `${HEADER}${lines.join('\n')}\n`;
}

/**
 * Parses a pointer file; `file` (project-relative) is only used in messages. Anything else than
 * what formatPointer writes is E_POINTER_INVALID at `file:line:col`, with how to repair it.
 */
export function parsePointer(text: string, file: string): PointerOut[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const invalid = (why: string, offset: number | undefined): DvctsError => {
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    const where = pos === undefined ? file : `${file}:${pos.line}:${pos.col}`;
    return new DvctsError(POINTER_INVALID, `${where}: invalid pointer file: ${why}`, {
      data: { file, reason: `invalid pointer file: ${why}`, ...(pos ? { line: pos.line, col: pos.col } : {}) },
      hint: `restore it from git (git checkout -- ${file}) or run \`dvcts add\` on its data again to rewrite it`,
    });
  };
  const firstError = doc.errors[0];
  if (firstError !== undefined) throw invalid(`not valid YAML (${firstError.message.split('\n')[0]})`, firstError.pos[0]);
  const unsafe = aliasProblem(doc);
  if (unsafe !== undefined) throw invalid(`unsafe YAML (${unsafe.message})`, unsafe.range[0]);
  const root = doc.contents;
  if (!isMap(root)) throw invalid('expected a mapping with `outs:`', startOf(root));
  const outsNode = root.get('outs', true);
  if (!isSeq(outsNode) || outsNode.items.length === 0) throw invalid('`outs:` must be a non-empty list', startOf(outsNode ?? root));
  return outsNode.items.map((item) => parseOut(item as Node, invalid));
}

function parseOut(node: Node, invalid: (why: string, offset: number | undefined) => DvctsError): PointerOut {
  if (!isMap(node)) throw invalid('each entry of `outs:` must be a mapping', startOf(node));
  const field = (key: string): { value: unknown; offset: number | undefined } => {
    const valueNode = node.get(key, true) as Node | undefined;
    return { value: isScalar(valueNode) ? valueNode.value : valueNode, offset: startOf(valueNode ?? node) };
  };
  // Where the path leads is checked with the project's path rule by whoever acts on it (references.ts).
  const path = field('path');
  if (typeof path.value !== 'string') throw invalid('`path` must be a string', path.offset);
  const hash = field('hash');
  if (hash.value !== HASH_NAME) throw invalid(`\`hash\` must be ${HASH_NAME} (got ${JSON.stringify(hash.value ?? null)})`, hash.offset);
  const id = field('id');
  if (typeof id.value !== 'string' || !isObjectId(id.value)) throw invalid('`id` must be 32 hex characters, with ".dir" for a directory', id.offset);
  const size = field('size');
  if (!isCount(size.value)) throw invalid('`size` must be a non-negative integer', size.offset);
  const nfiles = field('nfiles');
  if (nfiles.value !== undefined && !isCount(nfiles.value)) throw invalid('`nfiles` must be a non-negative integer', nfiles.offset);
  if (nfiles.value !== undefined && !isDirId(id.value)) throw invalid('`nfiles` is only for directories (ids ending in ".dir")', nfiles.offset);
  return {
    path: path.value.replace(/\/+$/, ''),
    hash: HASH_NAME,
    id: id.value,
    size: size.value,
    ...(nfiles.value !== undefined ? { nfiles: nfiles.value as number } : {}),
  };
}

function startOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
