import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasErrors } from '../core/diagnostics.js';
import { errnoOf } from '../core/system-errors.js';
import type { StageSpec } from '../core/spec.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { LoadedProject, LoadOptions } from './load.js';
import { compactRanges, restoreRanges, type CompactStages } from './memo-ranges.js';
import { isJsonExact } from './parsed-copy.js';
import { normaliseFileArg } from './pipeline-files.js';

/**
 * A loaded project kept from the last load, keyed by everything the load read: the exact text of
 * every pipeline, params and vars file (or that it was missing), the load options and the code
 * that did it. Interpolating and checking 32k generated stages took two thirds of a `status`;
 * reading the same texts back and comparing them costs a few milliseconds.
 *
 * Only a load without errors is kept. The copy (`.dvcts/tmp/loaded-project.json`) is disposable:
 * a missing, damaged or foreign one means "load again", never a different result. Its first line
 * is the key (MemoKey), the second the loaded stages (each distinct source range once, see
 * memo-ranges.ts): after an edit only the key is parsed.
 */
const FORMAT = 'dvcts-loaded-project 3';

/**
 * Names the code that loads: where it is installed and when its files (this folder and core/, the
 * loader and the types it builds) were last written. A copy made by other code (an upgrade, a
 * rebuild, another install) is not used.
 */
function codeIdentity(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  let newest = 0;
  let bytes = 0;
  for (const dir of [here, join(here, '..', 'core')]) {
    for (const name of readdirSync(dir)) {
      const stats = statSync(join(dir, name));
      newest = Math.max(newest, stats.mtimeMs);
      bytes += stats.size;
    }
  }
  return `${here}:${newest}:${bytes}`;
}

interface MemoKey {
  readonly format: string;
  readonly codeId: string;
  readonly options: string;
  /** Project-relative path -> its full text, or null when it was missing. */
  readonly inputs: Readonly<Record<string, string | null>>;
}

interface MemoValue extends CompactStages {
  readonly diagnostics: LoadedProject['diagnostics'];
}

/** loadProject, answered from `memoFile` when nothing it read has changed. */
export async function loadProjectMemoized(root: string, opts: LoadOptions & { readonly files: readonly string[] }, memoFile: string): Promise<LoadedProject> {
  const codeId = codeIdentity();
  const files = opts.files.map(normaliseFileArg);
  const options = JSON.stringify({ files, parsing: opts.parsing ?? null, builtins: [...opts.builtins.values()].map((b) => [b.name, b.version]) });
  const kept = await readMemo(memoFile);
  const key = kept?.key;
  if (kept !== undefined && key !== undefined && key.format === FORMAT && key.codeId === codeId && key.options === options) {
    const sources = await sameInputs(root, key.inputs);
    const value = sources === undefined ? undefined : kept.value();
    const stages = value === undefined ? undefined : restoreRanges(value);
    if (sources !== undefined && value !== undefined && stages !== undefined) return { spec: { root, files, stages }, diagnostics: value.diagnostics, invalidStages: [], inputs: Object.keys(key.inputs), sources };
  }
  // The loader (YAML with positions, interpolation, every check) is loaded only when needed.
  const { loadProject } = await import('./load.js');
  const loaded = await loadProject(root, opts);
  if (!hasErrors(loaded.diagnostics) && loaded.invalidStages.length === 0) {
    const inputs = Object.fromEntries(loaded.inputs.map((path) => [path, loaded.sources.get(path) ?? null]));
    const key: MemoKey = { format: FORMAT, codeId, options, inputs };
    const value: MemoValue = { ...compactRanges(loaded.spec.stages), diagnostics: loaded.diagnostics };
    const exact = isJsonExact(key) && isJsonExact(value.diagnostics) && isJsonExact(value.ranges) && value.stages.every(hasJsonExactData);
    const text = exact ? `${JSON.stringify(key)}\n${JSON.stringify(value)}` : undefined;
    if (text !== undefined) await writeFileAtomic(memoFile, text).catch(() => undefined); // a cache: not worth failing for
  }
  return loaded;
}

/** The memo's key, and its value parsed only when asked (JSON text holds no raw line break). */
async function readMemo(file: string): Promise<{ key: MemoKey | undefined; value: () => MemoValue | undefined } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const parse = <T>(json: string): T | undefined => {
    try {
      return JSON.parse(json) as T;
    } catch {
      return undefined;
    }
  };
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  return { key: parse<MemoKey>(text.slice(0, newline)), value: () => parse<MemoValue>(text.slice(newline + 1)) };
}

/** The texts of the inputs when every one is as the memo saw it (same text, or still missing); else undefined. */
async function sameInputs(root: string, inputs: MemoKey['inputs']): Promise<Map<string, string> | undefined> {
  const sources = new Map<string, string>();
  for (const [path, text] of Object.entries(inputs)) {
    let now: string | null;
    try {
      now = await readFile(join(root, path), 'utf8');
    } catch (e) {
      // Missing as the loader means it; any other failure is for a real load to report.
      if (!['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errnoOf(e) ?? '')) return undefined;
      now = null;
    }
    if (now !== text) return undefined;
    if (now !== null) sources.set(path, now);
  }
  return sources;
}

/**
 * A stage's free data (`with:` options, `meta:`) is what JSON may not hold; its other fields are
 * strings, booleans and line numbers by their types (walking all of them cost 32k stages ~0.1 s).
 */
function hasJsonExactData(stage: StageSpec): boolean {
  return isJsonExact(stage.with ?? null) && isJsonExact(stage.meta ?? null);
}
