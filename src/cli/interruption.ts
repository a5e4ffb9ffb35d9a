import { releaseHeldLocksSync } from '../api/repo-lock.js';
import { ExitCode, interruptedError } from '../core/errors.js';
import { killAllGroupsSync } from '../scheduler/process-group.js';
import { removeTrackedTempsSync } from '../util/tracked-temps.js';

/**
 * Ctrl-C and SIGTERM for commands that change the project (repro, add, checkout). The first
 * aborts the returned signal: the command stops at its next safe point (no further stage or
 * file starts, running stage commands are stopped, their partial outputs removed), releases the
 * project lock and says what it stopped before exiting with 130. A second one stops at once:
 * stage process groups are killed and the project lock removed before exiting.
 */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!controller.signal.aborted) {
      process.stderr.write(`\n${signal}: stopping (finished work is kept); press Ctrl-C again to stop at once\n`);
      controller.abort(interruptedError(signal, ''));
      return;
    }
    killAllGroupsSync();
    releaseHeldLocksSync();
    removeTrackedTempsSync();
    process.stderr.write(`${signal}: stopped at once; a file being written may be left as a temp file, which the next command removes\n`);
    process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
