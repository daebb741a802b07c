// Formatting shared by the library's renderers (library.ts, later-sessions.ts, skill.ts). Pure.

/** Rounds to `decimals`; null for null / NaN / ±Infinity; never -0. */
export function round(x: number | null | undefined, decimals = 3): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const f = 10 ** decimals;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}

/** "0.842", or "n/a" */
export function fmtRate(x: number | null | undefined): string {
  const r = round(x);
  return r === null ? 'n/a' : r.toFixed(3);
}

/** "+0.104" / "-0.050" / "0.000", or "n/a" */
export function fmtSigned(x: number | null | undefined): string {
  const r = round(x);
  if (r === null) return 'n/a';
  return r > 0 ? `+${r.toFixed(3)}` : r.toFixed(3);
}

/** YYYY-MM-DD (UTC) of a time in ms, or "n/a". */
export function fmtDate(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? 'n/a' : d.toISOString().slice(0, 10);
}

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Markdown inline code for an activity name, safe inside a table cell. */
export function code(s: string): string {
  return '`' + s.replace(/`/g, "'").replace(/\|/g, '\\|') + '`';
}

export function patternTitle(steps: readonly string[]): string {
  return steps.join(' → ');
}

/** A markdown table; cells must already be escaped for "|". */
export function table(header: string[], align: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
