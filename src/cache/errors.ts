import { defineErrors, type CodesOf } from '../core/error-catalogue.js';
import { DvctsError } from '../core/errors.js';
import { errnoOf, systemError } from '../core/system-errors.js';

/**
 * Every expected failure of the cache engine, with its stable code. Tests and callers match on
 * `code` and `data`; the message says what went wrong and where, the hint says how to fix it.
 */
export const CACHE_ERRORS = defineErrors('cache', {
  E_OBJECT_MISSING: {
    meaning: 'data a pointer or lock file records is not in the cache',
    hint: 'fetch it from a remote (dvcts pull) or reproduce the stage that creates it',
    data: { id: 'string?', path: 'string?', outputs: 'json?' },
  },
  E_OBJECT_CORRUPT: {
    meaning: 'a cache object is not a file, or does not have the size or content its id says; nothing is checked out from it',
    hint: 'delete the object file and pull or reproduce it again (`dvcts fsck` lists every damaged object)',
    data: { id: 'string', path: 'string', expectedSize: 'number?', actualSize: 'number?', actualId: 'string?' },
  },
  E_MANIFEST_INVALID: { meaning: 'a directory manifest in the cache is malformed', hint: 'delete the manifest object and pull or reproduce it again', data: { id: 'string', path: 'string', line: 'number' } },
  E_SYMLINK: { meaning: 'a tracked folder contains a symbolic link', hint: 'replace the link with a copy, or move it out of the folder', data: { path: 'string', target: 'string' } },
  E_UNSUPPORTED_FILE_TYPE: { meaning: 'a path is neither a regular file nor a folder (a socket, device, FIFO)', hint: 'remove it from the tracked folder', data: { path: 'string', kind: 'string?' } },
  E_PATH_NOT_FOUND: { meaning: 'a path to hash or store does not exist', hint: 'check the path, or run the stage that produces it first', data: { path: 'string' } },
  E_FILE_CHANGED: { meaning: 'a file changed while it was being stored in the cache', hint: 'wait for whatever writes it to finish, then run again', data: { path: 'string' } },
  E_LINK_FAILED: { meaning: 'no link type of the configured chain could place a file from the cache', hint: 'add `copy` to cache.type in .dvcts/config.yaml', data: { path: 'string', tried: 'string[]' } },
  E_RUN_CACHE_INVALID: { meaning: 'a run-cache record is unreadable or malformed', hint: 'delete the record (the stage then runs again), or run with --no-run-cache', data: { path: 'string' } },
  E_ITEM_CACHE_NAMESPACE: { meaning: 'a built-in asked for a per-item cache namespace that is not a plain name (a bug in the built-in)', hint: 'use letters, digits, ".", "_" and "-"', data: { namespace: 'string' } },
});

declare module '../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof CACHE_ERRORS> {}
}

export function objectMissingError(id: string, path: string): DvctsError {
  return new DvctsError('E_OBJECT_MISSING', `object ${id} for '${path}' is not in the cache`, {
    data: { id, path },
    hint: 'fetch it from a remote (dvcts pull) or reproduce the stage that creates it',
  });
}

export function objectCorruptError(id: string, objectPath: string, expected: number, actual: number): DvctsError {
  return new DvctsError(
    'E_OBJECT_CORRUPT',
    `cache object ${id} at '${objectPath}' is corrupt: ${actual} bytes, expected ${expected}`,
    {
      data: { id, path: objectPath, expectedSize: expected, actualSize: actual },
      hint: 'delete the object file and pull or reproduce it again',
    },
  );
}

/**
 * An object of the right size whose bytes hash to another id (E_OBJECT_CORRUPT too); nothing is
 * placed from it.
 */
export function objectContentError(id: string, objectPath: string, actualId: string, size?: number): DvctsError {
  return new DvctsError('E_OBJECT_CORRUPT', `cache object ${id} at '${objectPath}' is corrupt: its bytes hash to ${actualId}; nothing was checked out from it`, {
    data: { id, path: objectPath, actualId, ...(size === undefined ? {} : { expectedSize: size, actualSize: size }) },
    hint: 'delete the object file and pull or reproduce it again (`dvcts fsck` lists every damaged object)',
  });
}

export function objectNotAFileError(id: string, objectPath: string): DvctsError {
  return new DvctsError('E_OBJECT_CORRUPT', `cache object ${id} at '${objectPath}' is not a file (a folder or something else took its place)`, {
    data: { id, path: objectPath },
    hint: 'remove what is at that path, then pull or reproduce the object again',
  });
}

export function manifestInvalidError(id: string, path: string, line: number, reason: string): DvctsError {
  return new DvctsError('E_MANIFEST_INVALID', `directory manifest ${id} ('${path}') line ${line}: ${reason}`, {
    data: { id, path, line },
    hint: 'delete the manifest object and pull or reproduce it again',
  });
}

export function symlinkError(path: string, target: string): DvctsError {
  return new DvctsError('E_SYMLINK', `'${path}' is a symbolic link (to '${target}'); tracked directories may not contain symlinks`, {
    data: { path, target },
    hint: 'replace the link with a copy of the file, or move it out of the tracked directory',
  });
}

export function unsupportedFileTypeError(path: string, kind: string): DvctsError {
  return new DvctsError('E_UNSUPPORTED_FILE_TYPE', `'${path}' is a ${kind}; only regular files and directories can be tracked`, {
    data: { path, kind },
    hint: 'remove it from the tracked directory',
  });
}

export function pathNotFoundError(path: string): DvctsError {
  return new DvctsError('E_PATH_NOT_FOUND', `'${path}' does not exist`, {
    data: { path },
    hint: 'check the path, or run the stage that produces it first',
  });
}

export function fileChangedError(path: string): DvctsError {
  return new DvctsError('E_FILE_CHANGED', `'${path}' changed while it was being saved to the cache`, {
    data: { path },
    hint: 'wait for whatever is writing it to finish, then run the command again',
  });
}

export function linkFailedError(path: string, tried: readonly string[], cause: unknown): DvctsError {
  return new DvctsError('E_LINK_FAILED', `could not create '${path}' from the cache with any of: ${tried.join(', ')}`, {
    data: { path, tried: [...tried] },
    hint: "add 'copy' to the cache link types in .dvcts/config.yaml",
    cause,
  });
}

export { errnoOf };

/** Turns a system error (EACCES, ENOSPC, EROFS, ...) into its coded error at `path`; anything else is rethrown as is. */
export function rethrowSystemError(e: unknown, path: string, action: string): never {
  throw systemError(e, path, action) ?? e;
}
