/** The TensorFlow.js module. Imported only when a stage trains or evaluates, never at CLI start-up. */
export type Tf = typeof import('@tensorflow/tfjs');

let loaded: Promise<Tf> | undefined;

export function loadTf(): Promise<Tf> {
  loaded ??= import('@tensorflow/tfjs').then((tf) => {
    // Production mode: no debug checks, and no "install tfjs-node" banner on stdout.
    tf.enableProdMode();
    return tf;
  });
  return loaded;
}
