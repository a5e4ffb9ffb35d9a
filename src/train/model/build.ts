import { hash32 } from '../../core/prng.js';
import type { Tf } from '../backend/tf.js';

type LayersModel = import('@tensorflow/tfjs').LayersModel;

/**
 * The classifiers: a linear model or an MLP over text features, a small CNN over images. Every
 * initializer gets its own seed derived from the stage seed and the layer's name, so the same
 * seed builds the same weights; dropout seeds are set per step by the training loop. L2 weight
 * decay is added to the loss by the training loop too (on every kernel, never on biases).
 */
export interface TextModelConfig {
  readonly model: 'linear' | 'mlp';
  /** Units of each hidden layer (mlp). */
  readonly hidden: readonly number[];
  readonly dropout: number;
}

export interface ImageModelConfig {
  /** Filters of each 3×3 convolution (each followed by 2×2 max pooling). */
  readonly conv_filters: readonly number[];
  /** Units of the dense layers after the convolutions. */
  readonly hidden: readonly number[];
  readonly dropout: number;
}

export function layerSeed(seed: number, layer: string): number {
  return hash32(`${seed}:${layer}`) & 0x7fffffff;
}

export function buildTextModel(tf: Tf, inputDim: number, classes: number, config: TextModelConfig, seed: number): LayersModel {
  const model = tf.sequential({ name: 'text_classifier' });
  const hidden = config.model === 'mlp' ? config.hidden : [];
  let first = true;
  hidden.forEach((units, i) => {
    model.add(dense(tf, `hidden_${i + 1}`, units, 'relu', seed, first ? [inputDim] : undefined));
    first = false;
    if (config.dropout > 0) model.add(tf.layers.dropout({ name: `dropout_${i + 1}`, rate: config.dropout, seed: layerSeed(seed, `dropout_${i + 1}`) }));
  });
  if (config.model === 'linear' && config.dropout > 0) {
    model.add(tf.layers.dropout({ name: 'input_dropout', rate: config.dropout, inputShape: [inputDim], seed: layerSeed(seed, 'input_dropout') }));
    first = false;
  }
  model.add(dense(tf, 'output', classes, 'softmax', seed, first ? [inputDim] : undefined));
  return model;
}

export function buildImageModel(tf: Tf, shape: readonly [number, number, number], classes: number, config: ImageModelConfig, seed: number): LayersModel {
  const model = tf.sequential({ name: 'image_classifier' });
  config.conv_filters.forEach((filters, i) => {
    model.add(
      tf.layers.conv2d({
        name: `conv_${i + 1}`,
        filters,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: layerSeed(seed, `conv_${i + 1}`) }),
        ...(i === 0 ? { inputShape: [...shape] } : {}),
      }),
    );
    model.add(tf.layers.maxPooling2d({ name: `pool_${i + 1}`, poolSize: 2 }));
  });
  model.add(tf.layers.flatten({ name: 'flatten', ...(config.conv_filters.length === 0 ? { inputShape: [...shape] } : {}) }));
  config.hidden.forEach((units, i) => {
    if (config.dropout > 0) model.add(tf.layers.dropout({ name: `dropout_${i + 1}`, rate: config.dropout, seed: layerSeed(seed, `dropout_${i + 1}`) }));
    model.add(dense(tf, `hidden_${i + 1}`, units, 'relu', seed));
  });
  if (config.dropout > 0) model.add(tf.layers.dropout({ name: 'dropout_out', rate: config.dropout, seed: layerSeed(seed, 'dropout_out') }));
  model.add(dense(tf, 'output', classes, 'softmax', seed));
  return model;
}

function dense(tf: Tf, name: string, units: number, activation: 'relu' | 'softmax', seed: number, inputShape?: number[]) {
  return tf.layers.dense({
    name,
    units,
    activation,
    kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, name) }),
    biasInitializer: 'zeros',
    ...(inputShape ? { inputShape } : {}),
  });
}
