import { mkdirSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { mapLimit } from '../../cache/concurrency.js';
import { tempPathBeside } from '../../util/atomic-write.js';
import { createTable, reportPathOf, writeJsonReport } from '../../table/index.js';
import { inShard, type StageContext } from '../../core/builtin.js';
import type { ImageOptions } from './definition.js';
import { noImagesError, unreadableImagesError } from './errors.js';
import { openInput } from './input.js';
import { parseOps } from './ops.js';
import { OutputMemo } from './output-memo.js';
import { OutputNames } from './output-names.js';
import { preprocessAfter, preprocessJson, PREPROCESS_FILE } from './preprocess.js';
import { planOf } from './plan.js';
import { processSource, type ManifestRow, type SourceOutcome } from './process-source.js';
import { configureSharp, SHARP_VERSIONS } from './sharp-steps.js';
import { Slots } from './slots.js';
import { byPath, type BadItem, type SourceItem } from './sources.js';

export const MANIFEST_FILE = 'manifest.csv';
const MANIFEST_COLUMNS = ['path', 'label', 'source', 'copy', 'width', 'height'];
/** Sources checked at once: a cached one costs only file-system calls, so many overlap (decoding is limited to `concurrency`). */
const SOURCES_AT_ONCE = 16;

/**
 * Lists the sources, processes them `concurrency` at a time (each from the per-item cache when it
 * can), then writes manifest.csv and preprocess.json. Everything goes to a temp folder renamed
 * onto the output at the end: a failed or killed run leaves no half-written output.
 */
export async function run(ctx: StageContext<ImageOptions>): Promise<void> {
  const opts = ctx.options;
  const ops = parseOps(opts.ops);
  const outDir = ctx.outs[0] as string;
  const input = await openInput(ctx);
  const { items, hidden } = input.sources;
  // A shard job (queue executor) processes its part of the sources into the per-item cache only.
  const shard = ctx.shard;
  const todo = shard === undefined ? items : items.filter((i) => inShard(shard, i.rel));
  const plan = planOf(opts, ops, input.preprocess.colorspace);
  const memo = new OutputMemo(ctx.itemCache, plan.config);
  const names = new OutputNames(items.map((i) => i.rel), opts.format);

  const tmp = tempPathBeside(outDir);
  const dirs = new Set<string>();
  const ensureDir = (dir: string): void => {
    if (!dirs.has(dir)) mkdirSync(dir, { recursive: true });
    dirs.add(dir);
  };
  const inFlight = opts.concurrency ?? availableParallelism();
  const restoreSharp = configureSharp(Math.max(1, Math.floor(availableParallelism() / inFlight)));
  try {
    ensureDir(tmp);
    let done = 0;
    ctx.progress(0, todo.length, 'images');
    const slots = new Slots(inFlight);
    const outcomes = await mapLimit(todo, Math.max(inFlight, SOURCES_AT_ONCE), async (item) => {
      ctx.signal.throwIfAborted();
      const outcome = await processSource(item, { plan, memo, itemCache: ctx.itemCache, names, outDir: tmp, previousDir: outDir, ensureDir, slots, ...input.confine });
      ctx.progress(++done, todo.length, 'images');
      return outcome;
    });
    await memo.flush();
    if (shard !== undefined) {
      const made = outcomes.filter((o) => o.ok && o.processed).length;
      ctx.log(`${todo.length} of ${items.length} source images, ${made} processed into the per-item cache`);
      return; // the stage's own run writes the outputs (and reports unreadable files)
    }

    const { rows, bad, good, processed } = summarize(items, outcomes, input.sources.bad);
    if (bad.length > 0 && opts.on_error === 'fail') throw unreadableImagesError(bad, items.length + input.sources.bad.length);
    if (rows.length === 0) throw noImagesError(input.shownAs, bad.length);
    for (const b of bad) ctx.log(`skipped ${b.path}: ${b.reason}`);

    const preprocess = preprocessAfter(ops, input.preprocess);
    await writeManifest(join(tmp, MANIFEST_FILE), rows);
    await writeFile(join(tmp, PREPROCESS_FILE), preprocessJson(preprocess));
    rmSync(outDir, { recursive: true, force: true }); // synchronous: thousands of unlinks, no round trips
    await rename(tmp, outDir);

    const removed = await memo.swapLastSources(relative(ctx.root, outDir), good);
    const reused = good.length - processed;
    ctx.log(
      `${good.length} source images: ${processed} processed, ${reused} reused from the cache, ${removed} removed since the last run; ` +
        `${rows.length} images written to ${relative(ctx.root, outDir)}` +
        (bad.length > 0 ? `; ${bad.length} skipped` : '') +
        (hidden > 0 ? `; ${hidden} hidden file(s) ignored` : ''),
    );
    await writeJsonReport(reportPathOf(ctx.metrics), {
      stage: 'image',
      input: input.shownAs,
      output: relative(ctx.root, outDir),
      sources: good.length,
      images_out: rows.length,
      processed,
      reused,
      removed,
      skipped: { count: bad.length, files: bad },
      hidden_ignored: hidden,
      copies: opts.copies,
      keep_original: opts.keep_original,
      format: opts.format,
      preprocess,
      sharp: SHARP_VERSIONS,
    });
  } finally {
    restoreSharp();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The manifest rows, the unreadable files (sorted), the sources written and how many were processed. */
function summarize(items: readonly SourceItem[], outcomes: readonly SourceOutcome[], listedBad: readonly BadItem[]) {
  const rows: ManifestRow[] = [];
  const bad: BadItem[] = [...listedBad];
  const good: string[] = [];
  let processed = 0;
  outcomes.forEach((o, i) => {
    const item = items[i] as SourceItem;
    if (!o.ok) bad.push({ path: item.where, reason: o.reason });
    else {
      rows.push(...o.rows);
      good.push(item.rel);
      if (o.processed) processed++;
    }
  });
  bad.sort((a, b) => byPath(a.path, b.path));
  return { rows, bad, good, processed };
}

/** manifest.csv: one row per written image, sorted by path (the contract with `split` and `train`). */
async function writeManifest(path: string, rows: ManifestRow[]): Promise<void> {
  rows.sort((a, b) => byPath(a.path, b.path));
  const table = await createTable(path, MANIFEST_COLUMNS);
  try {
    for (const r of rows) await table.writeFields([r.path, r.label, r.source, String(r.copy), String(r.width), String(r.height)]);
    await table.commit();
  } catch (e) {
    await table.abort();
    throw e;
  }
}
