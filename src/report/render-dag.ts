import type { DagNode } from '../graph/dag.js';

/** A graph to draw: node labels and edges from producer to consumer. */
interface Drawing {
  readonly nodes: readonly string[];
  readonly edges: readonly (readonly [string, string])[];
}

/** Stages as nodes, or (`outs`) output paths as nodes linked through the stages between them. */
export function drawing(nodes: readonly DagNode[], outs: boolean): Drawing {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const label = (n: DagNode): string => (nodes.filter((m) => m.name === n.name).length > 1 ? n.id : n.name);
  if (!outs) {
    return {
      nodes: nodes.map(label),
      edges: nodes.flatMap((n) => n.upstream.map((u) => [label(byId.get(u)!), label(n)] as const)),
    };
  }
  return {
    nodes: nodes.flatMap((n) => n.outs),
    edges: nodes.flatMap((n) => n.upstream.flatMap((u) => byId.get(u)!.outs.flatMap((from) => n.outs.map((to) => [from, to] as const)))),
  };
}

/** Plain text: one node per line in topological order, with what it comes from. */
export function renderAscii(d: Drawing): string {
  const width = Math.max(0, ...d.nodes.map((n) => n.length));
  return d.nodes
    .map((n) => {
      const from = d.edges.filter(([, to]) => to === n).map(([f]) => f);
      return from.length === 0 ? `* ${n}` : `* ${n.padEnd(width)}  <- ${from.join(', ')}`;
    })
    .join('\n');
}

export function renderMermaid(d: Drawing): string {
  const id = new Map(d.nodes.map((n, i) => [n, `n${i}`]));
  return [
    'flowchart TD',
    ...d.nodes.map((n) => `  ${id.get(n)}["${n.replaceAll('"', '#quot;')}"]`),
    ...d.edges.map(([a, b]) => `  ${id.get(a)} --> ${id.get(b)}`),
  ].join('\n');
}

export function renderDot(d: Drawing): string {
  const q = (s: string): string => JSON.stringify(s);
  return ['strict digraph {', ...d.nodes.map((n) => `  ${q(n)};`), ...d.edges.map(([a, b]) => `  ${q(a)} -> ${q(b)};`), '}'].join('\n');
}
