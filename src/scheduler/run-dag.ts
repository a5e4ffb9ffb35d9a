/** Outcome of one node, as decided by the caller's `execute`; `cancelled`: interrupted before it began. */
export type NodeOutcome = 'done' | 'failed' | 'interrupted' | 'cancelled';

export interface RunDagOptions {
  /** Node ids in topological order. */
  readonly order: readonly string[];
  /** Upstream ids of each node (only those in `order` matter). */
  readonly upstream: ReadonlyMap<string, readonly string[]>;
  readonly jobs: number;
  /** Keep starting independent nodes after a failure. */
  readonly keepGoing: boolean;
  execute(id: string): Promise<NodeOutcome>;
  /** Called for a node that will not run because `by` (an upstream node) failed or was blocked. */
  onBlocked(id: string, by: string): void;
  /** Aborted (Ctrl-C): no new node starts; running ones are stopped by `execute`. */
  readonly signal?: AbortSignal;
}

export interface RunDagResult {
  readonly done: readonly string[];
  readonly failed: readonly string[];
  readonly blocked: readonly string[];
  /** Nodes not started because the run stopped at a failure (no --keep-going) or was interrupted. */
  readonly notStarted: readonly string[];
  /** Nodes stopped by an interruption while running. */
  readonly interrupted: readonly string[];
}

/**
 * Runs nodes as soon as all their upstream nodes are done, at most `jobs` at a time, picking
 * ready nodes in topological order so runs are reproducible. A failure blocks its descendants;
 * without keepGoing no new node starts, but running ones finish (their work is not lost).
 */
export async function runDag(opts: RunDagOptions): Promise<RunDagResult> {
  const inRun = new Set(opts.order);
  const state = new Map<string, 'pending' | 'running' | Exclude<NodeOutcome, 'cancelled'> | 'blocked'>(opts.order.map((id) => [id, 'pending']));
  const ups = (id: string): string[] => (opts.upstream.get(id) ?? []).filter((u) => inRun.has(u));
  let running = 0;
  let stopped = false;

  return new Promise((resolve, reject) => {
    const pump = (): void => {
      for (const id of opts.order) {
        if (state.get(id) !== 'pending') continue;
        if (opts.signal?.aborted) stopped = true;
        const bad = ups(id).find((u) => state.get(u) === 'failed' || state.get(u) === 'blocked');
        if (bad !== undefined) {
          state.set(id, 'blocked');
          opts.onBlocked(id, bad);
          continue;
        }
        if (stopped || running >= opts.jobs) continue;
        if (!ups(id).every((u) => state.get(u) === 'done')) continue;
        state.set(id, 'running');
        running++;
        opts.execute(id).then(
          (outcome) => {
            running--;
            state.set(id, outcome === 'cancelled' ? 'pending' : outcome);
            if ((outcome === 'failed' && !opts.keepGoing) || outcome === 'interrupted' || outcome === 'cancelled') stopped = true;
            pump();
          },
          (e: unknown) => {
            stopped = true;
            reject(e);
          },
        );
      }
      if (running === 0) {
        const with_ = (s: string): string[] => opts.order.filter((id) => state.get(id) === s);
        resolve({ done: with_('done'), failed: with_('failed'), blocked: with_('blocked'), notStarted: with_('pending'), interrupted: with_('interrupted') });
      }
    };
    pump();
  });
}
