import type { Tf } from '../backend/tf.js';

type Optimizer = import('@tensorflow/tfjs').Optimizer;

export type OptimizerName = 'adam' | 'sgd' | 'momentum';

export function makeOptimizer(tf: Tf, name: OptimizerName, lr: number, momentum: number): Optimizer {
  switch (name) {
    case 'adam':
      return tf.train.adam(lr);
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, momentum);
  }
}

/** tfjs optimizers keep the rate in different places: SGD and momentum in a scalar set by setLearningRate, Adam in a field. */
export function setLearningRate(optimizer: Optimizer, lr: number): void {
  const o = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  o.learningRate = lr;
}
