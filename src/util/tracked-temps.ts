import { rmSync } from 'node:fs';

/**
 * Temp files being written right now. A transfer registers each one until it is renamed into
 * place or removed; an interrupt handler removes what is left (`removeTrackedTempsSync`), so
 * Ctrl-C in the middle of a download leaves no stray file behind.
 */
const tracked = new Set<string>();

export function trackTemp(path: string): void {
  tracked.add(path);
}

export function untrackTemp(path: string): void {
  tracked.delete(path);
}

export function removeTrackedTempsSync(): number {
  const count = tracked.size;
  for (const path of tracked) rmSync(path, { force: true });
  tracked.clear();
  return count;
}
