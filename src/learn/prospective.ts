// Prospective validation: does a pattern's uplift hold on the sessions recorded AFTER it was first
// reported? Pure: no node:*, no clock; the first-report times come in as arguments.
//
// A pattern first reported by a learning run at D (that run's as_of: the end of its newest session)
// is checked on the sessions that started after D, which that run could not have seen. Every run
// recomputes from all of them, so the later evidence accumulates as the user works, and a pattern
// that drops out of the reports and comes back keeps its first D.
//
// Counting is the learner's (outcomes.ts, encoded-log.ts): a session's sequence is its main thread
// (laneOf), its outcome is its last test run (sessions without one are left out), and a session
// counts WITH the pattern only when an occurrence ends at or before that run, matched with the
// pattern's own max_gap (1 = contiguous); an occurrence after the last test run cannot have caused it,
// so such a session is in the group without. Counts are plain (not time-decayed): these sessions are
// all recent.
//
// States, with (lower, upper) the 95% Newcombe interval of uplift = pass rate with − pass rate
// without, and the claimed side > 0 for a good pattern, < 0 for an anti-pattern:
// - validated: the interval is entirely on the claimed side of 0.
// - retired:   entirely on the other side: later sessions contradict it (no longer advised).
// - weakened:  both groups have at least `min_group` sessions and the point estimate is on the wrong
//              side (or 0), though the interval still covers 0.
// - pending:   anything else: not enough later sessions to say yet.
import type { SessionTrace } from '../core/types.js';
import { laneOf } from './encoded-log.js';
import { UNKNOWN, PASS, sessionVerdict, verdictAt } from './outcomes.js';
import { containsGapped } from './evaluate.js';
import { newcombeInterval } from './rank.js';
import { Z95 } from './stats.js';
import type { LearnResult, SequentialPattern } from './types.js';

/** What a pattern claims: it goes with passing tests (good) or with failing ones (anti). */
export type PatternDirection = 'good' | 'anti';
export type ProspectiveState = 'validated' | 'pending' | 'weakened' | 'retired';

/** The identity of a reported pattern across runs: its direction and its steps. */
export function prospectiveKey(direction: PatternDirection, steps: readonly string[]): string {
  return `${direction}:${steps.join(' > ')}`;
}

/** What the sessions started after D say about one pattern. */
export interface LaterEvidence {
  state: ProspectiveState;
  /** D: when the pattern was first reported (ms) */
  since_ms: number;
  /** known-outcome sessions started after D, with / without the pattern, and how many passed */
  with: number;
  without: number;
  passed_with: number;
  passed_without: number;
  pass_with: number | null;
  pass_without: number | null;
  /** pass_with - pass_without, and its 95% interval; null unless both groups have a session */
  uplift: number | null;
  lower: number | null;
  upper: number | null;
}

export interface ProspectiveOptions {
  /** known later sessions each group needs before a wrong-side estimate counts as weakened */
  min_group: number;
  z: number;
}

export const PROSPECTIVE_DEFAULTS: ProspectiveOptions = { min_group: 10, z: Z95 };

/** A session as the check reads it: when it started, the main-thread activities up to its outcome, the outcome. */
interface JudgedSession {
  start_ms: number;
  judged: string[];
  passed: boolean;
}

function judge(t: SessionTrace): JudgedSession | null {
  const final = sessionVerdict(t.steps);
  if (final === UNKNOWN) return null;
  const at = verdictAt(t.steps);
  const judged: string[] = [];
  for (const i of laneOf(t.steps)) {
    if (at[i] === UNKNOWN) break; // past the last test run: the rest of the lane cannot have caused it
    judged.push(t.steps[i]!.activity);
  }
  return { start_ms: t.start_ms, judged, passed: final === PASS };
}

function stateOf(direction: PatternDirection, e: Omit<LaterEvidence, 'state' | 'since_ms'>, o: ProspectiveOptions): ProspectiveState {
  if (e.uplift === null || e.lower === null || e.upper === null) return 'pending';
  const sign = direction === 'good' ? 1 : -1;
  // The claimed side of the interval: above 0 for a good pattern, below 0 for an anti-pattern.
  const [near, far] = sign > 0 ? [e.lower, e.upper] : [-e.upper, -e.lower];
  if (near > 0) return 'validated';
  if (far < 0) return 'retired';
  if (e.with >= o.min_group && e.without >= o.min_group && sign * e.uplift <= 0) return 'weakened';
  return 'pending';
}

