import type { Diagnostic } from '../core/diagnostics.js';
import { error } from '../core/diagnostics.js';
import type { DepSpec, OutSpec, StageSpec } from '../core/spec.js';
import { isWithin } from './paths.js';

/** The project DAG: an edge `from -> to` means `to` depends on an output of `from`. */
export interface Dag {
  readonly stages: readonly StageSpec[];
  readonly byId: ReadonlyMap<string, StageSpec>;
  /** Upstream stage ids of each stage (the producers of its deps), sorted. */
  readonly upstream: ReadonlyMap<string, readonly string[]>;
  /** Downstream stage ids of each stage, sorted. */
  readonly downstream: ReadonlyMap<string, readonly string[]>;
  /** Every stage id in a deterministic topological order (producers first, ties by declaration order). */
  readonly order: readonly string[];
  /** Stages with an output equal to, inside, or containing `path`. */
  producers(path: string): readonly string[];
}

export interface DagResult {
  readonly dag: Dag;
  readonly diagnostics: readonly Diagnostic[];
}

const NONE: readonly string[] = Object.freeze([]);

interface OwnedOut {
  readonly stage: StageSpec;
  readonly out: OutSpec;
}

/**
 * Builds the DAG: a dep depends on the stage whose output it equals, lies inside (a file in an
 * output directory), or contains (a directory dep holding another stage's output). Two stages
 * writing the same path or nested outputs are errors, and so is a cycle (every stage on it named).
 */
export function buildDag(stages: readonly StageSpec[]): DagResult {
  const diagnostics: Diagnostic[] = [];
  const outs: OwnedOut[] = stages.flatMap((stage) => stage.outs.map((out) => ({ stage, out })));
  diagnostics.push(...findOverlappingOuts(outs));

  const producers = outputIndex(outs);
  // Most of 32k generated stages have no neighbours: they share one empty list, not a Set each.
  const upstream = new Map<string, readonly string[]>();
  for (const stage of stages) {
    let ups: Set<string> | undefined;
    for (const dep of stage.deps) {
      const found = producers(dep.path);
      for (const producer of found) if (producer !== stage.id) (ups ??= new Set()).add(producer);
      if (found.includes(stage.id)) diagnostics.push(ownOutputDependency(stage, dep));
    }
    upstream.set(stage.id, ups === undefined ? NONE : [...ups].sort());
  }
  const downstreamLists = new Map<string, string[]>();
  for (const [id, ups] of upstream) {
    for (const up of ups) {
      const list = downstreamLists.get(up);
      if (list === undefined) downstreamLists.set(up, [id]);
      else list.push(id);
    }
  }
  const downstream = new Map<string, readonly string[]>();
  for (const s of stages) downstream.set(s.id, downstreamLists.get(s.id)?.sort() ?? NONE);

  const byId = new Map(stages.map((s) => [s.id, s]));
  const cycles = findCycles(stages, upstream);
  for (const cycle of cycles) {
    const first = byId.get(cycle[0] ?? '');
    diagnostics.push(
      error(
        'E_CYCLE',
        `dependency cycle: ${[...cycle, cycle[0]!].map((id) => byId.get(id)?.name ?? id).join(' -> ')}`,
        first?.range,
        `stages on the cycle: ${cycle.join(', ')}; remove one of these deps or outs`,
      ),
    );
  }
  const order = cycles.length > 0 ? stages.map((s) => s.id) : topologicalOrder(stages, upstream, downstream);
  return { dag: { stages, byId, upstream, downstream, order, producers }, diagnostics };
}

/**
 * Finds the stages whose outputs overlap a path, without comparing every dep with every out:
 * outputs at or above the path are found by walking its ancestors, outputs below it by a
 * binary search in the sorted output paths.
 */
function outputIndex(outs: readonly OwnedOut[]): (path: string) => string[] {
  const byPath = new Map<string, string[]>();
  for (const { stage, out } of outs) {
    const ids = byPath.get(out.path);
    if (ids === undefined) byPath.set(out.path, [stage.id]);
    else ids.push(stage.id);
  }
  // Folders that hold an output: only a path among them can contain one (most deps are not).
  const holders = new Set<string>();
  for (const path of byPath.keys()) for (let end = path.indexOf('/'); end !== -1; end = path.indexOf('/', end + 1)) holders.add(path.slice(0, end));
  let sorted: string[] | undefined;
  return (path) => {
    const found: string[] = [];
    for (let end = path.indexOf('/'); ; end = path.indexOf('/', end + 1)) {
      const ids = byPath.get(end === -1 ? path : path.slice(0, end));
      if (ids !== undefined) found.push(...ids);
      if (end === -1) break;
    }
    if (!holders.has(path)) return found;
    sorted ??= [...byPath.keys()].sort();
    const prefix = `${path}/`;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sorted.length && sorted[i]!.startsWith(prefix); i++) found.push(...byPath.get(sorted[i]!)!);
    return found;
  };
}

