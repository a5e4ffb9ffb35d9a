import type { LScalar } from './located.js';

/**
 * The text a scalar becomes inside a longer string, as DVC writes it (`str()` of the value Python
 * loaded): a YAML float keeps its type (`1.0`, `1000.0` for `1e3`, `1e-07`), an integer has no
 * exponent, booleans are `true`/`false`. `null` stays `null` (DVC writes Python's `None`).
 */
export function scalarText(node: LScalar): string {
  const value = node.value;
  if (typeof value !== 'number') return String(value);
  if (node.float || !Number.isInteger(value)) return pythonFloat(value);
  return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}

/**
 * Python's `repr(float)`: the shortest digits that read back as the same double (JavaScript's
 * toExponential() gives the same digits), in positional notation for exponents -5 < e < 16 with at
 * least one fractional digit, otherwise `d.ddde±XX`.
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exponent = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(exponent);
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${head}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  return `${sign}${whole}.${digits.slice(exp + 1) || '0'}`;
}
