import { linkSync, lstatSync, realpathSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { hashBytesSync } from '../../cache/hash.js';
import type { ItemCache } from '../../core/builtin.js';
import { applyOp } from './apply-ops.js';
import type { OutputMemo } from './output-memo.js';
import type { OutputNames } from './output-names.js';
import type { Plan } from './plan.js';
import type { RawImage } from './pixels.js';
import { OutputRandom } from './random.js';
import { decode, encode } from './sharp-steps.js';
import type { Slots } from './slots.js';
import type { SourceItem } from './sources.js';

export interface ProcessContext {
  readonly plan: Plan;
  readonly memo: OutputMemo;
  readonly itemCache: ItemCache;
  readonly names: OutputNames;
  /** The folder outputs are written to (a temp folder renamed onto `previousDir` at the end). */
  readonly outDir: string;
  /** The output folder, holding the previous run's images until the new folder replaces it. */
  readonly previousDir: string;
  /** Manifest input: the real path sources must stay inside (symbolic links are resolved). */
  readonly confineTo?: string;
  /** Creates a folder once, however many outputs go into it. */
  ensureDir(dir: string): void;
  /** Render slots: how many images are read and decoded at once (`concurrency`). */
  readonly slots: Slots;
}

export interface ManifestRow {
  readonly path: string;
  readonly label: string;
  readonly source: string;
  readonly copy: number;
  readonly width: number;
  readonly height: number;
}

export type SourceOutcome =
  | { readonly ok: true; readonly rows: readonly ManifestRow[]; readonly processed: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * One source image: outputs whose record is in the memo (and whose object is still in the store)
 * are copied from the store; the others are computed from one decode. The file is read only when
 * something must be computed or its content id is not known for its current (inode, size, mtime),
 * and only inside a render slot, so memory holds the bytes of at most `slots` images. A source
 * that cannot be read or decoded is reported with the reason (sharp's message); writing errors are
 * not its fault and fail the stage.
 */
export async function processSource(item: SourceItem, ctx: ProcessContext): Promise<SourceOutcome> {
  const stamp = stampSource(item, ctx.confineTo);
  if (stamp.problem !== undefined) return { ok: false, reason: stamp.problem };
  const knownId = await ctx.memo.contentId(item.abs, stamp.stamp);
  const cached = knownId === undefined ? undefined : await restoreCached(item, knownId, ctx);
  if (cached !== undefined && cached.missing.length === 0) return { ok: true, rows: cached.rows, processed: false };

  return ctx.slots.run(async () => {
    let bytes: Buffer;
    try {
      bytes = await readFile(item.abs);
    } catch (e) {
      return { ok: false, reason: readProblem(e) };
    }
    const contentId = hashBytesSync(bytes);
    if (contentId !== knownId) {
      await ctx.memo.rememberContentId(item.abs, stamp.stamp, contentId);
      discard(cached?.rows ?? [], ctx); // the file changed since it was looked at
    }
    const { rows, missing } = contentId === knownId && cached !== undefined ? cached : await restoreCached(item, contentId, ctx);
    if (missing.length === 0) return { ok: true, rows, processed: false };
    let made: { copy: number; bytes: Buffer; img: RawImage }[];
    try {
      made = await render(bytes, item.rel, contentId, missing, ctx.plan);
    } catch (e) {
      discard(rows, ctx);
      return { ok: false, reason: decodeFailure(e) };
    }
    for (const { copy, bytes: encoded, img } of made) {
      const dest = join(ctx.outDir, ctx.names.of(item.rel, copy));
      ctx.ensureDir(dirname(dest));
      const id = await ctx.itemCache.putObject(encoded);
      writeFileSync(dest, encoded);
      await ctx.memo.put(item.rel, contentId, copy, { id, width: img.width, height: img.height });
      await ctx.memo.rememberWrittenOutput(join(ctx.previousDir, ctx.names.of(item.rel, copy)), stampOf(statSync(dest)), id);
      rows.push(rowOf(item, ctx, copy, img.width, img.height));
    }
    rows.sort((a, b) => a.copy - b.copy);
    return { ok: true, rows, processed: true };
  });
}

/** Removes outputs already placed for a source that turns out unusable. */
function discard(rows: readonly ManifestRow[], ctx: ProcessContext): void {
  for (const r of rows) rmSync(join(ctx.outDir, r.path), { force: true });
}

/** Puts every output the memo knows (and can still find) into place; lists the others. */
async function restoreCached(item: SourceItem, contentId: string, ctx: ProcessContext): Promise<{ rows: ManifestRow[]; missing: number[] }> {
  const rows: ManifestRow[] = [];
  const missing: number[] = [];
  for (const copy of ctx.plan.copies) {
    const record = await ctx.memo.get(item.rel, contentId, copy);
    if (record !== undefined && (await placeCached(record.id, ctx.names.of(item.rel, copy), ctx))) rows.push(rowOf(item, ctx, copy, record.width, record.height));
    else missing.push(copy);
  }
  return { rows, missing };
}

/**
 * Puts the output `rel` (content `id`) into the new folder: a hard link to the previous run's file
 * when that is still the file this stage wrote (same inode, size and mtime: nothing is copied),
 * otherwise a copy from the content store. false when the store no longer has it.
 */
async function placeCached(id: string, rel: string, ctx: ProcessContext): Promise<boolean> {
  const dest = join(ctx.outDir, rel);
  const previous = join(ctx.previousDir, rel);
  ctx.ensureDir(dirname(dest));
  const written = await ctx.memo.writtenOutput(previous);
  if (written?.id === id && keptByLink(previous, written.stamp, dest)) return true;
  if (!(await ctx.itemCache.copyObject(id, dest))) return false;
  await ctx.memo.rememberWrittenOutput(previous, stampOf(statSync(dest)), id);
  return true;
}

/**
 * Links the previous file to `dest` when it is still the one that was written (`stamp`). File
 * calls in this module are synchronous where they are many and cheap: the stage runs in a worker
 * thread of its own, and 10,000 async metadata calls cost a thread-pool round trip each.
 */
function keptByLink(previous: string, stamp: string, dest: string): boolean {
  try {
    const stats = lstatSync(previous);
    if (!stats.isFile() || stampOf(stats) !== stamp) return false;
    linkSync(previous, dest);
    return true;
  } catch {
    return false; // gone, or a file system without hard links: copied from the store instead
  }
}

function rowOf(item: SourceItem, ctx: ProcessContext, copy: number, width: number, height: number): ManifestRow {
  return { path: ctx.names.of(item.rel, copy), label: item.label, source: item.source, copy, width, height };
}

/** What identifies the file's version without reading it ("inode:size:mtime"), or why it cannot be used. */
function stampSource(item: SourceItem, confineTo: string | undefined): { stamp: string; problem?: undefined } | { problem: string } {
  try {
    if (confineTo !== undefined && !realpathSync(item.abs).startsWith(confineTo + sep)) {
      return { problem: 'the path leads out of the image folder (through a symbolic link)' };
    }
    const stats = statSync(item.abs);
    if (!stats.isFile()) return { problem: stats.isDirectory() ? 'a folder, not a file' : 'not a regular file' };
    return { stamp: stampOf(stats) };
  } catch (e) {
    return { problem: readProblem(e) };
  }
}

/** A file version without reading it: inode, size, mtime (the state cache's trade-off). */
function stampOf(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

function readProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(e)})`;
}

/** Decodes once, applies the shared ops, then each copy's own ops, and encodes. */
async function render(bytes: Buffer, rel: string, contentId: string, copies: readonly number[], plan: Plan): Promise<{ copy: number; bytes: Buffer; img: RawImage }[]> {
  const [first, ...rest] = plan.shared;
  const fused = first?.kind === 'normalize' ? first : undefined; // resized while decoding
  let base = await decode(bytes, plan.colorspace, fused);
  for (const op of fused ? rest : plan.shared) base = await applyOp(op, base, undefined);
  const out = [];
  for (const copy of copies) {
    const random = copy === 0 ? undefined : new OutputRandom(plan.seed, rel, contentId, copy);
    let img = base;
    for (const op of plan.perCopy) img = await applyOp(op, img, random);
    out.push({ copy, bytes: await encode(img, plan.format, plan.quality), img });
  }
  return out;
}

/**
 * sharp's message for a file it could not decode. libvips sometimes reports a damaged or cut-short
 * file only as "Warning treated as error due to failOn setting" (which of its checks trips first
 * varies with timing); that one is said in words a user can act on.
 */
function decodeFailure(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return /failOn/.test(message) ? `damaged or truncated image data (${message})` : message;
}
