import { posix } from 'node:path';
import { error, type Diagnostic, type SourceRange } from '../core/diagnostics.js';
import type { DepSpec, OutKind, OutSpec, ParamRef } from '../core/spec.js';
import { fieldNames, OUT_OPTION_FIELDS, PLOT_OPTION_FIELDS, type FieldInfo } from './fields.js';
import { parseKeyPath } from './key-path.js';
import { describeNode, type LEntry, type LNode } from './located.js';
import { projectPath } from './paths.js';
import type { PathUse } from '../core/path-rule.js';
import { didYouMean } from '../core/suggest.js';
import { PARAMS_EXTENSIONS } from './vars-loader.js';

/** Where a stage's fields are being read: its name (for messages), wdir, and the diagnostics sink. */
export interface FieldScope {
  readonly stage: string;
  readonly wdir: string;
  readonly diagnostics: Diagnostic[];
  /** Where the text of refused paths goes (a built-in's arity check still counts them). */
  readonly refused?: string[];
  /** Pipeline and lock files of the project: an output may not hold them. */
  readonly protect: readonly string[];
}

function typeError(scope: FieldScope, field: string, expected: string, node: LNode): void {
  scope.diagnostics.push(error('E_TYPE', `"${field}" in stage "${scope.stage}" must be ${expected}, got ${describeNode(node)}`, node.range));
}

export function readString(node: LNode, field: string, scope: FieldScope): string | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'string') return node.value;
  typeError(scope, field, 'a string', node);
  return undefined;
}

export function readBoolean(node: LNode, field: string, scope: FieldScope): boolean | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
  typeError(scope, field, 'true or false', node);
  return undefined;
}

/** Control characters a shell command may not hold: all but tab and line break (multi-line scripts are fine). */
const COMMAND_CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** `cmd`: one string or a list of strings. */
export function readCommands(node: LNode, scope: FieldScope): string[] | undefined {
  const items = node.kind === 'seq' ? node.items : [node];
  const commands: string[] = [];
  for (const item of items) {
    if (item.kind === 'scalar' && typeof item.value === 'string' && COMMAND_CONTROL_CHARS.test(item.value)) {
      const char = JSON.stringify(COMMAND_CONTROL_CHARS.exec(item.value)![0]);
      scope.diagnostics.push(error('E_CMD_INVALID', `"cmd" of stage "${scope.stage}" holds the control character ${char}`, item.range, 'remove it: a shell command holds text, tabs and line breaks only'));
    } else if (item.kind === 'scalar' && typeof item.value === 'string' && item.value.trim() !== '') commands.push(item.value);
    else typeError(scope, 'cmd', 'a non-empty string or a list of them', item);
  }
  return commands.length === items.length && commands.length > 0 ? commands : undefined;
}

/** Resolves a path written in the stage (relative to wdir) and checks it with the project's path rule for its use. */
export function readPath(text: string, range: SourceRange, scope: FieldScope, use: PathUse): string | undefined {
  const resolved = projectPath(scope.wdir, text, { use, protect: scope.protect });
  if (resolved.ok) return resolved.path;
  scope.refused?.push(text);
  scope.diagnostics.push(error(resolved.code, `${resolved.message} (stage "${scope.stage}")`, range, resolved.hint));
  return undefined;
}

function listItems(node: LNode, field: string, scope: FieldScope): readonly LNode[] {
  if (node.kind === 'seq') return node.items;
  if (node.kind === 'scalar' && node.value === null) return [];
  if (node.kind === 'scalar' && typeof node.value === 'string') return [node]; // a lone path is a list of one
  typeError(scope, field, 'a list', node);
  return [];
}

export function readDeps(node: LNode, scope: FieldScope): DepSpec[] {
  const deps: DepSpec[] = [];
  for (const item of listItems(node, 'deps', scope)) {
    if (item.kind !== 'scalar' || typeof item.value !== 'string') {
      typeError(scope, 'deps', 'a list of paths', item);
      continue;
    }
    const path = readPath(item.value, item.range, scope, 'read');
    if (path !== undefined) deps.push({ path, range: item.range });
  }
  return deps;
}

const FIELD_OF_KIND: Record<OutKind, string> = { out: 'outs', metric: 'metrics', plot: 'plots' };

/** `outs` / `metrics` / `plots`: paths, or one-key mappings `path: {cache, persist, desc}`. */
export function readOuts(node: LNode, kind: OutKind, scope: FieldScope): OutSpec[] {
  const field = FIELD_OF_KIND[kind];
  const outs: OutSpec[] = [];
  for (const item of listItems(node, field, scope)) {
    if (item.kind === 'scalar' && typeof item.value === 'string') {
      const path = readPath(item.value, item.range, scope, 'write');
      if (path !== undefined) outs.push({ path, kind, cache: true, persist: false, range: item.range });
    } else if (item.kind === 'map' && item.entries.length === 1) {
      const out = readOutWithOptions(item.entries[0] as LEntry, kind, scope);
      if (out) outs.push(out);
    } else {
      typeError(scope, field, 'a list of paths or `path: {options}` mappings', item);
    }
  }
  return outs;
}

