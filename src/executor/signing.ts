import { createHmac, timingSafeEqual } from 'node:crypto';
import { DvctsError, ExitCode } from '../core/errors.js';

/**
 * Whoever can write to the queue could make workers run commands, so every job (and every
 * result) travels as its JSON text plus an HMAC-SHA256 of that text under a secret shared by the
 * coordinator and the workers. The text itself is signed, not a re-serialisation of it, so the
 * check does not depend on how JSON is written on either side.
 */
export const SECRET_ENV = 'DVCTS_QUEUE_SECRET';
const MIN_SECRET_LENGTH = 16;

export interface Signed {
  readonly body: string;
  readonly sig: string;
}

/** The shared secret, from DVCTS_QUEUE_SECRET; at least 16 characters. */
export function queueSecret(env: NodeJS.ProcessEnv = process.env): Buffer {
  const secret = env[SECRET_ENV];
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) {
    throw new DvctsError('E_QUEUE_SECRET_MISSING', `${SECRET_ENV} is ${secret === undefined || secret === '' ? 'not set' : `shorter than ${MIN_SECRET_LENGTH} characters`}: queue jobs are signed with it`, {
      hint: `set the same long random ${SECRET_ENV} for the coordinator and every worker, e.g. export ${SECRET_ENV}=$(openssl rand -hex 32)`,
      exitCode: ExitCode.usage,
    });
  }
  return Buffer.from(secret, 'utf8');
}

export function sign(secret: Buffer, value: unknown): Signed {
  const body = JSON.stringify(value);
  return { body, sig: mac(secret, body) };
}

/** The signed value, or E_JOB_UNSIGNED / E_JOB_SIGNATURE naming `what` (a job id). */
export function verified<T>(secret: Buffer, data: unknown, what: string): T {
  const signed = data as Partial<Signed> | null | undefined;
  if (typeof signed?.body !== 'string' || typeof signed.sig !== 'string' || signed.sig === '') {
    throw new DvctsError('E_JOB_UNSIGNED', `${what} carries no signature: refused`, { data: { job: what } });
  }
  const expected = Buffer.from(mac(secret, signed.body), 'hex');
  const given = Buffer.from(signed.sig, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new DvctsError('E_JOB_SIGNATURE', `${what} does not match its signature (altered, or signed with another ${SECRET_ENV}): refused`, { data: { job: what } });
  }
  return JSON.parse(signed.body) as T;
}

function mac(secret: Buffer, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}
