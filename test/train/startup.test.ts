import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, TempProject } from '../helpers/project.js';

// At exit, list the CommonJS modules loaded (tfjs, sharp and Dawn are CommonJS, so they would be there).
// (--import also runs in worker threads, where built-ins run: only the main thread reports.)
const HOOK = `import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';
const cache = createRequire(process.cwd() + '/').cache;
if (isMainThread) process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(cache).filter((k) => /@tensorflow|[\\\\/]sharp[\\\\/]|[\\\\/]webgpu[\\\\/]|vega/.test(k))) + '\\n'));`;

describe('start-up', () => {
  it('status, dag and repro of a train stage load no tfjs, sharp, Dawn or Vega in the main process', () => {
    const p = TempProject.init({
      'splits/train.csv': 'text,label\na,x\nb,y\n',
      'pipelines/p.yaml': 'stages:\n  train:\n    uses: train\n    deps: [splits]\n    outs: [model]\n    with: { task: text-classification, epochs: 1 }\n',
    });
    try {
      const loaded = (...args: string[]): string[] => {
        const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(HOOK)}`, CLI, ...args], { cwd: p.root, encoding: 'utf8' });
        const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED '));
        if (line === undefined) throw new Error(`no module list: ${r.stderr}`);
        return JSON.parse(line.slice('LOADED '.length));
      };
      expect(loaded('status')).toEqual([]);
      expect(loaded('dag')).toEqual([]);
      // the stage runs in a worker thread: the main process still never loads tfjs
      expect(loaded('repro')).toEqual([]);
      expect(loaded('doctor').some((k) => k.includes('@tensorflow'))).toBe(true); // the hook does see tfjs when it is loaded
    } finally {
      p.cleanup();
    }
  });
});
