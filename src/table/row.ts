import type { FieldTest, ParsedRecord } from './parsed-record.js';

/** One data row of a table, as a stage sees it. */
export interface TableRow {
  /** 0-based index among data rows (the header is not a data row; blank lines are skipped). */
  readonly index: number;
  /** 1-based physical line where the row starts (a quoted field may span several lines). */
  readonly line: number;
  /** Delimited formats: the fields as parsed, possibly ragged (length ≠ columns.length). JSONL: null. */
  readonly fields: readonly string[] | null;
  /** Delimited formats: how many fields the row has, known without decoding them. JSONL: null. */
  readonly fieldCount: number | null;
  /**
   * Delimited formats: the field at `position` (0-based), decoding only that field — the cheap way
   * to read a few columns of a wide row. Undefined past the last field, and always for JSONL.
   */
  field(position: number): string | undefined;
  /** Delimited formats: runs `test` on the field at `position`, on its bytes when it can. JSONL: on undefined. */
  testField(position: number, test: FieldTest): boolean;
  /** The row as column → value (delimited: built lazily from `fields`; missing fields are absent). */
  readonly record: Readonly<Record<string, unknown>>;
}

/** How the rows of one delimited file are written: a raw row can be copied only into the same. */
export interface RowSyntax {
  readonly delimiter: string;
  newline: string;
}

/** A delimited row; `record` is only built when a stage asks for it (most read `fields`). */
export class DelimitedRow implements TableRow {
  private built: Record<string, unknown> | undefined;

  constructor(
    readonly index: number,
    private readonly parsed: ParsedRecord,
    private readonly columns: readonly string[],
    readonly syntax: RowSyntax,
  ) {}

  get line(): number {
    return this.parsed.line;
  }

  get fields(): readonly string[] {
    return this.parsed.fields;
  }

  get fieldCount(): number {
    return this.parsed.fieldCount;
  }

  field(position: number): string | undefined {
    return this.parsed.field(position);
  }

  testField(position: number, test: FieldTest): boolean {
    return this.parsed.testField(position, test);
  }

  /** A blank line (or a lone empty field). */
  get isBlank(): boolean {
    return this.parsed.isBlank;
  }

  /** The row's bytes as read (line break included), when they can be copied as they are. */
  get raw(): { readonly bytes: Buffer; readonly start: number; readonly end: number } | undefined {
    const { raw, rawStart, rawEnd } = this.parsed;
    return raw ? { bytes: raw, start: rawStart, end: rawEnd } : undefined;
  }

  get record(): Readonly<Record<string, unknown>> {
    if (!this.built) {
      const record: Record<string, unknown> = {};
      const n = Math.min(this.columns.length, this.parsed.fieldCount);
      for (let i = 0; i < n; i++) record[this.columns[i] as string] = this.parsed.field(i);
      this.built = record;
    }
    return this.built;
  }
}

export class JsonRow implements TableRow {
  readonly fields = null;
  readonly fieldCount = null;
  constructor(
    readonly index: number,
    readonly line: number,
    readonly record: Readonly<Record<string, unknown>>,
  ) {}

  field(): undefined {
    return undefined;
  }

  testField(_position: number, test: FieldTest): boolean {
    return test.text(undefined);
  }
}

/** Whether a delimited row has a different number of fields than the header. */
export function isRagged(row: TableRow, columns: readonly string[]): boolean {
  return row.fieldCount !== null && row.fieldCount !== columns.length;
}
