// The dashboard panel "Did the advice help?" (issue 14): the test pass rate of sessions that were
// told something against the holdout sessions (told nothing, chosen at random by the SessionStart
// hook), pooled over 7 days, and each piece of advice with its uplift over the comparison that
// judges it (the sessions it was withheld from, or the holdout until there are enough of those),
// its anytime-valid 95% interval (src/learn/advice-effect.ts) and its state. Pure: traces and the
// planner's injection records in, numbers (advicePanelData) and HTML text (advicePanelHtml) out.
import type { SessionTrace } from '../core/types.js';
import { adviceEffects, type AdviceEffect, type AdviceEffectOptions, type Injection } from '../learn/advice-effect.js';
import { sessionPassed } from '../learn/parallel.js';
import { COLOURS, esc, legend, lineChart } from './svg.js';
import { pct } from './text-charts.js';

export const ADVICE_TITLE = 'Did the advice help?';

export const ADVICE_SERIES = {
  advised: { name: 'sessions told advice (7-day)', colour: COLOURS.green },
  holdout: { name: 'holdout sessions, told nothing (7-day)', colour: COLOURS.slate, dashed: true },
} as const;

export interface ArmDays {
  /** sessions with a test run, and those whose last test run passed, per day */
  known: number[];
  passed: number[];
  /** pooled over the day and the six before it */
  rate_7d: (number | null)[];
}

export interface AdvicePanel {
  days: string[];
  advised: ArmDays;
  holdout: ArmDays;
  totals: { advised_known: number; advised_passed: number; holdout_known: number; holdout_passed: number };
  /** every piece of advice injected, as the learner judges it */
  advice: AdviceEffect[];
}

const ROLLING = 7;

function arm(days: number): ArmDays {
  return { known: new Array(days).fill(0), passed: new Array(days).fill(0), rate_7d: [] };
}

function roll(a: ArmDays): void {
  a.rate_7d = a.known.map((_, i) => {
    let k = 0;
    let p = 0;
    for (let j = Math.max(0, i - ROLLING + 1); j <= i; j++) [k, p] = [k + a.known[j]!, p + a.passed[j]!];
    return k ? p / k : null;
  });
}

/** Which side of the comparison each session is on: held out, or told at least one piece of advice. */
function sidesOf(injections: readonly Injection[]): { holdout: Set<string>; told: Set<string> } {
  const holdout = new Set<string>();
  const told = new Set<string>();
  for (const i of injections) {
    if (i.holdout) holdout.add(i.session_id);
    else if (i.ids.length) told.add(i.session_id);
  }
  return { holdout, told };
}

/**
 * The panel's numbers: sessions are placed on the day they started; a session is "holdout" when
 * the SessionStart hook held it out, "told" when a planner hook injected at least one piece of
 * advice into it. Null when no injection was ever recorded.
 */
export function advicePanelData(
  traces: readonly SessionTrace[],
  injections: readonly Injection[],
  days: readonly string[],
  dayOf: (ms: number) => string,
  options: Partial<AdviceEffectOptions> = {},
): AdvicePanel | null {
  if (injections.length === 0) return null;
  const { holdout, told } = sidesOf(injections);
  const index = new Map(days.map((d, i) => [d, i]));
  const a = arm(days.length);
  const h = arm(days.length);
  for (const t of traces) {
    const side = holdout.has(t.session_id) ? h : told.has(t.session_id) ? a : null;
    const i = index.get(dayOf(t.start_ms));
    const v = sessionPassed(t);
    if (!side || i === undefined || v === null) continue;
    side.known[i]!++;
    if (v) side.passed[i]!++;
  }
  roll(a);
  roll(h);
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  return {
    days: [...days],
    advised: a,
    holdout: h,
    totals: { advised_known: sum(a.known), advised_passed: sum(a.passed), holdout_known: sum(h.known), holdout_passed: sum(h.passed) },
    advice: adviceEffects(traces, injections, options),
  };
}

/** One day of metrics/advice.json: sessions with a known outcome on each side, and how many passed. */
export interface AdviceDay {
  day: string;
  told_known: number;
  told_passed: number;
  holdout_known: number;
  holdout_passed: number;
}

/** The day-by-day curve behind the panel, for metrics/advice.json: only days with a told or holdout session. */
export function adviceDays(traces: readonly SessionTrace[], injections: readonly Injection[], dayOf: (ms: number) => string): AdviceDay[] {
  const { holdout, told } = sidesOf(injections);
  const byDay = new Map<string, AdviceDay>();
  for (const t of traces) {
    const isHoldout = holdout.has(t.session_id);
    if (!isHoldout && !told.has(t.session_id)) continue;
    const v = sessionPassed(t);
    if (v === null) continue;
    const day = dayOf(t.start_ms);
    const row = byDay.get(day) ?? { day, told_known: 0, told_passed: 0, holdout_known: 0, holdout_passed: 0 };
    if (isHoldout) [row.holdout_known, row.holdout_passed] = [row.holdout_known + 1, row.holdout_passed + (v ? 1 : 0)];
    else [row.told_known, row.told_passed] = [row.told_known + 1, row.told_passed + (v ? 1 : 0)];
    byDay.set(day, row);
  }
  return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
}

