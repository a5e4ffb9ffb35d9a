import { startWorker } from '../../api/worker.js';
import type { WorkerEvent } from '../../executor/queue-worker.js';
import { ExitCode } from '../../core/errors.js';

interface Flags {
  queue: string;
  remote: string;
  remoteEndpoint?: string;
  queueName?: string;
  concurrency: number;
  name?: string;
  scratch?: string;
  builtinsOnly?: boolean;
  lockTimeout: number;
}

/**
 * `dvcts worker`: runs jobs until SIGTERM or Ctrl-C. The first signal finishes the running jobs
 * and exits; a second one hands them back to the queue (another worker runs them) and exits.
 */
export async function workerCommand(f: Flags): Promise<number> {
  const say = (line: string): boolean => process.stderr.write(`${line}\n`);
  const worker = await startWorker({
    queue: f.queue,
    remote: f.remote,
    concurrency: f.concurrency,
    builtinsOnly: f.builtinsOnly ?? false,
    lockMs: f.lockTimeout * 1000,
    ...(f.remoteEndpoint !== undefined ? { remoteEndpoint: f.remoteEndpoint } : {}),
    ...(f.queueName !== undefined ? { queueName: f.queueName } : {}),
    ...(f.name !== undefined ? { name: f.name } : {}),
    ...(f.scratch !== undefined ? { scratch: f.scratch } : {}),
    onEvent: (e) => say(describe(e)),
  });
  say(`worker ${worker.name} waiting for jobs (scratch ${worker.scratch}); SIGTERM or Ctrl-C finishes the running jobs and exits`);
  await new Promise<void>((done) => {
    let stopping = false;
    const onSignal = (): void => {
      if (stopping) {
        say('handing the running jobs back to the queue');
        void worker.stop('hand-back').then(done, done);
        return;
      }
      stopping = true;
      say('finishing the running jobs (signal again to hand them back)');
      void worker.stop('finish').then(done, done);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  say(`worker ${worker.name} stopped`);
  return ExitCode.ok;
}

function describe(e: WorkerEvent): string {
  switch (e.type) {
    case 'job-started':
      return `job ${e.job}: stage ${e.stage}${e.shard !== undefined ? ` shard ${e.shard}` : ''}`;
    case 'job-done':
      return `job ${e.job}: done in ${(e.ms / 1000).toFixed(1)} s`;
    case 'job-failed':
      return `job ${e.job}: failed [${e.code}] ${e.message}${e.retry ? ' (will be retried)' : ''}`;
    case 'job-handed-back':
      return `job ${e.job}: handed back to the queue`;
    case 'connection-error':
      return `queue connection: ${e.message}`;
  }
}
