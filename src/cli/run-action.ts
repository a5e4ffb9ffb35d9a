/**
 * Wraps a command action: expected failures (DvctsError) print what/where/how to fix and set the
 * exit code; only a genuine bug prints a stack trace (with DVCTS_DEBUG=1 always). What prints a
 * failure (the error catalogue, every built-in's hints, the diagnostics renderer) is loaded only
 * when there is one: importing it up front was most of the modules `dvcts --version` loaded.
 */
export function runAction<A extends unknown[]>(action: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      process.exitCode = (await action(...args)) ?? 0;
    } catch (e) {
      process.exitCode = (await import('./report-error.js')).reportError(e);
    }
  };
}
