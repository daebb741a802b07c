// Turns what the learner found into ranked advice for injection. Pure.
import type { LearnResult, ParallelPattern, SequentialPattern } from '../learn/types.js';
import type { Advice } from './render.js';

/** Stable id of a pattern: its kind and its steps. Only activity names, so it may be committed. */
export function adviceId(kind: Advice['kind'], steps: readonly string[]): string {
  return `${kind}:${steps.join(kind === 'parallel' ? '+' : '>')}`;
}

function fromSequential(p: SequentialPattern, kind: 'sequence' | 'avoid'): Advice {
  return { id: adviceId(kind, p.steps), kind, steps: [...p.steps], sessions: p.sessions, pass_rate: p.pass_rate, baseline: p.baseline, max_gap: p.max_gap };
}

function fromParallel(p: ParallelPattern): Advice {
  return {
    id: adviceId('parallel', p.members),
    kind: 'parallel',
    steps: [...p.members],
    sessions: p.sessions,
    pass_rate: p.pass_rate,
    baseline: p.baseline,
    saved_ms: p.saved_ms,
  };
}

export interface AdviceOptions {
  /** most items of each kind */
  top: number;
  /** ids the learner demoted because injecting them did not help */
  demoted?: ReadonlySet<string>;
}

/**
 * Ranked advice: good sequences first (the learner's order: strongest evidence first), then
 * observed parallelism that saved time without a lower pass rate, then anti-patterns. Inferred parallelism (order-independent
 * pairs, episodes) is not advice: nobody saw those run at the same time.
 */
export function adviceFromLearn(result: LearnResult, options: AdviceOptions): Advice[] {
  const keep = (a: Advice) => !options.demoted?.has(a.id);
  const sequences = result.sequential.map((p) => fromSequential(p, 'sequence')).filter(keep).slice(0, options.top);
  // Time saved is worth advising only where running things together did not go with worse results.
  const parallel = result.parallel
    .filter((p) => p.kind === 'observed' && p.saved_ms > 0 && (p.pass_rate === null || p.baseline === null || p.pass_rate >= p.baseline))
    .map(fromParallel)
    .filter(keep)
    .slice(0, Math.max(1, Math.floor(options.top / 2)));
  const avoid = result.anti.map((p) => fromSequential(p, 'avoid')).filter(keep).slice(0, Math.max(1, Math.floor(options.top / 2)));
  return [...sequences, ...parallel, ...avoid];
}
