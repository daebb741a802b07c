// Small terminal charts and tables: sparklines, bars, ANSI colour that can be switched off. Pure.

const SPARKS = '▁▂▃▄▅▆▇█';
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  good(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  accent(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plainStyle: Style = { bold: (s) => s, dim: (s) => s, good: (s) => s, bad: (s) => s, warn: (s) => s, accent: (s) => s };
const colourStyle: Style = { bold: wrap(1, 22), dim: wrap(2, 22), good: wrap(32, 39), bad: wrap(31, 39), warn: wrap(33, 39), accent: wrap(36, 39) };

/** Colour only when asked: the caller decides from NO_COLOR and whether stdout is a terminal. */
export function style(colour: boolean): Style {
  return colour ? colourStyle : plainStyle;
}

/** Visible width: escape sequences take no columns. */
export function visibleWidth(s: string): number {
  // eslint-disable-next-line no-control-regex
  return [...s.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - visibleWidth(s)));
}

export function padStart(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - visibleWidth(s))) + s;
}

/**
 * Values in [0, 1] as one character each (null: a gap, drawn as a space). When there are more
 * values than `width`, neighbours are averaged into buckets.
 */
export function sparkline(values: readonly (number | null)[], width = values.length): string {
  const buckets = bucket(values, Math.max(1, width));
  return buckets
    .map((v) => {
      if (v === null) return ' ';
      const clamped = Math.min(1, Math.max(0, v));
      return SPARKS[Math.min(SPARKS.length - 1, Math.floor(clamped * SPARKS.length))]!;
    })
    .join('');
}

function bucket(values: readonly (number | null)[], width: number): (number | null)[] {
  if (values.length <= width) return [...values];
  const out: (number | null)[] = [];
  for (let b = 0; b < width; b++) {
    const from = Math.floor((b * values.length) / width);
    const to = Math.floor(((b + 1) * values.length) / width);
    const xs = values.slice(from, to).filter((v): v is number => v !== null);
    out.push(xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null);
  }
  return out;
}

/** A horizontal bar of `value / max` of `width` columns, in eighths of a column. */
export function bar(value: number, max: number, width: number): string {
  if (!(max > 0) || !(value > 0)) return '';
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
}

export type Align = 'left' | 'right';

/** A table whose cells may hold colour; columns sized to their visible width. */
export function textTable(headers: string[], rows: string[][], align: Align[] = [], indent = '  '): string {
  const widths = headers.map((h, i) => Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, i) => (i === cells.length - 1 && align[i] !== 'right' ? c : align[i] === 'right' ? padStart(c, widths[i]!) : padEnd(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function pct(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined ? '-' : `${(x * 100).toFixed(digits)}%`;
}

/** Signed percentage points: "+12 pts". */
export function points(x: number | null | undefined): string {
  if (x === null || x === undefined) return '-';
  const p = Math.round(x * 100);
  return `${p > 0 ? '+' : ''}${p} pts`;
}

/** 950 ms, 12.3 s, 4 min 05 s, 2 h 10 min. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** "3 min ago", "2 days ago": how long before `now` a time was. */
export function ago(ms: number, now: number): string {
  const d = now - ms;
  if (d < 0) return 'just now';
  if (d < 60_000) return `${Math.round(d / 1000)} s ago`;
  if (d < 3_600_000) return `${Math.round(d / 60_000)} min ago`;
  if (d < 2 * 86_400_000) return `${Math.round(d / 3_600_000)} h ago`;
  return `${Math.round(d / 86_400_000)} days ago`;
}
