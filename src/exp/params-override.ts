import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parse, parseDocument } from 'yaml';
import { DvctsError, ExitCode } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { allKeyPaths, formatKeyPath, parseKeyPath } from '../pipeline/key-path.js';
import { projectPath } from '../pipeline/paths.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** One `-S [FILE:]KEY=VALUE`: the params file (project-relative), the dotted key and its new value. */
export interface ParamOverride {
  readonly file: string;
  readonly key: string;
  readonly value: unknown;
  /** `+KEY=VALUE`: the key may be new. */
  readonly add?: boolean;
}

export const DEFAULT_PARAMS_FILE = 'params.yaml';

/** `-S` split into its parts, the value still as text (a sweep reads search spaces from it). */
export interface SetArgument {
  readonly file: string;
  readonly key: string;
  readonly add: boolean;
  readonly valueText: string;
}

export function parseSetArgument(arg: string): SetArgument {
  const eq = arg.indexOf('=');
  if (eq < 0) throw invalidSet(arg, 'there is no "="');
  let target = arg.slice(0, eq).trim();
  const add = target.startsWith('+');
  if (add) target = target.slice(1);
  const colon = target.lastIndexOf(':');
  const fileText = colon >= 0 ? target.slice(0, colon) : DEFAULT_PARAMS_FILE;
  const key = colon >= 0 ? target.slice(colon + 1) : target;
  if (parseKeyPath(key) === undefined) throw invalidSet(arg, `"${key}" is not a key (write train.lr or layers[0])`);
  const file = projectPath('', fileText);
  if (!file.ok || file.path === '' || /^(\.git|\.dvcts)(\/|$)/.test(file.path)) throw invalidSet(arg, `"${fileText}" is not a params file inside the project`);
  return { file: file.path, key: formatKeyPath(parseKeyPath(key)!), add, valueText: arg.slice(eq + 1) };
}

/** A plain `-S`: the value is YAML (`0.01` a number, `[32, 16]` a list, `adam` a string). */
export function parseOverride(arg: string): ParamOverride {
  const { valueText, ...where } = parseSetArgument(arg);
  let value: unknown;
  try {
    value = valueText.trim() === '' ? '' : parse(valueText);
  } catch (e) {
    throw invalidSet(arg, `the value is not YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return { ...where, value };
}

/**
 * Writes the overrides into their params files, keeping comments and layout (the `yaml`
 * document model). Every key is checked before any file changes: an unknown key (without `+`)
 * is E_EXP_PARAM_UNKNOWN with the closest existing key. Returns the files written (with
 * `checkOnly`, the files that would be, and nothing is written).
 */
export async function applyOverrides(root: string, overrides: readonly ParamOverride[], opts: { checkOnly?: boolean } = {}): Promise<string[]> {
  const byFile = new Map<string, ParamOverride[]>();
  for (const o of overrides) byFile.set(o.file, [...(byFile.get(o.file) ?? []), o]);
  const updated: { file: string; text: string }[] = [];
  for (const [file, list] of byFile) {
    const doc = await readParamsDocument(root, file, list.every((o) => o.add));
    for (const o of list) {
      const path = parseKeyPath(o.key)!;
      if (!o.add && !doc.hasIn(path)) throw unknownKey(file, o.key, doc.toJS());
      if (path.length > 1 && !o.add && !isCollection(doc.getIn(path.slice(0, -1), true))) throw unknownKey(file, o.key, doc.toJS());
      const node = doc.getIn(path, true);
      // A scalar keeps its node (and so its comments); anything else is replaced.
      if (isScalar(node) && (o.value === null || typeof o.value !== 'object')) node.value = o.value;
      else doc.setIn(path, doc.createNode(o.value));
    }
    updated.push({ file, text: doc.toString() });
  }
  if (!opts.checkOnly) for (const { file, text } of updated) await writeFileAtomic(join(root, file), text);
  return updated.map((u) => u.file);
}

async function readParamsDocument(root: string, file: string, mayCreate: boolean): Promise<ReturnType<typeof parseDocument>> {
  let text = '';
  try {
    text = await readFile(join(root, file), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !mayCreate) throw paramsFileError(file, (e as Error).message);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw paramsFileError(file, `not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  return doc;
}

function isCollection(node: unknown): boolean {
  return isMap(node) || isSeq(node);
}

function unknownKey(file: string, key: string, content: unknown): DvctsError {
  const suggestion = didYouMean(key, allKeyPaths(content));
  return new DvctsError('E_EXP_PARAM_UNKNOWN', `${file} has no key "${key}"`, {
    data: { file, key },
    hint: `${suggestion ? `${suggestion} ` : ''}to add a new key, write -S +${key}=VALUE`,
    exitCode: ExitCode.usage,
  });
}

function paramsFileError(file: string, reason: string): DvctsError {
  return new DvctsError('E_EXP_PARAMS_FILE', `cannot change params file ${file}: ${reason}`, { data: { file, reason }, exitCode: ExitCode.usage });
}

export function invalidSet(arg: string, reason: string): DvctsError {
  return new DvctsError('E_EXP_SET_INVALID', `-S ${arg}: ${reason}`, { data: { arg, reason }, exitCode: ExitCode.usage });
}
