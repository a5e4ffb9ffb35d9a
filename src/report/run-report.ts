import type { StaleReason } from '../lockfile/stale.js';
import type { RunEvent } from '../scheduler/events.js';
import type { RunDagResult } from '../scheduler/run-dag.js';

/** What happened to one stage in a `repro` (or what would happen, with --dry). */
export type StageOutcome = 'ran' | 'restored' | 'up-to-date' | 'frozen' | 'failed' | 'interrupted' | 'blocked' | 'not-started' | 'would-run' | 'would-restore';

export interface StageRecord {
  /** `pipelines/text.yaml:split` */
  readonly stage: string;
  readonly outcome: StageOutcome;
  /** Why it ran or would run. */
  readonly reasons?: readonly StaleReason[];
  /** Wall time of a stage that ran (or failed while running), in seconds. */
  readonly seconds?: number;
  readonly error?: { readonly code: string; readonly message: string; readonly exitCode?: number };
  /** An interrupted stage: the partial outputs that were removed. */
  readonly removed?: readonly string[];
  /** A blocked stage: the failed or blocked upstream stage. */
  readonly blockedBy?: string;
}

/** `repro --json`: every selected stage's outcome in the order they were decided. */
export interface RunReport {
  readonly dry: boolean;
  readonly stages: readonly StageRecord[];
  /** Stage count by outcome (outcomes with none are left out). */
  readonly counts: Readonly<Partial<Record<StageOutcome, number>>>;
  /** Pointer files rewritten because add-tracked data changed (see README: what reruns when). */
  readonly pointersUpdated: readonly string[];
}

/** Builds a RunReport from the scheduler's events; `finish` adds the stages that never started. */
export class RunRecorder {
  private readonly records = new Map<string, StageRecord>();
  private readonly started = new Map<string, { at: number; reasons: readonly StaleReason[] }>();
  private readonly pointers: string[] = [];

  constructor(private readonly dry: boolean) {}

  readonly observe = (e: RunEvent): void => {
    switch (e.type) {
      case 'stage-skipped':
        return this.set(e.id, { outcome: e.why === 'frozen' ? 'frozen' : 'up-to-date' });
      case 'frozen-checked':
        return this.set(e.id, { outcome: 'frozen' });
      case 'stage-would-run':
        return this.set(e.id, { outcome: 'would-run', reasons: e.reasons });
      case 'stage-would-restore':
        return this.set(e.id, { outcome: 'would-restore', reasons: e.reasons });
      case 'stage-started':
        this.started.set(e.id, { at: e.at, reasons: e.reasons });
        return;
      case 'stage-restored':
        return this.set(e.id, { outcome: 'restored' });
      case 'stage-finished':
        return this.set(e.id, { outcome: 'ran', reasons: this.started.get(e.id)?.reasons ?? [], seconds: (e.at - e.startedAt) / 1000 });
      case 'stage-failed': {
        const start = this.started.get(e.id);
        const { code, message, exitCode } = e.failure;
        return this.set(e.id, {
          outcome: 'failed',
          ...(start ? { reasons: start.reasons, seconds: (e.at - start.at) / 1000 } : {}),
          error: { code, message, ...(exitCode !== undefined ? { exitCode } : {}) },
        });
      }
      case 'stage-interrupted':
        return this.set(e.id, { outcome: 'interrupted', reasons: this.started.get(e.id)?.reasons ?? [], seconds: (e.at - e.startedAt) / 1000, removed: e.removed });
      case 'stage-blocked':
        return this.set(e.id, { outcome: 'blocked', blockedBy: e.by });
      case 'pointer-updated':
        this.pointers.push(e.pointer);
        return;
      default:
        return;
    }
  };

  finish(result: RunDagResult): RunReport {
    for (const id of result.notStarted) this.set(id, { outcome: 'not-started' });
    const stages = [...this.records.values()];
    const counts: Partial<Record<StageOutcome, number>> = {};
    for (const s of stages) counts[s.outcome] = (counts[s.outcome] ?? 0) + 1;
    return { dry: this.dry, stages, counts, pointersUpdated: this.pointers };
  }

  private set(id: string, record: Omit<StageRecord, 'stage'>): void {
    this.records.set(id, { stage: id, ...record });
  }
}

const SUMMARY_ORDER: readonly [StageOutcome, string][] = [
  ['would-run', 'would run'],
  ['would-restore', 'would be restored from the run-cache'],
  ['ran', 'ran'],
  ['restored', 'restored from the run-cache'],
  ['up-to-date', 'up to date'],
  ['frozen', 'frozen'],
  ['failed', 'failed'],
  ['interrupted', 'interrupted'],
  ['blocked', 'not run after a failure'],
  ['not-started', 'not started (use --keep-going to run independent stages)'],
];

/** `2 ran, 1 restored from the run-cache, 3 up to date` (stage counts, in a fixed order). */
export function summaryLine(report: RunReport): string {
  const named = (o: StageOutcome): string =>
    ` (${report.stages.filter((s) => s.outcome === o).map((s) => s.stage.slice(s.stage.lastIndexOf(':') + 1)).join(', ')})`;
  const parts = SUMMARY_ORDER.filter(([o]) => (report.counts[o] ?? 0) > 0).map(([o, text]) => `${report.counts[o]} ${text}${o === 'failed' ? named(o) : ''}`);
  return parts.length === 0 ? 'No stages selected.' : `Stages: ${parts.join(', ')}`;
}
