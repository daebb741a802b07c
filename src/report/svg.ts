// SVG charts drawn as strings, for the self-contained HTML dashboard. Pure. Every text that came
// from data goes through esc(): activity names and descriptions are not trusted markup.
import type { DfgLayout, LaidEdge, Point } from './dfg-layout.js';
import { DFG_END, DFG_START } from './dfg.js';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const n = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

export const COLOURS = {
  blue: '#2563eb',
  green: '#16a34a',
  red: '#dc2626',
  amber: '#d97706',
  violet: '#7c3aed',
  slate: '#64748b',
  grid: '#e2e8f0',
  text: '#334155',
  faint: '#94a3b8',
};

export interface LineSeries {
  name: string;
  values: (number | null)[];
  colour: string;
  dashed?: boolean;
  /** dots only, no line (raw values behind a smoothed line) */
  dotsOnly?: boolean;
}

export interface LineChartOptions {
  id: string;
  title: string;
  width: number;
  height: number;
  labels: string[];
  series: LineSeries[];
  /** the y axis runs from 0 to this; default the largest value */
  yMax?: number;
  yFormat?: (v: number) => string;
  /** light bars behind the lines, on their own scale (e.g. sessions per day) */
  bars?: { name: string; values: number[]; colour: string };
  /** what the x axis counts, written under its labels */
  xTitle?: string;
  /** a vertical line at a (fractional) label index, e.g. where the user's own data falls */
  marker?: { at: number; label: string; colour: string };
}

/** Lines over x categories (days, commits), with optional count bars behind them. */
export function lineChart(o: LineChartOptions): string {
  const m = { top: 16, right: o.bars ? 44 : 16, bottom: o.xTitle ? 46 : 30, left: 44 };
  const w = o.width - m.left - m.right;
  const h = o.height - m.top - m.bottom;
  const fmt = o.yFormat ?? ((v: number) => n(v));
  const all = o.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const yMax = o.yMax ?? Math.max(1, ...all);
  const count = o.labels.length;
  const xAt = (i: number) => m.left + (count <= 1 ? w / 2 : (i * w) / (count - 1));
  const yAt = (v: number) => m.top + h - (Math.min(v, yMax) / yMax) * h;
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    const y = yAt(v);
    parts.push(`<line class="grid" x1="${m.left}" x2="${m.left + w}" y1="${n(y)}" y2="${n(y)}" stroke="${COLOURS.grid}"/>`);
    parts.push(`<text x="${m.left - 6}" y="${n(y + 4)}" text-anchor="end" class="axis">${esc(fmt(v))}</text>`);
  }
  if (o.bars) {
    const bMax = Math.max(1, ...o.bars.values);
    const bw = Math.max(2, Math.min(28, (w / Math.max(1, count)) * 0.6));
    o.bars.values.forEach((v, i) => {
      if (v <= 0) return;
      const bh = (v / bMax) * h;
      parts.push(`<rect x="${n(xAt(i) - bw / 2)}" y="${n(m.top + h - bh)}" width="${n(bw)}" height="${n(bh)}" fill="${o.bars!.colour}" opacity="0.18"><title>${esc(`${o.labels[i]}: ${v} ${o.bars!.name}`)}</title></rect>`);
    });
    parts.push(`<text x="${m.left + w + 6}" y="${m.top + 4}" class="axis">${bMax}</text>`);
    parts.push(`<text x="${m.left + w + 6}" y="${m.top + h + 4}" class="axis">0</text>`);
  }
  const every = Math.max(1, Math.ceil(count / Math.max(1, Math.floor(w / 80))));
  o.labels.forEach((label, i) => {
    if (i % every !== 0 && i !== count - 1) return;
    if (i !== count - 1 && count - 1 - i < every && i !== 0) return;
    parts.push(`<text x="${n(xAt(i))}" y="${m.top + h + 18}" text-anchor="middle" class="axis">${esc(label)}</text>`);
  });
  if (o.xTitle) parts.push(`<text x="${n(m.left + w / 2)}" y="${m.top + h + 36}" text-anchor="middle" class="axis">${esc(o.xTitle)}</text>`);
  for (const s of o.series) {
    // Gaps (null) break the line; a lone point still shows as a dot.
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${n(xAt(i))},${n(yAt(v))}`;
      pen = true;
    });
    if (d && !s.dotsOnly) parts.push(`<path data-series="${esc(s.name)}" d="${d}" fill="none" stroke="${s.colour}" stroke-width="2.2" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    s.values.forEach((v, i) => {
      if (v === null) return;
      parts.push(`<circle cx="${n(xAt(i))}" cy="${n(yAt(v))}" r="${count > 40 ? 2 : 3.2}" fill="${s.colour}"${s.dotsOnly ? ' fill-opacity="0.35"' : ''}><title>${esc(`${o.labels[i]} · ${s.name}: ${fmt(v)}`)}</title></circle>`);
    });
  }
  if (o.marker) {
    const x = n(xAt(Math.min(Math.max(o.marker.at, 0), Math.max(0, count - 1))));
    // The label sits above the plot, kept inside the chart at either end.
    const anchor = o.marker.at < 0.5 ? 'start' : o.marker.at > count - 1.5 ? 'end' : 'middle';
    parts.push(
      `<g class="marker" data-marker="${esc(o.marker.label)}"><line x1="${x}" x2="${x}" y1="${m.top}" y2="${m.top + h}" stroke="${o.marker.colour}" stroke-width="1.6" stroke-dasharray="3 3"/>` +
        `<text x="${x}" y="${m.top - 4}" text-anchor="${anchor}" class="axis" style="fill:${o.marker.colour};font-weight:600">${esc(o.marker.label)}</text></g>`,
    );
  }
  return svg(o.id, o.title, o.width, o.height, parts.join(''));
}

