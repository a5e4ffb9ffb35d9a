import type { Cache } from '../cache/index.js';
import { cacheDirOf } from '../cache/index.js';
import { itemCacheDirsOf } from '../cache/item-cache.js';
import { DvctsError, ExitCode } from '../core/errors.js';
import { LocalExecutor } from '../executor/local.js';
import type { Remote } from '../remote/index.js';
import type { Executor } from '../scheduler/executor.js';
import type { ExecutorConfig } from './config.js';

/** Where `repro` runs the stages it decides to run. */
export interface ExecutorChoice {
  /** `local` (default) or `queue`: BullMQ workers on Redis (`dvcts worker`). */
  readonly executor?: 'local' | 'queue';
  /** The queue's Redis URL (`redis://HOST:PORT`, `rediss://` for TLS). */
  readonly queue?: string;
  /** BullMQ queue name shared with the workers (default `dvcts`). */
  readonly queueName?: string;
}

export const DEFAULT_QUEUE_NAME = 'dvcts';

/** The executor the options (else `executor:` of .dvcts/config.yaml) ask for; `queue` needs the project's remote. */
export function executorSettings(choice: ExecutorChoice, config: ExecutorConfig): { kind: 'local' } | { kind: 'queue'; url: string; name: string } {
  const kind = choice.executor ?? config.type ?? 'local';
  if (kind === 'local') return { kind };
  const url = choice.queue ?? config.queue;
  if (url === undefined) {
    throw new DvctsError('E_EXECUTOR_CONFIG', 'the queue executor needs the Redis URL of the queue', {
      data: { where: '--queue' },
      hint: 'give --queue redis://HOST:PORT, or set executor.queue in .dvcts/config.yaml',
      exitCode: ExitCode.usage,
    });
  }
  return { kind, url, name: choice.queueName ?? config.queueName ?? DEFAULT_QUEUE_NAME };
}

export async function openExecutor(
  root: string,
  cache: Cache,
  settings: ReturnType<typeof executorSettings>,
  remote: Remote | undefined,
): Promise<Executor> {
  if (settings.kind === 'local') return new LocalExecutor({ root, cache, itemCache: itemCacheDirsOf(cacheDirOf(root)) });
  if (remote === undefined) throw new DvctsError('E_INTERNAL', 'the queue executor was opened without a remote');
  // BullMQ and the Redis client load only for the queue executor.
  const [{ QueueExecutor }, { queueAddress }, { queueSecret }] = await Promise.all([
    import('../executor/queue-executor.js'),
    import('../executor/redis-connection.js'),
    import('../executor/signing.js'),
  ]);
  return QueueExecutor.open({ root, cache, remote, queue: queueAddress(settings.url), queueName: settings.name, secret: queueSecret() });
}
