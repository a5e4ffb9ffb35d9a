import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write.js';
import { errnoOf, rethrowSystemError } from './errors.js';

/** How one kind of row is written as a line (without its newline) and read back. */
export interface RowFormat<T> {
  /** The first line of the file: a file with another header (another version) gives no rows. */
  readonly header: string;
  format(key: string, row: T): string;
  /** undefined for a damaged or foreign line: it is skipped, never trusted. */
  parse(line: string): { key: string; row: T } | undefined;
}

/**
 * A disposable file in `.dvcts/tmp` of one line per folder key (dir-stamps, stored-runs), read
 * on first use and written with temp + rename. A flush merges what this process learnt into the
 * lines the file holds then: two processes flushing at once can lose one's line, which costs a
 * slower walk next time, never a wrong answer (each row is checked again before it is used).
 */
export class KeyedRows<T> {
  private rows: Map<string, T> | undefined;
  private readonly learnt = new Map<string, T>();

  constructor(
    private readonly file: string,
    private readonly rowFormat: RowFormat<T>,
  ) {}

  get(key: string): T | undefined {
    return this.load().get(key);
  }

  set(key: string, row: T): void {
    this.load().set(key, row);
    this.learnt.set(key, row);
  }

  async flush(): Promise<void> {
    if (this.learnt.size === 0) return;
    const rows = this.read();
    for (const [key, row] of this.learnt) rows.set(key, row);
    let text = this.rowFormat.header;
    for (const [key, row] of rows) text += `${this.rowFormat.format(key, row)}\n`;
    await writeFileAtomic(this.file, text).catch((e: unknown) => rethrowSystemError(e, this.file, 'write'));
    this.learnt.clear();
  }

  private load(): Map<string, T> {
    this.rows ??= this.read();
    return this.rows;
  }

  private read(): Map<string, T> {
    const rows = new Map<string, T>();
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return rows;
      throw e;
    }
    if (!text.startsWith(this.rowFormat.header)) return rows;
    for (const line of text.slice(this.rowFormat.header.length).split('\n')) {
      const parsed = this.rowFormat.parse(line);
      if (parsed !== undefined) rows.set(parsed.key, parsed.row);
    }
    return rows;
  }
}

/** A folder key as written in these files (JSON-quoted, so any name fits), read back. */
export function parseQuotedKey(quoted: string): string | undefined {
  try {
    const key: unknown = JSON.parse(quoted);
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}
