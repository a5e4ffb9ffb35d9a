import { DvctsError } from '../core/errors.js';

/**
 * Every expected failure of the cache engine, with its stable code. Tests and callers match on
 * `code` and `data`; the message says what went wrong and where, the hint says how to fix it.
 */
export const CacheErrorCode = {
  objectMissing: 'E_OBJECT_MISSING',
  objectCorrupt: 'E_OBJECT_CORRUPT',
  manifestInvalid: 'E_MANIFEST_INVALID',
  symlink: 'E_SYMLINK',
  unsupportedFileType: 'E_UNSUPPORTED_FILE_TYPE',
  pathNotFound: 'E_PATH_NOT_FOUND',
  fileChanged: 'E_FILE_CHANGED',
  permission: 'E_PERMISSION',
  linkFailed: 'E_LINK_FAILED',
} as const;

export function objectMissingError(id: string, path: string): DvctsError {
  return new DvctsError(CacheErrorCode.objectMissing, `object ${id} for '${path}' is not in the cache`, {
    data: { id, path },
    hint: 'fetch it from a remote (dvcts pull) or reproduce the stage that creates it',
  });
}

export function objectCorruptError(id: string, objectPath: string, expected: number, actual: number): DvctsError {
  return new DvctsError(
    CacheErrorCode.objectCorrupt,
    `cache object ${id} at '${objectPath}' is corrupt: ${actual} bytes, expected ${expected}`,
    {
      data: { id, path: objectPath, expectedSize: expected, actualSize: actual },
      hint: 'delete the object file and pull or reproduce it again',
    },
  );
}

export function manifestInvalidError(id: string, path: string, line: number, reason: string): DvctsError {
  return new DvctsError(CacheErrorCode.manifestInvalid, `directory manifest ${id} ('${path}') line ${line}: ${reason}`, {
    data: { id, path, line },
    hint: 'delete the manifest object and pull or reproduce it again',
  });
}

export function symlinkError(path: string, target: string): DvctsError {
  return new DvctsError(CacheErrorCode.symlink, `'${path}' is a symbolic link (to '${target}'); tracked directories may not contain symlinks`, {
    data: { path, target },
    hint: 'replace the link with a copy of the file, or move it out of the tracked directory',
  });
}

export function unsupportedFileTypeError(path: string, kind: string): DvctsError {
  return new DvctsError(CacheErrorCode.unsupportedFileType, `'${path}' is a ${kind}; only regular files and directories can be tracked`, {
    data: { path, kind },
    hint: 'remove it from the tracked directory',
  });
}

export function pathNotFoundError(path: string): DvctsError {
  return new DvctsError(CacheErrorCode.pathNotFound, `'${path}' does not exist`, {
    data: { path },
    hint: 'check the path, or run the stage that produces it first',
  });
}

export function fileChangedError(path: string): DvctsError {
  return new DvctsError(CacheErrorCode.fileChanged, `'${path}' changed while it was being saved to the cache`, {
    data: { path },
    hint: 'wait for whatever is writing it to finish, then run the command again',
  });
}

export function permissionError(path: string, action: string, cause: unknown): DvctsError {
  return new DvctsError(CacheErrorCode.permission, `permission denied to ${action} '${path}'`, {
    data: { path, action },
    hint: 'check the owner and mode of the file and of its folder',
    cause,
  });
}

export function linkFailedError(path: string, tried: readonly string[], cause: unknown): DvctsError {
  return new DvctsError(CacheErrorCode.linkFailed, `could not create '${path}' from the cache with any of: ${tried.join(', ')}`, {
    data: { path, tried: [...tried] },
    hint: "add 'copy' to the cache link types in .dvcts/config.yaml",
    cause,
  });
}

/** The errno code of a Node fs error, or undefined. */
export function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** Turns EACCES/EPERM into E_PERMISSION; anything else is rethrown as is. */
export function rethrowPermission(e: unknown, path: string, action: string): never {
  const code = errnoOf(e);
  if (code === 'EACCES' || code === 'EPERM') throw permissionError(path, action, e);
  throw e;
}
