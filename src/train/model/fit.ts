import { hash32, mulberry32, shuffle } from '../../core/prng.js';
import type { Tf } from '../backend/tf.js';
import { layerSeed } from './build.js';
import { makeOptimizer, setLearningRate, type OptimizerName } from './optimizer.js';
import { learningRate, type ScheduleConfig } from './schedule.js';

type Tensor = import('@tensorflow/tfjs').Tensor;
type LayersModel = import('@tensorflow/tfjs').LayersModel;

/** Rows of one split, turned into tensors a batch at a time (text: sparse rows made dense). */
export interface Dataset {
  readonly size: number;
  /** Features and one-hot labels of these rows; the caller disposes them. */
  batch(rows: ArrayLike<number>): { x: Tensor; y: Tensor };
}

export interface FitConfig extends ScheduleConfig {
  readonly batch_size: number;
  readonly optimizer: OptimizerName;
  readonly momentum: number;
  /** L2 weight decay: l2 × Σ kernel² is added to the loss (biases are not decayed). */
  readonly l2: number;
  /** Stop when val loss has not improved by min_delta for `patience` epochs; keep the best weights. */
  readonly early_stopping?: { readonly patience: number; readonly min_delta: number };
  readonly seed: number;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly acc: number;
  readonly val_loss: number | null;
  readonly val_acc: number | null;
  readonly lr: number;
  readonly seconds: number;
}

export interface FitResult {
  readonly history: readonly EpochRecord[];
  /** 1-based epoch whose weights the model holds now. */
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
}

/**
 * The training loop. Deterministic for a seed and backend: the order of rows in each epoch comes
 * from a seeded shuffle (never Math.random), each dropout layer gets a seed derived from
 * (seed, layer, epoch, step), and losses are cross-entropy on the probabilities (L2 added for
 * the gradient only, so loss and val_loss are comparable).
 */
export async function fitModel(
  tf: Tf,
  model: LayersModel,
  train: Dataset,
  val: Dataset | undefined,
  config: FitConfig,
  onEpoch: (record: EpochRecord) => void,
  signal?: AbortSignal,
): Promise<FitResult> {
  const optimizer = makeOptimizer(tf, config.optimizer, config.lr, config.momentum);
  const variables = model.trainableWeights.map((w) => w.read() as import('@tensorflow/tfjs').Variable);
  const kernels = model.trainableWeights.filter((w) => w.name.endsWith('kernel')).map((w) => w.read());
  const dropouts = model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as { name: string; seed?: number }[];
  const history: EpochRecord[] = [];
  const stopping = config.early_stopping;
  let best = { loss: Infinity, epoch: 0, weights: undefined as Tensor[] | undefined };
  let stoppedEarly = false;

  for (let epoch = 0; epoch < config.epochs; epoch++) {
    signal?.throwIfAborted();
    const started = performance.now();
    const lr = learningRate(config, epoch);
    setLearningRate(optimizer, lr);
    const order = new Uint32Array(train.size).map((_, i) => i);
    shuffle(order, mulberry32(hash32(`${config.seed}:shuffle:${epoch}`)));
    let lossSum = 0;
    let correct = 0;
    for (let start = 0, step = 0; start < order.length; start += config.batch_size, step++) {
      for (const d of dropouts) d.seed = layerSeed(config.seed, `${d.name}:${epoch}:${step}`);
      const rows = order.subarray(start, start + config.batch_size);
      const { x, y } = train.batch(rows);
      let dataLoss: Tensor | undefined;
      let hits: Tensor | undefined;
      optimizer.minimize(
        () => {
          const p = model.apply(x, { training: true }) as Tensor;
          const ce = crossEntropy(tf, p, y);
          dataLoss = tf.keep(tf.clone(ce)); // minimize disposes the cost it is given
          hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(p, 1), tf.argMax(y, 1)), 'float32')));
          if (config.l2 === 0 || kernels.length === 0) return ce as import('@tensorflow/tfjs').Scalar;
          return tf.add(ce, tf.mul(config.l2, tf.addN(kernels.map((k) => tf.sum(tf.square(k)))))) as import('@tensorflow/tfjs').Scalar;
        },
        false,
        variables,
      );
      lossSum += (await dataLoss!.data())[0]! * rows.length;
      correct += (await hits!.data())[0]!;
      tf.dispose([x, y, dataLoss!, hits!]);
    }
    const scores = val && val.size > 0 ? await evaluateOn(tf, model, val, config.batch_size) : undefined;
    const record: EpochRecord = {
      epoch: epoch + 1,
      loss: lossSum / train.size,
      acc: correct / train.size,
      val_loss: scores?.loss ?? null,
      val_acc: scores?.acc ?? null,
      lr,
      seconds: (performance.now() - started) / 1000,
    };
    history.push(record);
    onEpoch(record);
    if (stopping && scores) {
      if (scores.loss < best.loss - stopping.min_delta) {
        tf.dispose(best.weights ?? []);
        best = { loss: scores.loss, epoch: epoch + 1, weights: model.getWeights().map((w) => w.clone()) };
      } else if (epoch + 1 - best.epoch >= stopping.patience) {
        stoppedEarly = true;
        break;
      }
    }
  }
  for (const d of dropouts) d.seed = layerSeed(config.seed, d.name); // the seed saved in model.json
  optimizer.dispose();
  if (best.weights) {
    model.setWeights(best.weights);
    tf.dispose(best.weights);
    return { history, bestEpoch: best.epoch, stoppedEarly };
  }
  return { history, bestEpoch: history.length, stoppedEarly };
}

/** Mean cross-entropy and accuracy of the model (inference mode) on a dataset. */
export async function evaluateOn(tf: Tf, model: LayersModel, data: Dataset, batchSize: number): Promise<{ loss: number; acc: number }> {
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < data.size; start += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, data.size - start) }, (_, i) => start + i);
    const { x, y } = data.batch(rows);
    const [loss, hits] = tf.tidy(() => {
      const p = model.predict(x) as Tensor;
      return [tf.mul(crossEntropy(tf, p, y), rows.length), tf.sum(tf.cast(tf.equal(tf.argMax(p, 1), tf.argMax(y, 1)), 'float32'))];
    });
    lossSum += (await loss!.data())[0]!;
    correct += (await hits!.data())[0]!;
    tf.dispose([x, y, loss!, hits!]);
  }
  return { loss: lossSum / data.size, acc: correct / data.size };
}

/** Predicted class index of every row. */
export async function predictClasses(tf: Tf, model: LayersModel, data: Dataset, batchSize: number): Promise<Int32Array> {
  const out = new Int32Array(data.size);
  for (let start = 0; start < data.size; start += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, data.size - start) }, (_, i) => start + i);
    const { x, y } = data.batch(rows);
    const classes = tf.tidy(() => tf.argMax(model.predict(x) as Tensor, 1));
    out.set(await classes.data(), start);
    tf.dispose([x, y, classes]);
  }
  return out;
}

function crossEntropy(tf: Tf, p: Tensor, y: Tensor): Tensor {
  const eps = 1e-7;
  return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, eps, 1 - eps))), 1)));
}
