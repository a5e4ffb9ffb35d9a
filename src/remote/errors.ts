import { defineErrors, type CodesOf } from '../core/error-catalogue.js';
import { DvctsError, ExitCode } from '../core/errors.js';

/**
 * Every expected failure of remotes, with its stable code. Messages name the remote by its name
 * and location (never a credential); hints say how to fix it.
 */
export const REMOTE_ERRORS = defineErrors('remote', {
  E_REMOTE_UNKNOWN: { meaning: 'no remote of that name is configured (exit code 2)', hint: 'see `dvcts remote list`', data: { name: 'string', known: 'string[]' } },
  E_REMOTE_NONE: { meaning: 'no remote named, no default remote, and not exactly one configured (exit code 2)', hint: 'pass -r NAME, or `dvcts remote default NAME`', data: { known: 'string[]' } },
  E_REMOTE_EXISTS: { meaning: '`remote add` of a name that exists (exit code 2)', hint: 'use --force to replace it, or `dvcts remote modify`', data: { name: 'string' } },
  E_REMOTE_CONFIG_INVALID: {
    meaning: 'a remote URL, option or value is invalid, or credentials are in the shared config (exit code 2)',
    hint: 'see "Remotes" in the README for URLs and options',
    data: { where: 'string' },
  },
  E_REMOTE_UNREACHABLE: {
    meaning: 'the remote did not answer: connection refused or timed out after the retries, or a folder remote\'s folder does not exist',
    hint: 'check the URL / endpoint and the network; see the options connect_timeout, read_timeout, retries',
    data: { remote: 'string', location: 'string' },
  },
  E_REMOTE_AUTH: { meaning: 'the remote refused the credentials, or none were found', hint: 'set access_key_id and secret_access_key with `dvcts remote modify --local`, or AWS_* variables, or a profile', data: { remote: 'string', location: 'string' } },
  E_REMOTE_BUCKET_MISSING: { meaning: 'the S3 bucket of the remote URL does not exist', hint: 'create the bucket, or fix the URL', data: { remote: 'string', bucket: 'string' } },
  E_REMOTE_IO: { meaning: 'the remote failed otherwise (permission denied, disk full, an unexpected answer)', hint: 'the message gives what the remote said', data: { remote: 'string', location: 'string', action: 'string' } },
  E_REMOTE_OBJECT_CORRUPT: {
    meaning: 'objects fetched from a remote do not hash to their ids; they were not stored',
    hint: 'push them again from a clone whose cache holds them intact (`dvcts fsck` checks a cache)',
    data: { remote: 'string', location: 'string', objects: 'json', outputs: 'string[]' },
  },
  E_REMOTE_OBJECT_MISSING: {
    meaning: 'objects that pointer, lock or run-cache records name are not on the remote',
    hint: 'push them from the clone that has them, or reproduce the stages that create them',
    data: { remote: 'string', location: 'string', objects: 'json', outputs: 'string[]' },
  },
});

declare module '../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof REMOTE_ERRORS> {}
}

/** How a remote is named in messages: `'storage' (s3://bucket/prefix)`. */
export interface RemoteLabel {
  readonly name: string;
  readonly location: string;
}

export const describeRemote = (r: RemoteLabel): string => `'${r.name}' (${r.location})`;

export function unknownRemoteError(name: string, known: readonly string[], suggestion: string | undefined): DvctsError {
  const list = known.length > 0 ? `configured: ${known.join(', ')}` : 'no remote is configured';
  return new DvctsError('E_REMOTE_UNKNOWN', `no remote named '${name}' (${list})`, {
    data: { name, known: [...known] },
    hint: suggestion ?? 'add one with `dvcts remote add NAME URL`',
    exitCode: ExitCode.usage,
  });
}

export function noRemoteError(known: readonly string[]): DvctsError {
  return new DvctsError(
    'E_REMOTE_NONE',
    known.length === 0 ? 'no remote is configured' : `no default remote (configured: ${known.join(', ')})`,
    {
      data: { known: [...known] },
      hint: known.length === 0 ? 'add one with `dvcts remote add --default NAME URL`' : 'pass -r NAME, or set one with `dvcts remote default NAME`',
      exitCode: ExitCode.usage,
    },
  );
}

export function remoteExistsError(name: string): DvctsError {
  return new DvctsError('E_REMOTE_EXISTS', `a remote named '${name}' already exists`, {
    data: { name },
    hint: 'use --force to replace it, or `dvcts remote modify` to change one setting',
    exitCode: ExitCode.usage,
  });
}

