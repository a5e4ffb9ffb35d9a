import type { ItemCache } from '../../core/builtin.js';
import type { RoundTripEngine } from './engine.js';

const NAMESPACE = 'backtranslate';

/**
 * Every sentence's round trip, memoised in the project's per-item cache under (stage version,
 * engine, source, pivot, sentence): a rerun after adding 10 rows translates those 10 rows only.
 */
export class RoundTripMemo {
  translated = 0;
  cached = 0;

  constructor(
    private readonly cache: ItemCache,
    private readonly engine: RoundTripEngine,
    private readonly config: { readonly version: string; readonly source: string; readonly pivot: string },
  ) {}

  /** Round trips of `sentences` (duplicates allowed), from the cache or from one engine batch. */
  async roundTrips(sentences: readonly string[], signal: AbortSignal): Promise<Map<string, string>> {
    const unique = [...new Set(sentences)];
    const hits = await Promise.all(unique.map((sentence) => this.cache.get(NAMESPACE, this.keyOf(sentence))));
    const results = new Map<string, string>();
    const missing: string[] = [];
    unique.forEach((sentence, i) => {
      const hit = hits[i];
      if (hit === undefined) missing.push(sentence);
      else results.set(sentence, hit.toString('utf8'));
    });
    this.cached += unique.length - missing.length;
    if (missing.length === 0) return results;

    const translations = await this.engine.roundTrip(missing, signal);
    missing.forEach((sentence, i) => results.set(sentence, translations[i] as string));
    // One append for the whole batch: a file per sentence cost more than a quarter of the translating.
    await this.cache.putMany(
      NAMESPACE,
      missing.map((sentence) => [this.keyOf(sentence), Buffer.from(results.get(sentence) as string, 'utf8')] as const),
    );
    this.translated += missing.length;
    return results;
  }

  private keyOf(sentence: string): string {
    const { version, source, pivot } = this.config;
    return JSON.stringify([version, this.engine.name, `${source}|${pivot}`, pivot, sentence]);
  }
}
