/**
 * Parts of a text that synonym replacement never touches, because a swapped word inside them
 * breaks the token rather than paraphrasing it: measured on real e-mail text, 13% of replacements
 * landed in URLs, addresses and domains (`lists.freshrpms.net` → `freshrpms.nett`) or in mixed
 * tokens (`Computers4Sure` → `Computers4Sure enough`).
 *
 * Protected: URLs (`scheme://…`, `www.…`, `mailto:…`), e-mail addresses, domains and dotted
 * abbreviations (`sf.net`, `U.S.`), @handles and #hashtags, numbers and any token with a digit,
 * tokens with a capital after a lower-case letter (`SpamAssassin`, `iPhone`), and tokens joined
 * by `_ / \ = + % & ~ $` or a colon (paths, identifiers, `key=value`).
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

const URL = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:)[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+/giu;
/** A token: a run of letters, digits and the characters that glue technical tokens together. */
const TOKEN = /(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}])[\p{L}\p{N}\p{M}_@#$%&+=~\/\\:.'’-])+/gu;
const EDGE = /^['’.:\-\/\\]+|['’.:\-\/\\]+$/gu;
const GLUE = /[@_\/\\=+%&~$:]/u;

/**
 * The protected spans of `text`, sorted and non-overlapping. `plainNumbers: false` leaves tokens
 * that are only digits (`10`, not `10%` or `v2`) unprotected, for `swap_numerals: true`.
 */
export function protectedSpans(text: string, { plainNumbers = true }: { plainNumbers?: boolean } = {}): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(URL)) {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    spans.push({ start: m.index, end: m.index + url.length });
  }
  for (const m of text.matchAll(TOKEN)) {
    const lead = m[0].length - m[0].replace(/^['’.:\-\/\\]+/u, '').length;
    const core = m[0].replace(EDGE, '');
    if (core === '' || (!plainNumbers && /^\p{Nd}+$/u.test(core))) continue;
    if (isProtectedToken(core)) spans.push({ start: m.index + lead, end: m.index + lead + core.length });
  }
  return merge(spans);
}

function isProtectedToken(core: string): boolean {
  return (
    /^[@#][\p{L}\p{N}_]/u.test(core) || // handle, hashtag
    /\p{N}/u.test(core) || // number, or a token with a digit
    GLUE.test(core) || // address, path, identifier
    /[\p{L}\p{N}]\.[\p{L}\p{N}]/u.test(core) || // domain, dotted abbreviation
    /\p{Ll}\p{Lu}/u.test(core) // inner capital
  );
}

function merge(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && span.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, span.end) };
    else out.push(span);
  }
  return out;
}

/** Whether [start, end) overlaps one of the sorted `spans`. */
export function overlapsAny(spans: readonly Span[], start: number, end: number): boolean {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const span = spans[mid] as Span;
    if (span.end <= start) lo = mid + 1;
    else if (span.start >= end) hi = mid - 1;
    else return true;
  }
  return false;
}
