// Turns what the learner found into ranked advice for injection. Pure.
import { prospectiveKey, type LaterEvidence } from '../learn/prospective.js';
import type { LearnResult, ParallelPattern, SequentialPattern } from '../learn/types.js';
import type { Advice } from './render.js';

/** Stable id of a pattern: its kind and its steps. Only activity names, so it may be committed. */
export function adviceId(kind: Advice['kind'], steps: readonly string[]): string {
  return `${kind}:${steps.join(kind === 'parallel' ? '+' : '>')}`;
}

function fromSequential(p: SequentialPattern, kind: 'sequence' | 'avoid', later: AdviceOptions['later']): Advice | null {
  const e = later?.get(prospectiveKey(kind === 'sequence' ? 'good' : 'anti', p.steps));
  if (e?.state === 'retired') return null; // later sessions contradict it: not advice any more
  const a: Advice = { id: adviceId(kind, p.steps), kind, steps: [...p.steps], sessions: p.sessions, pass_rate: p.pass_rate, baseline: p.baseline, max_gap: p.max_gap };
  if (e && (e.state === 'validated' || e.state === 'weakened')) a.later = { state: e.state, sessions: e.with + e.without };
  return a;
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
  /** what the sessions after each pattern's first report say, by prospectiveKey: retired ones are left out */
  later?: ReadonlyMap<string, LaterEvidence>;
}

/**
 * Ranked advice: good sequences first (the learner's order: strongest evidence first), then
 * observed parallelism that saved time without a lower pass rate, then anti-patterns. Inferred parallelism (order-independent
 * pairs, episodes) is not advice: nobody saw those run at the same time.
 */
export function adviceFromLearn(result: LearnResult, options: AdviceOptions): Advice[] {
  const keep = (a: Advice | null): a is Advice => a !== null && !options.demoted?.has(a.id);
  const sequences = result.sequential.map((p) => fromSequential(p, 'sequence', options.later)).filter(keep).slice(0, options.top);
  // Time saved is worth advising only where running things together did not go with worse results.
  const parallel = result.parallel
    .filter((p) => p.kind === 'observed' && p.saved_ms > 0 && (p.pass_rate === null || p.baseline === null || p.pass_rate >= p.baseline))
    .map(fromParallel)
    .filter(keep)
    .slice(0, Math.max(1, Math.floor(options.top / 2)));
  const avoid = result.anti.map((p) => fromSequential(p, 'avoid', options.later)).filter(keep).slice(0, Math.max(1, Math.floor(options.top / 2)));
  return [...sequences, ...parallel, ...avoid];
}
