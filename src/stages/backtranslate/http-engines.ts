import { DvctsError } from '../../core/errors.js';
import { viaPivot, type RoundTripEngine, type Translate } from './engine.js';
import type { HttpClient } from './http-client.js';
import { translateAligned, withoutUnknownMarks } from './paragraphs.js';

/** A paragraph APy ends a sentence at, between the batch's sentences (see paragraphs.ts). */
const SENTENCE_BOUNDARY = '.';

/** Upper bound of characters in one request body; bigger batches are sent in several requests. */
const MAX_REQUEST_CHARS = 50_000;

export interface Languages {
  readonly source: string;
  readonly pivot: string;
}

/**
 * Apertium APy: `POST /translate` with form fields `langpair=eng|spa` and `q`. A request carries
 * many sentences as blank-line-separated paragraphs (APy runs the same deformatter as the CLI).
 */
export class ApyEngine implements RoundTripEngine {
  readonly name = 'apy';

  constructor(
    private readonly url: string,
    private readonly languages: Languages,
    private readonly http: HttpClient,
  ) {}

  roundTrip(sentences: readonly string[], signal: AbortSignal): Promise<string[]> {
    return viaPivot(inRequests(this.translate), sentences, this.languages, signal);
  }

  stats(): Record<string, number> {
    return { http_retries: this.http.retries };
  }

  private readonly translate: Translate = (sentences, from, to, signal) =>
    translateAligned(sentences, async (text) => {
      const endpoint = `${this.url.replace(/\/+$/, '')}/translate`;
      const form = new URLSearchParams({ langpair: `${from}|${to}`, q: text, markUnknown: 'no' });
      const answer = await this.http.post(endpoint, form.toString(), 'application/x-www-form-urlencoded', signal);
      const json = parseJson(answer.body, endpoint) as { responseData?: { translatedText?: unknown }; explanation?: unknown };
      if (answer.status === 400 && /pair/i.test(String(json.explanation))) {
        throw new DvctsError('E_ENGINE_MISSING', `APy at ${this.url} has no ${from}-${to} language pair: ${String(json.explanation)}`, {
          data: { engine: 'apy', url: this.url, pair: `${from}|${to}` },
          hint: `install apertium-${this.languages.source}-${this.languages.pivot} on the APy server (see its /listPairs)`,
        });
      }
      const translated = json.responseData?.translatedText;
      if (answer.status !== 200 || typeof translated !== 'string') throw unexpectedAnswer('apy', endpoint, answer.status, answer.body);
      return withoutUnknownMarks(translated);
    }, SENTENCE_BOUNDARY);
}

/**
 * LibreTranslate: `POST /translate` with JSON {q: [...], source, target, format: "text", api_key}.
 * `q` as an array translates the whole batch in one request, one result per entry.
 */
export class LibreTranslateEngine implements RoundTripEngine {
  readonly name = 'libretranslate';

  constructor(
    private readonly url: string,
    private readonly languages: Languages,
    private readonly http: HttpClient,
    private readonly apiKey: string | undefined,
  ) {}

  roundTrip(sentences: readonly string[], signal: AbortSignal): Promise<string[]> {
    return viaPivot(inRequests(this.translate), sentences, this.languages, signal);
  }

  stats(): Record<string, number> {
    return { http_retries: this.http.retries };
  }

  private readonly translate: Translate = async (sentences, from, to, signal) => {
    const endpoint = `${this.url.replace(/\/+$/, '')}/translate`;
    const request = { q: sentences, source: from, target: to, format: 'text', ...(this.apiKey ? { api_key: this.apiKey } : {}) };
    const answer = await this.http.post(endpoint, JSON.stringify(request), 'application/json', signal);
    const json = parseJson(answer.body, endpoint) as { translatedText?: unknown; error?: unknown };
    if (answer.status === 403) {
      throw new DvctsError('E_ENGINE_AUTH', `LibreTranslate at ${this.url} refused the API key: ${String(json.error)}`, {
        data: { engine: 'libretranslate', url: this.url, status: 403 },
        hint: 'set a valid key in the environment variable named by `api_key_env`',
      });
    }
    if (answer.status === 400 && /support|language/i.test(String(json.error))) {
      throw new DvctsError('E_ENGINE_MISSING', `LibreTranslate at ${this.url} cannot translate ${from} -> ${to}: ${String(json.error)}`, {
        data: { engine: 'libretranslate', url: this.url, pair: `${from}|${to}` },
        hint: 'LibreTranslate uses two-letter codes (en, es); see its /languages',
      });
    }
    const translated = json.translatedText;
    if (answer.status !== 200 || !Array.isArray(translated) || translated.length !== sentences.length) {
      throw unexpectedAnswer('libretranslate', endpoint, answer.status, answer.body);
    }
    return translated.map((t) => String(t).replace(/\s+/g, ' ').trim());
  };
}

/** Splits a batch into requests of at most MAX_REQUEST_CHARS, sent one after the other. */
function inRequests(translate: Translate): Translate {
  return async (sentences, from, to, signal) => {
    const out: string[] = [];
    let batch: string[] = [];
    let chars = 0;
    for (const sentence of sentences) {
      if (batch.length > 0 && chars + sentence.length > MAX_REQUEST_CHARS) {
        out.push(...(await translate(batch, from, to, signal)));
        batch = [];
        chars = 0;
      }
      batch.push(sentence);
      chars += sentence.length + 2;
    }
    if (batch.length > 0) out.push(...(await translate(batch, from, to, signal)));
    return out;
  };
}

function parseJson(body: string, endpoint: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    throw unexpectedAnswer('http', endpoint, undefined, body);
  }
}

function unexpectedAnswer(engine: string, endpoint: string, status: number | undefined, body: string): DvctsError {
  return new DvctsError('E_ENGINE_HTTP', `${endpoint}: unexpected answer${status ? ` (HTTP ${status})` : ''}: ${body.slice(0, 300)}`, {
    data: { engine, url: endpoint, status, body: body.slice(0, 2000) },
    hint: 'check that `engine:` matches the server at `url:` (APy or LibreTranslate)',
  });
}