const points = (x: number | null) => (x === null ? '–' : `${x >= 0 ? '+' : '−'}${Math.abs(Math.round(x * 100))}`);

function adviceName(e: AdviceEffect): string {
  const i = e.id.indexOf(':');
  const kind = e.id.slice(0, i);
  const steps = e.id.slice(i + 1).split(kind === 'parallel' ? '+' : '>');
  return `${kind === 'avoid' ? '<span class="small">avoid</span> ' : kind === 'parallel' ? '<span class="small">parallel</span> ' : ''}${steps.map((s) => `<span class="chip">${esc(s)}</span>`).join(`<span class="sep">${kind === 'parallel' ? '+' : '→'}</span>`)}`;
}

/**
 * The comparison that judges a piece of advice (advice-effect.ts): its own (the sessions the
 * SessionStart hook told it in, against those it withheld it from), or together with the rest (every
 * session told it, against the holdout).
 */
export function judgedComparison(e: AdviceEffect): { told: number; against: string; sessions: number; effect: number | null; lower: number | null; upper: number | null } {
  return e.judged_by === 'own'
    ? { told: e.start_known, against: 'withheld', sessions: e.withheld_known, effect: e.own_effect, lower: e.own_lower, upper: e.own_upper }
    : { told: e.known, against: 'holdout', sessions: e.holdout_known, effect: e.effect, lower: e.effect_lower, upper: e.effect_upper };
}

/** The interval as a small bar on a −100..+100 points scale with zero marked. */
function intervalBar(e: AdviceEffect, width = 160): string {
  const { effect, lower, upper } = judgedComparison(e);
  if (lower === null || upper === null || effect === null) return '';
  const x = (v: number) => ((Math.max(-1, Math.min(1, v)) + 1) / 2) * width;
  const colour = e.state === 'stopped' ? COLOURS.red : lower > 0 ? COLOURS.green : COLOURS.slate;
  return (
    `<svg data-chart="mini" width="${width}" height="14" viewBox="0 0 ${width} 14" role="img" aria-label="interval ${points(lower)} to ${points(upper)} points">` +
    `<line x1="${x(0)}" x2="${x(0)}" y1="0" y2="14" stroke="${COLOURS.faint}"/>` +
    `<rect x="${x(lower).toFixed(1)}" y="5" width="${Math.max(1, x(upper) - x(lower)).toFixed(1)}" height="4" fill="${colour}" opacity=".5"/>` +
    `<circle cx="${x(effect).toFixed(1)}" cy="7" r="3" fill="${colour}"/></svg>`
  );
}

/** The panel's body and caption; html.ts puts them in a card. */
export function advicePanelHtml(p: AdvicePanel, shortDay: (day: string) => string = (d) => d.slice(5)): { body: string; note: string } {
  const chart = lineChart({
    id: 'advice-effect',
    title: 'Share of sessions whose last test run passed: told advice vs held out, pooled over 7 days',
    width: 560,
    height: 240,
    labels: p.days.map(shortDay),
    yMax: 1,
    yFormat: (v) => pct(v),
    series: [
      { ...ADVICE_SERIES.advised, values: p.advised.rate_7d },
      { ...ADVICE_SERIES.holdout, values: p.holdout.rate_7d },
    ],
    bars: { name: 'holdout sessions', values: p.holdout.known, colour: COLOURS.slate },
  });
  const t = p.totals;
  const rate = (passed: number, known: number) => (known ? pct(passed / known) : '–');
  const rows = p.advice.map((e) => {
    const c = judgedComparison(e);
    return (
      `<tr data-state="${e.state}" data-judged="${e.judged_by}"><td>${adviceName(e)}</td><td class="num">${c.told}</td><td class="num">${c.against} ${c.sessions}</td><td class="num">${points(c.effect)}</td>` +
      `<td>${intervalBar(e)} <span class="small">${points(c.lower)} .. ${points(c.upper)}</span></td><td>${e.state === 'stopped' ? '<b>stopped</b>' : 'active'}</td></tr>`
    );
  });
  const table = rows.length
    ? `<table class="advice" data-table="advice-effect"><thead><tr><th>advice</th><th class="num">told</th><th class="num">against</th><th class="num">uplift (points)</th><th>95% interval, valid every night</th><th>state</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '';
  const body =
    `<div class="split"><div>${chart}${legend([ADVICE_SERIES.advised, ADVICE_SERIES.holdout, { name: 'holdout sessions per day (right axis)', colour: COLOURS.slate, bar: true }])}` +
    `<p class="small">All days: told ${rate(t.advised_passed, t.advised_known)} of ${t.advised_known} sessions passed, holdout ${rate(t.holdout_passed, t.holdout_known)} of ${t.holdout_known}.</p></div>` +
    `<div>${table}</div></div>`;
  const note =
    'Your sessions: a random share of them (the holdout) is told nothing, so the difference between the two lines is what the advice did, not which tasks it was given on. ' +
    'Each piece of advice is judged on its own: another random share of sessions is shown the advice with that one item left out ("withheld"), so a piece that only rides along with a good one is not credited with its uplift (until 10 such sessions exist, it is compared with the holdout). ' +
    'The interval stays valid although it is looked at every night (a confidence sequence); advice whose whole interval lies below +5 points is stopped for good: sessions are not told it any more. Few sessions make wide intervals.';
  return { body, note };
}
