import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { DVCTS_DIR } from './project.js';

/**
 * Workspace content that a checkout refused to overwrite (`.dvcts/tmp/unrecorded.json`).
 * Refusing saves that content into the cache; without this list, running the same checkout again
 * would find it "in the cache" and overwrite it silently. Listed (path, id) pairs keep refusing
 * until the user records them (`dvcts add`, then the ids match) or passes --force.
 */
export class UnrecordedEdits {
  private constructor(
    private readonly file: string,
    private readonly pairs: Set<string>,
  ) {}

  static async load(root: string): Promise<UnrecordedEdits> {
    const file = join(root, DVCTS_DIR, 'tmp', 'unrecorded.json');
    let pairs: string[] = [];
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
      if (Array.isArray(parsed)) pairs = parsed.filter((p): p is string => typeof p === 'string');
    } catch {
      // missing or unreadable: scratch state, an empty list is the safe default (the edit is in the cache either way)
    }
    return new UnrecordedEdits(file, new Set(pairs));
  }

  has(path: string, id: string): boolean {
    return this.pairs.has(`${path}\0${id}`);
  }

  async remember(entries: readonly { path: string; id: string }[]): Promise<void> {
    for (const e of entries) this.pairs.add(`${e.path}\0${e.id}`);
    await this.save();
  }

  async forget(paths: readonly string[]): Promise<void> {
    const gone = new Set(paths);
    const before = this.pairs.size;
    for (const pair of [...this.pairs]) if (gone.has(pair.slice(0, pair.indexOf('\0')))) this.pairs.delete(pair);
    if (this.pairs.size !== before) await this.save();
  }

  private save(): Promise<void> {
    return writeFileAtomic(this.file, JSON.stringify([...this.pairs].sort()));
  }
}
