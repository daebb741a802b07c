// Parallel patterns: three relations, kept apart (see docs/pattern-mining.md §0.2, §1.2, §1.4, §2.3).
//
// (a) 'observed'          true concurrency: two steps whose intervals overlap, max(start) <= min(end)
//                         (the PM4Py rule; `strict_overlap` makes it <). Counted within one lane: the
//                         main thread, or the steps inside one subagent type. A subagent's own calls
//                         overlap its Agent step by nesting, which is not parallelism, so lanes are
//                         never mixed. Pairs only: three calls in one batch show up as their three pairs.
//                         saved_ms = the median over its occurrences of the two durations minus the
//                         length of their union (= the overlap): what running them together saves each
//                         time, not a total that grows with the history. Observed evidence; the other
//                         two kinds are inferred.
// (b) 'order-independent' both a>b and b>a directly-follows on the main thread, heuristics-miner
//                         dependency (|a>b|-|b>a|)/(|a>b|+|b>a|+1) near 0, each order in enough
//                         sessions. Neighbours that overlap in time are not counted as a>b (Burattin &
//                         Sperduti's interval rule): concurrency must not pollute the order statistics.
// (c) 'episode'           a set of 2–3 distinct activities occurring within `window` consecutive
//                         main-thread steps, in any order (a parallel episode, Mannila et al.), in at
//                         least min_sessions sessions, and not explained by a strict order: in the
//                         sessions where a pair co-occurs, the member that comes first (at the first
//                         co-occurrence of the session) must vary, measured by the same dependency
//                         formula over those session votes. The first co-occurrence, not every
//                         occurrence, because a repeated strict sequence a b . a b . looks balanced when
//                         windows are counted (b..a across iterations). A triple needs all three of its
//                         pairs to pass. occurrences = minimal occurrences (MINEPI) of width <= window.
//
// (b) and (c) also need lift >= min_lift: observed co-occurrence count over the count expected if
// neighbours were independent (E[a,b] = out(a)·in(b)/total of the same count matrix). Without it
// every pair of randomly ordered noise tools is "order-independent".
//
// Outcome: a session passed when its LAST test run passed (sessionPassed below, which uses the
// learner's definition in outcomes.ts); sessions without a test run are unknown and excluded from
// pass_rate/baseline/bound, though they still count in `sessions`. pass_rate = pass rate of known
// sessions with the pattern, bound = its Wilson lower bound, baseline = pass rate of known sessions
// without it. Optional time decay weighs each session by 2^(-age/half_life) (age from now_ms to the
// session end).
//
// Activity names are interned to integers; counts live in flat typed arrays (dense up to
// DENSE_MAX_ACTIVITIES activities, a Map beyond), so a pass over 10^6 steps stays well under a second.
// Pure: no node:*, no clock.
//
// Where things are: (b) and (c) in parallel-sequences.ts, the counters and the interned corpus in
// parallel-counts.ts, the per-lane overlap sweep of (a) in lanes.ts (shared with evaluate.ts).

import type { SessionTrace } from '../core/types.js';
import { forEachOverlap } from './lanes.js';
import { PASS, UNKNOWN, sessionVerdict } from './outcomes.js';
import { intern, touch, type Acc, type Corpus } from './parallel-counts.js';
import { acceptPairs, collect, countSequences } from './parallel-sequences.js';
import { Z95, decayWeight, median, wilsonInterval } from './stats.js';

import type { ParallelPattern } from './types.js';

export type { ParallelPattern };
export { DENSE_MAX_ACTIVITIES } from './parallel-counts.js';

export interface ParallelOptions {
  /** a pattern must occur in at least this many sessions (all sessions, known outcome or not) */
  min_sessions?: number;
  /** episode window, in consecutive main-thread steps */
  window?: number;
  /** |dependency| at most this for (b) and (c); 0.3 keeps a 65/35 split, drops 70/30 */
  dependency_threshold?: number;
  /** each order must be seen in at least this many sessions; default max(2, ceil(min_sessions / 4)) */
  min_order_sessions?: number;
  /** co-occurrence over independence expectation, for (b) and (c) */
  min_lift?: number;
  /** largest episode (2 or 3) */
  max_episode_size?: number;
  /** count touching intervals (end == next start) as concurrent unless true */
  strict_overlap?: boolean;
  /** z of the Wilson bound */
  z?: number;
  /** time decay of outcome counts: both must be set for it to apply */
  now_ms?: number;
  half_life_ms?: number;
}

