import { relative } from 'node:path';
import { reportPathOf, writeJsonReport } from '../../table/index.js';
import type { StageContext } from '../../core/builtin.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { activateBackend } from '../backend/choose.js';
import { readClassifier } from '../classifier.js';
import { delimiterOf, formatTable } from '../data/write-table.js';
import { classificationReport } from '../metrics/classification.js';
import { predictClasses } from '../model/fit.js';
import { loadModelDir } from '../model/files.js';
import type { EvaluateOptions } from './definition.js';
import { evaluationInputs } from './inputs.js';

/** Predicts every row of the split with the trained model and scores the predictions. */
export async function run(ctx: StageContext<EvaluateOptions>): Promise<void> {
  const o = ctx.options;
  const inputs = await evaluationInputs(ctx);
  const { info, featurizer } = await readClassifier(inputs.model);
  const split = await inputs.read(info, featurizer);
  const backend = await activateBackend(o.backend);
  ctx.log(`backend: ${backend.name} (${backend.device}); tfjs runs on "${backend.tfBackend}"`);
  const { tf } = backend;
  const model = await loadModelDir(tf, inputs.model);
  const predicted = Array.from(await predictClasses(tf, model, split.dataset(tf), o.batch_size), (k) => info.labels[k]!);
  model.dispose();

  const report = classificationReport(split.labels, predicted, info.labels);
  const unknown = split.labels.filter((l) => !info.labels.includes(l)).length;
  if (unknown > 0) ctx.log(`warning: ${unknown} row(s) have a class the model was not trained on (always wrong)`);
  ctx.log(`${split.file}: accuracy ${report.accuracy.toFixed(4)}, macro F1 ${report.macro.f1.toFixed(4)} on ${report.support} rows`);

  const predictions = ctx.outs.find((p) => /\.(csv|tsv)$/i.test(p));
  if (predictions !== undefined) {
    const idName = o.id_column ?? 'row';
    const rows = predicted.map((p, i) => [split.ids?.[i] ?? String(i), split.labels[i]!, p]);
    await writeFileAtomic(predictions, formatTable([idName, 'actual', 'predicted'], rows, delimiterOf(predictions)));
  }
  await writeJsonReport(reportPathOf(ctx.metrics), {
    stage: 'evaluate',
    model: relative(ctx.root, inputs.model),
    data: split.file,
    backend: { name: backend.name, tfjs: backend.tfBackend },
    unknown_class_rows: unknown,
    ...report,
  });
}
