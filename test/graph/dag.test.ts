import { describe, expect, it } from 'vitest';
import type { StageSpec } from '../../src/core/spec.js';
import { buildDag } from '../../src/graph/dag.js';

function stage(name: string, deps: string[], outs: string[]): StageSpec {
  return {
    id: `p.yaml:${name}`, name, file: 'p.yaml', lockFile: 'p.lock', wdir: '',
    cmd: ['true'], deps: deps.map((path) => ({ path })), outs: outs.map((path) => ({ path, kind: 'out', cache: true, persist: false })),
    params: [], frozen: false, alwaysChanged: false,
  };
}

// Edges worked by hand: a dep depends on the stage whose output it equals, lies inside, or contains.
describe('the DAG', () => {
  it('links a dep to outputs it equals, lies inside or contains, and nothing else', () => {
    const { dag, diagnostics } = buildDag([
      stage('file', [], ['data/a/one.csv']),
      stage('folder', [], ['data/b']),
      stage('deep', [], ['data/c/d/e.csv']),
      stage('same', ['data/a/one.csv'], ['r1']),
      stage('inside', ['data/b/x.csv'], ['r2']),
      stage('contains', ['data/c'], ['r3']),
      stage('everything', ['data'], ['r4']),
      stage('unrelated', ['data/a/one.csv.bak', 'data/bb', 'data/c/d/e.csvx'], ['r5']),
    ]);
    expect(diagnostics).toEqual([]);
    const ups = (name: string) => dag.upstream.get(`p.yaml:${name}`)?.map((id) => id.slice('p.yaml:'.length));
    expect(ups('same')).toEqual(['file']);
    expect(ups('inside')).toEqual(['folder']);
    expect(ups('contains')).toEqual(['deep']);
    expect(ups('everything')).toEqual(['deep', 'file', 'folder']);
    expect(ups('unrelated')).toEqual([]);
    expect(dag.downstream.get('p.yaml:file')).toEqual(['p.yaml:everything', 'p.yaml:same']);
    expect(dag.order.indexOf('p.yaml:everything')).toBeGreaterThan(dag.order.indexOf('p.yaml:deep'));
  });

  it('orders stages producers first, ties in declaration order, with and without edges', () => {
    // Declared out of name order, so an order by id would differ. Worked by hand.
    const unlinked = buildDag([stage('c', ['in/c'], ['out/c']), stage('a', ['in/a'], ['out/a']), stage('b', ['in/b'], ['out/b'])]);
    expect(unlinked.dag.order).toEqual(['p.yaml:c', 'p.yaml:a', 'p.yaml:b']);
    const linked = buildDag([
      stage('z', ['mid'], ['end']), // waits for m
      stage('y', [], ['free']),
      stage('m', ['start'], ['mid']), // waits for s
      stage('s', [], ['start']),
    ]);
    expect(linked.dag.order).toEqual(['p.yaml:y', 'p.yaml:s', 'p.yaml:m', 'p.yaml:z']);
  });

  it('names every stage of a cycle', () => {
    const { diagnostics } = buildDag([stage('lone', [], ['z']), stage('a', ['y'], ['x']), stage('b', ['x'], ['y'])]);
    expect(diagnostics.map((d) => d.code)).toEqual(['E_CYCLE']);
    expect(diagnostics[0]?.message).toBe('dependency cycle: a -> b -> a');
  });
});
