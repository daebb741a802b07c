// The learner: session traces → evidence, sequential patterns that go with passing tests, and
// anti-patterns. Pure and deterministic: the same traces (in any order) and options give the same
// result, `now` is passed in, every list is sorted with a tie-break on names.
//
// Pipeline: sortTraces → encodeTraces (intern activities, main-thread lanes, verdicts per position,
// decay weights) → buildEvidence (one pass) → contiguous PrefixSpan (max gap 1) and gapped PrefixSpan
// (max_gap), both gap/length constrained and guarded, or contiguous n-grams → tally each pattern's
// sessions → rankPatterns (rank.ts documents every formula and rule). Each reported pattern carries
// `max_gap`, the gap its evidence was measured with (1 = contiguous): match it that way.
import type { SessionTrace } from '../core/types.js';
import type { LearnOptions, LearnResult } from './types.js';
import { encodeTraces, sortTraces } from './encoded-log.js';
import { buildEvidence } from './evidence.js';
import { indexItems, mineDeepening, patternSessions, type MiningRun, type Projection, type SequenceDb } from './prefixspan.js';
import { mineNgrams } from './ngrams.js';
import { isTestActivity, signalsOf, tallyProjection, UNKNOWN } from './outcomes.js';
import { recipeFinder } from './recipe.js';
import { DEFAULT_RANK_OPTIONS, rankPatterns, type Candidate, type RankOptions } from './rank.js';
import { Z95 } from './stats.js';

/**
 * Defaults of learn():
 * - min_sessions 20: absolute min support in sessions, for mining and for reporting a pattern (see
 *   also min_share below).
 * - min_known 10: a pattern also needs this many sessions with a known outcome (a test run).
 * - max_gap 5: consecutive pattern steps at most 5 positions apart (1 = contiguous). Contiguous
 *   patterns are mined too, whatever max_gap is.
 * - max_len 4 / min_len 2: pattern length limits (single activities are mined for the sub-pattern
 *   checks and kept in the evidence, but not reported as patterns).
 * - half_life_days 30: a session's weight halves every 30 days of age (age = now - session end).
 * - window 5: eventually-follows window of the evidence table.
 * - top_n 20: length of the sequential and anti lists.
 * - z 1.96: two-sided 95% intervals.
 * - min_uplift 0 / anti_margin 0: a good pattern's uplift lower bound must exceed min_uplift; an
 *   anti-pattern's uplift upper bound must be below -anti_margin.
 * - fdr 0.05: false-discovery rate of the layered Benjamini–Hochberg step (rank.ts; 1 = off).
 * - miner 'prefixspan' ('ngrams' = contiguous patterns only).
 * - max_patterns 20 000: keep at most the 20 000 most frequent patterns (the min support rises on the
 *   fly when there are more; stats.min_support_used says to what).
 * - max_work 5e7: hard cap on positions scanned by each mining run, contiguous and gapped (~1 s on
 *   one core); when hit, that run is complete only up to a shorter pattern length. Either guard
 *   sets stats.truncated.
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

/** Options of learn() that LearnOptions (types.ts) does not have yet; defaults in EXTRA_DEFAULTS. */
export interface LearnExtraOptions {
  /** relative min support: a pattern must occur in at least this share of the sessions too */
  min_share: number;
  /** share of sessions from which an activity counts as ubiquitous (rank.ts step 2) */
  ubiquitous: RankOptions['ubiquitous'];
  /** told each step of naming a recipe (recipe.ts), for debugging and tests */
  recipe_trace?: (what: string, steps: string[]) => void;
}

/**
 * - min_share 0.005: at most 1 pattern in 200 sessions is too rare to advise; at 10 000 sessions the
 *   floor is 50 instead of min_sessions, which halves the learning time at that size.
 * - ubiquitous 0.95: see rank.ts.
 */
export const EXTRA_DEFAULTS: Readonly<LearnExtraOptions> = { min_share: 0.005, ubiquitous: DEFAULT_RANK_OPTIONS.ubiquitous };

export type LearnInput = Partial<LearnOptions> & Partial<LearnExtraOptions> & { now: number };

