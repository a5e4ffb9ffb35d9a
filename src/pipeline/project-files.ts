import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseYaml, sourceFile, type ParsedYaml, type ParseYamlOptions } from './yaml-tree.js';

export type ReadYaml = ParsedYaml & { readonly missing: boolean };

/**
 * Reads project files once per load and remembers their text: diagnostics are rendered from it,
 * and the same params file used by several pipelines is parsed only once.
 */
export class ProjectFiles {
  readonly sources = new Map<string, string>();
  private readonly parsed = new Map<string, Promise<ReadYaml>>();

  constructor(private readonly root: string) {}

  /** Text of a project-relative file; undefined when it does not exist or is not a file. */
  async readText(path: string): Promise<string | undefined> {
    try {
      const text = await readFile(join(this.root, path), 'utf8');
      this.sources.set(path, text);
      return text;
    } catch {
      return undefined;
    }
  }

  readYaml(path: string, opts: ParseYamlOptions = {}): Promise<ReadYaml> {
    let pending = this.parsed.get(path);
    if (!pending) {
      pending = this.parse(path, opts);
      this.parsed.set(path, pending);
    }
    return pending;
  }

  private async parse(path: string, opts: ParseYamlOptions): Promise<ReadYaml> {
    const text = await this.readText(path);
    if (text === undefined) return { missing: true, diagnostics: [] };
    return { missing: false, ...parseYaml(sourceFile(path, text), opts) };
  }
}
