import { posix } from 'node:path';
import type { PathInfo } from '../cache/index.js';
import { error, type Diagnostic } from '../core/diagnostics.js';
import type { ErrorCode } from '../core/error-catalogue.js';
import { DvctsError, isDvctsError } from '../core/errors.js';
import { errnoOf } from '../core/system-errors.js';
import { checkProjectPath, isWithin, POINTER_SUFFIX } from '../core/path-rule.js';
import { parseLockFile } from '../lockfile/lock-file.js';
import { definesStage, stageNamesIn } from '../pipeline/stage-names.js';
import type { MetadataSnapshot } from './metadata-files.js';
import { confinedPath } from '../util/confined-path.js';
import { readPointer } from './pointer.js';

/** One version of one piece of tracked data, as a pointer or lock file records it. */
export interface TrackedOutput {
  /** Project-relative posix path of the data. */
  readonly path: string;
  /** Project-relative path of the pointer or lock file that records it. */
  readonly source: string;
  /** For stage outputs: the stage's name in that lock file. */
  readonly stage?: string;
  readonly info: PathInfo;
}

/** What a snapshot records that dvcts may act on, and every record it refused, located in its file. */
export interface TrackedRecords {
  /** Sorted by path. */
  readonly outputs: TrackedOutput[];
  readonly problems: Diagnostic[];
  /** Texts of the pointer and lock files, to render the problems with their lines. */
  readonly sources: Map<string, string>;
}

/** A record and where its path is written in its file. */
interface Recorded {
  readonly output: TrackedOutput;
  readonly keyPath: readonly (string | number)[];
}

/**
 * Every output recorded in a snapshot that passes the checks, and a located problem for every
 * one that does not. Pointer and lock files come from git, so none is acted on blindly: a file
 * that cannot be read or parsed is reported and skipped (one broken file never blocks the rest);
 * a lock entry of a stage its pipeline does not define is skipped; every path must pass the
 * project's path rule (and may not hold a pipeline or lock file); two records of one path, or of
 * a path inside another's, are both skipped, since acting on either would flip the data.
 */
export async function readTrackedOutputs(snapshot: MetadataSnapshot): Promise<TrackedRecords> {
  const sources = new Map<string, string>();
  const problems: Problem[] = [];
  const files = await snapshot.files();
  const protect = [...files]; // pipeline files join as their lock files are read
  const candidates: Recorded[] = [];
  for (const file of files) {
    let text: string;
    let records: Recorded[];
    try {
      text = await snapshot.read(file).catch((e: unknown) => Promise.reject(unreadable(file, e)));
      sources.set(file, text);
      records = await parseRecords(file, text, snapshot.root);
    } catch (e) {
      if (!isDvctsError(e)) throw e;
      problems.push(diagnosticOf(file, e));
      continue;
    }
    if (!file.endsWith(POINTER_SUFFIX)) records = await definedStagesOnly(snapshot, file, text, records, problems, protect);
    candidates.push(...records);
  }
  const passes = (protectFiles: readonly string[]) => ({ output, keyPath }: Recorded): boolean => {
    const problem = checkProjectPath(output.path, { use: 'write', protect: protectFiles });
    if (problem !== undefined) problems.push(located(output.source, keyPath, {}, problem.code, problem.message, problem.hint));
    return problem === undefined;
  };
  // Overlaps before the files a path may not hold: a pointer file inside tracked data goes with that data.
  const valid = withoutOverlaps(candidates.filter(passes([])), sources, problems).filter(passes(protect));
  const outputs = valid.map((r) => r.output);
  return { outputs: outputs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), problems: await locateAll(problems, sources), sources };
}

/**
 * Every output of one pointer or lock file, without any check of where it leads (gc only needs
 * the ids). A file that is not valid throws E_POINTER_INVALID / E_LOCK_INVALID.
 */
export async function parseMetadata(file: string, text: string): Promise<TrackedOutput[]> {
  return (await parseRecords(file, text)).map((r) => r.output);
}

/** With the project's `root`, unchanged texts are answered from their parsed copies (parsed-copy.ts). */
async function parseRecords(file: string, text: string, root?: string): Promise<Recorded[]> {
  if (file.endsWith(POINTER_SUFFIX)) {
    const folder = posix.dirname(file);
    // Joined as text, not normalised: `sub/../x` must reach the path rule as written.
    return (await readPointer(text, file, root)).map((out, i) => ({
      output: { path: folder === '.' ? out.path : `${folder}/${out.path}`, source: file, info: infoOf(out) },
      keyPath: ['outs', i, 'path'],
    }));
  }
  const records: Recorded[] = [];
  for (const [stage, entry] of await parseLockFile(text, file, root)) {
    entry.outs.forEach((out, i) => records.push({ output: { path: out.path, source: file, stage, info: infoOf(out) }, keyPath: ['stages', stage, 'outs', i, 'path'] }));
  }
  return records;
}

