import type { ObjectId } from '../core/ids.js';
import { manifestInvalidError } from './errors.js';
import type { ManifestEntry } from './manifest.js';

/**
 * A parsed manifest held as its bytes plus numbers per entry: where the entry's line starts and
 * where its id starts (a canonical line is `{"path":"<path>","id":"<id>","size":<n>}`), and its
 * size. An entry's path and id are decoded from the bytes when asked for.
 *
 * Why: a checkout of a folder of a million files held a million entry objects and two strings
 * each beside the text (~145 bytes per entry, and the text twice while it was decoded); this
 * holds the bytes once and 16 bytes per entry. Lines of any other JSON form (escapes in the
 * path) are kept as entries in a side map.
 */
export class ManifestTable {
  readonly totalSize: number;

  constructor(
    private readonly bytes: Buffer,
    private readonly lineAt: Uint32Array,
    private readonly idAt: Uint32Array,
    private readonly sizes: Float64Array,
    private readonly other: ReadonlyMap<number, ManifestEntry>,
  ) {
    let total = 0;
    for (const s of sizes) total += s;
    this.totalSize = total;
  }

  get length(): number {
    return this.sizes.length;
  }

  path(i: number): string {
    return this.other.get(i)?.path ?? this.bytes.toString('utf8', this.lineAt[i]! + PATH_START.length, this.idAt[i]! - ID_START.length);
  }

  id(i: number): ObjectId {
    const at = this.idAt[i]!;
    return (this.other.get(i)?.id ?? this.bytes.toString('latin1', at, at + 32)) as ObjectId;
  }

  size(i: number): number {
    return this.sizes[i]!;
  }

  entry(i: number): ManifestEntry {
    return { path: this.path(i), id: this.id(i), size: this.size(i) };
  }

  toEntries(): ManifestEntry[] {
    return Array.from({ length: this.length }, (_, i) => this.entry(i));
  }
}

const NEWLINE = 10;
const FILE_ID_RE = /^[0-9a-f]{32}$/;
const PATH_START = '{"path":"';
const ID_START = '","id":"';
const SIZE_START = '","size":';
/** Characters that make a JSON string's text differ from its value (escapes) or invalid (controls). */
const NOT_LITERAL = /[\\"\x00-\x1f]/;
const DIGITS = /^(?:0|[1-9][0-9]*)$/;

/** A manifest path must stay inside its directory: relative, posix, no "." / ".." / empty parts. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * Parses and validates a manifest read from the store. Manifests may come from a remote, so a
 * path that escapes the directory or an out-of-order line is an error, not something to follow.
 */
export function parseManifestTable(bytes: Buffer, id: string, where: string): ManifestTable {
  let n = 0;
  for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) n++;
  if (bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE) throw manifestInvalidError(id, where, n + 1, 'missing final newline');
  const lineAt = new Uint32Array(n);
  const idAt = new Uint32Array(n);
  const sizes = new Float64Array(n);
  const other = new Map<number, ManifestEntry>();
  let previous: string | undefined;
  for (let i = 0, at = 0; i < n; i++) {
    const lineNo = i + 1;
    const end = bytes.indexOf(NEWLINE, at);
    const line = bytes.toString('utf8', at, end);
    let path: unknown;
    let fileId: unknown;
    let size: unknown;
    const idStart = canonicalIdStart(line);
    if (idStart >= 0) {
      path = line.slice(PATH_START.length, idStart - ID_START.length);
      fileId = line.slice(idStart, idStart + 32);
      size = Number(line.slice(idStart + 32 + SIZE_START.length, -1));
    } else {
      ({ path, id: fileId, size } = anyJsonLine(line, id, where, lineNo));
    }
    if (typeof path !== 'string' || !isSafeRelativePath(path)) throw manifestInvalidError(id, where, lineNo, 'bad path');
    if (typeof fileId !== 'string' || !FILE_ID_RE.test(fileId)) throw manifestInvalidError(id, where, lineNo, 'bad id');
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw manifestInvalidError(id, where, lineNo, 'bad size');
    if (previous !== undefined && !(previous < path)) throw manifestInvalidError(id, where, lineNo, 'paths not sorted/unique');
    previous = path;
    lineAt[i] = at;
    // From the id on, a canonical line is ASCII: its byte offset counts back from the line's end.
    idAt[i] = end - (line.length - idStart);
    sizes[i] = size;
    if (idStart < 0) other.set(i, { path, id: fileId as ObjectId, size });
    at = end + 1;
  }
  return new ManifestTable(bytes, lineAt, idAt, sizes, other);
}

/**
 * Where the id starts in a line exactly as manifestLine writes it (read by slicing: a million
 * JSON.parse calls, and the objects they make, were most of the time and memory of reading a
 * 1M-file manifest); -1 for any other form, which JSON.parse then reads.
 */
function canonicalIdStart(line: string): number {
  if (!line.startsWith(PATH_START) || !line.endsWith('}')) return -1;
  const idAt = line.indexOf(ID_START, PATH_START.length);
  if (idAt < 0) return -1;
  const sizeAt = idAt + ID_START.length + 32;
  if (!line.startsWith(SIZE_START, sizeAt)) return -1;
  if (NOT_LITERAL.test(line.slice(PATH_START.length, idAt)) || !DIGITS.test(line.slice(sizeAt + SIZE_START.length, -1))) return -1;
  return idAt + ID_START.length;
}

function anyJsonLine(line: string, id: string, where: string, lineNo: number): Record<string, unknown> {
  try {
    return (JSON.parse(line) ?? {}) as Record<string, unknown>;
  } catch {
    throw manifestInvalidError(id, where, lineNo, 'not JSON');
  }
}

/**
 * Calls `visit` with where each line's id starts, for the whole lines in bytes [start, end) of a
 * manifest dvcts wrote (each line ends `","id":"<id>","size":<n>}`, whatever its path); false as
 * soon as `visit` says false, or a line does not end that way.
 */
export function everyLineId(bytes: Buffer, start: number, end: number, visit: (idAt: number) => boolean): boolean {
  for (let at = start; at < end; ) {
    const lineEnd = bytes.indexOf(NEWLINE, at);
    if (lineEnd < 0 || lineEnd >= end) return false;
    let colon = lineEnd - 2; // before the closing brace: the size's digits, then its colon
    while (colon > at && bytes[colon]! >= 0x30 && bytes[colon]! <= 0x39) colon--;
    const idAt = colon + 1 - SIZE_START.length - 32;
    // Byte checks only (this runs per line of a 1M-file manifest): the id's quotes and the colons.
    if (idAt - ID_START.length < at || bytes[colon] !== 0x3a || bytes[idAt + 32] !== 0x22 || bytes[idAt - 1] !== 0x22 || bytes[idAt - 2] !== 0x3a) return false;
    if (!visit(idAt)) return false;
    at = lineEnd + 1;
  }
  return true;
}
