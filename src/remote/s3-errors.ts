import { isDvctsError, type DvctsError } from '../core/errors.js';
import { authError, bucketMissingError, remoteIoError, unreachableError, type RemoteLabel } from './errors.js';

const AUTH_NAMES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
  'Forbidden',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);

interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

/**
 * Turns an AWS SDK failure into a DvctsError with a stable code. The SDK's text is kept as the
 * reason (it names what the server said), with every configured secret blanked out first.
 */
export function s3Failure(remote: RemoteLabel, bucket: string, action: string, e: unknown, secrets: readonly string[]): DvctsError {
  if (isDvctsError(e)) return e;
  const err = (e ?? {}) as SdkError;
  const status = err.$metadata?.httpStatusCode;
  const attempts = err.$metadata?.attempts;
  const name = err.name ?? 'Error';
  const reason = redact(`${name}: ${err.message ?? String(e)}`, secrets);
  if (name === 'NoSuchBucket') return bucketMissingError(remote, bucket);
  if (AUTH_NAMES.has(name) || status === 403) {
    const why = name === 'CredentialsProviderError' ? `no credentials found (${reason})` : reason;
    return authError(remote, why);
  }
  if (name === 'TimeoutError' || name === 'RequestTimeout' || NETWORK_CODES.has(err.code ?? '') || isNetworkMessage(err.message)) {
    const tries = attempts !== undefined ? ` after ${attempts} attempt(s)` : '';
    return unreachableError(remote, `${reason}${tries}`);
  }
  return remoteIoError(remote, action, status !== undefined ? `${reason} (HTTP ${status})` : reason);
}

function isNetworkMessage(message: string | undefined): boolean {
  return message !== undefined && [...NETWORK_CODES].some((code) => message.includes(code));
}

/** Blanks out every secret in `text` (secrets shorter than 4 characters would blank common words). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

/** A missing key (404 / NoSuchKey / NotFound): an answer, not a failure. */
export function isNotFound(e: unknown): boolean {
  const err = (e ?? {}) as SdkError;
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || (err.$metadata?.httpStatusCode === 404 && err.name !== 'NoSuchBucket');
}