export function learn(traces: readonly SessionTrace[], options: LearnInput): LearnResult {
  const opts: LearnOptions & LearnExtraOptions = { ...DEFAULT_LEARN_OPTIONS, ...EXTRA_DEFAULTS, ...options };
  const log = encodeTraces(sortTraces(traces), { now: opts.now, half_life_days: opts.half_life_days });
  const evidence = buildEvidence(log, { now: opts.now, half_life_days: opts.half_life_days, window: opts.window });

  const db: SequenceDb = { items: log.acts, offsets: log.offsets, alphabet: log.names.length };
  const visitWith =
    (gap: number) =>
    (items: readonly number[], proj: Projection): Candidate => ({ items: [...items], tally: tallyProjection(log, proj), gap });
  const nSessions = log.final.length;
  // The absolute floor, and a relative one on large corpora: a pattern in fewer than min_share of
  // the sessions is too rare to advise, and mining every such pattern is what costs the time.
  const minSupport = Math.max(opts.min_sessions, Math.ceil(opts.min_share * nSessions));
  const guard = { minSupport, maxLen: opts.max_len, maxPatterns: opts.max_patterns, maxWork: opts.max_work };
  // Contiguous patterns are always mined (cheap: one position per occurrence end), gapped ones
  // too when max_gap > 1. Both are candidates; rank.ts tests them in separate layers.
  const gap = opts.miner === 'ngrams' ? 1 : Math.max(1, Math.floor(opts.max_gap));
  const runs: MiningRun<Candidate>[] = [
    opts.miner === 'ngrams'
      ? mineNgrams(db, { minN: 1, maxN: opts.max_len, minSupport }, visitWith(1))
      : mineDeepening(db, { ...guard, maxGap: 1 }, visitWith(1)),
  ];
  if (gap > 1) runs.push(mineDeepening(db, { ...guard, maxGap: gap }, visitWith(gap)));

  const ubiquitousItem = log.names.map((n) => (evidence.activities[n]?.support.sessions ?? 0) >= opts.ubiquitous * nSessions);
  const index = indexItems(db);
  const candidates = runs.flatMap((r) => r.patterns);
  const minKnown = opts.min_known;
  const mined = new Set(candidates.filter((c) => c.gap === 1 && c.tally.known >= minKnown).map((c) => c.items.join(',')));
  const testItem = log.names.map(isTestActivity);
  const recipes = recipeFinder(
    { log, index, isTest: (item) => testItem[item] === true, exists: (items) => mined.has(items.join(',')), ubiquitous: (item) => ubiquitousItem[item] === true, trace: opts.recipe_trace && ((what, items) => opts.recipe_trace!(what, items.map((i) => log.names[i]!))) },
    { max_len: opts.max_len, max_gap: gap, tests: log.names.flatMap((_, i) => (testItem[i] ? [i] : [])) },
  );
  const { good, anti, tested } = rankPatterns(
    candidates,
    log.names,
    {
      weight: log.weight,
      final: log.final,
      sessions: (items, g) => patternSessions(db, items, g, index, (_sid, end) => log.verdictAt[end] !== UNKNOWN),
      ubiquitous: (item) => ubiquitousItem[item] === true,
      signals: (items, g) => signalsOf(log, patternSessions(db, items, g, index)),
      recipe: recipes.recipeOf,
      isTest: (item) => testItem[item] === true,
    },
    opts,
  );
  const { known, passed } = evidence.totals;
  return {
    sequential: good,
    parallel: [],
    anti,
    evidence,
    stats: {
      sessions: nSessions,
      events: log.acts.length,
      known_sessions: known,
      baseline_pass_rate: known > 0 ? passed / known : null,
      truncated: runs.some((r) => r.truncated),
      min_support_used: Math.max(...runs.map((r) => r.minSupport)),
      max_len_used: Math.min(...runs.map((r) => r.maxLen)),
      patterns_explored: runs.reduce((n, r) => n + r.explored, 0),
      activities: log.names.length,
      tested,
    },
  };
}