export const PARALLEL_DEFAULTS = {
  min_sessions: 20,
  window: 5,
  dependency_threshold: 0.3,
  min_lift: 2,
  max_episode_size: 3,
  strict_overlap: false,
  z: Z95,
} as const;


// ---- session outcome and overall parallelism ------------------------------------------------

/**
 * true/false from the session's last test run, null when it ran none. The definition is the
 * learner's (outcomes.ts sessionVerdict): a step with `test` set, or a completed Bash:test whose output
 * could not be read; interrupted steps are not test runs.
 */
export function sessionPassed(trace: SessionTrace): boolean | null {
  const v = sessionVerdict(trace.steps);
  return v === UNKNOWN ? null : v === PASS;
}

/**
 * Wall-clock effect of concurrency on the main thread: busy = sum of step durations, wall = length
 * of their union, saved = busy - wall. Subagent calls are left out: their time is inside their
 * Agent step already.
 */
export function parallelismSaved(traces: SessionTrace[]): { saved_ms: number; busy_ms: number; wall_ms: number } {
  let busy = 0;
  let wall = 0;
  for (const t of traces) {
    const main = t.steps.filter((s) => s.agent === null).sort((a, b) => a.start_ms - b.start_ms);
    let curStart = 0;
    let curEnd = -Infinity;
    for (const s of main) {
      const end = Math.max(s.start_ms, s.end_ms);
      busy += end - s.start_ms;
      if (s.start_ms > curEnd) {
        if (curEnd > -Infinity) wall += curEnd - curStart;
        curStart = s.start_ms;
        curEnd = end;
      } else if (end > curEnd) {
        curEnd = end;
      }
    }
    if (curEnd > -Infinity) wall += curEnd - curStart;
  }
  return { saved_ms: busy - wall, busy_ms: busy, wall_ms: wall };
}


// ---- outcomes --------------------------------------------------------------------------------

interface Outcomes {
  /** 1 passed, 0 failed, -1 unknown */
  known: Int8Array;
  weight: Float64Array;
  n: number;
  s: number;
}

function outcomes(traces: SessionTrace[], o: ParallelOptions): Outcomes {
  const known = new Int8Array(traces.length);
  const weight = new Float64Array(traces.length);
  let n = 0;
  let s = 0;
  const decay = o.now_ms !== undefined && o.half_life_ms !== undefined;
  traces.forEach((t, i) => {
    const p = sessionPassed(t);
    known[i] = p === null ? -1 : p ? 1 : 0;
    const w = decay ? decayWeight((o.now_ms as number) - t.end_ms, o.half_life_ms as number) : 1;
    weight[i] = w;
    if (p !== null) {
      n += w;
      if (p) s += w;
    }
  });
  return { known, weight, n, s };
}

function outcomeOf(sessions: number[], oc: Outcomes, z: number): Pick<ParallelPattern, 'pass_rate' | 'baseline' | 'bound'> {
  let n = 0;
  let s = 0;
  for (const i of sessions) {
    const k = oc.known[i] as number;
    if (k < 0) continue;
    const w = oc.weight[i] as number;
    n += w;
    if (k === 1) s += w;
  }
  const nOut = oc.n - n;
  const eps = 1e-9;
  return {
    pass_rate: n > eps ? s / n : null,
    baseline: nOut > eps ? Math.max(0, oc.s - s) / nOut : null,
    bound: n > eps ? wilsonInterval(s, n, z).lower : null,
  };
}


// ---- (a) observed concurrency ---------------------------------------------------------------

