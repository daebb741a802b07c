// Held-out evaluation of the learner (docs/pattern-mining.md §3, §3.1). Pure, deterministic,
// JSON-serialisable (the result is committed to metrics/eval.json).
//
// Split: sessions ordered by start (ties by session_id); the newest `test_fraction` (default 25%)
// are the test split, the rest train. split_ms = start of the first test session.
//
// Next-activity prediction: for every test session, every prefix of its main-thread steps (agent ===
// null), including the empty one, predicts the next activity: a session of n steps gives n
// predictions. top1/top3 = share of predictions whose true next activity is first / in the first
// three. Models (see predict.ts): most_frequent (order 0), markov1 (order 1, argmax), model (contexts
// up to 3 activities, interpolated with shorter ones). Also reported by prefix length.
//
// Pattern check: for each claimed pattern {steps, kind?, uplift_train}, the test sessions with a
// known outcome (last test run, see parallel.ts) are split into with / without the pattern; uplift_test
// = pass rate with - pass rate without. How a pattern "occurs" depends on its kind:
//   'ngram' | 'contiguous'     contiguous run of main-thread steps
//   'observed'                 every pair of members overlaps in time in one lane (as mineParallel)
//   'order-independent'        two members directly follow each other on the main thread, either
//                              order, neighbours not overlapping (as mineParallel)
//   'episode' | 'parallel'     all members within `window` consecutive main-thread steps, any order
//   anything else              (e.g. 'sequence', 'prefixspan', undefined) a gapped subsequence of
//                              the main thread: consecutive pattern steps at positions p < q with
//                              q - p <= max_gap (max_gap 1 = contiguous; default 5)
// holds = both groups have at least min_support known sessions, uplift_test has the sign of
// uplift_train, and a one-sided two-proportion z-test in that direction gives p <= alpha. A pattern
// with uplift_train = 0 claims nothing and never holds. With alpha 0.05, a pattern with no real
// effect holds in about 5% of splits.

import { round as roundTo } from '../core/round.js';
import type { SessionTrace, Step } from '../core/types.js';
import { forEachOverlap } from './lanes.js';
import { sessionPassed } from './parallel.js';
import { NgramPredictor } from './predict.js';
import { twoProportionPOneSided } from './stats.js';

export interface PatternClaim {
  steps: string[];
  kind?: string;
  uplift_train: number;
}

export interface PatternCheck {
  steps: string[];
  kind: string | null;
  matching: 'contiguous' | 'gapped' | 'window' | 'adjacent-any-order' | 'overlap';
  uplift_train: number;
  /** known-outcome test sessions with / without the pattern */
  test_with: number;
  test_without: number;
  pass_with: number | null;
  pass_without: number | null;
  uplift_test: number | null;
  p_value: number | null;
  holds: boolean;
}

export interface Accuracy {
  top1: number;
  top3: number;
}

export interface PrefixBucket {
  /** prefix lengths covered, inclusive; max null = no upper bound */
  min: number;
  max: number | null;
  prefixes: number;
  model: Accuracy;
  most_frequent: Accuracy;
  markov1: Accuracy;
}

export interface Evaluation {
  train_sessions: number;
  test_sessions: number;
  split_ms: number | null;
  next_activity: {
    prefixes: number;
    model: Accuracy;
    most_frequent: Accuracy;
    markov1: Accuracy;
    by_prefix_length: PrefixBucket[];
  };
  patterns: PatternCheck[];
  options: ResolvedOptions;
}

export interface EvaluateOptions {
  /** share of sessions (newest) held out; default 0.25 */
  test_fraction?: number;
  /** order of our model; default 3 */
  max_order?: number;
  /** how our model combines context lengths (predict.ts); default 'interpolated' */
  method?: 'interpolated' | 'backoff';
  /** minimum training count of a context before our model uses it; default 1 */
  min_context_count?: number;
  patterns?: PatternClaim[];
  /** gapped matching: largest position difference between consecutive pattern steps; default 5 */
  max_gap?: number;
  /** episode matching window, in steps; default 5 */
  window?: number;
  /** significance level of the holds test; default 0.05 */
  alpha?: number;
  /** known test sessions needed in each group; default 5 */
  min_support?: number;
}