function readOutWithOptions(entry: LEntry, kind: OutKind, scope: FieldScope): OutSpec | undefined {
  const path = readPath(entry.key, entry.keyRange, scope, 'write');
  const fields = kind === 'plot' ? PLOT_OPTION_FIELDS : OUT_OPTION_FIELDS;
  const options = entry.value;
  let cache = true;
  let persist = false;
  let desc: string | undefined;
  const plot: Record<string, string> = {};
  if (options.kind === 'map') {
    for (const option of options.entries) {
      const info = fields.find((f) => f.name === option.key);
      if (!info) {
        reportUnknownKey(option, `options of "${entry.key}"`, fields, scope.diagnostics, `stage "${scope.stage}"`);
        continue;
      }
      if (option.key === 'cache') cache = readBoolean(option.value, 'cache', scope) ?? cache;
      else if (option.key === 'persist') persist = readBoolean(option.value, 'persist', scope) ?? persist;
      else if (info.type === 'string') {
        const text = readString(option.value, option.key, scope);
        if (option.key === 'desc') desc = text;
        else if (text !== undefined) plot[option.key] = text;
      }
    }
  } else if (!(options.kind === 'scalar' && options.value === null)) {
    typeError(scope, `options of ${entry.key}`, 'a mapping', options);
  }
  if (path === undefined) return undefined;
  const plotOptions = kind === 'plot' && Object.keys(plot).length > 0 ? { plot } : {};
  return { path, kind, cache, persist, ...(desc !== undefined ? { desc } : {}), ...plotOptions, range: entry.keyRange };
}

/** E_UNKNOWN_KEY at the key, with "did you mean" from the field table. */
export function reportUnknownKey(entry: LEntry, where: string, fields: readonly FieldInfo[], diagnostics: Diagnostic[], owner?: string): void {
  const names = fieldNames(fields);
  const hint = didYouMean(entry.key, names) ?? `known keys: ${names.join(', ')}`;
  diagnostics.push(error('E_UNKNOWN_KEY', `unknown key "${entry.key}" in ${where}${owner ? ` of ${owner}` : ''}`, entry.keyRange, hint));
}

/** `params`: bare keys (params.yaml in wdir), `{file: [keys]}`, or `file:` (null) for the whole file. */
export function readParams(node: LNode, scope: FieldScope): ParamRef[] {
  const refs: ParamRef[] = [];
  const defaultFile = posix.join(scope.wdir, 'params.yaml');
  for (const item of listItems(node, 'params', scope)) {
    if (item.kind === 'scalar' && typeof item.value === 'string') {
      const key = readParamKey(item.value, item.range, scope);
      if (key !== undefined) refs.push({ file: defaultFile, key, range: item.range });
    } else if (item.kind === 'map') {
      for (const entry of item.entries) refs.push(...readParamsOfFile(entry, scope));
    } else {
      typeError(scope, 'params', 'a list of keys or `file.yaml: [keys]` mappings', item);
    }
  }
  return refs;
}

function readParamsOfFile(entry: LEntry, scope: FieldScope): ParamRef[] {
  const file = readPath(entry.key, entry.keyRange, scope, 'read');
  if (file === undefined) return [];
  if (!PARAMS_EXTENSIONS.includes(posix.extname(file))) {
    scope.diagnostics.push(error('E_PARAMS_FILE', `params file "${entry.key}" is not YAML or JSON (stage "${scope.stage}")`, entry.keyRange, 'dvcts reads params from .yaml, .yml and .json files'));
    return [];
  }
  const value = entry.value;
  if (value.kind === 'scalar' && value.value === null) return [{ file, range: entry.keyRange }];
  const keys = value.kind === 'seq' ? value.items : [value];
  const refs: ParamRef[] = [];
  for (const keyNode of keys) {
    if (keyNode.kind !== 'scalar' || typeof keyNode.value !== 'string') {
      typeError(scope, `params of ${entry.key}`, 'a list of keys', keyNode);
      continue;
    }
    const key = readParamKey(keyNode.value, keyNode.range, scope);
    if (key !== undefined) refs.push({ file, key, range: keyNode.range });
  }
  return refs;
}

function readParamKey(text: string, range: SourceRange, scope: FieldScope): string | undefined {
  if (parseKeyPath(text)) return text.trim();
  scope.diagnostics.push(error('E_PARAM_KEY', `"${text}" is not a valid param key (stage "${scope.stage}")`, range, 'write a dotted key such as train.lr, or a[0].b'));
  return undefined;
}
