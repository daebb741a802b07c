// Formatting shared by the library's renderers: numbers, dates, Markdown tables and stable JSON. Pure.
import { cmpStr } from '../core/cmp-str.js';
import { roundOrNull } from '../core/round.js';

/** "0.842", or "n/a" */
export function fmtRate(x: number | null | undefined): string {
  const r = roundOrNull(x);
  return r === null ? 'n/a' : r.toFixed(3);
}

/** "+0.104" / "-0.050" / "0.000", or "n/a" */
export function fmtSigned(x: number | null | undefined): string {
  const r = roundOrNull(x);
  if (r === null) return 'n/a';
  return r > 0 ? `+${r.toFixed(3)}` : r.toFixed(3);
}

/** YYYY-MM-DD (UTC) of a time in ms, or "n/a". */
export function fmtDate(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? 'n/a' : d.toISOString().slice(0, 10);
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

/**
 * Pretty JSON with sorted keys, for diffs: objects and arrays whose values are all primitives sit on
 * one line, everything else is indented by two spaces. Non-integers are rounded to `decimals`.
 */
export function stableJson(value: unknown, decimals = 6): string {
  return render(value, '', true) + '\n';

  function prim(v: unknown): string {
    if (typeof v === 'number') {
      if (Number.isInteger(v)) return String(v === 0 ? 0 : v);
      const r = roundOrNull(v, decimals);
      return r === null ? 'null' : String(r);
    }
    if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
    return 'null';
  }
  function isLeaf(v: unknown): boolean {
    return v === null || typeof v !== 'object';
  }
  function entries(v: object): [string | null, unknown][] {
    if (Array.isArray(v)) return v.map((x) => [null, x === undefined ? null : x]);
    return Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined && typeof (v as Record<string, unknown>)[k] !== 'function')
      .sort(cmpStr)
      .map((k) => [k, (v as Record<string, unknown>)[k]]);
  }
  function render(v: unknown, indent: string, root: boolean): string {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON: () => unknown }).toJSON();
    }
    if (isLeaf(v)) return prim(v);
    const obj = v as object;
    const [open, close] = Array.isArray(obj) ? ['[', ']'] : ['{', '}'];
    const items = entries(obj);
    if (items.length === 0) return open + close;
    const label = (k: string | null) => (k === null ? '' : `${JSON.stringify(k)}: `);
    if (!root && items.every(([, x]) => isLeaf(x))) {
      return open + items.map(([k, x]) => label(k) + prim(x)).join(', ') + close;
    }
    const inner = indent + '  ';
    const lines = items.map(([k, x]) => inner + label(k) + render(x, inner, false));
    return `${open}\n${lines.join(',\n')}\n${indent}${close}`;
  }
}
