import { describe, expect, it } from 'vitest';
import type { StageSpec } from '../../src/core/spec.js';
import type { PathInfo } from '../../src/cache/index.js';
import { observedFrom } from '../../src/lockfile/observe.js';
import { whyStale } from '../../src/lockfile/stale.js';
import type { LockEntry, LockedPath } from '../../src/lockfile/types.js';

const ID_A = '0123456789abcdef0123456789abcdef';
const ID_B = 'fedcba9876543210fedcba9876543210';

function stage(deps: string[], outs: string[]): StageSpec {
  return {
    id: 'p.yaml:s', name: 's', file: 'p.yaml', lockFile: 'p.lock', wdir: '', cmd: ['run'],
    deps: deps.map((path) => ({ path })), outs: outs.map((path) => ({ path, kind: 'out', cache: true, persist: false })),
    params: [], frozen: false, alwaysChanged: false,
  };
}

const locked = (path: string, id: string): LockedPath => ({ path, hash: 'xxh128', id: id as LockedPath['id'], size: 1 });

/**
 * Deps `d0..d{n-1}` as locked; now `d1` has another id, `d2` is missing, `d3` is no longer a dep
 * and `new` is. The reasons are worked by hand, the same for short lists (scanned) and long ones
 * (indexed: more than 8 paths).
 */
function reasonsFor(n: number): unknown[] {
  const lockedDeps = Array.from({ length: n }, (_, i) => locked(`d${i}`, ID_A));
  const nowDeps = [...lockedDeps.map((p) => p.path).filter((p) => p !== 'd3'), 'new'];
  const infos = new Map<string, PathInfo | undefined>(nowDeps.map((p) => [p, { hash: 'xxh128', id: (p === 'd1' ? ID_B : ID_A) as PathInfo['id'], size: 1 }]));
  infos.set('d2', undefined);
  infos.set('o', { hash: 'xxh128', id: ID_A as PathInfo['id'], size: 1, nfiles: 2 });
  const spec = stage(nowDeps, ['o']);
  const observed = observedFrom(spec, infos, {});
  expect(observed.entry).toEqual({ cmd: ['run'], deps: expect.any(Array), params: {}, outs: [{ path: 'o', hash: 'xxh128', id: ID_A, size: 1, nfiles: 2 }] });
  expect(Object.keys(observed.entry)).toEqual(['cmd', 'deps', 'params', 'outs']);
  expect(observed.entry.deps.find((p) => p.path === 'd2')).toEqual({ path: 'd2', hash: 'xxh128', id: '0'.repeat(32), size: 0 });
  const entry: LockEntry = { cmd: ['run'], deps: lockedDeps, params: {}, outs: [locked('o', ID_A)] };
  return whyStale(spec, observed, entry);
}

describe('why a stage is stale: its paths', () => {
  const expected = [
    { kind: 'dep-modified', path: 'd1' },
    { kind: 'dep-missing', path: 'd2' },
    { kind: 'dep-added', path: 'new' },
    { kind: 'dep-removed', path: 'd3' },
  ];
  it('a few paths', () => expect(reasonsFor(5)).toEqual(expected));
  it('more than eight paths', () => expect(reasonsFor(12)).toEqual(expected));
});
