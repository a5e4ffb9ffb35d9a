import { readFileSync } from 'node:fs';
import type { ObjectId } from '../core/ids.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { errnoOf, rethrowSystemError } from './errors.js';
import { hashBytesSync } from './hash.js';

/**
 * Runs of a stored folder: what lets a re-add of a folder of 100k files where one changed reuse
 * the bytes of the manifest it was last stored under, instead of looking up, checking and
 * writing out every file again.
 *
 * A folder's files, in manifest order, are cut into runs by their paths alone (see endsRun: an
 * inserted or removed file changes one run, not every run after it). For each run, storeDir
 * records the stamp digest (dir-stamps.ts: every file's path, link flag, inode, size and mtime,
 * the state cache's trust model) under which its manifest lines were written, and where those
 * lines are in that manifest. A later store whose run has the same digest has the same files with
 * the same stamps, so the same lines: it copies them. A run whose digest is unknown goes file by
 * file as before.
 *
 * Stored in `.dvcts/tmp/stored-runs` (disposable, like the state cache): a header line, then one
 * line per folder, `check TAB manifest id TAB stored-at ms TAB "key" TAB runs`, runs being
 * `digest,offset,length,files,bytes` joined by ';'. `check` is the content id of the rest of the
 * line: a damaged line is ignored, never trusted. A line names the manifest its offsets are in,
 * so a stale line (another process stored the folder since) still describes bytes that exist
 * under that id. Merged with the file on flush, as dir-stamps are.
 */
const HEADER = 'dvcts-stored-runs 1\n';

export interface StoredRun {
  /** Stamp digest of the run's files (StampDigest over them, in order). */
  readonly digest: string;
  /** Where the run's lines are in the manifest, in bytes. */
  readonly offset: number;
  readonly length: number;
  readonly files: number;
  readonly bytes: number;
}

export interface StoredFolder {
  readonly manifest: ObjectId;
  /** When the manifest was stored (ms): objects of fan-out folders changed since are checked. */
  readonly storedAt: number;
  readonly runs: readonly StoredRun[];
}

/** Files per run on average, and at most (a bound on what storeDir holds while it decides). */
const RUN_MEAN_BITS = 8;
export const MAX_RUN_FILES = 4096;

/**
 * Whether the run that `relPath` joined (as its `filesInRun`-th file) ends with it: decided by
 * a hash of the path, so the same files always cut the same runs, whatever came before them.
 */
export function endsRun(relPath: string, filesInRun: number): boolean {
  if (filesInRun >= MAX_RUN_FILES) return true;
  let h = 0x811c9dc5;
  for (let i = 0; i < relPath.length; i++) h = Math.imul(h ^ relPath.charCodeAt(i), 0x01000193);
  // FNV's low bits depend only on the inputs' low bits: mix before taking the top ones.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h >>> (32 - RUN_MEAN_BITS) === 0;
}

export class StoredRuns {
  private rows: Map<string, StoredFolder> | undefined;
  private readonly learnt = new Map<string, StoredFolder>();

  constructor(private readonly file: string) {}

  get(dirKey: string): StoredFolder | undefined {
    this.rows ??= readRows(this.file);
    return this.rows.get(dirKey);
  }

  record(dirKey: string, folder: StoredFolder): void {
    this.rows ??= readRows(this.file);
    this.rows.set(dirKey, folder);
    this.learnt.set(dirKey, folder);
  }

  /** Writes what this process learnt over what the file holds now (another process's lines stay). */
  async flush(): Promise<void> {
    if (this.learnt.size === 0) return;
    const rows = readRows(this.file);
    for (const [key, folder] of this.learnt) rows.set(key, folder);
    let text = HEADER;
    for (const [key, folder] of rows) text += formatLine(key, folder);
    await writeFileAtomic(this.file, text).catch((e: unknown) => rethrowSystemError(e, this.file, 'write'));
    this.learnt.clear();
  }
}

function formatLine(key: string, f: StoredFolder): string {
  const runs = f.runs.map((r) => `${r.digest},${r.offset},${r.length},${r.files},${r.bytes}`).join(';');
  const rest = `${f.manifest}\t${f.storedAt}\t${JSON.stringify(key)}\t${runs}`;
  return `${checkOf(rest)}\t${rest}\n`;
}

function checkOf(rest: string): string {
  return hashBytesSync(Buffer.from(rest, 'utf8'));
}

/** The folders of a runs file; a missing file, another version or a damaged line gives nothing. */
function readRows(file: string): Map<string, StoredFolder> {
  const rows = new Map<string, StoredFolder>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return rows;
    throw e;
  }
  if (!text.startsWith(HEADER)) return rows;
  for (const line of text.slice(HEADER.length).split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0 || line.slice(0, tab) !== checkOf(line.slice(tab + 1))) continue;
    const parsed = parseRest(line.slice(tab + 1));
    if (parsed !== undefined) rows.set(parsed.key, parsed.folder);
  }
  return rows;
}

function parseRest(rest: string): { key: string; folder: StoredFolder } | undefined {
  const [manifest, storedAt, quotedKey, runsText] = rest.split('\t');
  if (manifest === undefined || !/^[0-9a-f]{32}\.dir$/.test(manifest) || quotedKey === undefined || runsText === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(quotedKey);
  } catch {
    return undefined;
  }
  const runs: StoredRun[] = [];
  for (const run of runsText === '' ? [] : runsText.split(';')) {
    const [digest, ...numbers] = run.split(',');
    const [offset, length, files, bytes] = numbers.map(Number);
    if (digest === undefined || !/^[0-9a-f]{32}$/.test(digest) || ![offset, length, files, bytes].every((n) => Number.isSafeInteger(n) && n! >= 0)) return undefined;
    runs.push({ digest, offset: offset!, length: length!, files: files!, bytes: bytes! });
  }
  const at = Number(storedAt);
  return typeof key === 'string' && Number.isFinite(at) ? { key, folder: { manifest: manifest as ObjectId, storedAt: at, runs } } : undefined;
}