/** Lock entries of stages that the lock file's pipeline (in the same snapshot) defines. */
async function definedStagesOnly(
  snapshot: MetadataSnapshot,
  lockFile: string,
  text: string,
  records: readonly Recorded[],
  problems: Problem[],
  protect: string[],
): Promise<Recorded[]> {
  const pipeline = await snapshot.pipelineOf(lockFile);
  if (pipeline !== undefined) protect.push(pipeline.file);
  const names = (pipeline && (await stageNamesIn(pipeline.text, pipeline.file, snapshot.root))) ?? new Set<string>();
  const reported = new Set<string>();
  return records.filter(({ output }) => {
    const stage = output.stage!;
    if (definesStage(names, stage)) return true;
    if (!reported.has(stage)) {
      reported.add(stage);
      const why = pipeline === undefined ? 'there is no pipeline file for this lock file' : `${pipeline.file} does not define it`;
      problems.push(located(lockFile, ['stages', stage], { key: true }, 'E_LOCK_UNKNOWN_STAGE', `lock entry of stage "${stage}" skipped: ${why}`, 'run `dvcts repro` to rewrite the lock file, or restore it from git'));
    }
    return false;
  });
}

/** Records whose path equals or lies inside another record's path are all reported and dropped. */
function withoutOverlaps(records: readonly Recorded[], sources: ReadonlyMap<string, string>, problems: Problem[]): Recorded[] {
  const byPath = new Map<string, Recorded[]>();
  for (const r of records) byPath.set(r.output.path, [...(byPath.get(r.output.path) ?? []), r]);
  const clashing = new Set<Recorded>();
  for (const r of records) {
    const parts = r.output.path.split('/');
    const others = [...(byPath.get(r.output.path) ?? []).filter((o) => o !== r)];
    for (let depth = 1; depth < parts.length; depth++) others.push(...(byPath.get(parts.slice(0, depth).join('/')) ?? []));
    for (const other of others) {
      for (const [a, b] of [[r, other], [other, r]] as const) {
        if (clashing.has(a)) continue;
        clashing.add(a);
        const relation = a.output.path === b.output.path ? 'is also recorded' : isWithin(a.output.path, b.output.path) ? `lies inside "${b.output.path}", recorded` : `holds "${b.output.path}", recorded`;
        problems.push(located(a.output.source, a.keyPath, {}, 'E_RECORD_CONFLICT', `"${a.output.path}" ${relation} by ${b.output.source}; neither is checked out`, 'keep one record of each path: remove the other pointer file, or the stage output, and commit'));
      }
    }
  }
  return records.filter((r) => !clashing.has(r));
}

/** A problem at a key of a pointer or lock file, located (file:line:col) once all are known. */
interface Unlocated {
  readonly file: string;
  readonly keyPath: readonly (string | number)[];
  readonly at: { key?: boolean };
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint: string;
}

type Problem = Diagnostic | Unlocated;

function located(file: string, keyPath: readonly (string | number)[], at: { key?: boolean }, code: ErrorCode, message: string, hint: string): Unlocated {
  return { file, keyPath, at, code, message, hint };
}

/** Diagnostics in the order found; the YAML parser that locates keys is loaded only when one needs it. */
async function locateAll(problems: readonly Problem[], sources: ReadonlyMap<string, string>): Promise<Diagnostic[]> {
  if (!problems.some((p) => 'keyPath' in p)) return problems as Diagnostic[];
  const { locateIn } = await import('../pipeline/safe-yaml.js');
  return problems.map((p) => {
    if (!('keyPath' in p)) return p;
    const text = sources.get(p.file);
    const range = text === undefined ? undefined : locateIn(p.file, text, p.keyPath, p.at);
    return error(p.code, range === undefined ? `${p.file}: ${p.message}` : p.message, range, p.hint);
  });
}

/** A parse error of a pointer or lock file as a diagnostic (at its line when the error knows it). */
function diagnosticOf(file: string, e: DvctsError): Diagnostic {
  const { line, col, reason } = e.data as { line?: number; col?: number; reason?: string };
  if (line === undefined || col === undefined) return error(e.code, e.message, undefined, e.hint);
  return error(e.code, reason ?? e.message, { file, line, col, endLine: line, endCol: col + 1 }, e.hint);
}

function unreadable(file: string, e: unknown): DvctsError {
  const errno = errnoOf(e) ?? 'EIO';
  return new DvctsError('E_RECORD_UNREADABLE', `${file}: cannot read this ${file.endsWith(POINTER_SUFFIX) ? 'pointer' : 'lock'} file (${errno}); skipped`, {
    hint: 'check the mode of the file and of its folder (ls -l)',
    cause: e,
  });
}

function infoOf(out: PathInfo): PathInfo {
  return { hash: out.hash, id: out.id, size: out.size, ...(out.nfiles !== undefined ? { nfiles: out.nfiles } : {}) };
}

/**
 * The outputs whose path reaches the work tree through real folders only: a record of `lnk/x`
 * where `lnk` is a symbolic link (committed to git, say) is reported and dropped, so nothing is
 * read or written through it.
 */
export async function reachableOutputs(root: string, outputs: readonly TrackedOutput[], problems: Diagnostic[]): Promise<TrackedOutput[]> {
  const reachable: TrackedOutput[] = [];
  for (const output of outputs) {
    try {
      await confinedPath(root, output.path, 'write');
      reachable.push(output);
    } catch (e) {
      if (!isDvctsError(e)) throw e;
      problems.push(error(e.code, `${output.source}: ${e.message}; skipped`, undefined, e.hint));
    }
  }
  return reachable;
}
