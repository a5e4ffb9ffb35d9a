export interface PoolOptions<T> {
  /** Most items running at once (asked again each time a slot frees). */
  readonly jobs: number | (() => number);
  /** The next item to run, or undefined when there is none (asked only when a slot is free). */
  next(): Promise<T | undefined> | T | undefined;
  run(item: T): Promise<void>;
  /** Aborted: no further item starts; the running ones are left to finish (their `run` sees the signal). */
  readonly signal?: AbortSignal;
}

/**
 * Runs items `jobs` at a time, asking for the next one only when a slot frees (a sampler such
 * as TPE decides the next trial from the results so far). Resolves when nothing runs and no
 * item is left; rejects with the first error a `run` throws, after the running ones end.
 */
export async function runPool<T>(opts: PoolOptions<T>): Promise<void> {
  let running = 0;
  let exhausted = false;
  let failure: { error: unknown } | undefined;
  await new Promise<void>((resolve) => {
    const fill = async (): Promise<void> => {
      const limit = typeof opts.jobs === 'function' ? opts.jobs() : opts.jobs;
      while (!exhausted && !failure && !opts.signal?.aborted && running < limit) {
        running++;
        let item: T | undefined;
        try {
          item = await opts.next();
        } catch (error) {
          failure ??= { error };
        }
        if (item === undefined) {
          running--;
          exhausted = true;
          break;
        }
        void opts.run(item).then(
          () => finish(),
          (error: unknown) => finish((failure ??= { error })),
        );
      }
      if (running === 0) resolve();
    };
    const finish = (_?: unknown): void => {
      running--;
      void fill();
    };
    void fill();
  });
  if (failure) throw failure.error;
}
