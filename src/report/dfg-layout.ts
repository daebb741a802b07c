// A layered (Sugiyama-style) layout of the directly-follows graph, top to bottom. Pure.
//
// 1. Cycles: a depth-first search from the start node, heaviest edges first, reverses every edge
//    that points back to a node on the search stack. Traces loop (Edit → Bash:test → Edit), and a
//    layering needs an acyclic graph; reversed edges are drawn with their arrow the original way.
// 2. Layers: longest path from the start node (which alone has layer 0); the end node goes below
//    everything else.
// 3. An edge that spans several layers gets a dummy point in each layer between, so it is routed
//    around the nodes rather than through them.
// 4. Order within layers: barycenter sweeps down and up, keeping the order with the fewest crossings.
// 5. x: each node is pulled toward the mean x of its neighbours, then overlaps are pushed apart.
// Node widths come from the label length (no font metrics in a pure module: 7 px per character
// approximates a 12 px sans-serif label).
import { DFG_END, DFG_START, type Dfg } from './dfg.js';

export interface Point {
  x: number;
  y: number;
}

export interface LaidNode {
  id: string;
  label: string;
  count: number;
  layer: number;
  /** centre */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LaidEdge {
  from: string;
  to: string;
  count: number;
  /** from the source's port to the target's port, through the dummy points */
  points: Point[];
  /** drawn against the layering (a loop back up) */
  back: boolean;
  self: boolean;
}

export interface DfgLayout {
  width: number;
  height: number;
  nodes: LaidNode[];
  edges: LaidEdge[];
}

const NODE_H = 30;
const LAYER_GAP = 92;
const NODE_GAP = 40;
const DUMMY_W = 12;
const MARGIN = 24;
const CHAR_W = 7;
const MAX_LABEL = 26;

export function nodeLabel(id: string): string {
  return id.length > MAX_LABEL ? `${id.slice(0, MAX_LABEL - 1)}…` : id;
}

interface Vertex {
  id: string;
  dummy: boolean;
  w: number;
  layer: number;
  x: number;
}

export function layoutDfg(dfg: Dfg): DfgLayout {
  const ids = dfg.nodes.map((n) => n.id);
  const edges = dfg.edges.filter((e) => e.from !== e.to);
  const out = new Map<string, { to: string; count: number }[]>(ids.map((id) => [id, []]));
  for (const e of edges) out.get(e.from)?.push({ to: e.to, count: e.count });
  for (const list of out.values()) list.sort((a, b) => b.count - a.count || (a.to < b.to ? -1 : 1));

  // 1. Depth-first search: back edges are reversed; discovery order seeds the in-layer order.
  const state = new Map<string, 'active' | 'done'>();
  const reversed = new Set<string>();
  const discovery: string[] = [];
  const visit = (root: string) => {
    const stack: { id: string; i: number }[] = [{ id: root, i: 0 }];
    state.set(root, 'active');
    discovery.push(root);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top.id)?.[top.i++];
      if (!next) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const s = state.get(next.to);
      if (s === 'active') reversed.add(`${top.id}\u0000${next.to}`);
      else if (s === undefined) {
        state.set(next.to, 'active');
        discovery.push(next.to);
        stack.push({ id: next.to, i: 0 });
      }
    }
  };
  const roots = [...(ids.includes(DFG_START) ? [DFG_START] : []), ...dfg.nodes.filter((n) => n.id !== DFG_START).sort((a, b) => b.count - a.count).map((n) => n.id)];
  for (const r of roots) if (!state.has(r)) visit(r);

  // The acyclic orientation: [upper, lower] per edge.
  const dag = edges.map((e) => {
    const back = reversed.has(`${e.from}\u0000${e.to}`) || e.to === DFG_START || e.from === DFG_END;
    return { e, up: back ? e.to : e.from, down: back ? e.from : e.to, back };
  });

  // 2. Longest-path layering (Kahn order over the DAG).
  const layer = new Map<string, number>(ids.map((id) => [id, id === DFG_START ? 0 : 1]));
  const indeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const d of dag) indeg.set(d.down, (indeg.get(d.down) ?? 0) + 1);
  const queue = discovery.filter((id) => (indeg.get(id) ?? 0) === 0);
  while (queue.length) {
    const u = queue.shift()!;
    for (const d of dag) {
      if (d.up !== u) continue;
      layer.set(d.down, Math.max(layer.get(d.down) ?? 0, (layer.get(u) ?? 0) + 1));
      indeg.set(d.down, (indeg.get(d.down) ?? 0) - 1);
      if (indeg.get(d.down) === 0) queue.push(d.down);
    }
  }
  if (ids.includes(DFG_END)) {
    const deepest = Math.max(0, ...ids.filter((id) => id !== DFG_END).map((id) => layer.get(id) ?? 0));
    layer.set(DFG_END, deepest + 1);
  }
  const layerCount = Math.max(0, ...layer.values()) + 1;

  // 3. Vertices per layer, with dummies on long edges; chains[i] lists the vertices edge i passes.
  const vertices = new Map<string, Vertex>();
  for (const n of dfg.nodes) vertices.set(n.id, { id: n.id, dummy: false, w: nodeLabel(n.id).length * CHAR_W + 24, layer: layer.get(n.id) ?? 0, x: 0 });
  const chains: string[][] = dag.map((d, i) => {
    const chain = [d.up];
    for (let l = (layer.get(d.up) ?? 0) + 1; l < (layer.get(d.down) ?? 0); l++) {
      const id = `\u0000dummy${i}:${l}`;
      vertices.set(id, { id, dummy: true, w: DUMMY_W, layer: l, x: 0 });
      chain.push(id);
    }
    chain.push(d.down);
    return chain;
  });
  const ups = new Map<string, string[]>();
  const downs = new Map<string, string[]>();
  for (const chain of chains) {
    for (let i = 0; i + 1 < chain.length; i++) {
      (downs.get(chain[i]!) ?? downs.set(chain[i]!, []).get(chain[i]!)!).push(chain[i + 1]!);
      (ups.get(chain[i + 1]!) ?? ups.set(chain[i + 1]!, []).get(chain[i + 1]!)!).push(chain[i]!);
    }
  }
  const rank = new Map(discovery.map((id, i) => [id, i]));
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  for (const v of vertices.values()) layers[v.layer]!.push(v.id);
  for (const l of layers) l.sort((a, b) => (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9) || (a < b ? -1 : 1));

  // 4. Barycenter sweeps, keeping the best ordering seen.
  const crossings = (ls: string[][]) => {
    let c = 0;
    for (let l = 0; l + 1 < ls.length; l++) {
      const pos = new Map(ls[l + 1]!.map((id, i) => [id, i]));
      const segs: [number, number][] = [];
      ls[l]!.forEach((id, i) => {
        for (const d of downs.get(id) ?? []) segs.push([i, pos.get(d) ?? 0]);
      });
      for (let a = 0; a < segs.length; a++) for (let b = a + 1; b < segs.length; b++) if ((segs[a]![0] - segs[b]![0]) * (segs[a]![1] - segs[b]![1]) < 0) c++;
    }
    return c;
  };
  let best = layers.map((l) => [...l]);
  let bestCrossings = crossings(best);
  const reorder = (l: number, neighbours: Map<string, string[]>, ref: string[]) => {
    const pos = new Map(ref.map((id, i) => [id, i]));
    const cur = layers[l]!;
    const bary = new Map(
      cur.map((id, i) => {
        const ns = (neighbours.get(id) ?? []).map((n) => pos.get(n)).filter((p): p is number => p !== undefined);
        return [id, ns.length ? ns.reduce((s, p) => s + p, 0) / ns.length : i];
      }),
    );
    cur.sort((a, b) => bary.get(a)! - bary.get(b)!);
  };
  for (let iter = 0; iter < 8; iter++) {
    for (let l = 1; l < layerCount; l++) reorder(l, ups, layers[l - 1]!);
    for (let l = layerCount - 2; l >= 0; l--) reorder(l, downs, layers[l + 1]!);
    const c = crossings(layers);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = layers.map((l) => [...l]);
    }
  }

  // 5. x coordinates: pack, then pull toward neighbours and push apart again.
  const v = (id: string) => vertices.get(id)!;
  const widthOf = (l: string[]) => l.reduce((s, id) => s + v(id).w, 0) + NODE_GAP * Math.max(0, l.length - 1);
  const innerWidth = Math.max(360, ...best.map(widthOf));
  for (const l of best) {
    let x = (innerWidth - widthOf(l)) / 2;
    for (const id of l) {
      v(id).x = x + v(id).w / 2;
      x += v(id).w + NODE_GAP;
    }
  }
  const separate = (l: string[]) => {
    for (let i = 1; i < l.length; i++) {
      const a = v(l[i - 1]!);
      const b = v(l[i]!);
      const min = a.x + a.w / 2 + NODE_GAP + b.w / 2;
      if (b.x < min) b.x = min;
    }
    const last = l.length ? v(l[l.length - 1]!) : null;
    if (last && last.x + last.w / 2 > innerWidth) {
      last.x = innerWidth - last.w / 2;
      for (let i = l.length - 2; i >= 0; i--) {
        const a = v(l[i]!);
        const b = v(l[i + 1]!);
        const max = b.x - b.w / 2 - NODE_GAP - a.w / 2;
        if (a.x > max) a.x = max;
      }
    }
    const first = l.length ? v(l[0]!) : null;
    if (first && first.x - first.w / 2 < 0) {
      const shift = first.w / 2 - first.x;
      for (const id of l) v(id).x += shift;
    }
  };
  for (let iter = 0; iter < 6; iter++) {
    const order = iter % 2 === 0 ? best.map((_, i) => i) : best.map((_, i) => best.length - 1 - i);
    for (const l of order) {
      for (const id of best[l]!) {
        const ns = [...(ups.get(id) ?? []), ...(downs.get(id) ?? [])];
        if (ns.length) v(id).x = (v(id).x + ns.reduce((s, n) => s + v(n).x, 0) / ns.length) / 2;
      }
      separate(best[l]!);
    }
  }
  const minX = Math.min(...[...vertices.values()].map((x) => x.x - x.w / 2));
  const maxX = Math.max(...[...vertices.values()].map((x) => x.x + x.w / 2));
  const dx = MARGIN - (Number.isFinite(minX) ? minX : 0);
  const yOf = (l: number) => MARGIN + NODE_H / 2 + l * LAYER_GAP;

  const countOf = new Map(dfg.nodes.map((n) => [n.id, n.count]));
  const nodes: LaidNode[] = dfg.nodes.map((n) => {
    const x = v(n.id);
    return { id: n.id, label: nodeLabel(n.id), count: countOf.get(n.id) ?? 0, layer: x.layer, x: x.x + dx, y: yOf(x.layer), w: x.w, h: NODE_H };
  });

  // Ports: the edges leaving a node's bottom (entering its top) are spread along it, ordered by
  // where their other end lies, so arrows do not pile into one point and twins (a → b, b → a) part.
  const portX = new Map<string, number>();
  const spread = (nodeId: string, edgeIds: number[], side: 'top' | 'bottom', otherX: (i: number) => number) => {
    const sorted = [...edgeIds].sort((a, b) => otherX(a) - otherX(b) || a - b);
    const vx = v(nodeId);
    const spacing = sorted.length > 1 ? Math.min(12, (vx.w * 0.7) / (sorted.length - 1)) : 0;
    sorted.forEach((i, k) => portX.set(`${side}:${i}`, vx.x + dx + (k - (sorted.length - 1) / 2) * spacing));
  };
  const bottoms = new Map<string, number[]>();
  const tops = new Map<string, number[]>();
  chains.forEach((c, i) => {
    (bottoms.get(c[0]!) ?? bottoms.set(c[0]!, []).get(c[0]!)!).push(i);
    (tops.get(c[c.length - 1]!) ?? tops.set(c[c.length - 1]!, []).get(c[c.length - 1]!)!).push(i);
  });
  for (const [id, list] of bottoms) spread(id, list, 'bottom', (i) => v(chains[i]![1]!).x);
  for (const [id, list] of tops) spread(id, list, 'top', (i) => v(chains[i]![chains[i]!.length - 2]!).x);
  const laidEdges: LaidEdge[] = dag.map((d, i) => {
    const chain = chains[i]!;
    const pts: Point[] = chain.map((id, k) => {
      const x = v(id);
      const y = yOf(x.layer);
      if (k === 0) return { x: portX.get(`bottom:${i}`) ?? x.x + dx, y: y + NODE_H / 2 };
      if (k === chain.length - 1) return { x: portX.get(`top:${i}`) ?? x.x + dx, y: y - NODE_H / 2 };
      return { x: x.x + dx, y };
    });
    return { from: d.e.from, to: d.e.to, count: d.e.count, points: d.back ? pts.reverse() : pts, back: d.back, self: false };
  });
  for (const e of dfg.edges) {
    if (e.from !== e.to) continue;
    const n = nodes.find((x) => x.id === e.from);
    if (!n) continue;
    const right = n.x + n.w / 2;
    laidEdges.push({ from: e.from, to: e.to, count: e.count, points: [{ x: right, y: n.y - 6 }, { x: right, y: n.y + 6 }], back: false, self: true });
  }
  const width = Math.ceil((Number.isFinite(maxX) ? maxX - minX : 0) + 2 * MARGIN + 40);
  const height = Math.ceil(yOf(layerCount - 1) + NODE_H / 2 + MARGIN);
  return { width, height, nodes, edges: laidEdges };
}