function svg(id: string, title: string, width: number, height: number, body: string): string {
  return `<svg data-chart="${esc(id)}" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${body}</svg>`;
}

export function legend(items: { name: string; colour: string; dashed?: boolean; bar?: boolean; dot?: boolean }[]): string {
  const swatch = (i: (typeof items)[number]) => {
    if (i.dot) return `background:${i.colour};opacity:.45;width:8px;height:8px;border-radius:50%`;
    if (i.bar) return `background:${i.colour};opacity:.35;height:10px`;
    if (i.dashed) return `background:repeating-linear-gradient(90deg,${i.colour} 0 5px,transparent 5px 8px)`;
    return `background:${i.colour}`;
  };
  return `<div class="legend">${items.map((i) => `<span><i style="${swatch(i)}"></i>${esc(i.name)}</span>`).join('')}</div>`;
}

export interface HeatmapOptions {
  id: string;
  title: string;
  width: number;
  rows: string[];
  columns: string[];
  /** values[row][column] */
  values: number[][];
  colour: string;
}

/** Rows of cells shaded by count: which activities were used on which days. */
export function heatmap(o: HeatmapOptions): string {
  const labelW = Math.min(190, 16 + Math.max(0, ...o.rows.map((r) => r.length)) * 7);
  const totalW = 56;
  const cols = Math.max(1, o.columns.length);
  const cell = Math.max(4, Math.min(44, (o.width - labelW - totalW - 8) / cols));
  const rowH = 22;
  const top = 6;
  const height = top + o.rows.length * rowH + 26;
  const max = Math.max(1, ...o.values.flat());
  const parts: string[] = [];
  o.rows.forEach((r, ri) => {
    const y = top + ri * rowH;
    parts.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end" class="label">${esc(r.length > 26 ? `${r.slice(0, 25)}…` : r)}</text>`);
    let total = 0;
    o.columns.forEach((c, ci) => {
      const v = o.values[ri]?.[ci] ?? 0;
      total += v;
      // Square root: a few heavy days should not wash out every other cell.
      const shade = v === 0 ? 0 : 0.12 + 0.88 * Math.sqrt(v / max);
      parts.push(
        `<rect x="${n(labelW + ci * cell)}" y="${y + 2}" width="${n(Math.max(1, cell - 2))}" height="${rowH - 4}" rx="2" fill="${v === 0 ? '#f1f5f9' : o.colour}"${v === 0 ? '' : ` fill-opacity="${shade.toFixed(2)}"`}><title>${esc(`${r} · ${c}: ${v}`)}</title></rect>`,
      );
    });
    parts.push(`<text x="${n(labelW + cols * cell + 8)}" y="${y + 15}" class="axis">${total}</text>`);
  });
  const every = Math.max(1, Math.ceil(cols / Math.max(1, Math.floor((cols * cell) / 80))));
  o.columns.forEach((c, ci) => {
    if (ci % every !== 0) return;
    parts.push(`<text x="${n(labelW + ci * cell)}" y="${top + o.rows.length * rowH + 16}" class="axis">${esc(c)}</text>`);
  });
  const width = Math.ceil(labelW + cols * cell + totalW);
  return svg(o.id, o.title, width, height, parts.join(''));
}

