import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readSteps, type MetricRef } from './metric-file.js';
import type { Sampler } from './sampler.js';

const POLL_MS = 200;

/**
 * Pruning from per-epoch metrics, for any stage: a training stage writes a per-epoch table as it
 * goes (the `train` built-in rewrites its curves CSV after every epoch; Keras' CSVLogger and
 * dvclive do the same), this watcher reads the new rows of the trial's copy and reports each to
 * the sampler, and when the sampler answers "prune" it calls `prune(step)`, which stops the
 * trial's run through its abort signal. Nothing in the stage has to know about sweeps.
 *
 * The trial's workspace starts with the file of the run it was copied from (an output restored
 * from the cache): those rows are not the trial's, so they are skipped until the file is replaced.
 */
export class PruneWatch {
  private reported = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private done = false;
  /** Why watching stopped early (the bridge failed): thrown by `stop()`. */
  private error: unknown;
  /** The copied file (inode, mtime, size) while it has not been replaced; undefined once it has. */
  private stale: string | undefined;

  constructor(
    private readonly root: string,
    private readonly ref: MetricRef,
    private readonly trial: number,
    private readonly sampler: Sampler,
    private readonly prune: (step: number) => void,
  ) {}

  start(): this {
    this.stale = this.identity();
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll()).catch((e: unknown) => {
        this.error ??= e;
        this.done = true;
      });
    }, POLL_MS);
    return this;
  }

  private async poll(): Promise<void> {
    if (this.done) return;
    if (this.stale !== undefined) {
      if (this.identity() === this.stale) return;
      this.stale = undefined;
    }
    const steps = await readSteps(this.root, this.ref);
    for (const { step, value } of steps.slice(this.reported)) {
      this.reported++;
      if (await this.sampler.report(this.trial, step, value)) {
        this.done = true;
        this.prune(step);
        return;
      }
    }
  }

  private identity(): string | undefined {
    try {
      const s = statSync(join(this.root, this.ref.file));
      return `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch {
      return undefined; // absent: whatever appears next is the trial's
    }
  }

  /** Stops watching (waits for a poll in flight); throws what made watching fail, if anything. */
  async stop(): Promise<void> {
    this.done = true;
    clearInterval(this.timer);
    await this.polling;
    if (this.error !== undefined) throw this.error;
  }
}
