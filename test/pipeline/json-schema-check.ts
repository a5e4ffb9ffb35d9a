/**
 * A small draft-07 validator for the keywords `pipelineJsonSchema()` uses, so tests can check that
 * real pipeline files validate (and bad ones do not) without a schema library.
 */
type Schema = Record<string, any>;

export function schemaErrors(schema: Schema, value: unknown, root: Schema = schema, path = '$'): string[] {
  if (schema['$ref']) return schemaErrors(resolveRef(root, schema['$ref']), value, root, path);
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${path}: ${why}`);
  if (schema['type'] && !matchesType(schema['type'], value)) fail(`not ${schema['type']}`);
  if ('const' in schema && schema['const'] !== value) fail(`not ${JSON.stringify(schema['const'])}`);
  if (schema['enum'] && !schema['enum'].includes(value)) fail('not in enum');
  if (schema['pattern'] && typeof value === 'string' && !new RegExp(schema['pattern']).test(value)) fail('pattern');
  if (typeof value === 'number') {
    if (schema['minimum'] !== undefined && value < schema['minimum']) fail('minimum');
    if (schema['maximum'] !== undefined && value > schema['maximum']) fail('maximum');
    if (schema['exclusiveMinimum'] !== undefined && value <= schema['exclusiveMinimum']) fail('exclusiveMinimum');
  }
  if (Array.isArray(value)) {
    if (schema['minItems'] !== undefined && value.length < schema['minItems']) fail('minItems');
    if (schema['items']) value.forEach((v, i) => errors.push(...schemaErrors(schema['items'], v, root, `${path}[${i}]`)));
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (schema['minProperties'] !== undefined && keys.length < schema['minProperties']) fail('minProperties');
    if (schema['maxProperties'] !== undefined && keys.length > schema['maxProperties']) fail('maxProperties');
    for (const required of schema['required'] ?? []) if (!(required in value)) fail(`missing ${required}`);
    for (const key of keys) {
      const property = schema['properties']?.[key];
      const extra = schema['additionalProperties'];
      if (property) errors.push(...schemaErrors(property, value[key], root, `${path}.${key}`));
      else if (extra === false) fail(`unexpected ${key}`);
      else if (isObject(extra)) errors.push(...schemaErrors(extra, value[key], root, `${path}.${key}`));
    }
  }
  if (schema['anyOf'] && !schema['anyOf'].some((s: Schema) => schemaErrors(s, value, root, path).length === 0)) fail('no anyOf branch');
  for (const part of schema['allOf'] ?? []) errors.push(...schemaErrors(part, value, root, path));
  if (schema['if'] && schemaErrors(schema['if'], value, root, path).length === 0 && schema['then']) {
    errors.push(...schemaErrors(schema['then'], value, root, path));
  }
  return errors;
}

function resolveRef(root: Schema, ref: string): Schema {
  return ref.replace(/^#\//, '').split('/').reduce((node: Schema, key) => node[key], root);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function matchesType(type: string, value: unknown): boolean {
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return isObject(value);
  if (type === 'null') return value === null;
  if (type === 'integer') return Number.isInteger(value);
  return typeof value === type;
}
