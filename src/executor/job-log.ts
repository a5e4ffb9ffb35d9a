import { randomBytes } from 'node:crypto';
import type { ActionListener } from '../scheduler/executor.js';
import type { JobProgress, LogLine } from './job.js';

/** Lines kept for a failure report. */
const TAIL_LINES = 20;
/** A running job sends its new lines and progress at most this often (one Redis event each time). */
const SEND_EVERY_MS = 200;

/**
 * A running job's log on a worker: lines are numbered, batched and sent to the coordinator
 * through BullMQ's progress events (in order: each send waits for the previous one); the last
 * lines are kept for the failure report, which fills in whatever the stream had not delivered.
 */
export class JobLog implements ActionListener {
  private seq = 0;
  private pending: LogLine[] = [];
  private readonly tail: LogLine[] = [];
  private latest: JobProgress['progress'];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();

  /** A random id of this attempt of the job. */
  readonly run = randomBytes(8).toString('hex');

  constructor(
    private readonly worker: string,
    private readonly send: (progress: JobProgress) => Promise<void>,
  ) {}

  log(line: string, stream: 'stdout' | 'stderr'): void {
    const entry = { seq: this.seq++, line, stream };
    this.pending.push(entry);
    this.tail.push(entry);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    this.schedule();
  }

  progress(done: number, total: number, unit: string): void {
    this.latest = { done, total, unit };
    this.schedule();
  }

  lastLines(): readonly LogLine[] {
    return [...this.tail];
  }

  /** Sends what is pending; resolves when everything logged so far has been sent (or failed to). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length > 0 || this.latest !== undefined) {
      const batch: JobProgress = { worker: this.worker, run: this.run, lines: this.pending, ...(this.latest ? { progress: this.latest } : {}) };
      this.pending = [];
      this.latest = undefined;
      // A lost progress event only costs a log line: the failure report carries the tail anyway.
      this.sending = this.sending.then(() => this.send(batch)).catch(() => {});
    }
    return this.sending;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => void this.flush(), SEND_EVERY_MS);
  }
}
