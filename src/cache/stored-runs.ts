import type { ObjectId } from '../core/ids.js';
import { hashBytesSync } from './hash.js';
import { KeyedRows, parseQuotedKey, type RowFormat } from './keyed-rows.js';

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
 * under that id. Merged with the file on flush (keyed-rows.ts).
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
  private readonly rows: KeyedRows<StoredFolder>;

  constructor(file: string) {
    this.rows = new KeyedRows(file, RUN_ROWS);
  }

  get(dirKey: string): StoredFolder | undefined {
    return this.rows.get(dirKey);
  }

  record(dirKey: string, folder: StoredFolder): void {
    this.rows.set(dirKey, folder);
  }

  /** Writes what this process learnt over what the file holds now (another process's lines stay). */
  flush(): Promise<void> {
    return this.rows.flush();
  }
}

const RUN_ROWS: RowFormat<StoredFolder> = {
  header: HEADER,
  format(key, f) {
    const runs = f.runs.map((r) => `${r.digest},${r.offset},${r.length},${r.files},${r.bytes}`).join(';');
    const rest = `${f.manifest}\t${f.storedAt}\t${JSON.stringify(key)}\t${runs}`;
    return `${checkOf(rest)}\t${rest}`;
  },
  parse(line) {
    const tab = line.indexOf('\t');
    return tab < 0 || line.slice(0, tab) !== checkOf(line.slice(tab + 1)) ? undefined : parseRest(line.slice(tab + 1));
  },
};

function checkOf(rest: string): string {
  return hashBytesSync(Buffer.from(rest, 'utf8'));
}

function parseRest(rest: string): { key: string; row: StoredFolder } | undefined {
  const [manifest, storedAt, quotedKey, runsText] = rest.split('\t');
  if (manifest === undefined || !/^[0-9a-f]{32}\.dir$/.test(manifest) || quotedKey === undefined || runsText === undefined) return undefined;
  const key = parseQuotedKey(quotedKey);
  const runs: StoredRun[] = [];
  for (const run of runsText === '' ? [] : runsText.split(';')) {
    const [digest, ...numbers] = run.split(',');
    const [offset, length, files, bytes] = numbers.map(Number);
    if (digest === undefined || !/^[0-9a-f]{32}$/.test(digest) || ![offset, length, files, bytes].every((n) => Number.isSafeInteger(n) && n! >= 0)) return undefined;
    runs.push({ digest, offset: offset!, length: length!, files: files!, bytes: bytes! });
  }
  const at = Number(storedAt);
  return key !== undefined && Number.isFinite(at) ? { key, row: { manifest: manifest as ObjectId, storedAt: at, runs } } : undefined;
}
