/**
 * Many sentences per engine call, each still mapped to its own translation.
 *
 * Sentences are sent as paragraphs separated by blank lines. Measured with Apertium (eng-spa on
 * 988 State of the Union sentences): with one sentence per line, a line without final punctuation
 * runs into the next one (the next line's capitalisation and word choice change); `-f line` drops
 * the final full stop; `-z` (null flush) merged everything into one chunk. A blank line makes the
 * deformatter insert a hidden sentence end, so every sentence came back exactly as when
 * translated alone, and the blank lines survive, which keeps the 1:1 mapping.
 *
 * APy (measured against the real server) does not end a sentence at a blank line after an
 * abbreviation ("... upper Mississippi, etc." changed the next sentence's translation), so its
 * sentences are separated by a `boundary` paragraph (".") that forces a sentence end and is
 * dropped from the output.
 */
export function joinParagraphs(sentences: readonly string[], boundary?: string): string {
  return `${sentences.join(boundary === undefined ? '\n\n' : `\n\n${boundary}\n\n`)}\n`;
}

/** The translated paragraphs, or undefined when they do not line up with what was sent. */
export function splitParagraphs(output: string, expected: number, boundary?: string): string[] | undefined {
  const paragraphs = output
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '');
  if (boundary === undefined) return paragraphs.length === expected ? paragraphs : undefined;
  const aligned = paragraphs.length === 2 * expected - 1 && paragraphs.every((p, i) => i % 2 === 0 || p === boundary);
  return aligned ? paragraphs.filter((_, i) => i % 2 === 0) : undefined;
}

/**
 * Translates a batch keeping the mapping even if the engine merges or splits paragraphs: a batch
 * that comes back misaligned is halved and retried; a single sentence is always aligned (all
 * its output is its translation).
 */
export async function translateAligned(
  sentences: readonly string[],
  translateText: (text: string) => Promise<string>,
  boundary?: string,
): Promise<string[]> {
  if (sentences.length === 0) return [];
  const output = await translateText(joinParagraphs(sentences, boundary));
  if (sentences.length === 1) return [output.replace(/\s+/g, ' ').trim()];
  const aligned = splitParagraphs(output, sentences.length, boundary);
  if (aligned) return aligned;
  const half = Math.ceil(sentences.length / 2);
  const first = await translateAligned(sentences.slice(0, half), translateText, boundary);
  const second = await translateAligned(sentences.slice(half), translateText, boundary);
  return [...first, ...second];
}

/** Apertium's marks for words it could not analyse (`*`), transfer (`@`) or generate (`#`). */
export function withoutUnknownMarks(text: string): string {
  return text.replace(/(^|[\s(“"'‘])[*@#](?=\p{L})/gu, '$1');
}
