import { join } from 'node:path';
import { RunCache, type RunOutput } from '../cache/run-cache.js';
import type { Remote } from './index.js';

/**
 * The run-cache of `repro --pull`: before a stage's fingerprint is looked up, the record and the
 * outputs it names are fetched from the remote (when the local cache lacks them), so a stage
 * that any machine sharing the remote has run is restored instead of run.
 */
export class PullingRunCache extends RunCache {
  constructor(
    cacheDir: string,
    private readonly remote: Remote,
  ) {
    super(join(cacheDir, 'runs'));
  }

  override async lookup(fingerprint: string): Promise<readonly RunOutput[] | undefined> {
    await this.remote.fetchRunCacheEntry(fingerprint);
    return super.lookup(fingerprint);
  }
}