function mineObserved(traces: SessionTrace[], c: Corpus, strict: boolean): Map<number, Acc> {
  const K = c.names.length;
  const found = new Map<number, Acc>();
  traces.forEach((t, si) => {
    forEachOverlap(t.steps, strict, (x, y) => {
      const a = c.ids.get(x.activity) as number;
      const b = c.ids.get(y.activity) as number;
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const key = lo * K + hi;
      let acc = found.get(key);
      if (acc === undefined) found.set(key, (acc = { members: [lo, hi], sessions: [], occurrences: 0, saved_ms: 0, overlaps: [] }));
      acc.occurrences++;
      // d(x) + d(y) - |x ∪ y| = the overlap
      acc.overlaps!.push(Math.max(0, Math.min(x.end_ms, y.end_ms) - y.start_ms));
      touch(acc, si);
    });
  });
  for (const acc of found.values()) acc.saved_ms = median(acc.overlaps!);
  return found;
}

/** The reported pattern of a counted candidate. */
function toPattern(kind: ParallelPattern['kind'], a: Acc, c: Corpus, oc: Outcomes, z: number): ParallelPattern {
  // members by name; a pair's dependency is oriented from the first member (by name) to the second
  const named = a.members.map((m) => c.names[m] as string);
  const members = [...named].sort();
  const p: ParallelPattern = {
    members, kind, sessions: a.sessions.length, occurrences: a.occurrences,
    ...outcomeOf(a.sessions, oc, z), saved_ms: a.saved_ms,
  };
  if (a.dependency !== undefined) {
    p.dependency = a.members.length === 2 && named[0] !== members[0] ? -a.dependency : a.dependency;
  }
  return p;
}

// ---- entry point -----------------------------------------------------------------------------

const KIND_ORDER: Record<ParallelPattern['kind'], number> = { observed: 0, 'order-independent': 1, episode: 2 };

/** Mine observed, order-independent and episode patterns; sorted by kind, sessions desc, members. */
export function mineParallel(traces: SessionTrace[], options: ParallelOptions = {}): ParallelPattern[] {
  const min_sessions = options.min_sessions ?? PARALLEL_DEFAULTS.min_sessions;
  const window = Math.max(2, Math.floor(options.window ?? PARALLEL_DEFAULTS.window));
  const o = {
    min_sessions,
    dependency_threshold: options.dependency_threshold ?? PARALLEL_DEFAULTS.dependency_threshold,
    min_order_sessions: options.min_order_sessions ?? Math.max(2, Math.ceil(min_sessions / 4)),
    min_lift: options.min_lift ?? PARALLEL_DEFAULTS.min_lift,
  };
  const z = options.z ?? PARALLEL_DEFAULTS.z;
  const c = intern(traces);
  const oc = outcomes(traces, options);

  const out: ParallelPattern[] = [];
  const emit = (kind: ParallelPattern['kind'], a: Acc): void => {
    if (a.sessions.length >= min_sessions) out.push(toPattern(kind, a, c, oc, z));
  };

  for (const a of mineObserved(traces, c, options.strict_overlap ?? PARALLEL_DEFAULTS.strict_overlap).values()) emit('observed', a);

  const counts = countSequences(c, window);
  const accepted = acceptPairs(c, counts, o);
  const maxSize = options.max_episode_size ?? PARALLEL_DEFAULTS.max_episode_size;
  const triples = collect(c, accepted, window, maxSize >= 3);
  for (const a of accepted.orderIndependent.values()) emit('order-independent', a);
  for (const a of accepted.episodes.values()) emit('episode', a);
  const K = c.names.length;
  for (const t of triples.values()) {
    // all three pairs passed the order test; report the least balanced one
    const [m0, m1, m2] = t.members as [number, number, number];
    t.dependency = Math.max(...[[m0, m1], [m0, m2], [m1, m2]].map(([x, y]) =>
      Math.abs(accepted.episodes.get((x as number) * K + (y as number))?.dependency ?? 0)));
    emit('episode', t);
  }

  const key = (p: ParallelPattern): string => p.members.join('\u0000');
  return out.sort((x, y) => KIND_ORDER[x.kind] - KIND_ORDER[y.kind] || y.sessions - x.sessions ||
    (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
}
