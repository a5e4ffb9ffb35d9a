import type { OptionProblem, OptionSchema } from '../core/builtin.js';
import { didYouMean } from '../core/suggest.js';

export type OptionPath = readonly (string | number)[];

export interface OptionsResult {
  /** The value with defaults applied (a copy; the input is not modified). */
  readonly value: unknown;
  readonly problems: readonly OptionProblem[];
}

/** Problem codes; the loader reports all of them as E_OPTION and uses the code to pick the range. */
export const OPTION_UNKNOWN = 'E_OPTION_UNKNOWN';
export const OPTION_MISSING = 'E_OPTION_MISSING';
export const OPTION_TYPE = 'E_OPTION_TYPE';
export const OPTION_VALUE = 'E_OPTION_VALUE';

/** Validates a value against an OptionSchema (a JSON Schema subset) and applies defaults. */
export function validateOptions(schema: OptionSchema, value: unknown, path: OptionPath = []): OptionsResult {
  const problems: OptionProblem[] = [];
  const result = check(schema, value, path, problems);
  return { value: result, problems };
}

function check(schema: OptionSchema, value: unknown, path: OptionPath, problems: OptionProblem[]): unknown {
  if (schema.anyOf) return checkAnyOf(schema.anyOf, value, path, problems);
  if (schema.type && !hasType(value, schema.type)) {
    problems.push({ code: OPTION_TYPE, path, message: `${label(path)} must be ${article(schema.type)}, got ${typeName(value)}` });
    return value;
  }
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    const choices = schema.enum.map((v) => JSON.stringify(v)).join(', ');
    const hint = typeof value === 'string' ? didYouMean(value, schema.enum.filter((v): v is string => typeof v === 'string')) : undefined;
    problems.push({ code: OPTION_VALUE, path, message: `${label(path)} must be one of ${choices}, got ${JSON.stringify(value)}`, ...(hint ? { hint } : {}) });
  }
  if (typeof value === 'number') checkNumber(schema, value, path, problems);
  if (Array.isArray(value)) return checkArray(schema, value, path, problems);
  if (isObject(value) && (schema.type === 'object' || schema.properties)) return checkObject(schema, value, path, problems);
  return value;
}

function checkNumber(schema: OptionSchema, value: number, path: OptionPath, problems: OptionProblem[]): void {
  const fail = (bound: string) => problems.push({ code: OPTION_VALUE, path, message: `${label(path)} must be ${bound}, got ${value}` });
  if (schema.minimum !== undefined && value < schema.minimum) fail(`>= ${schema.minimum}`);
  if (schema.maximum !== undefined && value > schema.maximum) fail(`<= ${schema.maximum}`);
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) fail(`> ${schema.exclusiveMinimum}`);
}

function checkArray(schema: OptionSchema, value: readonly unknown[], path: OptionPath, problems: OptionProblem[]): unknown[] {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    problems.push({ code: OPTION_VALUE, path, message: `${label(path)} needs at least ${schema.minItems} item(s), got ${value.length}` });
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    problems.push({ code: OPTION_VALUE, path, message: `${label(path)} takes at most ${schema.maxItems} item(s), got ${value.length}` });
  }
  const items = schema.items;
  return items ? value.map((item, i) => check(items, item, [...path, i], problems)) : [...value];
}

function checkObject(schema: OptionSchema, value: Record<string, unknown>, path: OptionPath, problems: OptionProblem[]): Record<string, unknown> {
  const properties = schema.properties ?? {};
  const keys = Object.keys(value).length;
  if ((schema.minProperties !== undefined && keys < schema.minProperties) || (schema.maxProperties !== undefined && keys > schema.maxProperties)) {
    const [min, max] = [schema.minProperties ?? 0, schema.maxProperties ?? Infinity];
    const wanted = min === max ? `exactly ${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    const known = Object.keys(properties);
    problems.push({ code: OPTION_VALUE, path, message: `${label(path)} must have ${wanted} key(s), got ${keys}${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}` });
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const property = properties[key];
    const extra = schema.additionalProperties;
    if (property) out[key] = check(property, item, [...path, key], problems);
    else if (typeof extra === 'object') out[key] = check(extra, item, [...path, key], problems);
    else if (extra === true) out[key] = item;
    else {
      const hint = didYouMean(key, Object.keys(properties));
      const known = Object.keys(properties).join(', ');
      problems.push({ code: OPTION_UNKNOWN, path: [...path, key], message: `unknown option ${label([...path, key])}${known ? ` (known: ${known})` : ''}`, ...(hint ? { hint } : {}) });
    }
  }
  for (const [key, property] of Object.entries(properties)) {
    if (Object.hasOwn(value, key)) continue;
    if (property.default !== undefined) out[key] = structuredClone(property.default);
    else if (schema.required?.includes(key)) {
      problems.push({ code: OPTION_MISSING, path, message: `missing required option ${label([...path, key])}`, hint: property.description });
    }
  }
  return out;
}

function checkAnyOf(choices: readonly OptionSchema[], value: unknown, path: OptionPath, problems: OptionProblem[]): unknown {
  const attempts = choices.map((choice) => validateOptions(choice, value, path));
  const valid = attempts.find((a) => a.problems.length === 0);
  if (valid) return valid.value;
  // The value has the type of exactly one choice (a number out of range): that choice's problems say more.
  const sameType = attempts.filter((_, i) => choices[i]?.type !== undefined && hasType(value, choices[i]!.type!));
  if (sameType.length === 1) {
    problems.push(...sameType[0]!.problems);
    return value;
  }
  const expected = choices.map((c) => (c.enum ? c.enum.map((v) => JSON.stringify(v)).join(' | ') : article(c.type ?? 'value'))).join(', or ');
  problems.push({ code: OPTION_TYPE, path, message: `${label(path)} must be ${expected}; got ${JSON.stringify(value)}` });
  return value;
}

function hasType(value: unknown, type: NonNullable<OptionSchema['type']>): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' && Number.isInteger(value)) return `the integer ${value}`;
  return `${article(typeof value)} (${JSON.stringify(value)})`;
}

function article(type: string): string {
  const names: Record<string, string> = { string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean', array: 'a list', object: 'a mapping' };
  return names[type] ?? type;
}

/** `option "ratios.train"` — the path as a user would write it under `with:`. */
function label(path: OptionPath): string {
  if (path.length === 0) return '"with"';
  return `"${path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')}"`;
}
