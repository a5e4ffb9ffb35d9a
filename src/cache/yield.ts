import { setImmediate } from 'node:timers/promises';

/**
 * Long synchronous loops (stat of 100k files: sync is 5-10x faster than fs.promises on a busy
 * libuv pool) call `tick()` per item; every `every` items it yields to the event loop so that
 * timers, child-process output and signals are still served.
 */
export function makeYielder(every = 1024): { tick(): Promise<void> | undefined } {
  let count = 0;
  return {
    tick: () => (++count % every === 0 ? setImmediate() : undefined),
  };
}
