import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DvctsError } from '../../core/errors.js';
import { replaceAtomic } from '../../util/atomic-write.js';
import type { Tf } from '../backend/tf.js';

type LayersModel = import('@tensorflow/tfjs').LayersModel;

/**
 * A model folder: `model.json` + `weights.bin` in TensorFlow.js's layers format (load them with
 * tf.loadLayersModel in a browser or in Node), plus the JSON files that say how to turn raw
 * input into the model's input (`classifier.json`, the featurizer). Same weights, same bytes.
 */
export async function modelFiles(tf: Tf, model: LayersModel): Promise<Record<string, string | Uint8Array>> {
  let saved: import('@tensorflow/tfjs').io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  const weightData = saved!.weightData;
  const weights = weightData === undefined ? new Uint8Array() : new Uint8Array(tf.io.concatenateArrayBuffers(Array.isArray(weightData) ? weightData : [weightData]));
  const modelJson = {
    format: 'layers-model',
    generatedBy: saved!.generatedBy,
    convertedBy: null,
    modelTopology: saved!.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: saved!.weightSpecs }],
  };
  return { 'model.json': `${JSON.stringify(modelJson)}\n`, 'weights.bin': weights };
}

/** Writes a whole folder at once: files go to a temp folder beside it, renamed into place at the end. */
export async function writeFolderAtomic(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await replaceAtomic(dir, async (tmp) => {
    await mkdir(tmp, { recursive: true });
    for (const [name, data] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) await writeFile(join(tmp, name), data);
  });
}

export async function loadModelDir(tf: Tf, dir: string): Promise<LayersModel> {
  const json = JSON.parse(await readModelFile(dir, 'model.json', 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: import('@tensorflow/tfjs').io.WeightsManifestEntry[] }[];
  };
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) {
      if (path.includes('/') || path.includes('\\') || path.startsWith('.')) throw invalidModel(dir, `weights path "${path}" leaves the model folder`);
      buffers.push(await readModelFile(dir, path));
    }
  }
  const data = Buffer.concat(buffers);
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
}

export async function readModelFile(dir: string, name: string): Promise<Buffer>;
export async function readModelFile(dir: string, name: string, encoding: 'utf8'): Promise<string>;
export async function readModelFile(dir: string, name: string, encoding?: 'utf8'): Promise<Buffer | string> {
  try {
    return encoding ? await readFile(join(dir, name), encoding) : await readFile(join(dir, name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw invalidModel(dir, `${name} is missing`);
    throw e;
  }
}

export function invalidModel(dir: string, why: string): DvctsError {
  return new DvctsError('E_MODEL_INVALID', `${dir} is not a model folder written by the train stage: ${why}`, {
    data: { dir, why },
    hint: 'point `model:` at the first out of a `uses: train` stage, and list that folder in deps',
  });
}
