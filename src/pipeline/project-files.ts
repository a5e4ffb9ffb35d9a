import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { error } from '../core/diagnostics.js';
import { errnoOf, systemError } from '../core/system-errors.js';
import { rangeOf } from './located.js';
import { parseYaml, sourceFile, type ParsedYaml, type ParseYamlOptions } from './yaml-tree.js';

export type ReadYaml = ParsedYaml & { readonly missing: boolean };

/**
 * Reads project files once per load and remembers their text: diagnostics are rendered from it,
 * and the same params file used by several pipelines is parsed only once.
 */
export class ProjectFiles {
  readonly sources = new Map<string, string>();
  private readonly parsed = new Map<string, Promise<ReadYaml>>();

  /** `pipelineFiles`: the project's pipeline files and their lock files, which no output may hold. */
  constructor(
    private readonly root: string,
    readonly pipelineFiles: readonly string[] = [],
  ) {}

  /** Every path asked for so far, whether it was read or missing. */
  asked(): string[] {
    return [...this.parsed.keys()];
  }

  readYaml(path: string, opts: ParseYamlOptions = {}): Promise<ReadYaml> {
    let pending = this.parsed.get(path);
    if (!pending) {
      pending = this.parse(path, opts);
      this.parsed.set(path, pending);
    }
    return pending;
  }

  /**
   * A missing file is `missing` (callers say whether that is an error); one that cannot be read
   * is its system error (E_PERMISSION, ...), and text that is not UTF-8 is E_YAML at the first
   * bad byte: silently replaced bytes would put U+FFFD into stage names and commands.
   */
  private async parse(path: string, opts: ParseYamlOptions): Promise<ReadYaml> {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(this.root, path));
    } catch (e) {
      if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errnoOf(e) ?? '')) return { missing: true, diagnostics: [] };
      const failure = systemError(e, path, 'read');
      if (failure === undefined) throw e;
      return { missing: false, diagnostics: [error(failure.code, failure.message, undefined, failure.hint)] };
    }
    const text = bytes.toString('utf8');
    this.sources.set(path, text);
    const source = sourceFile(path, text);
    const badByte = text.includes('\uFFFD') ? firstNonUtf8Byte(bytes, text) : undefined;
    if (badByte !== undefined) {
      const at = bytes.subarray(0, badByte).toString('utf8').length;
      const message = `not valid UTF-8: byte 0x${bytes[badByte]!.toString(16).padStart(2, '0')} at byte offset ${badByte}`;
      return { missing: false, diagnostics: [error('E_YAML', message, rangeOf(source, at, at + 1), 'save the file as UTF-8 (`dvcts` reads pipeline and params files as UTF-8 only)')] };
    }
    return { missing: false, ...parseYaml(source, opts) };
  }
}

/** Offset of the first byte that decoding replaced (re-encoding the text differs there), or undefined. */
function firstNonUtf8Byte(bytes: Buffer, text: string): number | undefined {
  const back = Buffer.from(text, 'utf8');
  const n = Math.min(back.length, bytes.length);
  for (let i = 0; i < n; i++) if (back[i] !== bytes[i]) return i;
  return back.length === bytes.length ? undefined : n;
}
