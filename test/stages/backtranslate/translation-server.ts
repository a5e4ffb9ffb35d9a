import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An emulator of LibreTranslate's protocol on 127.0.0.1 (LibreTranslate cannot be installed
 * here): it translates by piping to the apertium CLI, so the translations are real, and it can
 * stall requests (never answer) to exercise timeouts and retries. APy is tested against the real
 * apertium-apy server instead (apy-server.test.ts).
 */
export interface TranslationServer {
  readonly url: string;
  /** Requests received, stalled ones included. */
  readonly requests: { path: string; body: string }[];
  close(): Promise<void>;
}

export interface ServerOptions {
  /** How many requests, from the first, get no answer at all. */
  readonly stall?: number;
  /** LibreTranslate: the key it accepts (none: keys are not checked). */
  readonly apiKey?: string;
}

const LT_TO_APERTIUM: Readonly<Record<string, string>> = { en: 'eng', es: 'spa' };

export async function startTranslationServer(options: ServerOptions = {}): Promise<TranslationServer> {
  const requests: { path: string; body: string }[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      requests.push({ path: req.url ?? '', body });
      // A stalled request is translated (so a retry finds the work done, however busy the
      // machine) but never answered: the client's timeout must fire.
      const answer = requests.length <= (options.stall ?? 0) ? silent(res) : res;
      try {
        if (req.url === '/translate' && req.headers['content-type']?.includes('json')) await libreTranslate(body, answer, options);
        else reply(answer, 404, { error: 'not found' });
      } catch (e) {
        reply(answer, 500, { error: String(e) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function libreTranslate(body: string, res: ServerResponse, options: ServerOptions): Promise<void> {
  const request = JSON.parse(body) as { q: string | string[]; source: string; target: string; api_key?: string };
  if (options.apiKey !== undefined && request.api_key !== options.apiKey) {
    return reply(res, 403, { error: 'Invalid API key' });
  }
  const from = LT_TO_APERTIUM[request.source];
  const to = LT_TO_APERTIUM[request.target];
  if (!from || !to) return reply(res, 400, { error: `${from ? request.target : request.source} is not supported` });
  const texts = Array.isArray(request.q) ? request.q : [request.q];
  // Like LibreTranslate, each entry is translated on its own (here: one paragraph each).
  const out = (await apertium(`${from}-${to}`, texts.join('\n\n')))
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  reply(res, 200, { translatedText: Array.isArray(request.q) ? out : out[0] });
}

/** A response that swallows the answer: the client is left waiting. */
function silent(res: ServerResponse): ServerResponse {
  return new Proxy(res, { get: (target, key) => (key === 'writeHead' || key === 'end' ? () => target : Reflect.get(target, key)) });
}

const translations = new Map<string, Promise<string>>();

/** Apertium, once per (pair, text) for the server's whole life. */
function apertium(pair: string, text: string): Promise<string> {
  const key = `${pair}\0${text}`;
  if (!translations.has(key)) translations.set(key, runApertium(pair, text));
  return translations.get(key)!;
}

function runApertium(pair: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // `cat |`: apertium opens /dev/stdin, which fails on the socket Node gives a child as stdin.
    const child = spawn('bash', ['-c', 'cat | apertium -u "$0"', pair]);
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`apertium ${code}`))));
    child.stdin.end(text);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

function reply(res: ServerResponse, status: number, json: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(json));
}
