/**
 * How augmenting built-ins (`synonyms`, `backtranslate`) mark their rows. Originals are kept and
 * get empty marks; each added row names the row it came from and the method that made it, so a
 * later `split` can keep a source row and its copies together (its `group` option) and nobody
 * mistakes an augmented row for collected data.
 */

/** Added column: the source row's id (its `id_column` value) or 0-based data row index. */
export const AUG_SOURCE_COLUMN = 'aug_source';
/** Added column: `<stage>:<engine>`, e.g. `synonyms:wordnet`, `backtranslate:apertium`. */
export const AUG_METHOD_COLUMN = 'aug_method';

export const MARK_COLUMNS: readonly string[] = [AUG_SOURCE_COLUMN, AUG_METHOD_COLUMN];

/**
 * The output header: the input's columns, then the marks (and any stage-specific extras) that
 * the input does not already have. A re-augmented file keeps one set of mark columns.
 */
export function markedColumns(input: readonly string[], extra: readonly string[] = []): string[] {
  const out = [...input];
  for (const name of [...MARK_COLUMNS, ...extra]) if (!out.includes(name)) out.push(name);
  return out;
}

/** The identity of a row: its `id_column` value when the stage has one, else its index. */
export function rowIdentity(record: Readonly<Record<string, unknown>>, index: number, idColumn?: string): string {
  if (idColumn === undefined) return String(index);
  const value = record[idColumn];
  return value === undefined || value === null ? '' : String(value);
}

/**
 * An original row as written out: unchanged, except that marks it does not carry already are
 * empty. (Rows augmented by an earlier stage keep their marks.)
 */
export function originalRecord(
  record: Readonly<Record<string, unknown>>,
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...record };
  for (const name of MARK_COLUMNS) if (out[name] === undefined) out[name] = '';
  for (const [name, value] of Object.entries(extra)) if (out[name] === undefined) out[name] = value;
  return out;
}

/** An augmented row: the source row's other columns, the new text, and its marks. */
export function augmentedRecord(
  source: Readonly<Record<string, unknown>>,
  textColumn: string,
  text: string,
  sourceId: string,
  method: string,
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return { ...source, [textColumn]: text, [AUG_SOURCE_COLUMN]: sourceId, [AUG_METHOD_COLUMN]: method, ...extra };
}
