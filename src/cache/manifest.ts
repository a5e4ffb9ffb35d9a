import { writeSync } from 'node:fs';
import type { ObjectId } from '../core/ids.js';
import { manifestInvalidError } from './errors.js';
import { hashBytes } from './hash.js';
import { LaneHasher } from './xxh-lanes.js';

/** One file of a tracked directory: posix path relative to the directory, content id, bytes. */
export interface ManifestEntry {
  readonly path: string;
  readonly id: ObjectId;
  readonly size: number;
}

/**
 * Serialisation (the bytes whose hash is the directory id, so it must never change):
 * UTF-8 JSON lines, one `{"path":…,"id":…,"size":…}` per file, keys in that order, sorted by
 * path in UTF-16 code-unit order (JavaScript's default string order, locale-free), each line
 * ending in "\n". An empty directory is the empty string. JSON lines keep manifests of 100k files
 * streamable and diffable with standard tools.
 */
export function serializeManifest(entries: readonly ManifestEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let out = '';
  for (const e of sorted) out += manifestLine(e.path, e.id, e.size);
  return out;
}

/** One line of the serialisation: what JSON.stringify({ path, id, size }) gives, plus "\n". */
function manifestLine(path: string, id: ObjectId, size: number): string {
  return `{"path":${JSON.stringify(path)},"id":"${id}","size":${size}}\n`;
}

/** The directory id: hash of the serialisation + ".dir". */
export async function manifestId(serialized: string): Promise<ObjectId> {
  return ((await hashBytes(Buffer.from(serialized, 'utf8'))) + '.dir') as ObjectId;
}

const FILE_ID_RE = /^[0-9a-f]{32}$/;

/** A manifest path must stay inside its directory: relative, posix, no "." / ".." / empty parts. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * Parses and validates a manifest read from the store. Manifests may come from a remote, so a
 * path that escapes the directory or an out-of-order line is an error, not something to follow.
 */
export function parseManifest(text: string, id: string, where: string): ManifestEntry[] {
  const entries: ManifestEntry[] = [];
  if (text !== '' && !text.endsWith('\n')) throw manifestInvalidError(id, where, text.split('\n').length, 'missing final newline');
  let previous: string | undefined;
  for (let at = 0, lineNo = 1; at < text.length; lineNo++) {
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end);
    at = end + 1;
    const { path, id: fileId, size } = canonicalLine(line) ?? anyJsonLine(line, id, where, lineNo);
    if (typeof path !== 'string' || !isSafeRelativePath(path)) throw manifestInvalidError(id, where, lineNo, 'bad path');
    if (typeof fileId !== 'string' || !FILE_ID_RE.test(fileId)) throw manifestInvalidError(id, where, lineNo, 'bad id');
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw manifestInvalidError(id, where, lineNo, 'bad size');
    }
    if (previous !== undefined && !(previous < path)) throw manifestInvalidError(id, where, lineNo, 'paths not sorted/unique');
    previous = path;
    entries.push({ path, id: fileId as ObjectId, size });
  }
  return entries;
}

const PATH_START = '{"path":"';
const ID_START = '","id":"';
const SIZE_START = '","size":';
/** Characters that make a JSON string's text differ from its value (escapes) or invalid (controls). */
const NOT_LITERAL = /[\\"\x00-\x1f]/;
const DIGITS = /^(?:0|[1-9][0-9]*)$/;

/**
 * A line exactly as manifestLine writes it, read by slicing (a million JSON.parse calls, and the
 * objects they make, were most of the time and memory of reading a 1M-file manifest); undefined
 * for any other form, which JSON.parse then reads.
 */
function canonicalLine(line: string): { path: string; id: string; size: number } | undefined {
  if (!line.startsWith(PATH_START) || !line.endsWith('}')) return undefined;
  const idAt = line.indexOf(ID_START, PATH_START.length);
  if (idAt < 0) return undefined;
  const sizeAt = idAt + ID_START.length + 32;
  if (!line.startsWith(SIZE_START, sizeAt)) return undefined;
  const path = line.slice(PATH_START.length, idAt);
  const digits = line.slice(sizeAt + SIZE_START.length, -1);
  if (NOT_LITERAL.test(path) || !DIGITS.test(digits)) return undefined;
  return { path, id: line.slice(idAt + ID_START.length, sizeAt), size: Number(digits) };
}

function anyJsonLine(line: string, id: string, where: string, lineNo: number): Record<string, unknown> {
  try {
    return (JSON.parse(line) ?? {}) as Record<string, unknown>;
  } catch {
    throw manifestInvalidError(id, where, lineNo, 'not JSON');
  }
}

/** Characters of manifest text hashed (and written) at once by ManifestStream. */
const STREAM_CHUNK = 256 * 1024;

/**
 * A manifest built line by line from entries that arrive in sorted order (walkSorted): the text
 * is hashed in chunks as it grows, and written to `fd` when one is given, so a folder of a million
 * files never holds its manifest (or a list of entries) in memory. The bytes, and so the id, are
 * those serializeManifest gives for the same entries.
 */
export class ManifestStream {
  private readonly hasher = new LaneHasher(3 * STREAM_CHUNK);
  private pending = '';
  private previous: string | undefined;
  count = 0;
  size = 0;

  constructor(private readonly fd?: number) {
    this.hasher.reset();
  }

  add(path: string, id: ObjectId, size: number): void {
    if (this.previous !== undefined && !(this.previous < path)) throw new Error(`manifest entries out of order: '${path}' after '${this.previous}'`);
    this.previous = path;
    this.pending += manifestLine(path, id, size);
    this.count++;
    this.size += size;
    if (this.pending.length >= STREAM_CHUNK) this.drain();
  }

  /** The directory id of everything added. */
  finish(): ObjectId {
    this.drain();
    return `${this.hasher.digest()}.dir` as ObjectId;
  }

  private drain(): void {
    if (this.pending === '') return;
    const input = this.hasher.ensure(3 * this.pending.length);
    const n = input.write(this.pending, 0, 'utf8');
    this.hasher.update(0, n);
    if (this.fd !== undefined) {
      for (let at = 0; at < n; ) at += writeSync(this.fd, input, at, n - at);
    }
    this.pending = '';
  }
}