export type ResolvedOptions = Required<Omit<EvaluateOptions, 'patterns'>>;

export const EVALUATE_DEFAULTS: ResolvedOptions = {
  test_fraction: 0.25,
  max_order: 3,
  method: 'interpolated',
  min_context_count: 1,
  max_gap: 5,
  window: 5,
  alpha: 0.05,
  min_support: 5,
};

/** Numbers in the committed JSON are rounded so that reruns diff cleanly. */
const round = (x: number): number => roundTo(x, 6);

// ---- split -----------------------------------------------------------------------------------

export function chronologicalSplit(traces: readonly SessionTrace[], testFraction: number):
  { train: SessionTrace[]; test: SessionTrace[]; split_ms: number | null } {
  const ordered = [...traces].sort((a, b) => a.start_ms - b.start_ms ||
    (a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0));
  let nTest = Math.round(ordered.length * Math.min(1, Math.max(0, testFraction)));
  // Both sides non-empty whenever there are two sessions and a non-zero fraction.
  if (ordered.length >= 2 && testFraction > 0) nTest = Math.min(ordered.length - 1, Math.max(1, nTest));
  const cut = ordered.length - nTest;
  const test = ordered.slice(cut);
  return { train: ordered.slice(0, cut), test, split_ms: test.length > 0 ? (test[0] as SessionTrace).start_ms : null };
}

// ---- matching --------------------------------------------------------------------------------

function mainSteps(t: SessionTrace): Step[] {
  return t.steps.filter((s) => s.agent === null);
}

function matchingOf(kind: string | undefined): PatternCheck['matching'] {
  switch (kind) {
    case 'ngram':
    case 'contiguous':
      return 'contiguous';
    case 'observed':
      return 'overlap';
    case 'order-independent':
      return 'adjacent-any-order';
    case 'episode':
    case 'parallel':
      return 'window';
    default:
      return 'gapped';
  }
}

/** Gapped subsequence: consecutive pattern steps at most maxGap positions apart (1 = contiguous). */
export function containsGapped(seq: readonly string[], pattern: readonly string[], maxGap: number): boolean {
  const m = pattern.length;
  if (m === 0) return true;
  // lastEnd[k] = latest position where pattern[0..k] can end; the latest end of the prefix is the
  // best one for the next step, because the gap bound only limits how far back it may be.
  const lastEnd = new Array<number>(m).fill(-1);
  for (let q = 0; q < seq.length; q++) {
    for (let k = m - 1; k >= 0; k--) {
      if (seq[q] !== pattern[k]) continue;
      if (k === 0) lastEnd[0] = q;
      else {
        const p = lastEnd[k - 1] as number;
        if (p >= 0 && q - p <= maxGap) lastEnd[k] = q;
      }
    }
    if ((lastEnd[m - 1] as number) >= 0) return true;
  }
  return false;
}

/** All members (a multiset) within `window` consecutive positions, any order. */
export function containsWithinWindow(seq: readonly string[], members: readonly string[], window: number): boolean {
  if (members.length === 0) return true;
  const need = new Map<string, number>();
  for (const m of members) need.set(m, (need.get(m) ?? 0) + 1);
  const have = new Map<string, number>();
  let satisfied = 0;
  const w = Math.max(1, window);
  for (let j = 0; j < seq.length; j++) {
    const add = seq[j] as string;
    if (need.has(add)) {
      const h = (have.get(add) ?? 0) + 1;
      have.set(add, h);
      if (h === need.get(add)) satisfied++;
    }
    const drop = j - w >= 0 ? (seq[j - w] as string) : undefined;
    if (drop !== undefined && need.has(drop)) {
      const h = (have.get(drop) as number) - 1;
      have.set(drop, h);
      if (h === (need.get(drop) as number) - 1) satisfied--;
    }
    if (satisfied === need.size) return true;
  }
  return false;
}

