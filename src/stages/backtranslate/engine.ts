/**
 * A translation engine as backtranslate sees it: a batch of one-line sentences goes to the pivot
 * language and back, and comes back as a batch of the same length, in the same order.
 */
export interface RoundTripEngine {
  /** `apertium`, `apy` or `libretranslate`: part of the memo key and of `aug_method`. */
  readonly name: string;
  roundTrip(sentences: readonly string[], signal: AbortSignal): Promise<string[]>;
  /** Counters for the report (HTTP retries, processes started, ...). */
  stats(): Record<string, number>;
}

/** One direction of a translation, for engines that translate a direction per call (HTTP). */
export type Translate = (sentences: readonly string[], from: string, to: string, signal: AbortSignal) => Promise<string[]>;

/** A round trip made of two one-way translations. */
export async function viaPivot(
  translate: Translate,
  sentences: readonly string[],
  languages: { readonly source: string; readonly pivot: string },
  signal: AbortSignal,
): Promise<string[]> {
  const there = await translate(sentences, languages.source, languages.pivot, signal);
  return translate(there, languages.pivot, languages.source, signal);
}