function checkJudged(sessions: readonly JudgedSession[], pattern: { steps: readonly string[]; max_gap: number },
  direction: PatternDirection, sinceMs: number, o: ProspectiveOptions): LaterEvidence {
  let withN = 0;
  let withoutN = 0;
  let passedWith = 0;
  let passedWithout = 0;
  for (const s of sessions) {
    if (!(s.start_ms > sinceMs)) continue;
    if (containsGapped(s.judged, pattern.steps, pattern.max_gap)) {
      withN++;
      if (s.passed) passedWith++;
    } else {
      withoutN++;
      if (s.passed) passedWithout++;
    }
  }
  const both = withN > 0 && withoutN > 0;
  const interval = both ? newcombeInterval(passedWith, withN, passedWithout, withoutN, o.z) : null;
  const counts = {
    with: withN,
    without: withoutN,
    passed_with: passedWith,
    passed_without: passedWithout,
    pass_with: withN > 0 ? passedWith / withN : null,
    pass_without: withoutN > 0 ? passedWithout / withoutN : null,
    uplift: both ? passedWith / withN - passedWithout / withoutN : null,
    lower: interval ? interval.lower : null,
    upper: interval ? interval.upper : null,
  };
  return { state: stateOf(direction, counts, o), since_ms: sinceMs, ...counts };
}

/** The later evidence of one pattern first reported at `sinceMs`. */
export function laterEvidence(traces: readonly SessionTrace[], pattern: { steps: readonly string[]; max_gap: number },
  direction: PatternDirection, sinceMs: number, options: Partial<ProspectiveOptions> = {}): LaterEvidence {
  const sessions = traces.map(judge).filter((s): s is JudgedSession => s !== null);
  return checkJudged(sessions, pattern, direction, sinceMs, { ...PROSPECTIVE_DEFAULTS, ...options });
}

/** When each pattern was first reported (ms), by prospectiveKey. */
export type FirstReports = Readonly<Record<string, number>>;

function reported(result: Pick<LearnResult, 'sequential' | 'anti'>): (readonly [PatternDirection, SequentialPattern])[] {
  return [...result.sequential.map((p) => ['good', p] as const), ...result.anti.map((p) => ['anti', p] as const)];
}

/** `first` plus this run's patterns that had no first report yet, reported at `asOf`. Keeps every earlier entry. */
export function recordFirstReports(first: FirstReports, result: Pick<LearnResult, 'sequential' | 'anti'>, asOf: number): Record<string, number> {
  const out: Record<string, number> = { ...first };
  for (const [direction, p] of reported(result)) {
    const key = prospectiveKey(direction, p.steps);
    if (out[key] === undefined) out[key] = asOf;
  }
  return out;
}

/** The later evidence of every reported pattern of `result` that has a first report, by prospectiveKey. */
export function laterStates(traces: readonly SessionTrace[], result: Pick<LearnResult, 'sequential' | 'anti'>, first: FirstReports,
  options: Partial<ProspectiveOptions> = {}): Map<string, LaterEvidence> {
  const o = { ...PROSPECTIVE_DEFAULTS, ...options };
  const out = new Map<string, LaterEvidence>();
  const pairs = reported(result);
  // Only sessions after the earliest D can count for any pattern: the rest are never judged.
  const earliest = Math.min(...pairs.map(([d, p]) => first[prospectiveKey(d, p.steps)] ?? Infinity));
  const sessions = traces.filter((t) => t.start_ms > earliest).map(judge).filter((s): s is JudgedSession => s !== null);
  for (const [direction, p] of pairs) {
    const key = prospectiveKey(direction, p.steps);
    const since = first[key];
    if (since === undefined || out.has(key)) continue;
    out.set(key, checkJudged(sessions, p, direction, since, o));
  }
  return out;
}