function containsAdjacentAnyOrder(steps: readonly Step[], a: string, b: string): boolean {
  for (let i = 0; i + 1 < steps.length; i++) {
    const x = steps[i] as Step;
    const y = steps[i + 1] as Step;
    if (y.start_ms <= x.end_ms) continue; // overlapping neighbours are concurrency, not order
    if ((x.activity === a && y.activity === b) || (x.activity === b && y.activity === a)) return true;
  }
  return false;
}

function concurrentPairs(t: SessionTrace): Set<string> {
  const out = new Set<string>();
  forEachOverlap(t.steps, false, (x, y) => out.add([x.activity, y.activity].sort().join('\u0000')));
  return out;
}

/** Does the session contain the pattern, under the matching its kind implies (see the header)? */
export function sessionContains(t: SessionTrace, claim: Pick<PatternClaim, 'steps' | 'kind'>,
  o: { max_gap: number; window: number }): boolean {
  const main = mainSteps(t);
  const seq = main.map((s) => s.activity);
  switch (matchingOf(claim.kind)) {
    case 'contiguous':
      return containsGapped(seq, claim.steps, 1);
    case 'gapped':
      return containsGapped(seq, claim.steps, o.max_gap);
    case 'window':
      return containsWithinWindow(seq, claim.steps, o.window);
    case 'adjacent-any-order':
      return claim.steps.length === 2 && containsAdjacentAnyOrder(main, claim.steps[0] as string, claim.steps[1] as string);
    case 'overlap': {
      const pairs = concurrentPairs(t);
      const m = claim.steps;
      for (let i = 0; i < m.length; i++) {
        for (let j = i + 1; j < m.length; j++) {
          if (!pairs.has([m[i] as string, m[j] as string].sort().join('\u0000'))) return false;
        }
      }
      return m.length >= 2;
    }
  }
}

export interface UpliftCounts {
  with: number;
  without: number;
  passed_with: number;
  passed_without: number;
  uplift: number | null;
}

/** Pass counts of known-outcome sessions with and without the pattern. */
export function patternUplift(traces: readonly SessionTrace[], claim: Pick<PatternClaim, 'steps' | 'kind'>,
  o: { max_gap?: number; window?: number } = {}): UpliftCounts {
  const m = { max_gap: o.max_gap ?? EVALUATE_DEFAULTS.max_gap, window: o.window ?? EVALUATE_DEFAULTS.window };
  const r = { with: 0, without: 0, passed_with: 0, passed_without: 0 };
  for (const t of traces) {
    const passed = sessionPassed(t);
    if (passed === null) continue;
    if (sessionContains(t, claim, m)) {
      r.with++;
      if (passed) r.passed_with++;
    } else {
      r.without++;
      if (passed) r.passed_without++;
    }
  }
  const uplift = r.with > 0 && r.without > 0 ? r.passed_with / r.with - r.passed_without / r.without : null;
  return { ...r, uplift };
}

function checkPattern(test: readonly SessionTrace[], claim: PatternClaim, o: ResolvedOptions): PatternCheck {
  const u = patternUplift(test, claim, o);
  const sign: 1 | -1 = claim.uplift_train >= 0 ? 1 : -1;
  const pValue = twoProportionPOneSided(u.passed_with, u.with, u.passed_without, u.without, sign);
  const holds = claim.uplift_train !== 0 && u.with >= o.min_support && u.without >= o.min_support &&
    u.uplift !== null && Math.sign(u.uplift) === sign && pValue !== null && pValue <= o.alpha;
  return {
    steps: [...claim.steps],
    kind: claim.kind ?? null,
    matching: matchingOf(claim.kind),
    uplift_train: round(claim.uplift_train),
    test_with: u.with,
    test_without: u.without,
    pass_with: u.with > 0 ? round(u.passed_with / u.with) : null,
    pass_without: u.without > 0 ? round(u.passed_without / u.without) : null,
    uplift_test: u.uplift === null ? null : round(u.uplift),
    p_value: pValue === null ? null : round(pValue),
    holds,
  };
}

// ---- next-activity accuracy ------------------------------------------------------------------

