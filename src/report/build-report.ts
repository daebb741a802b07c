// Everything the report shows, computed from the store's contents and the last learning run. Pure:
// the shell (src/cli/report-commands.ts) reads the store, the spool and the files, and passes them in.
// The terminal and HTML renderers only draw what is here, and `report --json` prints it.
import type { Catalog } from '../catalog/types.js';
import type { PatternSource } from '../catalog/join.js';
import type { SessionTrace } from '../core/types.js';
import type { Injection } from '../learn/advice-effect.js';
import type { Accuracy } from '../learn/evaluate.js';
import { parallelismSaved } from '../learn/parallel.js';
import type { LearnStats } from '../learn/types.js';
import { advicePanelData, type AdvicePanel } from './advice-panel.js';
import { directlyFollows, type Dfg } from './dfg.js';
import { powerCurve, type PowerCurve, type QualityDoc } from './power.js';
import { activityUsage, usageIndex, type ActivityUsage, type UsageIndex } from './usage.js';

export interface CaptureHealth {
  /** payloads in the spool, not ingested yet */
  pending_spool: number;
  /** arrival time of the oldest of them (ms), from its file name */
  oldest_pending_ms: number | null;
  /** files in spool/.tmp: hooks still writing, or killed mid-write */
  partial_writes: number;
  quarantined: number;
  last_ingest: string | null;
  last_learn: string | null;
}

/** Capture hook latency as `doctor` (or the benchmark) last measured it. */
export interface LatencyFigures {
  measured_at: string;
  source: 'doctor' | 'bench';
  runs: number;
  capture_ms: number;
  node_ms: number;
  /** capture_ms / node_ms */
  ratio: number;
}

/** One learning evaluation: a commit of metrics/eval.json, or the current data. */
export interface EvalPoint {
  /** ISO time of the commit, or of the report for the current evaluation */
  at: string;
  /** commit of metrics/eval.json; null for an evaluation computed now */
  sha: string | null;
  train_sessions: number;
  test_sessions: number;
  /** next-activity predictions made */
  prefixes: number;
  model: Accuracy;
  markov1: Accuracy;
  most_frequent: Accuracy;
  patterns_checked: number;
  patterns_held: number;
}

export interface DayRow {
  day: string;
  /** sessions that started that day */
  sessions: number;
  /** of those, with a test run, and whose last test run passed */
  known: number;
  passed: number;
  pass_rate: number | null;
  test_runs: number;
  test_runs_passed: number;
  /** pooled over this day and the six before it: one or two sessions a day make a jumpy daily rate */
  pass_rate_7d: number | null;
  test_pass_rate_7d: number | null;
}

/** Days pooled into the rolling rates. */
export const ROLLING_DAYS = 7;

export interface ActivityDaily {
  days: string[];
  series: { activity: string; counts: number[] }[];
}

export interface LearnedPatterns extends PatternSource {
  learned_at: string | null;
  stats: LearnStats | null;
}

export interface ReportInput {
  traces: readonly SessionTrace[];
  testRuns: readonly { ts_ms: number; passed: boolean }[];
  /** stored events (all hook events, not only tool calls) */
  events: number;
  learned: LearnedPatterns | null;
  health: CaptureHealth;
  latency: LatencyFigures | null;
  catalog: Catalog | null;
  evaluations: EvalPoint[];
  now: number;
  /** calendar day of a time, "YYYY-MM-DD"; default UTC (the CLI passes local time) */
  dayOf?: (ms: number) => string;
  /** most days shown in the trends */
  maxDays?: number;
  /** patterns of each kind kept */
  top?: number;
  /** the simulated worlds' benchmark (metrics/quality.json), when the shell found a valid one */
  quality?: QualityDoc | null;
  /** why there is none, in one line */
  quality_note?: string | null;
  /** the planner hooks' AgentopsInjection records (learn-run.ts injectionsOf): the "Did the advice help?" panel */
  injections?: readonly Injection[] | null;
  /** advice the learner stopped on an earlier night (learn-run.ts readAdviceStops): shown stopped */
  advice_stops?: ReadonlyMap<string, number>;
  /** the learner's gap limit, for counting who followed advice */
  max_gap?: number;
}

