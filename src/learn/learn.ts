// The learner: session traces → evidence, sequential patterns that go with passing tests, and
// anti-patterns. Pure and deterministic: the same traces (in any order) and options give the same
// result, `now` is passed in, every list is sorted with a tie-break on names.
//
// Pipeline: sortTraces → encodeTraces (intern activities, outcomes per position, decay weights)
// → buildEvidence (one pass) → PrefixSpan (gap/length constrained, guarded) or n-grams → tally each
// pattern's sessions → closedness → rankPatterns (rank.ts documents every formula).
import type { SessionTrace } from '../core/types.js';
import type { LearnOptions, LearnResult } from './types.js';
import { encodeTraces, sortTraces } from './intern.js';
import { buildEvidence } from './evidence.js';
import { mineDeepening, projectPattern, type MiningRun, type Projection, type SequenceDb } from './prefixspan.js';
import { mineNgrams } from './ngrams.js';
import { signalsOf, tallyProjection } from './outcomes.js';
import { rankPatterns, type Candidate } from './rank.js';
import { Z95 } from './stats.js';

/**
 * Defaults of learn():
 * - min_sessions 20: absolute min support in sessions, for mining and for reporting a pattern.
 * - min_known 10: a pattern also needs this many sessions with a known outcome (a test run).
 * - max_gap 5: consecutive pattern steps at most 5 positions apart (1 = contiguous).
 * - max_len 4 / min_len 2: pattern length limits (single activities are mined for the sub-pattern
 *   checks and kept in the evidence, but not reported as patterns).
 * - half_life_days 30: a session's weight halves every 30 days of age (age = now - session end).
 * - window 5: eventually-follows window of the evidence table.
 * - top_n 20: length of the sequential and anti lists.
 * - z 1.96: two-sided 95% intervals.
 * - min_uplift 0 / anti_margin 0: a good pattern's uplift lower bound must exceed min_uplift; an
 *   anti-pattern's uplift upper bound must be below -anti_margin.
 * - fdr 0.05: Benjamini–Hochberg false-discovery rate over all tested candidates (1 = off).
 * - miner 'prefixspan' ('ngrams' = contiguous patterns only).
 * - max_patterns 20 000: keep at most the 20 000 most frequent patterns (the min support rises on the
 *   fly when there are more; stats.min_support_used says to what).
 * - max_work 5e7: hard cap on positions scanned by the miner (~1 s on one core); when hit, the
 *   result is complete only up to a shorter pattern length. Either guard sets stats.truncated.
 */
export const DEFAULT_LEARN_OPTIONS: Readonly<Omit<LearnOptions, 'now'>> = {
  min_sessions: 20,
  min_known: 10,
  max_gap: 5,
  max_len: 4,
  min_len: 2,
  half_life_days: 30,
  window: 5,
  top_n: 20,
  z: Z95,
  min_uplift: 0,
  anti_margin: 0,
  fdr: 0.05,
  miner: 'prefixspan',
  max_patterns: 20_000,
  max_work: 50_000_000,
};

export function learn(traces: readonly SessionTrace[], options: Partial<LearnOptions> & { now: number }): LearnResult {
  const opts: LearnOptions = { ...DEFAULT_LEARN_OPTIONS, ...options };
  const log = encodeTraces(sortTraces(traces), { now: opts.now, half_life_days: opts.half_life_days });
  const evidence = buildEvidence(log, { now: opts.now, half_life_days: opts.half_life_days, window: opts.window });

  const db: SequenceDb = { items: log.acts, offsets: log.offsets, alphabet: log.names.length };
  const visit = (items: readonly number[], proj: Projection): Candidate => ({
    items: [...items],
    tally: tallyProjection(log, proj),
  });
  const run: MiningRun<Candidate> =
    opts.miner === 'ngrams'
      ? mineNgrams(db, { minN: 1, maxN: opts.max_len, minSupport: opts.min_sessions }, visit)
      : mineDeepening(
          db,
          {
            minSupport: opts.min_sessions,
            maxGap: opts.max_gap,
            maxLen: opts.max_len,
            maxPatterns: opts.max_patterns,
            maxWork: opts.max_work,
          },
          visit,
        );

  // over all sessions, `passed` is the final verdict
  const { known, passed, w_known, w_passed } = evidence.totals;
  // n-grams are contiguous: their projection is the gap-1 one
  const gap = opts.miner === 'ngrams' ? 1 : opts.max_gap;
  const { good, anti, tested } = rankPatterns(run.patterns, log.names, { w_known, w_passed }, opts, (items) =>
    signalsOf(log, projectPattern(db, items, gap).sids),
  );
  return {
    sequential: good,
    parallel: [],
    anti,
    evidence,
    stats: {
      sessions: log.final.length,
      events: log.acts.length,
      known_sessions: known,
      baseline_pass_rate: known > 0 ? passed / known : null,
      truncated: run.truncated,
      min_support_used: run.minSupport,
      max_len_used: run.maxLen,
      patterns_explored: run.explored,
      activities: log.names.length,
      tested,
    },
  };
}