/** DVC's CircularDependencyError: a stage cannot read what it writes (its outputs are deleted before it runs). */
function ownOutputDependency(stage: StageSpec, dep: DepSpec): Diagnostic {
  const out = stage.outs.find((o) => isWithin(dep.path, o.path) || isWithin(o.path, dep.path))!;
  const how = dep.path === out.path ? 'is' : isWithin(dep.path, out.path) ? 'lies inside' : 'contains';
  return error(
    'E_CYCLE',
    `dependency "${dep.path}" of stage "${stage.name}" ${how} its own output${how === 'is' ? '' : ` "${out.path}"`}: a stage cannot depend on itself`,
    dep.range,
    'read the input from another path (outputs are deleted before a stage runs), or split the stage in two',
  );
}

function findOverlappingOuts(outs: readonly OwnedOut[]): Diagnostic[] {
  const found: Diagnostic[] = [];
  const sorted = [...outs].sort((a, b) => (a.out.path < b.out.path ? -1 : a.out.path > b.out.path ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    // Sorted order puts a directory right before what it contains, so scan forward while nested.
    for (let j = i + 1; j < sorted.length && isWithin(sorted[j]!.out.path, a.out.path); j++) {
      const b = sorted[j]!;
      if (a.stage.id === b.stage.id && a.out.path !== b.out.path) {
        found.push(error('E_OUT_NESTED', `output "${b.out.path}" is inside output "${a.out.path}" of the same stage "${a.stage.name}"`, b.out.range, 'list only the enclosing directory'));
      } else if (a.stage.id === b.stage.id) {
        continue; // duplicates within one stage are the pipeline loader's E_DUPLICATE_OUT
      } else if (a.out.path === b.out.path) {
        found.push(error('E_OUT_CONFLICT', `output "${b.out.path}" of stage "${b.stage.id}" is also an output of stage "${a.stage.id}"`, b.out.range, 'each path may be written by one stage only'));
      } else {
        found.push(error('E_OUT_NESTED', `output "${b.out.path}" of stage "${b.stage.id}" is inside output "${a.out.path}" of stage "${a.stage.id}"`, b.out.range, 'an output may not live inside another stage\'s output directory'));
      }
    }
  }
  return found;
}

/** Tarjan's strongly connected components; every component of 2+ stages (or a self-loop) is a cycle. */
function findCycles(stages: readonly StageSpec[], upstream: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (id: string): void => {
    index.set(id, counter);
    low.set(id, counter++);
    stack.push(id);
    onStack.add(id);
    for (const next of upstream.get(id) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(id, Math.min(low.get(id)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(id, Math.min(low.get(id)!, index.get(next)!));
    }
    if (low.get(id) !== index.get(id)) return;
    const component: string[] = [];
    let top: string;
    do {
      top = stack.pop()!;
      onStack.delete(top);
      component.push(top);
    } while (top !== id);
    if (component.length > 1 || (upstream.get(id) ?? []).includes(id)) cycles.push(component.reverse());
  };
  // A stage that depends on no other is on no cycle: it is not a root worth starting from.
  for (const s of stages) if (!index.has(s.id) && (upstream.get(s.id)?.length ?? 0) > 0) visit(s.id);
  return cycles;
}

/**
 * Kahn's algorithm; among ready stages the earliest declared goes first, so the order is stable.
 * Ready stages wait in a min-heap of declaration positions: O(n log n) for 32k generated stages
 * that are all ready at once (sorting the ready list per step made that quadratic). Counts are
 * kept by position, and a project without edges (one foreach over files) is in declaration order
 * as it stands: two Maps of 32k ids and a heap of them cost ~25 ms of its status.
 */
function topologicalOrder(
  stages: readonly StageSpec[],
  upstream: ReadonlyMap<string, readonly string[]>,
  downstream: ReadonlyMap<string, readonly string[]>,
): string[] {
  const waiting = new Int32Array(stages.length);
  let edges = 0;
  for (let i = 0; i < stages.length; i++) edges += waiting[i] = upstream.get(stages[i]!.id)?.length ?? 0;
  if (edges === 0) return stages.map((s) => s.id);
  const position = new Map<string, number>();
  for (let i = 0; i < stages.length; i++) position.set(stages[i]!.id, i);
  const ready = new MinHeap();
  for (let i = 0; i < stages.length; i++) if (waiting[i] === 0) ready.push(i);
  const order: string[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    const id = stages[next]!.id;
    order.push(id);
    for (const down of downstream.get(id) ?? []) {
      const at = position.get(down)!;
      const left = waiting[at]! - 1;
      waiting[at] = left;
      if (left === 0) ready.push(at);
    }
  }
  return order;
}

/** A binary min-heap of numbers. */
class MinHeap {
  private readonly items: number[] = [];

  push(value: number): void {
    const a = this.items;
    let i = a.push(value) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= value) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = value;
  }

  pop(): number | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= a.length) break;
      const child = left + 1 < a.length && a[left + 1]! < a[left]! ? left + 1 : left;
      if (a[child]! >= last) break;
      a[i] = a[child]!;
      i = child;
    }
    a[i] = last;
    return top;
  }
}

/** One stage as `dvcts dag` shows it: its outputs and the upstream stages it needs. */
export interface DagNode {
  readonly id: string;
  readonly name: string;
  readonly file: string;
  readonly outs: readonly string[];
  readonly upstream: readonly string[];
}
