// The directly-follows graph of the most common activities: what usually comes after what on the
// main thread, with the sessions' starts and ends as two extra nodes. Pure.
//
// Counted over every consecutive pair of main-thread steps (subagent calls are inside their Agent
// step). Then cut to something a person can read: the `maxNodes` most frequent activities, and the
// `maxEdges` heaviest edges among them, plus each kept node's heaviest incoming and outgoing edge,
// so that no kept node floats unconnected, plus the heaviest edges out of start and into end.
import type { SessionTrace } from '../core/types.js';

export const DFG_START = '▶ start';
export const DFG_END = '■ end';

export interface DfgNode {
  id: string;
  /** steps of this activity (0 for the start and end nodes) */
  count: number;
}

export interface DfgEdge {
  from: string;
  to: string;
  count: number;
}

export interface Dfg {
  nodes: DfgNode[];
  edges: DfgEdge[];
  /** before the cut */
  total_activities: number;
  total_edges: number;
}

export interface DfgOptions {
  maxNodes?: number;
  maxEdges?: number;
}

const key = (a: string, b: string) => `${a}\u0000${b}`;

export function directlyFollows(traces: readonly SessionTrace[], options: DfgOptions = {}): Dfg {
  const maxNodes = options.maxNodes ?? 12;
  const maxEdges = options.maxEdges ?? 18;
  const counts = new Map<string, number>();
  const pairs = new Map<string, DfgEdge>();
  const add = (from: string, to: string) => {
    const k = key(from, to);
    const e = pairs.get(k);
    if (e) e.count++;
    else pairs.set(k, { from, to, count: 1 });
  };
  for (const t of traces) {
    const main = t.steps.filter((s) => s.agent === null);
    if (main.length === 0) continue;
    let prev = DFG_START;
    for (const s of main) {
      counts.set(s.activity, (counts.get(s.activity) ?? 0) + 1);
      add(prev, s.activity);
      prev = s.activity;
    }
    add(prev, DFG_END);
  }

  const byCount = (a: [string, number], b: [string, number]) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const kept = new Set([...counts].sort(byCount).slice(0, maxNodes).map(([a]) => a));
  const inGraph = (n: string) => n === DFG_START || n === DFG_END || kept.has(n);
  const candidates = [...pairs.values()]
    .filter((e) => inGraph(e.from) && inGraph(e.to) && !(e.from === DFG_START && e.to === DFG_END))
    .sort((a, b) => b.count - a.count || (key(a.from, a.to) < key(b.from, b.to) ? -1 : 1));

  const chosen = new Set<DfgEdge>(candidates.slice(0, maxEdges));
  // Where sessions begin and end is always shown: the heaviest edge out of start and into end.
  for (const e of [candidates.find((x) => x.from === DFG_START), candidates.find((x) => x.to === DFG_END)]) if (e) chosen.add(e);
  for (const n of kept) {
    const heaviestIn = candidates.find((e) => e.to === n && e.from !== n);
    const heaviestOut = candidates.find((e) => e.from === n && e.to !== n);
    if (heaviestIn) chosen.add(heaviestIn);
    if (heaviestOut) chosen.add(heaviestOut);
  }
  const edges = candidates.filter((e) => chosen.has(e));
  const used = new Set(edges.flatMap((e) => [e.from, e.to]));
  const nodes: DfgNode[] = [];
  if (used.has(DFG_START)) nodes.push({ id: DFG_START, count: 0 });
  for (const [a, c] of [...counts].sort(byCount)) if (kept.has(a)) nodes.push({ id: a, count: c });
  if (used.has(DFG_END)) nodes.push({ id: DFG_END, count: 0 });
  return { nodes, edges, total_activities: counts.size, total_edges: pairs.size };
}