/** A small inline bar with a marker: value against a reference (pass rate vs baseline). */
export function compareBar(value: number | null, reference: number | null, colour: string, width = 120): string {
  const h = 14;
  const parts = [`<rect x="0" y="3" width="${width}" height="8" rx="4" fill="#f1f5f9"/>`];
  if (value !== null) parts.push(`<rect x="0" y="3" width="${n(Math.max(2, value * width))}" height="8" rx="4" fill="${colour}"/>`);
  if (reference !== null) parts.push(`<rect x="${n(Math.min(width - 2, reference * width))}" y="0" width="2" height="${h}" fill="#0f172a"><title>baseline ${Math.round(reference * 100)}%</title></rect>`);
  return `<svg class="mini" data-chart="mini" viewBox="0 0 ${width} ${h}" width="${width}" height="${h}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

/** A plain inline bar of value/max. */
export function miniBar(value: number, max: number, colour: string, width = 140): string {
  const w = max > 0 ? Math.max(value > 0 ? 2 : 0, (value / max) * width) : 0;
  return `<svg class="mini" data-chart="mini" viewBox="0 0 ${width} 12" width="${width}" height="12" xmlns="http://www.w3.org/2000/svg"><rect x="0" y="2" width="${width}" height="8" rx="4" fill="#f1f5f9"/>${w > 0 ? `<rect x="0" y="2" width="${n(w)}" height="8" rx="4" fill="${colour}"/>` : ''}</svg>`;
}

// ---- the directly-follows graph ----------------------------------------------------------------

/** A smooth path through the points, leaving and entering each one vertically. */
function edgePath(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M${n(first.x)},${n(first.y)}`;
  let prev = first;
  for (const p of rest) {
    const dy = (p.y - prev.y) / 2;
    d += ` C${n(prev.x)},${n(prev.y + dy)} ${n(p.x)},${n(p.y - dy)} ${n(p.x)},${n(p.y)}`;
    prev = p;
  }
  return d;
}

function selfLoop(e: LaidEdge): string {
  const [a, b] = e.points as [Point, Point];
  return `M${n(a.x)},${n(a.y)} C${n(a.x + 34)},${n(a.y - 22)} ${n(b.x + 34)},${n(b.y + 22)} ${n(b.x)},${n(b.y)}`;
}

export function dfgSvg(layout: DfgLayout, id = 'dfg'): string {
  const maxEdge = Math.max(1, ...layout.edges.map((e) => e.count));
  const maxNode = Math.max(1, ...layout.nodes.map((x) => x.count));
  const parts: string[] = [
    `<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker>` +
      `<marker id="${id}-arrow-back" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${COLOURS.amber}"/></marker></defs>`,
  ];
  // Edges first, so the nodes sit on top of them.
  for (const e of layout.edges) {
    const wgt = Math.log1p(e.count) / Math.log1p(maxEdge);
    const width = 1 + 4.5 * wgt;
    // Loops back up are secondary to the main flow: lighter and dashed.
    const colour = e.back ? COLOURS.amber : '#475569';
    const opacity = e.back ? 0.25 + 0.35 * wgt : 0.35 + 0.55 * wgt;
    const d = e.self ? selfLoop(e) : edgePath(e.points);
    const mid = e.self ? { x: e.points[0]!.x + 30, y: (e.points[0]!.y + e.points[1]!.y) / 2 } : e.points[Math.floor(e.points.length / 2)]!;
    const prevPt = e.self ? mid : e.points[Math.max(0, Math.floor(e.points.length / 2) - 1)]!;
    // Label halfway along the middle segment of the route.
    const lx = e.self ? mid.x + 8 : (mid.x + prevPt.x) / 2 + 6;
    const ly = e.self ? mid.y + 4 : (mid.y + prevPt.y) / 2 + 4;
    parts.push(
      `<g class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}"><path d="${d}" fill="none" stroke="${colour}" stroke-opacity="${opacity.toFixed(2)}" stroke-width="${width.toFixed(1)}"${e.back ? ' stroke-dasharray="6 4"' : ''} marker-end="url(#${id}-arrow${e.back ? '-back' : ''})"><title>${esc(`${e.from} → ${e.to}: ${e.count} times`)}</title></path>` +
        `<text x="${n(lx)}" y="${n(ly)}" class="edge-label">${e.count}</text></g>`,
    );
  }
  for (const x of layout.nodes) {
    const terminal = x.id === DFG_START || x.id === DFG_END;
    const heat = terminal ? 0 : x.count / maxNode;
    const fill = terminal ? '#0f172a' : `rgba(37, 99, 235, ${(0.1 + 0.75 * heat).toFixed(2)})`;
    const textFill = terminal || heat > 0.55 ? '#ffffff' : '#0f172a';
    parts.push(
      `<g class="node" data-id="${esc(x.id)}"><rect x="${n(x.x - x.w / 2)}" y="${n(x.y - x.h / 2)}" width="${n(x.w)}" height="${x.h}" rx="${terminal ? x.h / 2 : 7}" fill="${fill}" stroke="${terminal ? '#0f172a' : COLOURS.blue}" stroke-width="1.2"><title>${esc(terminal ? x.id : `${x.id}: ${x.count} steps`)}</title></rect>` +
        `<text x="${n(x.x)}" y="${n(x.y + 4)}" text-anchor="middle" class="node-label" fill="${textFill}">${esc(x.label)}</text></g>`,
    );
  }
  return svg(id, 'What follows what: the directly-follows graph of the most common activities', layout.width, layout.height, parts.join(''));
}
