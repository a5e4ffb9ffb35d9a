import { lstat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { BuiltinRegistry } from '../core/builtin.js';
import type { DataOf, ErrorCode } from '../core/error-catalogue.js';
import { DvctsError, ExitCode, isDvctsError } from '../core/errors.js';
import type { StageSpec } from '../core/spec.js';
import { loadProject } from '../pipeline/load.js';
import { confinedPath } from '../util/confined-path.js';
import { SKIPPED_DIRS, workspaceSnapshot } from './metadata-files.js';
import { POINTER_SUFFIX, pointerPathFor } from './pointer.js';
import { projectPathOf } from './project-path.js';

/**
 * What `dvcts add` refuses, checked for every path before anything is written: a path outside
 * the project or refused by the project's path rule (.git/, .dvcts/, pipelines/, through a
 * symlinked folder: the pointer and .gitignore are written beside the data), missing, a pointer
 * file itself, a stage output (its lock file tracks it), inside data that is already tracked,
 * or containing tracked data. A single folder is checked for pointer files inside it while it is
 * stored (refuseTrackedInside, one walk instead of two: nothing but objects in the cache exist
 * before the refusal, and those are harmless); several paths are all checked first, so that none
 * is added when another is refused.
 */
export async function checkAddable(root: string, cwd: string, args: readonly string[], builtins: BuiltinRegistry): Promise<string[]> {
  const paths = [...new Set(args.map((arg) => projectRelative(root, cwd, arg)))].sort();
  for (const path of paths) await confinedPath(root, path, 'write').catch((e: unknown) => rethrowAsUsage(e));
  for (const path of paths) await requireExists(root, path);
  const nested = paths.find((p) => paths.some((q) => p.startsWith(`${q}/`)));
  if (nested !== undefined) throw refuse('E_ADD_OVERLAP', `'${nested}' is inside another path given to the same add`, nested, 'add either the folder or the files in it, not both');
  const stages = (await loadProject(root, { builtins })).spec.stages;
  for (const path of paths) {
    refuseStageOutput(path, stages);
    await refuseInsideTracked(root, path);
    if (paths.length > 1) await refuseContainsTracked(root, path);
  }
  return paths;
}

function projectRelative(root: string, cwd: string, arg: string): string {
  const rel = projectPathOf(root, cwd, arg);
  const top = rel.split('/')[0] ?? '';
  if (top === 'node_modules') throw refuse('E_PATH_OUTSIDE_PROJECT', `'${rel}' is inside node_modules/, which dvcts does not track`, rel, 'add data outside node_modules/');
  if (rel.endsWith(POINTER_SUFFIX)) throw refuse('E_ADD_POINTER', `'${rel}' is a pointer file; add the data it describes instead`, rel, `run \`dvcts add ${rel.slice(0, -POINTER_SUFFIX.length)}\``);
  return rel;
}

async function requireExists(root: string, path: string): Promise<void> {
  const stats = await lstat(join(root, path)).catch(() => undefined);
  if (stats === undefined) throw refuse('E_PATH_NOT_FOUND', `'${path}' does not exist`, path, 'check the path (it is relative to the current folder)');
  if (!stats.isFile() && !stats.isDirectory()) throw refuse('E_UNSUPPORTED_FILE_TYPE', `'${path}' is not a regular file or folder`, path, 'add a regular file or a folder');
}

function refuseStageOutput(path: string, stages: readonly StageSpec[]): void {
  for (const stage of stages) {
    for (const out of stage.outs) {
      if (out.path !== path && !path.startsWith(`${out.path}/`) && !out.path.startsWith(`${path}/`)) continue;
      const where = out.range ? ` (${out.range.file}:${out.range.line})` : '';
      throw refuse('E_ADD_STAGE_OUTPUT', `'${path}' overlaps output '${out.path}' of stage '${stage.id}'${where}`, path, 'stage outputs are tracked by the lock file: run `dvcts repro` instead, or remove the output from the stage', { stage: stage.id, out: out.path });
    }
  }
}

async function refuseInsideTracked(root: string, path: string): Promise<void> {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const ancestor = parts.slice(0, i).join('/');
    const pointer = pointerPathFor(ancestor);
    if ((await lstat(join(root, pointer)).catch(() => undefined))?.isFile()) {
      throw refuse('E_ADD_INSIDE_TRACKED', `'${path}' is inside '${ancestor}', which is already tracked by ${pointer}`, path, `run \`dvcts add ${ancestor}\` to record the new version of the whole folder`, { pointer });
    }
  }
}

async function refuseContainsTracked(root: string, path: string): Promise<void> {
  if (!(await lstat(join(root, path))).isDirectory()) return;
  const inside = (await workspaceSnapshot(join(root, path)).files()).filter((f) => f.endsWith(POINTER_SUFFIX));
  if (inside[0] !== undefined) refuseTrackedInside(path)(inside[0]);
}

/** For storing `path`: refuses it when a file inside it (`relPath`) is a pointer file. */
export function refuseTrackedInside(path: string): (relPath: string) => void {
  return (relPath) => {
    if (!relPath.endsWith(POINTER_SUFFIX) || relPath.split('/').some((part) => SKIPPED_DIRS.has(part))) return;
    const pointer = posix.join(path, relPath);
    throw refuse('E_ADD_OVERLAPS_TRACKED', `'${path}' contains data that is already tracked by ${pointer}`, path, `remove the inner pointer file(s) first (git rm ${pointer}), then add the whole folder`, { pointer });
  };
}

function rethrowAsUsage(e: unknown): never {
  if (!isDvctsError(e)) throw e;
  throw new DvctsError(e.code, e.message, { data: e.data as never, ...(e.hint ? { hint: e.hint } : {}), exitCode: ExitCode.usage });
}

/** An `add` refusal: every one carries the path; `extra` the other fields its code declares. */
function refuse(code: ErrorCode, message: string, path: string, hint: string, extra: Readonly<Record<string, string>> = {}): DvctsError {
  return new DvctsError(code as 'E_ADD_INSIDE_TRACKED', message, { data: { path, ...extra } as DataOf<'E_ADD_INSIDE_TRACKED'>, hint, exitCode: ExitCode.usage });
}
