import { hashBytes } from './hash.js';

/**
 * The run-cache's own canonical form of "everything a stage's result may depend on". It is
 * deliberately independent of the lock file's format: changing how lock files are written must
 * not silently change every run-cache key. Bump the version whenever `canonicalRunText` changes
 * (test/cache/run-fingerprint.test.ts pins the text and the id).
 */
export const RUN_FINGERPRINT_VERSION = 'dvcts-run/1';

export interface RunInputs {
  readonly cmd?: readonly string[];
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  /** The built-in's version. */
  readonly version?: string;
  readonly deps: readonly { readonly path: string; readonly hash: string; readonly id: string }[];
  /** Param values by params file, then by dotted key. */
  readonly params: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Output paths, in declared order. */
  readonly outs: readonly string[];
}

/** The version line, then one line of JSON with keys sorted at every depth and no spaces. */
export function canonicalRunText(run: RunInputs): string {
  const value = {
    definition: { cmd: run.cmd ?? null, uses: run.uses ?? null, with: run.with ?? null, version: run.version ?? null },
    deps: run.deps.map((d) => [d.path, d.hash, d.id]),
    params: run.params,
    outs: run.outs,
  };
  return `${RUN_FINGERPRINT_VERSION}\n${canonicalJson(value)}\n`;
}

/** The run-cache key: the content id of the canonical text. */
export function runFingerprint(run: RunInputs): Promise<string> {
  return hashBytes(Buffer.from(canonicalRunText(run), 'utf8'));
}

/** JSON with object keys sorted (by UTF-16 code units) at every depth; undefined members are left out. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
