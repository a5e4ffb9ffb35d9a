import { createClient } from 'redis';
import { DvctsError, ExitCode } from '../core/errors.js';

/** A queue's Redis server: `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
export interface QueueAddress {
  /** As given: it may hold a password, so it is never printed. */
  readonly url: string;
  /** The URL without user and password, for every message. */
  readonly shown: string;
}

export type RedisClient = ReturnType<typeof createClient>;

/** The first connection must succeed within this time, or the command fails (with its start-up, within 10 s). */
const CONNECT_WITHIN_MS = 5_000;

/** Hides `user:password@` in anything that echoes a URL. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}

export function queueAddress(url: string): QueueAddress {
  const shown = withoutCredentials(url);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || parsed.hostname === '') {
    throw new DvctsError('E_QUEUE_URL_INVALID', `'${shown}' is not a Redis URL`, {
      data: { url: shown },
      hint: 'write redis://HOST:PORT (with a password: redis://:PASSWORD@HOST:PORT; TLS: rediss://...)',
      exitCode: ExitCode.usage,
    });
  }
  return { url, shown };
}

/**
 * Connects to Redis, or fails within 10 s with a clear error: unreachable, a wrong or missing
 * password, an untrusted TLS certificate (those two are not retried). Once connected, a lost
 * connection is retried for ever (BullMQ's workers must outlive a Redis restart).
 */
export async function connectRedis(address: QueueAddress): Promise<RedisClient> {
  const started = Date.now();
  let connected = false;
  const client = createClient({
    url: address.url,
    socket: {
      connectTimeout: CONNECT_WITHIN_MS / 2,
      reconnectStrategy: (retries: number, cause: Error) => {
        const backoff = Math.min(100 * 2 ** retries, 3_000);
        if (connected) return backoff;
        const left = started + CONNECT_WITHIN_MS - Date.now();
        return isFatal(cause) || left <= 0 ? cause : Math.min(backoff, left);
      },
    },
  });
  // Without a listener an 'error' event would crash the process; connect() reports the first one.
  client.on('error', () => {});
  client.on('ready', () => void (connected = true));
  try {
    await client.connect();
  } catch (e) {
    throw connectionError(address, e);
  }
  return client;
}

function isFatal(e: Error | undefined): boolean {
  return isAuthProblem(e) || /certificate|CERT_|SSL|TLS/i.test(`${(e as NodeJS.ErrnoException | undefined)?.code ?? ''} ${e?.message ?? ''}`);
}

function isAuthProblem(e: unknown): boolean {
  return /WRONGPASS|NOAUTH|NOPERM|invalid password/i.test((e as Error | undefined)?.message ?? '');
}

function connectionError(address: QueueAddress, e: unknown): DvctsError {
  const why = withoutCredentials((e as Error | undefined)?.message ?? String(e));
  if (isAuthProblem(e)) {
    return new DvctsError('E_QUEUE_AUTH', `Redis at ${address.shown} refused the connection: ${why}`, {
      data: { url: address.shown },
      hint: 'put the right password in the queue URL: redis://:PASSWORD@host:port (user:PASSWORD@ with Redis ACLs)',
    });
  }
  return new DvctsError('E_QUEUE_UNREACHABLE', `could not reach Redis at ${address.shown} within ${CONNECT_WITHIN_MS / 1000} s: ${why}`, {
    data: { url: address.shown },
    hint: /certificate|CERT_/i.test(why)
      ? 'the server\'s TLS certificate is not trusted: point NODE_EXTRA_CA_CERTS at its CA certificate (PEM)'
      : 'check the host and port, and that redis-server is running and reachable from here',
  });
}

/** Closes a client without waiting on a server that may be gone. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (!client.isOpen) return;
  await client.quit().catch(() => client.destroy());
}
