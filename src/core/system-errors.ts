import { DvctsError } from './errors.js';

/**
 * Errors of the operating system (a full disk, a missing permission, a read-only file system),
 * as DvctsErrors with a stable code and the path they happened at, so that the user sees what
 * and where, and how to fix it, instead of a stack trace. One table for every layer.
 */
export const SystemErrorCode = {
  permission: 'E_PERMISSION',
  noSpace: 'E_NO_SPACE',
  readOnly: 'E_READ_ONLY_FS',
  io: 'E_IO',
} as const;

type SystemErrorCode = (typeof SystemErrorCode)[keyof typeof SystemErrorCode];

const BY_ERRNO: Readonly<Record<string, { code: SystemErrorCode; what: string; hint: string }>> = {
  EACCES: { code: SystemErrorCode.permission, what: 'permission denied', hint: 'check the owner and mode of the file and of its folder (ls -l)' },
  EPERM: { code: SystemErrorCode.permission, what: 'operation not permitted', hint: 'check the owner and mode of the file and of its folder (ls -l)' },
  ENOSPC: { code: SystemErrorCode.noSpace, what: 'no space left on the device', hint: 'free some space (`dvcts gc` removes unused cache objects), then run the command again' },
  EDQUOT: { code: SystemErrorCode.noSpace, what: 'disk quota exceeded', hint: 'free some space or raise the quota, then run the command again' },
  EROFS: { code: SystemErrorCode.readOnly, what: 'the file system is read-only', hint: 'run the command where the project can be written' },
  EIO: { code: SystemErrorCode.io, what: 'input/output error', hint: 'the disk may be failing: check the system log' },
};

/** The errno code of a Node system error, or undefined. */
export function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/**
 * A coded error for a system error this table knows (`path`: where, default the error's own
 * path; `action`: what dvcts was doing, e.g. "write"), or undefined for anything else.
 */
export function systemError(e: unknown, path?: string, action?: string): DvctsError | undefined {
  const known = BY_ERRNO[errnoOf(e) ?? ''];
  if (known === undefined) return undefined;
  const { path: ownPath, syscall } = e as NodeJS.ErrnoException;
  const where = path ?? ownPath;
  const doing = action ?? syscall;
  const what = doing === undefined ? (where === undefined ? '' : ` at '${where}'`) : ` (cannot ${doing}${where === undefined ? '' : ` '${where}'`})`;
  const message = `${known.what}${what}`;
  return new DvctsError(known.code, message, { data: { ...(where ? { path: where } : {}), errno: errnoOf(e), ...(doing ? { action: doing } : {}) }, hint: known.hint, cause: e });
}
