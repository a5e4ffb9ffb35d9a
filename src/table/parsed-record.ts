/**
 * A test on one field that can look at the field's UTF-8 bytes before (or instead of) decoding
 * them: deciding "is this 200-byte poem an NA value?" from its length is far cheaper than
 * decoding it (UTF-8 decoding of CJK text runs at ~250 MB/s).
 */
export interface FieldTest {
  /** Decides from the text (papaparse-parsed rows; undefined past the last field). */
  text(value: string | undefined): boolean;
  /** Decides from the bytes `bytes[start, end)`, decoding them (and calling `text`) only if it must. */
  bytes(bytes: Buffer, start: number, end: number): boolean;
}

/**
 * A parsed physical record of a delimited file: its fields, the line it starts on and, when it
 * can be copied as it is, its bytes.
 */
export interface ParsedRecord {
  readonly line: number;
  /** Number of fields, known without decoding any of them. */
  readonly fieldCount: number;
  /** Field `position` as text (decoded on demand); undefined past the last field. */
  field(position: number): string | undefined;
  /** Runs `test` on field `position`, on its bytes when the record has them. */
  testField(position: number, test: FieldTest): boolean;
  /** All fields as text (decoded once, on first use). */
  readonly fields: readonly string[];
  /** A blank line, or a lone empty field: only a one-column table can tell them apart, as a value. */
  readonly isBlank: boolean;
  /**
   * When the record's text had no quote at all (so no field holds a delimiter, quote or line
   * break): the block holding its bytes and where they are, line break included. Writers copy
   * these bytes instead of re-formatting the row, which is what makes filtering fast.
   */
  readonly raw: Buffer | undefined;
  readonly rawStart: number;
  readonly rawEnd: number;
}

/** A record parsed by papaparse (quoted text): its fields are already strings. */
export class TextRecord implements ParsedRecord {
  readonly raw = undefined;
  readonly rawStart = 0;
  readonly rawEnd = 0;

  constructor(
    readonly fields: readonly string[],
    readonly line: number,
  ) {}

  get fieldCount(): number {
    return this.fields.length;
  }

  field(position: number): string | undefined {
    return this.fields[position];
  }

  testField(position: number, test: FieldTest): boolean {
    return test.text(this.fields[position]);
  }

  get isBlank(): boolean {
    return this.fields.length === 1 && this.fields[0] === '';
  }
}

/**
 * A quote-free line split at the byte level: field i is `raw[bounds[first + i], bounds[first + i
 * + 1] - 1)` (each start is one past a delimiter; the last bound is one past the line's text).
 * Nothing is decoded until a field is asked for, so a stage that tests 2 of 6 columns decodes 2.
 */
export class ByteRecord implements ParsedRecord {
  private decoded: string[] | undefined;

  constructor(
    readonly line: number,
    readonly raw: Buffer,
    readonly rawStart: number,
    readonly rawEnd: number,
    private readonly bounds: Int32Array,
    private readonly first: number,
    readonly fieldCount: number,
  ) {}

  field(position: number): string | undefined {
    if (this.decoded) return this.decoded[position];
    if (position < 0 || position >= this.fieldCount) return undefined;
    const at = this.first + position;
    return this.raw.toString('utf8', this.bounds[at] as number, (this.bounds[at + 1] as number) - 1);
  }

  testField(position: number, test: FieldTest): boolean {
    if (this.decoded || position < 0 || position >= this.fieldCount) return test.text(this.field(position));
    const at = this.first + position;
    return test.bytes(this.raw, this.bounds[at] as number, (this.bounds[at + 1] as number) - 1);
  }

  get fields(): readonly string[] {
    if (!this.decoded) {
      const fields = new Array<string>(this.fieldCount);
      for (let i = 0; i < this.fieldCount; i++) fields[i] = this.field(i) as string;
      this.decoded = fields;
    }
    return this.decoded;
  }

  get isBlank(): boolean {
    return this.fieldCount === 1 && (this.bounds[this.first + 1] as number) - 1 === this.bounds[this.first];
  }
}
