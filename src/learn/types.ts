// Shapes of the learner's output and of its serialisable evidence. Pure types.
// Everything here is JSON-serialisable and keyed by activity NAME: integer ids are only an
// in-memory detail of one learn() run (see encoded-log.ts).

/**
 * Session-level counts for one activity, edge or pattern. Additive across disjoint sets of sessions.
 * `passed` is judged at the item's last occurrence (outcomes.ts: the next test run after it, else the
 * session's last test run); `passed_final` is the session's own final verdict, needed to compute the
 * baseline of the sessions WITHOUT the item. `w_*` are the same counts with each session weighted by
 * its time decay (2^(-age/half_life), age measured from the evidence's `as_of`).
 */
export interface Support {
  sessions: number;
  /** sessions with at least one test run (outcome known) */
  known: number;
  passed: number;
  passed_final: number;
  w_sessions: number;
  w_known: number;
  w_passed: number;
  w_passed_final: number;
}

/** Step durations (end - start). `hist[i]` counts durations d with 2^(i-1) <= d < 2^i ms (hist[0]: d < 1 ms). */
export interface DurationStats {
  count: number;
  total_ms: number;
  max_ms: number;
  hist: number[];
}

export interface ActivityEvidence {
  /** occurrences (steps) */
  count: number;
  /** sessions whose first / last step is this activity */
  starts: number;
  ends: number;
  /** steps that ended in 'error' / 'interrupted' / 'blocked' or 'denied' (secondary signals) */
  errors: number;
  interrupted: number;
  refused: number;
  support: Support;
  duration: DurationStats;
}

export interface PairEvidence {
  /** directly-follows occurrences a > b */
  df: number;
  /** eventually-follows occurrences: b within `window` steps after a (includes df) */
  ef: number;
  df_support: Support | null;
  ef_support: Support | null;
}

/** The additive evidence table. Merge with mergeEvidence(); serialise with JSON.stringify. */
export interface Evidence {
  version: 1;
  /** time (ms) the w_* weights refer to */
  as_of: number;
  half_life_days: number;
  window: number;
  /** totals over all sessions (`passed` == `passed_final` here) */
  totals: Support;
  /** steps */
  events: number;
  activities: Record<string, ActivityEvidence>;
  /** pairs[a][b]: a followed by b */
  pairs: Record<string, Record<string, PairEvidence>>;
}

/** A sequential pattern with its evidence. See rank.ts for every formula. */
export interface SequentialPattern {
  steps: string[];
  /** the gap its evidence was measured with: 1 = contiguous steps; match it the same way */
  max_gap: number;
  /** sessions containing the pattern (raw count) */
  sessions: number;
  /** of those, sessions with a known outcome, and how many passed after the pattern (raw counts) */
  known: number;
  passed: number;
  /** time-decayed pass rate after the pattern, w_passed / w_known; null when no known outcome */
  pass_rate: number | null;
  /** Wilson interval of pass_rate on the decayed counts */
  pass_lower: number | null;
  pass_upper: number | null;
  /** decayed pass rate of the known sessions WITHOUT the pattern; null when there are none */
  baseline: number | null;
  /** pass_rate - baseline */
  uplift: number | null;
  /** Newcombe lower bound of the uplift (good patterns) or upper bound (anti-patterns) */
  bound: number | null;
  /** two-sided p-value of the two-proportion z-test against the baseline (decayed counts) */
  p_value: number | null;
  /** ranking key, larger = stronger evidence (good: bound; anti: -bound) */
  score: number;
  /** earliest session start / latest session end among the sessions containing it (ms) */
  first_seen: number;
  last_seen: number;
  /** sum of decay weights of the sessions containing it */
  support_weighted: number;
  /** secondary signals, never mixed into pass_rate */
  error_rate: number;
  interrupted_sessions: number;
  stop_failure_sessions: number;
}

/** A parallel pattern (parallel.ts mines them): three kinds kept apart, see there. */
export interface ParallelPattern {
  members: string[];
  kind: 'observed' | 'order-independent' | 'episode';
  sessions: number;
  occurrences: number;
  pass_rate: number | null;
  baseline: number | null;
  bound: number | null;
  saved_ms: number;
  dependency?: number;
}

export type Miner = 'prefixspan' | 'ngrams';

/**
 * Options of learn(). Defaults in DEFAULT_LEARN_OPTIONS (learn.ts), where each is documented.
 */
export interface LearnOptions {
  now: number;
  min_sessions: number;
  min_known: number;
  max_gap: number;
  max_len: number;
  min_len: number;
  half_life_days: number;
  window: number;
  top_n: number;
  z: number;
  min_uplift: number;
  anti_margin: number;
  fdr: number;
  miner: Miner;
  max_patterns: number;
  max_work: number;
}

export interface LearnStats {
  sessions: number;
  /** steps over all sessions */
  events: number;
  known_sessions: number;
  /** raw pass rate of the known sessions (final verdicts); null when none is known */
  baseline_pass_rate: number | null;
  /** true when the miner hit max_patterns (min support raised) or max_work (shorter max length) */
  truncated: boolean;
  /** the absolute min support the patterns are complete for (> min_sessions when truncated) */
  min_support_used: number;
  /** the pattern length the patterns are complete up to (< max_len when out of work) */
  max_len_used: number;
  /** patterns the miner visited, over all its deepening runs */
  patterns_explored: number;
  /** distinct activities */
  activities: number;
  /** candidates that reached the outcome tests (the Benjamini–Hochberg family size) */
  tested: number;
}

export interface LearnResult {
  sequential: SequentialPattern[];
  parallel: ParallelPattern[];
  anti: SequentialPattern[];
  evidence: Evidence;
  stats: LearnStats;
}
