import { DvctsError } from '../../core/errors.js';

/**
 * POST with a per-attempt timeout and a bounded number of retries. Retried: network errors,
 * timeouts, 429 and 5xx (the server may be busy or restarting). Not retried: other 4xx, which a
 * retry cannot fix; they are returned for the engine to explain.
 */
export interface HttpPolicy {
  readonly timeoutMs: number;
  readonly retries: number;
  /** First back-off pause; doubled after each failed attempt. */
  readonly backoffMs: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

export class HttpClient {
  private retried = 0;

  constructor(private readonly policy: HttpPolicy) {}

  get retries(): number {
    return this.retried;
  }

  async post(url: string, body: string, contentType: string, signal: AbortSignal): Promise<HttpAnswer> {
    let lastProblem = '';
    for (let attempt = 0; attempt <= this.policy.retries; attempt++) {
      if (attempt > 0) {
        this.retried++;
        await pause(this.policy.backoffMs * 2 ** (attempt - 1), signal);
      }
      // A timer of our own, not AbortSignal.timeout(): combined through AbortSignal.any, that
      // signal can be garbage-collected before it fires, and the request then waits forever.
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(new DOMException('timed out', 'TimeoutError')), this.policy.timeoutMs);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': contentType, accept: 'application/json' },
          body,
          signal: AbortSignal.any([signal, timeout.signal]),
        });
        const text = await response.text();
        if (response.status === 429 || response.status >= 500) {
          lastProblem = `HTTP ${response.status}: ${text.slice(0, 200)}`;
          continue;
        }
        return { status: response.status, body: text };
      } catch (e) {
        signal.throwIfAborted();
        lastProblem = describeFailure(e, this.policy.timeoutMs);
      } finally {
        clearTimeout(timer);
      }
    }
    throw new DvctsError('E_ENGINE_UNREACHABLE', `${url}: no answer after ${this.policy.retries + 1} attempts (${lastProblem})`, {
      data: { url, attempts: this.policy.retries + 1, problem: lastProblem },
      hint: 'check that the translation server is running at `url:`; raise `timeout_ms` or `retries` for a slow server',
    });
  }
}

function describeFailure(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
  return cause ?? (e instanceof Error ? e.message : String(e));
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
