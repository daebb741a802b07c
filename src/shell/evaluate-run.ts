// Held-out evaluation of a learning run: how well the library predicts the next activity on the
// newest sessions, with a model trained on the older ones (metrics/eval.json). It no longer decides
// which patterns are validated: a 25% hold-out of a few hundred sessions cannot reach power, so
// patterns are checked on the sessions recorded after they were first reported instead
// (learn/prospective.ts, in the learning run). Pure, like evaluate() itself.
import type { Config } from '../config/schema.js';
import type { SessionTrace } from '../core/types.js';
import { evaluate, type Evaluation } from '../learn/evaluate.js';
import { evaluatePlans, type PlanEvaluation } from '../orchestrate/evaluate.js';

export interface EvaluationRun {
  /** next-activity prediction, and `plan`: the drafted workflows (orchestrate) against what the newest green sessions did */
  evaluation: Evaluation & { plan: PlanEvaluation };
}

/** `_asOf` is unused (nothing here is weighed by time); report-commands.ts still passes it. */
export function evaluateLearning(traces: readonly SessionTrace[], config: Config, _asOf?: number): EvaluationRun {
  const evaluation = evaluate(traces, {
    test_fraction: config.learn.test_share,
    max_gap: config.learn.max_gap,
    window: config.learn.window,
  });
  return { evaluation: { ...evaluation, plan: evaluatePlans(traces, { test_fraction: config.learn.test_share }) } };
}