const BUCKETS: readonly [number, number | null][] = [[0, 0], [1, 4], [5, 9], [10, 19], [20, null]];
const MODELS = ['model', 'most_frequent', 'markov1'] as const;
type ModelName = (typeof MODELS)[number];

interface Tally {
  prefixes: number;
  top1: Record<ModelName, number>;
  top3: Record<ModelName, number>;
}

function tally(): Tally {
  return { prefixes: 0, top1: { model: 0, most_frequent: 0, markov1: 0 }, top3: { model: 0, most_frequent: 0, markov1: 0 } };
}

function accuracy(t: Tally, m: ModelName): Accuracy {
  return t.prefixes > 0 ? { top1: round(t.top1[m] / t.prefixes), top3: round(t.top3[m] / t.prefixes) } : { top1: 0, top3: 0 };
}

function nextActivity(train: readonly SessionTrace[], test: readonly SessionTrace[], o: ResolvedOptions):
  Evaluation['next_activity'] {
  const seqs = train.map((t) => mainSteps(t).map((s) => s.activity));
  const models: Record<ModelName, NgramPredictor> = {
    model: NgramPredictor.train(seqs, { max_order: o.max_order, method: o.method, min_context_count: o.min_context_count }),
    most_frequent: NgramPredictor.train(seqs, { max_order: 0 }),
    markov1: NgramPredictor.train(seqs, { max_order: 1 }),
  };
  const all = tally();
  const buckets = BUCKETS.map(tally);
  for (const t of test) {
    const seq = mainSteps(t).map((s) => s.activity);
    for (let i = 0; i < seq.length; i++) {
      // Only the last 3 activities matter to any model (a shorter prefix means "session start").
      const prefix = seq.slice(Math.max(0, i - 3), i);
      const truth = seq[i] as string;
      const bi = BUCKETS.findIndex(([lo, hi]) => i >= lo && (hi === null || i <= hi));
      const bucket = buckets[bi] as Tally;
      all.prefixes++;
      bucket.prefixes++;
      for (const m of MODELS) {
        const ranked = models[m].predict(prefix, 3);
        if (ranked[0] === truth) {
          all.top1[m]++;
          bucket.top1[m]++;
        }
        if (ranked.includes(truth)) {
          all.top3[m]++;
          bucket.top3[m]++;
        }
      }
    }
  }
  return {
    prefixes: all.prefixes,
    model: accuracy(all, 'model'),
    most_frequent: accuracy(all, 'most_frequent'),
    markov1: accuracy(all, 'markov1'),
    by_prefix_length: BUCKETS.map(([min, max], i) => {
      const b = buckets[i] as Tally;
      return { min, max, prefixes: b.prefixes, model: accuracy(b, 'model'),
        most_frequent: accuracy(b, 'most_frequent'), markov1: accuracy(b, 'markov1') };
    }),
  };
}

// ---- entry point -----------------------------------------------------------------------------

export function evaluate(traces: readonly SessionTrace[], options: EvaluateOptions = {}): Evaluation {
  const o: ResolvedOptions = {
    test_fraction: options.test_fraction ?? EVALUATE_DEFAULTS.test_fraction,
    max_order: options.max_order ?? EVALUATE_DEFAULTS.max_order,
    method: options.method ?? EVALUATE_DEFAULTS.method,
    min_context_count: options.min_context_count ?? EVALUATE_DEFAULTS.min_context_count,
    max_gap: options.max_gap ?? EVALUATE_DEFAULTS.max_gap,
    window: options.window ?? EVALUATE_DEFAULTS.window,
    alpha: options.alpha ?? EVALUATE_DEFAULTS.alpha,
    min_support: options.min_support ?? EVALUATE_DEFAULTS.min_support,
  };
  const { train, test, split_ms } = chronologicalSplit(traces, o.test_fraction);
  return {
    train_sessions: train.length,
    test_sessions: test.length,
    split_ms,
    next_activity: nextActivity(train, test, o),
    patterns: (options.patterns ?? []).map((p) => checkPattern(test, p, o)),
    options: o,
  };
}
