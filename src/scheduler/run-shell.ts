import { createInterface } from 'node:readline';
import { DvctsError, interruptionOf } from '../core/errors.js';
import { spawnGroup, stopGroup } from './process-group.js';

export interface ShellRun {
  readonly commands: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted: the command's whole process group is stopped (SIGTERM, then SIGKILL). */
  readonly signal?: AbortSignal;
  log(line: string, stream: 'stdout' | 'stderr'): void;
}

/**
 * Runs a `cmd:` stage: each command in `/bin/sh -c`, in order, stopping at the first failure
 * (DVC's rule for a list of commands). Output is streamed line by line.
 */
export async function runShell(run: ShellRun): Promise<void> {
  for (const [index, command] of run.commands.entries()) {
    run.signal?.throwIfAborted();
    const result = await runOne(command, run);
    if (result.code !== 0) {
      const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
      throw new DvctsError('E_STAGE_FAILED', `command ${run.commands.length > 1 ? `#${index + 1} ` : ''}${how}: ${command}`, {
        data: { exitCode: result.code ?? undefined, signal: result.signal ?? undefined, command },
      });
    }
  }
}

function runOne(command: string, run: ShellRun): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawnGroup('/bin/sh', ['-c', command], { cwd: run.cwd, env: run.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = (): void => {
      const by = interruptionOf(run.signal!);
      stopGroup(child, by === 'SIGINT' || by === 'SIGTERM' ? by : 'SIGTERM');
    };
    run.signal?.addEventListener('abort', stop, { once: true });
    child.once('exit', () => run.signal?.removeEventListener('abort', stop));
    const lines = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr'): Promise<void> =>
      new Promise((done) => {
        const rl = createInterface({ input: stream, crlfDelay: Infinity });
        rl.on('line', (line) => run.log(line, name));
        rl.on('close', done);
      });
    const streams = Promise.all([lines(child.stdout!, 'stdout'), lines(child.stderr!, 'stderr')]);
    child.on('error', (e) =>
      reject(new DvctsError('E_STAGE_SPAWN', `could not start /bin/sh for: ${command} (${e.message})`, { data: { command } })),
    );
    child.on('close', (code, signal) => void streams.then(() => resolve({ code, signal })));
  });
}
