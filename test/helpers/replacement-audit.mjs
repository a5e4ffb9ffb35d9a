// An independent audit of synonym replacements, shared by the synonyms tests and
// `npm run bench synonyms-quality`. It knows nothing of the stage's code: it diffs a source text
// against its augmented copy, finds which tokens of the source were touched, and tags both texts
// with compromise (a tagger unrelated to natural's Brill tagger that the stage uses).

/**
 * Whitespace-separated chunks of `text` (edge punctuation trimmed) that must never be edited:
 * URLs, e-mail addresses, domains, @handles, #hashtags, numbers, tokens with digits or with a
 * capital after a lower-case letter (Computers4Sure, SpamAssassin, iPhone).
 */
export function protectedChunks(text) {
  const chunks = [];
  for (const m of text.matchAll(/\S+/g)) {
    const raw = m[0];
    const lead = raw.length - raw.replace(/^[("'<\[{*]+/, '').length;
    const core = raw.slice(lead).replace(/[)"'>\]}*.,;:!?]+$/, '');
    if (core === '') continue;
    const kind = chunkKind(core);
    if (kind) chunks.push({ start: m.index + lead, end: m.index + lead + core.length, text: core, kind });
  }
  return chunks;
}

function chunkKind(core) {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(core) || /^www\./i.test(core) || /^mailto:/i.test(core)) return 'url';
  if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(core)) return 'email';
  if (/^[@#]\w/.test(core)) return 'handle';
  if (/[\p{L}\p{N}]\.[\p{L}\p{N}]/u.test(core)) return 'domain';
  if (/\p{N}/u.test(core)) return 'digits';
  if (/\p{Ll}\p{Lu}/u.test(core)) return 'inner-capital';
  return undefined;
}

/**
 * The edits that turn `source` into `augmented`, as hunks over word / space / mark tokens:
 * { start, end } in the source, { augStart, augEnd } in the copy (a longest-common-subsequence
 * alignment; a pure insertion has start === end).
 */
export function replacementHunks(source, augmented) {
  const a = tokens(source);
  const b = tokens(augmented);
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i].text === b[j].text ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const hunks = [];
  let i = 0;
  let j = 0;
  let open;
  const close = () => {
    if (open) hunks.push({ ...open, end: at(a, i, source), augEnd: at(b, j, augmented) });
    open = undefined;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i].text === b[j].text) {
      close();
      i++;
      j++;
      continue;
    }
    open ??= { start: at(a, i, source), augStart: at(b, j, augmented) };
    if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) j++;
    else i++;
  }
  close();
  return hunks;
}

function tokens(text) {
  return [...text.matchAll(/[\p{L}\p{N}]+|\s+|[^\p{L}\p{N}\s]/gu)].map((m) => ({ text: m[0], start: m.index }));
}

function at(list, index, text) {
  return index < list.length ? list[index].start : text.length;
}

/** Hunks that edit a protected chunk, or insert text touching one (Computers4Sure -> Computers4Sure enough). */
export function damagedTokens(source, augmented) {
  const chunks = protectedChunks(source);
  const damaged = [];
  for (const hunk of replacementHunks(source, augmented)) {
    const hit = chunks.find((c) =>
      hunk.start === hunk.end ? hunk.start > c.start - 1 && hunk.start < c.end + 1 && touchesChunk(source, hunk.start, c) : hunk.start < c.end && hunk.end > c.start,
    );
    if (hit) damaged.push({ chunk: hit.text, kind: hit.kind, became: augmented.slice(hunk.augStart, hunk.augEnd) });
  }
  return damaged;
}

/** An insertion at `pos` touches the chunk when a chunk character is right before or after it. */
function touchesChunk(source, pos, chunk) {
  return (pos > chunk.start && pos <= chunk.end) || (pos >= chunk.start && pos < chunk.end);
}

const COARSE = ['Noun', 'Verb', 'Adjective', 'Adverb'];

/**
 * Replaced words whose part of speech in the copy differs from the original's in the source,
 * both as compromise tags them in context (Noun / Verb / Adjective / Adverb; for a multi-word
 * replacement, its last word, the head of an English noun phrase). Words compromise gives none of
 * these four tags (names, numbers, symbols) are not compared.
 */
export function posMismatches(nlp, source, augmented) {
  const hunks = replacementHunks(source, augmented).filter((h) => /\p{L}/u.test(source.slice(h.start, h.end)));
  if (hunks.length === 0) return [];
  const before = coarseTerms(nlp, source);
  const after = coarseTerms(nlp, augmented);
  const mismatches = [];
  for (const hunk of hunks) {
    const was = lastTermIn(before, hunk.start, hunk.end);
    const now = lastTermIn(after, hunk.augStart, hunk.augEnd);
    if (!was || !now || was.pos === 'Other' || now.pos === 'Other') continue; // no open-class tag to compare
    if (was.pos !== now.pos) mismatches.push({ word: was.text, was: was.pos, replacement: augmented.slice(hunk.augStart, hunk.augEnd), now: now.pos });
  }
  return mismatches;
}

function coarseTerms(nlp, text) {
  const terms = [];
  for (const sentence of nlp(text).json({ offset: true, terms: { offset: true } })) {
    for (const term of sentence.terms) {
      terms.push({ text: term.text, start: term.offset.start, end: term.offset.start + term.offset.length, pos: COARSE.find((t) => term.tags.includes(t)) ?? 'Other' });
    }
  }
  return terms;
}

function lastTermIn(terms, start, end) {
  let found;
  for (const term of terms) if (term.start < end && term.end > start) found = term;
  return found;
}
