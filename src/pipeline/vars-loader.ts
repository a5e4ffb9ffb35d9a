import { posix } from 'node:path';
import { error, type Diagnostic, type SourceRange } from '../core/diagnostics.js';
import { describeNode, entryOf, type LNode } from './located.js';
import { projectPath } from './paths.js';
import type { ProjectFiles } from './project-files.js';
import { didYouMean } from '../core/suggest.js';
import { VarsContext } from './vars-context.js';

/** Formats dvcts reads as params/vars: YAML, and JSON (a subset of YAML). */
export const PARAMS_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Builds the interpolation context of one pipeline file: `params.yaml` of its base folder first
 * (when present), then each `vars` entry in order (files relative to the base folder). A value
 * defined twice is an error at the `vars` entry that redefines it (DVC: "cannot redefine").
 */
export async function loadFileVars(
  files: ProjectFiles,
  baseDir: string,
  varsNode: LNode | undefined,
  diagnostics: Diagnostic[],
): Promise<VarsContext> {
  const ctx = VarsContext.empty();
  await mergeFile(files, ctx, posix.join(baseDir, 'params.yaml'), undefined, undefined, diagnostics, true);
  await mergeEntries(files, ctx, baseDir, varsNode, diagnostics);
  return ctx;
}

/** A stage's own `vars:` (DVC): layered over the file's context, files relative to the stage wdir. */
export async function loadStageVars(
  files: ProjectFiles,
  parent: VarsContext,
  wdir: string,
  varsNode: LNode,
  diagnostics: Diagnostic[],
): Promise<VarsContext> {
  const ctx = parent.clone();
  await mergeEntries(files, ctx, wdir, varsNode, diagnostics);
  return ctx;
}

async function mergeEntries(files: ProjectFiles, ctx: VarsContext, baseDir: string, varsNode: LNode | undefined, diagnostics: Diagnostic[]): Promise<void> {
  if (varsNode === undefined || (varsNode.kind === 'scalar' && varsNode.value === null)) return;
  if (varsNode.kind !== 'seq') {
    diagnostics.push(error('E_TYPE', `"vars" must be a list, got ${describeNode(varsNode)}`, varsNode.range, 'write `vars: [params.yaml, {key: value}]`'));
    return;
  }
  for (const entry of varsNode.items) await mergeEntry(files, ctx, baseDir, entry, diagnostics);
}

async function mergeEntry(files: ProjectFiles, ctx: VarsContext, baseDir: string, entry: LNode, diagnostics: Diagnostic[]): Promise<void> {
  if (entry.kind === 'map') {
    ctx.merge(entry, undefined, undefined, diagnostics);
    return;
  }
  if (entry.kind !== 'scalar' || typeof entry.value !== 'string') {
    diagnostics.push(error('E_TYPE', `a "vars" entry must be a file name or a mapping, got ${describeNode(entry)}`, entry.range));
    return;
  }
  const [fileText, keysText] = splitFileKeys(entry.value);
  const resolved = projectPath(baseDir, fileText, { use: 'read' });
  if (!resolved.ok) {
    diagnostics.push(error(resolved.code, resolved.message, entry.range, resolved.hint));
    return;
  }
  const keys = keysText === undefined ? undefined : keysText.split(',').map((k) => k.trim()).filter((k) => k !== '');
  // DVC loads a file only once; a repeated whole-file entry is a no-op.
  if (keys === undefined && ctx.hasLoaded(resolved.path)) return;
  await mergeFile(files, ctx, resolved.path, keys, entry.range, diagnostics, false);
}

/** `extra.yaml:a,b` -> ["extra.yaml", "a,b"]; a colon inside a Windows drive letter is not a separator. */
function splitFileKeys(text: string): [string, string | undefined] {
  const colon = text.lastIndexOf(':');
  if (colon <= 1) return [text, undefined];
  return [text.slice(0, colon), text.slice(colon + 1)];
}

async function mergeFile(
  files: ProjectFiles,
  ctx: VarsContext,
  path: string,
  keys: readonly string[] | undefined,
  range: SourceRange | undefined,
  diagnostics: Diagnostic[],
  optional: boolean,
): Promise<void> {
  if (!PARAMS_EXTENSIONS.includes(posix.extname(path))) {
    diagnostics.push(error('E_VARS_FILE', `cannot read vars from "${path}": only YAML and JSON files are supported`, range, 'convert it to params YAML (TOML and Python params files are not supported by dvcts)'));
    return;
  }
  const parsed = await files.readYaml(path);
  diagnostics.push(...parsed.diagnostics);
  if (parsed.missing) {
    if (!optional) diagnostics.push(error('E_VARS_FILE', `vars file "${path}" does not exist`, range, 'create it, or fix the path (relative to the project root, or to the folder of a dvc.yaml)'));
    return;
  }
  if (keys === undefined) ctx.markLoaded(path);
  const root = parsed.root;
  if (root === undefined || (root.kind === 'scalar' && root.value === null)) return; // empty file
  if (root.kind !== 'map') {
    diagnostics.push(error('E_TYPE', `vars file "${path}" must hold a mapping at the top, got ${describeNode(root)}`, root.range));
    return;
  }
  if (keys === undefined) {
    ctx.merge(root, path, range, diagnostics);
    return;
  }
  for (const key of keys) {
    const entry = entryOf(root, key);
    if (entry) ctx.merge({ ...root, entries: [entry] }, path, range, diagnostics);
    else diagnostics.push(error('E_VARS_KEY', `key "${key}" is not in "${path}"`, range, didYouMean(key, root.entries.map((e) => e.key))));
  }
}
