import { releaseHeldLocksSync } from '../api/repo-lock.js';
import { removeTrackedTempsSync } from '../util/tracked-temps.js';

/**
 * Ctrl-C during a transfer: the temp files being written are removed before the process exits
 * (objects appear only by rename, so nothing else can be half-written); exit code 130 like a shell.
 */
export function cleanUpOnInterrupt(): void {
  process.once('SIGINT', () => {
    removeTrackedTempsSync();
    releaseHeldLocksSync(); // the next command need not take over a lock of a dead process
    process.stderr.write('\ninterrupted; no partial file was left behind\n');
    process.exit(130);
  });
}
