import type { SourceRange } from './diagnostics.js';

/**
 * The error catalogue: every `E_…` code (and `W_…` warning) of dvcts is declared once, in the `errors.ts` of the
 * layer (or built-in) that raises it, with a one-line meaning, a general hint and the fields of
 * its `data`. The declarations are values (the README's error list is generated from them) and
 * types at once: each `errors.ts` adds its codes to the `ErrorCatalogue` interface below, so
 * `ErrorCode` is the union of every declared code, a misspelt code is a type error, and
 * `new DvctsError(code, message, { data })` checks `data` against the declared fields.
 *
 *   export const CACHE_ERRORS = defineErrors('cache', {
 *     E_OBJECT_MISSING: { meaning: 'an object is not in the cache', hint: '…', data: { id: 'string', path: 'string' } },
 *   });
 *   declare module '../core/error-catalogue.js' {
 *     interface ErrorCatalogue extends CodesOf<typeof CACHE_ERRORS> {}
 *   }
 */

/** Types a data field may have; a trailing `?` makes the field optional. */
export type FieldTypeName = 'string' | 'number' | 'boolean' | 'string[]' | 'number[]' | 'range' | 'json';
export type FieldSpec = FieldTypeName | `${FieldTypeName}?`;

interface FieldTypes {
  string: string;
  number: number;
  boolean: boolean;
  'string[]': readonly string[];
  'number[]': readonly number[];
  range: SourceRange;
  json: unknown;
}

export interface ErrorSpec {
  /** One line: what went wrong. */
  readonly meaning: string;
  /** How to fix it in general (a thrown error may carry a more precise one). */
  readonly hint?: string;
  /** The fields of the error's `data`, by name. */
  readonly data?: Readonly<Record<string, FieldSpec>>;
}

/** One layer's (or built-in's) codes. */
export interface ErrorTable<T extends Readonly<Record<string, ErrorSpec>> = Readonly<Record<string, ErrorSpec>>> {
  /** Where the codes are raised: a folder of src/ or `uses: NAME`. */
  readonly layer: string;
  readonly errors: T;
}

export function defineErrors<const T extends Readonly<Record<`${'E' | 'W'}_${string}`, ErrorSpec>>>(layer: string, errors: T): ErrorTable<T> {
  return { layer, errors };
}

/** The catalogue entries of a table, for `interface ErrorCatalogue extends CodesOf<typeof X> {}`. */
export type CodesOf<X extends ErrorTable> = X['errors'];

/** Every declared code; filled in by the `errors.ts` files (declaration merging). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ErrorCatalogue {}

export type ErrorCode = keyof ErrorCatalogue & string;

type Required_<D> = { -readonly [K in keyof D as D[K] extends `${string}?` ? never : K]: D[K] extends FieldTypeName ? FieldTypes[D[K]] : never };
type Optional_<D> = {
  -readonly [K in keyof D as D[K] extends `${string}?` ? K : never]?: D[K] extends `${infer T extends FieldTypeName}?` ? FieldTypes[T] : never;
};

/** The type of `data` that a code declares ({} when it declares none). */
export type DataOf<C extends ErrorCode> = ErrorCatalogue[C] extends { readonly data: infer D } ? Required_<D> & Optional_<D> : Record<string, never>;
