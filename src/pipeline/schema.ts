import type { BuiltinDefinition, BuiltinRegistry, OptionSchema } from '../core/builtin.js';
import { OUT_OPTION_FIELDS, PLOT_OPTION_FIELDS, STAGE_FIELDS, TOP_FIELDS, type FieldInfo, type FieldType } from './fields.js';

type JsonSchema = Record<string, unknown>;

/** A whole-value `${...}`: where YAML wants a number/list/..., an interpolation may stand in. */
const INTERPOLATION: JsonSchema = { type: 'string', pattern: '^\\$\\{[^}]+\\}$', description: 'A ${...} interpolation of a value of the expected type.' };

/**
 * JSON Schema (draft-07) of a pipeline file, built from the field table the validator uses.
 * Each built-in adds its `with:` options (if `uses` is X then `with` follows X's schema), so an
 * editor completes and checks them.
 */
export function pipelineJsonSchema(builtins: BuiltinRegistry): object {
  const sorted = [...builtins.values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'dvcts pipeline',
    description: 'A dvcts pipeline file (pipelines/*.yaml or dvc.yaml): DVC `stages:` semantics plus built-in stages.',
    type: 'object',
    properties: fieldProperties(TOP_FIELDS),
    additionalProperties: false,
    definitions: {
      stage: stageSchema(STAGE_FIELDS, sorted),
      out: outSchema(OUT_OPTION_FIELDS, 'An output: a path, or `path: {options}`.'),
      plot: outSchema(PLOT_OPTION_FIELDS, 'A plot file: a path, or `path: {options}`.'),
    },
  };
}

function stageSchema(fields: readonly FieldInfo[], builtins: readonly BuiltinDefinition<any>[]): JsonSchema {
  const properties = fieldProperties(fields);
  if (builtins.length > 0) {
    properties['uses'] = {
      ...(properties['uses'] as JsonSchema),
      anyOf: [...builtins.map((b) => ({ const: b.name, description: b.description })), INTERPOLATION],
    };
  }
  return {
    type: 'object',
    description: 'A stage: exactly one of `cmd` (shell) or `uses` (built-in).',
    properties,
    additionalProperties: false,
    allOf: builtins.map((b) => ({
      if: { properties: { uses: { const: b.name } }, required: ['uses'] },
      then: {
        properties: { with: { ...optionJsonSchema(b.options, false), description: `Options of the built-in "${b.name}": ${b.description}` } },
        ...((b.options.required?.length ?? 0) > 0 ? { required: ['with'] } : {}),
      },
    })),
  };
}

function fieldProperties(fields: readonly FieldInfo[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f.name, { title: f.name, description: f.description, ...typeSchema(f.type) }]));
}

const STRING_LIST: JsonSchema = { type: 'array', items: { type: 'string' } };

function typeSchema(type: FieldType): JsonSchema {
  switch (type) {
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { anyOf: [{ type: 'boolean' }, INTERPOLATION] };
    case 'commands':
      return { anyOf: [{ type: 'string' }, { ...STRING_LIST, minItems: 1 }] };
    case 'paths':
      return { anyOf: [{ type: 'string' }, STRING_LIST] };
    case 'outs':
      return { type: 'array', items: { $ref: '#/definitions/out' } };
    case 'plots':
      return { type: 'array', items: { $ref: '#/definitions/plot' } };
    case 'params':
      return {
        type: 'array',
        items: { anyOf: [{ type: 'string', description: 'A key of params.yaml (in the stage wdir).' }, { type: 'object', description: 'file.yaml: [keys], or file.yaml: (null) for every key.', additionalProperties: { anyOf: [{ type: 'null' }, STRING_LIST] } }] },
      };
    case 'options':
      return { type: 'object' };
    case 'vars':
      return { type: 'array', items: { anyOf: [{ type: 'string', description: 'A params file, or file:key1,key2.' }, { type: 'object' }] } };
    case 'foreach':
      return { anyOf: [{ type: 'array' }, { type: 'object' }, INTERPOLATION] };
    case 'matrix':
      return { type: 'object', additionalProperties: { anyOf: [{ type: 'array' }, INTERPOLATION] } };
    case 'stage':
      return { $ref: '#/definitions/stage' };
    case 'stages':
      return { type: 'object', additionalProperties: { $ref: '#/definitions/stage' } };
    case 'any':
      return {};
  }
}

function outSchema(optionFields: readonly FieldInfo[], description: string): JsonSchema {
  return {
    description,
    anyOf: [
      { type: 'string' },
      {
        type: 'object',
        minProperties: 1,
        maxProperties: 1,
        additionalProperties: { anyOf: [{ type: 'null' }, { type: 'object', properties: fieldProperties(optionFields), additionalProperties: false }] },
      },
    ],
  };
}

/**
 * An OptionSchema as JSON Schema; closed objects stay closed. Nested non-string values also accept
 * a `${...}` (not the root, so an editor reports problems inside `with:` precisely).
 */
export function optionJsonSchema(schema: OptionSchema, allowInterpolation = true): JsonSchema {
  const out: JsonSchema = {};
  for (const key of ['type', 'description', 'enum', 'examples', 'default', 'minimum', 'maximum', 'exclusiveMinimum', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'required'] as const) {
    if (schema[key] !== undefined) out[key] = schema[key];
  }
  if (schema.items) out['items'] = optionJsonSchema(schema.items);
  if (schema.properties) {
    out['properties'] = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, optionJsonSchema(v)]));
  }
  if (schema.type === 'object' || schema.properties) {
    const extra = schema.additionalProperties;
    out['additionalProperties'] = typeof extra === 'object' ? optionJsonSchema(extra) : (extra ?? false);
  }
  if (schema.anyOf) out['anyOf'] = schema.anyOf.map((choice) => optionJsonSchema(choice));
  if (!allowInterpolation || schema.type === undefined || schema.type === 'string') return out;
  return { ...(schema.description ? { description: schema.description } : {}), anyOf: [out, INTERPOLATION] };
}
