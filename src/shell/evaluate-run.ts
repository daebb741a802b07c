// Held-out evaluation of a learning run: learn on the older sessions only, then check on the
// newest ones whether each pattern's uplift holds and how well the library predicts the next
// activity. Patterns that hold are "validated" in the committed library. Pure apart from the
// learner it calls (which is pure too).
import { patternKey } from '../commit/library.js';
import type { Config } from '../config/schema.js';
import type { SessionTrace } from '../core/types.js';
import { chronologicalSplit, evaluate, type Evaluation, type PatternClaim } from '../learn/evaluate.js';
import type { LearnResult } from '../learn/types.js';
import { learnAll } from './learn-run.js';

export interface EvaluationRun {
  evaluation: Evaluation;
  /** patternKey()s of patterns whose uplift held on the newest sessions */
  validatedKeys: Set<string>;
}

export function claimsOf(result: LearnResult): PatternClaim[] {
  const uplift = (p: { pass_rate: number | null; baseline: number | null }) => (p.pass_rate !== null && p.baseline !== null ? p.pass_rate - p.baseline : 0);
  return [
    // Each pattern is matched the way its evidence was counted: contiguous, or gapped up to max_gap.
    ...result.sequential.map((p) => ({ steps: p.steps, kind: p.max_gap === 1 ? 'contiguous' : 'sequential', uplift_train: p.uplift ?? uplift(p) })),
    ...result.anti.map((p) => ({ steps: p.steps, kind: p.max_gap === 1 ? 'contiguous' : 'anti', uplift_train: p.uplift ?? uplift(p) })),
    ...result.parallel.map((p) => ({ steps: p.members, kind: p.kind, uplift_train: uplift(p) })),
  ];
}

export function evaluateLearning(traces: readonly SessionTrace[], config: Config, now: number): EvaluationRun {
  const { train } = chronologicalSplit(traces, config.learn.test_share);
  const trained = learnAll(train, config, now);
  const evaluation = evaluate(traces, {
    test_fraction: config.learn.test_share,
    patterns: claimsOf(trained),
    max_gap: config.learn.max_gap,
    window: config.learn.window,
  });
  // Only good patterns are validated (anti-patterns have their own folder); an anti claim has uplift < 0.
  const validatedKeys = new Set(evaluation.patterns.filter((p) => p.holds && p.uplift_train > 0).map((p) => patternKey(p.steps)));
  return { evaluation, validatedKeys };
}
