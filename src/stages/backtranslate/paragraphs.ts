/**
 * Many sentences per engine call, each still mapped to its own translation.
 *
 * Sentences are sent as paragraphs separated by blank lines. Measured with Apertium (eng-spa on
 * 988 State of the Union sentences): with one sentence per line, a line without final punctuation
 * runs into the next one (the next line's capitalisation and word choice change); `-f line` drops
 * the final full stop; `-z` (null flush) merged everything into one chunk. A blank line makes the
 * deformatter insert a hidden sentence end, so every sentence came back exactly as when
 * translated alone, and the blank lines survive, which keeps the 1:1 mapping. APy applies the
 * same deformatter.
 */
export function joinParagraphs(sentences: readonly string[]): string {
  return `${sentences.join('\n\n')}\n`;
}

/** The translated paragraphs, or undefined when their count does not match what was sent. */
export function splitParagraphs(output: string, expected: number): string[] | undefined {
  const paragraphs = output
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '');
  return paragraphs.length === expected ? paragraphs : undefined;
}

/**
 * Translates a batch keeping the mapping even if the engine merges or splits paragraphs: a batch
 * that comes back misaligned is halved and retried; a single sentence is always aligned (all
 * its output is its translation).
 */
export async function translateAligned(
  sentences: readonly string[],
  translateText: (text: string) => Promise<string>,
): Promise<string[]> {
  if (sentences.length === 0) return [];
  const output = await translateText(joinParagraphs(sentences));
  if (sentences.length === 1) return [output.replace(/\s+/g, ' ').trim()];
  const aligned = splitParagraphs(output, sentences.length);
  if (aligned) return aligned;
  const half = Math.ceil(sentences.length / 2);
  const first = await translateAligned(sentences.slice(0, half), translateText);
  const second = await translateAligned(sentences.slice(half), translateText);
  return [...first, ...second];
}

/** Apertium's marks for words it could not analyse (`*`), transfer (`@`) or generate (`#`). */
export function withoutUnknownMarks(text: string): string {
  return text.replace(/(^|[\s(“"'‘])[*@#](?=\p{L})/gu, '$1');
}