/** A bad URL, option or value; `where` is the config file or command that holds it. */
export function remoteConfigError(where: string, why: string, hint?: string): DvctsError {
  return new DvctsError('E_REMOTE_CONFIG_INVALID', `${where}: ${why}`, {
    data: { where },
    ...(hint !== undefined ? { hint } : {}),
    exitCode: ExitCode.usage,
  });
}

export function unreachableError(remote: RemoteLabel, why: string, cause?: unknown): DvctsError {
  return new DvctsError('E_REMOTE_UNREACHABLE', `remote ${describeRemote(remote)} is unreachable: ${why}`, {
    data: { remote: remote.name, location: remote.location },
    hint: 'check the URL/endpoint and the network; the timeouts and retries are the remote options connect_timeout, read_timeout and retries',
    cause,
  });
}

export function authError(remote: RemoteLabel, why: string, cause?: unknown): DvctsError {
  return new DvctsError('E_REMOTE_AUTH', `remote ${describeRemote(remote)} refused the credentials: ${why}`, {
    data: { remote: remote.name, location: remote.location },
    hint: 'set access_key_id and secret_access_key with `dvcts remote modify --local NAME KEY VALUE`, or the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment variables, or a profile',
    cause,
  });
}

export function bucketMissingError(remote: RemoteLabel, bucket: string): DvctsError {
  return new DvctsError('E_REMOTE_BUCKET_MISSING', `remote ${describeRemote(remote)}: bucket '${bucket}' does not exist`, {
    data: { remote: remote.name, bucket },
    hint: 'create the bucket, or fix the URL with `dvcts remote modify NAME url s3://BUCKET/PREFIX`',
  });
}

export function remoteIoError(remote: RemoteLabel, action: string, why: string, cause?: unknown): DvctsError {
  return new DvctsError('E_REMOTE_IO', `remote ${describeRemote(remote)}: could not ${action}: ${why}`, {
    data: { remote: remote.name, location: remote.location, action },
    cause,
  });
}

/** Tracked outputs a failed transfer left incomplete, and what else happened, for the end of a message. */
export interface IncompleteOutputs {
  readonly paths: readonly string[];
  readonly note?: string;
}

function incompleteLine(outputs: IncompleteOutputs | undefined): string {
  if (outputs === undefined || outputs.paths.length === 0) return '';
  return `\nincomplete in the cache: ${outputs.paths.join(', ')}${outputs.note ?? ''}`;
}

/** Objects whose bytes on the remote do not hash to their id: they were not stored locally. */
export function objectsCorruptError(remote: RemoteLabel, corrupt: readonly { id: string; actual: string }[], outputs?: IncompleteOutputs): DvctsError {
  const lines = corrupt.map((c) => `  ${c.id} (its bytes hash to ${c.actual})`);
  return new DvctsError(
    'E_REMOTE_OBJECT_CORRUPT',
    `${corrupt.length} object(s) on remote ${describeRemote(remote)} are corrupt; they were not stored in the cache:\n${lines.join('\n')}${incompleteLine(outputs)}`,
    {
      data: { remote: remote.name, location: remote.location, objects: corrupt.map((c) => ({ ...c })), outputs: [...(outputs?.paths ?? [])] },
      hint: 'push the objects again from a clone whose cache holds them intact (`dvcts fsck` checks a cache), after deleting the corrupt copies on the remote',
    },
  );
}

/** Objects the remote does not have, with the tracked paths that need them. */
export function objectsMissingOnRemoteError(remote: RemoteLabel, missing: readonly { id: string; path?: string }[], outputs?: IncompleteOutputs): DvctsError {
  const shown = missing.slice(0, 20).map((m) => `  ${m.id}${m.path !== undefined ? ` (${m.path})` : ''}`);
  if (missing.length > shown.length) shown.push(`  ... and ${missing.length - shown.length} more`);
  return new DvctsError(
    'E_REMOTE_OBJECT_MISSING',
    `${missing.length} object(s) are not on remote ${describeRemote(remote)}:\n${shown.join('\n')}${incompleteLine(outputs)}`,
    {
      data: { remote: remote.name, location: remote.location, objects: missing.map((m) => ({ ...m })), outputs: [...(outputs?.paths ?? [])] },
      hint: 'push them from the clone that has them (`dvcts push`), or reproduce the stages that create them',
    },
  );
}
