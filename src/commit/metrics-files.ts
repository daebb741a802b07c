// metrics/success_rates.csv and metrics/durations.csv (per activity) and metrics/dashboard.json
// (summary numbers). Pure.
import type { ProspectiveState } from '../learn/prospective.js';
import { csvRow } from '../export/csv.js';
import type { DurationStats, Evidence, LearnResult } from '../learn/types.js';
import { cmpStr } from '../core/cmp-str.js';
import { roundOrNull } from '../core/round.js';
import { fmtRate, stableJson } from './format.js';
import type { PatternRow, PatternStatus } from './pattern-rows.js';

/**
 * Estimated q-quantile (0 < q <= 1) of a duration histogram: linear inside the power-of-two bucket
 * that holds it (bucket i spans [2^(i-1), 2^i) ms, bucket 0 [0, 1) ms), capped at the maximum.
 */
export function histPercentile(d: DurationStats, q: number): number | null {
  const total = d.hist.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  const target = q * total;
  let cum = 0;
  for (let i = 0; i < d.hist.length; i++) {
    const h = d.hist[i] ?? 0;
    if (h <= 0) continue;
    if (cum + h >= target) {
      const lo = i === 0 ? 0 : 2 ** (i - 1);
      const hi = 2 ** i;
      return Math.min(d.max_ms, lo + (hi - lo) * ((target - cum) / h));
    }
    cum += h;
  }
  return d.max_ms;
}

/** A header row and the rows, LF-ended (committed to git), fields encoded as the export's CSV does. */
function csv(header: string[], rows: (string | number | null)[][]): string {
  return [header, ...rows].map((r) => csvRow(r, '\n')).join('');
}

export function renderSuccessRates(ev: Evidence): string {
  const rows = Object.keys(ev.activities)
    .sort(cmpStr)
    .map((a) => {
      const e = ev.activities[a]!;
      const sp = e.support;
      return [
        a,
        e.count,
        sp.sessions,
        sp.known,
        sp.passed,
        sp.known > 0 ? fmtRate(sp.passed / sp.known) : null,
        e.errors,
        e.count > 0 ? fmtRate(e.errors / e.count) : null,
      ];
    });
  return csv(['activity', 'count', 'sessions', 'known', 'passed', 'pass_rate', 'errors', 'error_rate'], rows);
}

export function renderDurations(ev: Evidence): string {
  const ms = (x: number | null) => (x === null ? null : Math.round(x));
  const rows = Object.keys(ev.activities)
    .sort(cmpStr)
    .map((a) => {
      const d = ev.activities[a]!.duration;
      return [
        a,
        d.count,
        d.count > 0 ? Math.round(d.total_ms / d.count) : null,
        ms(histPercentile(d, 0.5)),
        ms(histPercentile(d, 0.9)),
        d.count > 0 ? Math.round(d.max_ms) : null,
      ];
    });
  return csv(['activity', 'count', 'mean_ms', 'p50_ms', 'p90_ms', 'max_ms'], rows);
}

export function renderDashboard(result: LearnResult, evaluation: unknown | null, rows: PatternRow[]): string {
  const s = result.stats;
  const top = (status: PatternStatus) =>
    rows
      .filter((r) => r.status === status)
      .slice(0, 5)
      .map((r) => ({ key: r.key, sessions: r.sessions, pass_rate: r.pass_rate, baseline: r.baseline, bound: r.bound }));
  const count = (status: PatternStatus) => rows.filter((r) => r.status === status).length;
  const inState = (state: ProspectiveState) => rows.filter((r) => r.state === state).length;
  return stableJson(
    {
      version: 1,
      sessions: s.sessions,
      steps: s.events,
      known_sessions: s.known_sessions,
      baseline_pass_rate: roundOrNull(s.baseline_pass_rate),
      activities: s.activities,
      patterns: { validated: count('validated'), discovered: count('discovered'), anti: count('anti'), parallel: result.parallel.length },
      later_sessions: { validated: inState('validated'), pending: inState('pending'), weakened: inState('weakened'), retired: inState('retired') },
      top_validated: top('validated'),
      top_discovered: top('discovered'),
      top_anti: top('anti'),
      miner: { truncated: s.truncated, min_support_used: s.min_support_used, max_len_used: s.max_len_used, patterns_explored: s.patterns_explored },
      evaluation: evaluation !== null && evaluation !== undefined,
    },
    3,
  );
}