export interface ReportData {
  generated_at: string;
  period: { first_day: string; last_day: string } | null;
  totals: {
    events: number;
    sessions: number;
    steps: number;
    activities: number;
    test_runs: number;
    test_runs_passed: number;
    /** sessions with a test run, and those whose last test run passed */
    known_sessions: number;
    passed_sessions: number;
    pass_rate: number | null;
  };
  activities: ActivityUsage[];
  daily: DayRow[];
  activity_daily: ActivityDaily;
  dfg: Dfg;
  patterns: LearnedPatterns | null;
  parallelism: { saved_ms: number; busy_ms: number; wall_ms: number; saved_share: number | null };
  health: CaptureHealth;
  latency: LatencyFigures | null;
  catalog: Catalog | null;
  evaluations: EvalPoint[];
  /** how often simulated worlds of each size named the planted recipes, and where the user's data falls */
  power: PowerCurve | null;
  /** why the power curve is not shown, in one line */
  power_note: string | null;
  /** told vs holdout sessions over time and each advice's effect; null when nothing was ever injected */
  advice: AdvicePanel | null;
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Consecutive days from the first time to the last, with no gaps (a quiet day is a zero, not a
 * missing column). Steps a quarter day at a time so any time zone's day function works.
 */
export function dayRange(firstMs: number, lastMs: number, dayOf: (ms: number) => string, maxDays: number): string[] {
  const days: string[] = [];
  const quarter = 6 * 3_600_000;
  for (let t = firstMs; t <= lastMs + quarter; t += quarter) {
    const d = dayOf(Math.min(t, lastMs));
    if (days[days.length - 1] !== d) days.push(d);
  }
  return days.slice(-maxDays);
}

export function buildReport(input: ReportInput): ReportData {
  const dayOf = input.dayOf ?? utcDay;
  const maxDays = input.maxDays ?? 90;
  const top = input.top ?? 10;
  const traces = input.traces;
  const index: UsageIndex = usageIndex(traces);
  const activities = activityUsage(index);

  // reduce, not Math.min(...xs): spreading a few hundred thousand test runs overflows the stack.
  let first = Infinity;
  let last = -Infinity;
  for (const ms of [...traces.map((t) => t.start_ms), ...input.testRuns.map((r) => r.ts_ms)]) {
    if (!Number.isFinite(ms)) continue;
    first = Math.min(first, ms);
    last = Math.max(last, ms);
  }
  const days = Number.isFinite(first) ? dayRange(first, last, dayOf, maxDays) : [];
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const daily: DayRow[] = days.map((day) => ({ day, sessions: 0, known: 0, passed: 0, pass_rate: null, test_runs: 0, test_runs_passed: 0, pass_rate_7d: null, test_pass_rate_7d: null }));
  traces.forEach((t, i) => {
    const row = daily[dayIndex.get(dayOf(t.start_ms)) ?? -1];
    if (!row) return;
    row.sessions++;
    const v = index.verdicts[i];
    if (v !== null && v !== undefined) {
      row.known++;
      if (v) row.passed++;
    }
  });
  for (const r of input.testRuns) {
    const row = daily[dayIndex.get(dayOf(r.ts_ms)) ?? -1];
    if (!row) continue;
    row.test_runs++;
    if (r.passed) row.test_runs_passed++;
  }
  daily.forEach((row, i) => {
    row.pass_rate = row.known ? row.passed / row.known : null;
    const window = daily.slice(Math.max(0, i - ROLLING_DAYS + 1), i + 1);
    const sum = (f: (r: DayRow) => number) => window.reduce((a, r) => a + f(r), 0);
    row.pass_rate_7d = sum((r) => r.known) ? sum((r) => r.passed) / sum((r) => r.known) : null;
    row.test_pass_rate_7d = sum((r) => r.test_runs) ? sum((r) => r.test_runs_passed) / sum((r) => r.test_runs) : null;
  });

  const shown = activities.slice(0, 8).map((a) => a.activity);
  const series = shown.map((activity) => ({ activity, counts: days.map(() => 0) }));
  const seriesOf = new Map(series.map((s) => [s.activity, s]));
  for (const t of traces) {
    for (const s of t.steps) {
      const i = dayIndex.get(dayOf(s.start_ms));
      const row = seriesOf.get(s.activity);
      if (row && i !== undefined) row.counts[i]!++;
    }
  }

  const known = index.verdicts.filter((v) => v !== null).length;
  const passed = index.verdicts.filter((v) => v === true).length;
  const par = parallelismSaved([...traces]);
  const learned = input.learned
    ? { ...input.learned, sequential: input.learned.sequential.slice(0, top), parallel: input.learned.parallel.slice(0, top), anti: input.learned.anti.slice(0, top) }
    : null;
  const power = input.quality ? powerCurve(input.quality, traces.length) : null;

  return {
    generated_at: new Date(input.now).toISOString(),
    period: days.length ? { first_day: days[0]!, last_day: days[days.length - 1]! } : null,
    totals: {
      events: input.events,
      sessions: traces.length,
      steps: traces.reduce((s, t) => s + t.steps.length, 0),
      activities: activities.length,
      test_runs: input.testRuns.length,
      test_runs_passed: input.testRuns.filter((r) => r.passed).length,
      known_sessions: known,
      passed_sessions: passed,
      pass_rate: known ? passed / known : null,
    },
    activities,
    daily,
    activity_daily: { days, series },
    dfg: directlyFollows(traces),
    patterns: learned,
    parallelism: { ...par, saved_share: par.busy_ms > 0 ? par.saved_ms / par.busy_ms : null },
    health: input.health,
    latency: input.latency,
    catalog: input.catalog,
    evaluations: input.evaluations,
    power,
    power_note: input.quality_note ?? (input.quality && !power ? 'no power curve: the quality benchmark holds no default or null worlds' : null),
    advice: input.injections ? advicePanelData(traces, input.injections, days, dayOf, { max_gap: input.max_gap, stopped_before: input.advice_stops }) : null,
  };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function accuracy(v: unknown): Accuracy | null {
  return isObject(v) && typeof v.top1 === 'number' && typeof v.top3 === 'number' ? { top1: v.top1, top3: v.top3 } : null;
}

/** An evaluation as committed in metrics/eval.json (learn/evaluate.ts), or null when it has another shape. */
export function evalPoint(json: unknown, at: string, sha: string | null): EvalPoint | null {
  if (!isObject(json) || !isObject(json.next_activity)) return null;
  const na = json.next_activity;
  const model = accuracy(na.model);
  const markov1 = accuracy(na.markov1);
  const mostFrequent = accuracy(na.most_frequent);
  if (!model || !markov1 || !mostFrequent) return null;
  const patterns = Array.isArray(json.patterns) ? json.patterns.filter(isObject) : [];
  return {
    at,
    sha,
    train_sessions: typeof json.train_sessions === 'number' ? json.train_sessions : 0,
    test_sessions: typeof json.test_sessions === 'number' ? json.test_sessions : 0,
    prefixes: typeof na.prefixes === 'number' ? na.prefixes : 0,
    model,
    markov1,
    most_frequent: mostFrequent,
    patterns_checked: patterns.length,
    patterns_held: patterns.filter((p) => p.holds === true).length,
  };
}
