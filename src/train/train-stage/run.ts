import { relative } from 'node:path';
import { DvctsError } from '../../core/errors.js';
import { reportPathOf, writeJsonReport } from '../../table/index.js';
import type { StageContext } from '../../core/builtin.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { activateBackend, type ActiveBackend } from '../backend/choose.js';
import { CLASSIFIER_FILE } from '../classifier.js';
import { evaluateOn, fitModel, type EpochRecord } from '../model/fit.js';
import { modelFiles, writeFolderAtomic } from '../model/files.js';
import { delimiterOf, formatTable } from '../data/write-table.js';
import { unknownClassCount } from './inputs.js';
import type { TrainOptions } from './options.js';
import { prepareImage } from './prepare-image.js';
import { prepareText } from './prepare-text.js';

/**
 * Reads and featurizes the splits (before tfjs starts, so input errors come fast), picks the
 * backend, trains, and writes the model folder (first out), the per-epoch curves (an out ending
 * in .csv/.tsv) and the report (first .json metrics file).
 */
export async function run(ctx: StageContext<TrainOptions>): Promise<void> {
  const o = ctx.options;
  const prepared = o.task === 'image-classification' ? await prepareImage(ctx) : await prepareText(ctx);
  const unknown = prepared.val ? unknownClassCount(prepared.val.labels, prepared.classes) : 0;
  if (unknown > 0) ctx.log(`warning: ${unknown} val row(s) have a class the train split does not have`);
  if (o.early_stopping && !prepared.val) {
    throw new DvctsError('E_TRAIN_NO_VAL', 'early_stopping needs a val split, and none was found', {
      data: {},
      hint: 'add val.csv to the data folder, give `val:`, or remove early_stopping',
    });
  }

  const backend = await activateBackend(o.backend);
  logBackend(ctx, backend);
  const { tf } = backend;
  const { train, val } = prepared.datasets(tf);
  const model = prepared.build(tf);
  const started = performance.now();
  const onEpoch = (e: EpochRecord): void => {
    ctx.log(epochLine(e, o.epochs));
    ctx.progress(e.epoch, o.epochs, 'epochs');
  };
  const fit = await fitModel(tf, model, train, val, o, onEpoch, ctx.signal);
  const seconds = (performance.now() - started) / 1000;
  // The batch size of the per-epoch validation: the kept epoch's val loss comes out bit for bit the same.
  const finalTrain = await evaluateOn(tf, model, train, o.batch_size);
  const finalVal = val ? await evaluateOn(tf, model, val, o.batch_size) : undefined;

  const files = { ...(await modelFiles(tf, model)), [CLASSIFIER_FILE]: `${JSON.stringify(prepared.info)}\n`, ...prepared.files };
  model.dispose();
  await writeFolderAtomic(ctx.outs[0]!, files);
  const curves = ctx.outs.slice(1).find((p) => /\.(csv|tsv)$/i.test(p));
  if (curves !== undefined) await writeFileAtomic(curves, curvesTable(fit.history, delimiterOf(curves)));
  ctx.log(`best epoch ${fit.bestEpoch}/${fit.history.length}${fit.stoppedEarly ? ' (stopped early)' : ''}: train acc ${fmt(finalTrain.acc)}${finalVal ? `, val acc ${fmt(finalVal.acc)}` : ''}`);

  await writeJsonReport(reportPathOf(ctx.metrics), {
    stage: 'train',
    task: o.task,
    model: relative(ctx.root, ctx.outs[0]!),
    backend: { name: backend.name, tfjs: backend.tfBackend, ...(o.machine_facts ? { device: backend.device, skipped: skipped(backend) } : {}) },
    classes: prepared.classes,
    inputs: prepared.inputs,
    seed: o.seed,
    epochs: { requested: o.epochs, run: fit.history.length, best: fit.bestEpoch, stopped_early: fit.stoppedEarly },
    train: { file: prepared.train.file, rows: train.size, loss: finalTrain.loss, accuracy: finalTrain.acc },
    ...(prepared.val && finalVal ? { val: { file: prepared.val.file, rows: val!.size, loss: finalVal.loss, accuracy: finalVal.acc, unknown_class_rows: unknown } } : {}),
    ...(o.machine_facts ? { timing: { seconds_total: seconds, seconds_per_epoch: seconds / fit.history.length } } : {}),
  });
}

function skipped(backend: ActiveBackend): { backend: string; reason: string }[] {
  return backend.attempts.filter((a) => !a.used).map((a) => ({ backend: a.backend, reason: a.reason }));
}

function logBackend(ctx: StageContext<TrainOptions>, backend: ActiveBackend): void {
  for (const a of skipped(backend)) ctx.log(`backend ${a.backend} skipped: ${a.reason}`);
  ctx.log(`backend: ${backend.name} (${backend.device}); tfjs runs on "${backend.tfBackend}"`);
}

function epochLine(e: EpochRecord, epochs: number): string {
  const val = e.val_loss === null ? '' : `  val_loss ${fmt(e.val_loss)}  val_acc ${fmt(e.val_acc!)}`;
  return `epoch ${e.epoch}/${epochs}  loss ${fmt(e.loss)}  acc ${fmt(e.acc)}${val}  lr ${e.lr.toPrecision(3)}  ${e.seconds.toFixed(2)} s`;
}

/** epoch,loss,acc,val_loss,val_acc,lr: one row per epoch, full precision (no timing: same seed, same bytes). */
function curvesTable(history: readonly EpochRecord[], delimiter: ',' | '\t'): string {
  const rows = history.map((e) => [e.epoch, e.loss, e.acc, e.val_loss, e.val_acc, e.lr]);
  return formatTable(['epoch', 'loss', 'acc', 'val_loss', 'val_acc', 'lr'], rows, delimiter);
}

function fmt(x: number): string {
  return x.toFixed(4);
}
