import type { CacheActivity, CachePhase } from '../cache/index.js';
import { formatBytes } from './format-bytes.js';
import { ProgressView, type OutputStream } from './progress-view.js';

export interface ActivityProgress {
  readonly activity: Omit<CacheActivity, 'signal'>;
  /** Removes what is still shown (call before printing results). */
  stop(): void;
}

interface Phase {
  done: number;
  doneBytes: number;
  readonly files: number | undefined;
  readonly bytes: number | undefined;
}

/**
 * Progress of long cache work (`add`, `checkout`): one line per phase and path (`hashing data`,
 * `storing data`, `checking out data`) with files and bytes done of the total (or done so far,
 * when the total is not known); a bar on a terminal, a plain line now and then when piped,
 * nothing with `quiet`.
 */
export function activityProgress(opts: { stream?: OutputStream; quiet?: boolean; plainEveryMs?: number } = {}): ActivityProgress {
  if (opts.quiet) return { activity: {}, stop: () => {} };
  const view = new ProgressView({ stream: opts.stream ?? process.stderr, ...(opts.plainEveryMs !== undefined ? { plainEveryMs: opts.plainEveryMs } : {}) });
  const phases = new Map<string, Phase>();
  const labelOf = (phase: CachePhase, path: string): string => (path === '' ? phase : `${phase} ${path}`);
  // `done` comes once per file, nearly always for the phase and path of the call before.
  let last: { phase: CachePhase; path: string; label: string } | undefined;
  const labelOfDone = (phase: CachePhase, path: string): string => {
    if (last?.phase !== phase || last.path !== path) last = { phase, path, label: labelOf(phase, path) };
    return last.label;
  };
  const end = (label: string): void => {
    phases.delete(label);
    view.end(label);
  };
  return {
    activity: {
      planned(phase, path, files, bytes) {
        phases.set(labelOf(phase, path), { done: 0, doneBytes: 0, files, bytes });
      },
      done(phase, path, bytes) {
        const label = labelOfDone(phase, path);
        const p = phases.get(label);
        if (p === undefined) return;
        p.done++;
        p.doneBytes += bytes;
        if (p.files === undefined) view.count(label, p.done, 'files', () => `, ${formatBytes(p.doneBytes)}`);
        else if (p.done >= p.files) end(label);
        else view.update(label, p.done, p.files, 'files', () => `, ${formatBytes(p.doneBytes)}${p.bytes === undefined ? '' : `/${formatBytes(p.bytes)}`}`);
      },
      ended: (phase, path) => end(labelOf(phase, path)),
    },
    stop: () => view.stopAll(),
  };
}
