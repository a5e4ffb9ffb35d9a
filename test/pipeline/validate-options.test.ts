import { describe, expect, it } from 'vitest';
import type { OptionSchema } from '../../src/core/builtin.js';
import { validateOptions } from '../../src/pipeline/validate-options.js';

const schema: OptionSchema = {
  type: 'object',
  required: ['column'],
  properties: {
    column: { type: 'string', description: 'Column to read.' },
    p: { type: 'number', minimum: 0, maximum: 1, default: 0.1 },
    copies: { type: 'integer', exclusiveMinimum: 0, default: 1 },
    on_invalid: { enum: ['fail', 'replace'], default: 'fail' },
    ratios: { type: 'object', additionalProperties: { type: 'number' }, default: { train: 0.8, test: 0.2 } },
    na: { type: 'array', items: { type: 'string' }, minItems: 1 },
    seed: { anyOf: [{ type: 'integer' }, { enum: ['random'] }] },
  },
};

describe('validateOptions', () => {
  it('applies defaults without touching the input', () => {
    const input = { column: 'text' };
    const result = validateOptions(schema, input);
    expect(result.problems).toEqual([]);
    expect(result.value).toEqual({ column: 'text', p: 0.1, copies: 1, on_invalid: 'fail', ratios: { train: 0.8, test: 0.2 } });
    expect(input).toEqual({ column: 'text' });
  });

  it('reports every problem with its path', () => {
    const result = validateOptions(schema, { p: 2, copies: 1.5, on_invalid: 'fial', ratios: { a: 'x' }, na: [], seed: 'x', colum: 'a' });
    expect(result.problems.map((p) => [p.code, p.path.join('.')])).toEqual([
      ['E_OPTION_VALUE', 'p'],
      ['E_OPTION_TYPE', 'copies'],
      ['E_OPTION_VALUE', 'on_invalid'],
      ['E_OPTION_TYPE', 'ratios.a'],
      ['E_OPTION_VALUE', 'na'],
      ['E_OPTION_TYPE', 'seed'],
      ['E_OPTION_UNKNOWN', 'colum'],
      ['E_OPTION_MISSING', ''],
    ]);
    const byPath = new Map(result.problems.map((p) => [p.path.join('.'), p]));
    expect(byPath.get('on_invalid')?.hint).toBe('did you mean "fail"?');
    expect(byPath.get('colum')?.hint).toBe('did you mean "column"?');
    expect(byPath.get('p')?.message).toBe('"p" must be <= 1, got 2');
  });

  it('accepts any branch of anyOf and exclusive bounds', () => {
    expect(validateOptions(schema, { column: 'c', seed: 'random' }).problems).toEqual([]);
    expect(validateOptions(schema, { column: 'c', seed: 4 }).problems).toEqual([]);
    expect(validateOptions(schema, { column: 'c', copies: 0 }).problems.map((p) => p.message)).toEqual(['"copies" must be > 0, got 0']);
  });
});
