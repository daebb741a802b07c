import { describe, expect, it } from 'vitest';
import type { SessionTrace, Step } from '../src/core/types.js';
import { mineParallel, parallelismSaved, sessionPassed, type ParallelOptions, type ParallelPattern } from '../src/learn/parallel.js';
import { simulateBoth, simulateTraces } from '../src/sim/simulate.js';

function step(activity: string, start: number, end: number, agent: string | null = null): Step {
  return { activity, start_ms: start, end_ms: end, outcome: 'ok', tool_use_id: null, agent, test: null };
}

function testRun(passed: boolean, at: number): Step {
  return {
    ...step('Bash:test', at, at + 5, 'tester'), // in its own lane, so main-thread counts stay as written
    outcome: passed ? 'ok' : 'error',
    test: { runner: 'vitest', passed, counts: { passed: 1, failed: passed ? 0 : 1, skipped: 0, total: 2 } },
  };
}

let nextId = 0;
function trace(steps: Step[], passed: boolean | null = null, endMs?: number): SessionTrace {
  const all = passed === null ? steps : [...steps, testRun(passed, 100_000)];
  all.sort((a, b) => a.start_ms - b.start_ms);
  return {
    session_id: `s${nextId++}`, project: null, start_ms: all[0]?.start_ms ?? 0, end_ms: endMs ?? 100_005,
    steps: all, stop_failures: 0, interrupts: 0, prompts: [],
  };
}

/** Sequential main-thread steps, 10 ms each, 100 ms apart. */
function seq(names: string[], passed: boolean | null = null): SessionTrace {
  return trace(names.map((n, i) => step(n, i * 100, i * 100 + 10)), passed);
}

function times<T>(n: number, make: () => T): T[] {
  return Array.from({ length: n }, make);
}

const key = (p: ParallelPattern): string => `${p.kind}:${p.members.join('+')}`;
const ofKind = (ps: ParallelPattern[], kind: ParallelPattern['kind']): ParallelPattern[] => ps.filter((p) => p.kind === kind);

describe('session outcome and wall-clock savings', () => {
  it('takes the last test run as the session outcome', () => {
    expect(sessionPassed(trace([testRun(false, 10), testRun(true, 50)]))).toBe(true);
    expect(sessionPassed(trace([testRun(true, 10), testRun(false, 50)]))).toBe(false);
    expect(sessionPassed(trace([step('Read', 0, 5)]))).toBeNull();
  });

  it('computes busy, wall and saved time of the main thread', () => {
    // [0,100] ∪ [50,150] ∪ [200,260]: busy 100+100+60 = 260, wall 150+60 = 210; the subagent step is ignored
    const t = trace([step('A', 0, 100), step('B', 50, 150), step('C', 200, 260), step('D', 10, 90, 'Explore')]);
    expect(parallelismSaved([t])).toEqual({ saved_ms: 50, busy_ms: 260, wall_ms: 210 });
    expect(parallelismSaved([t, t])).toEqual({ saved_ms: 100, busy_ms: 520, wall_ms: 420 });
  });
});

describe('observed concurrency', () => {
  // A [0,100] ‖ B [40,160] overlap 60; B ‖ C [150,170] overlap 10; C and D [170,180] touch (overlap 0).
  // E runs inside a subagent during A: nesting in another lane, not a pair.
  const session = (): SessionTrace => trace([
    step('A', 0, 100), step('B', 40, 160), step('C', 150, 170), step('D', 170, 180), step('E', 20, 60, 'Explore'),
  ]);

  it('finds overlapping pairs per lane with their overlap as saved time, per co-occurrence', () => {
    const found = ofKind(mineParallel([session(), session(), session()], { min_sessions: 1 }), 'observed');
    // saved is what running them together saves each time (the median overlap), not a sum that
    // grows with the history ("19710.0 s" for three seconds at a time, as issue 13 found)
    expect(found.map((p) => [p.members.join('+'), p.sessions, p.occurrences, p.saved_ms])).toEqual([
      ['A+B', 3, 3, 60],
      ['B+C', 3, 3, 10],
      ['C+D', 3, 3, 0],
    ]);
    // the median, not the mean: one long overlap does not make a pair look worth more
    const long = trace([step('A', 0, 100), step('B', 0, 100)]);
    const med = ofKind(mineParallel([session(), session(), long], { min_sessions: 1 }), 'observed').find((p) => p.members.join('+') === 'A+B')!;
    expect(med.saved_ms).toBe(60);
    const strict = ofKind(mineParallel([session()], { min_sessions: 1, strict_overlap: true }), 'observed');
    expect(strict.map((p) => p.members.join('+'))).toEqual(['A+B', 'B+C']);
  });

  it('counts concurrency inside one subagent lane', () => {
    const t = trace([step('Agent:Explore', 0, 500), step('Grep', 10, 50, 'Explore'), step('Glob', 12, 40, 'Explore')]);
    const found = ofKind(mineParallel([t], { min_sessions: 1 }), 'observed');
    expect(found.map((p) => [p.members.join('+'), p.saved_ms])).toEqual([['Glob+Grep', 28]]);
  });

  it('scores outcome: pass rate, baseline of the others, Wilson bound, unknowns excluded', () => {
    const pair = (): Step[] => [step('A', 0, 100), step('B', 50, 150)];
    const alone = (): Step[] => [step('A', 0, 100), step('B', 200, 300)];
    const traces = [
      trace(pair(), true), trace(pair(), true), trace(pair(), true), trace(pair(), false),
      trace(alone(), true), trace(alone(), false), trace(alone(), false), trace(alone(), false),
      trace(pair(), null), trace(pair(), null),
    ];
    const p = ofKind(mineParallel(traces, { min_sessions: 1 }), 'observed').find((x) => x.members.join('+') === 'A+B')!;
    expect(p.sessions).toBe(6);
    expect(p.pass_rate).toBe(0.75);
    expect(p.baseline).toBe(0.25);
    // Wilson 95% lower bound of 3/4 by hand: (0.75 + z²/8 - z·sqrt(0.75·0.25/4 + z²/64)) / (1 + z²/4) = 0.30064
    expect(p.bound).toBeCloseTo(0.30064, 4);
    expect(mineParallel(traces, { min_sessions: 7 }).filter((x) => x.kind === 'observed')).toEqual([]);
  });

  it('weighs outcomes by age when a half-life is given', () => {
    const pair = (): Step[] => [step('A', 0, 100), step('B', 50, 150)];
    const H = 1_000_000;
    // passed, ended now (weight 1); failed, ended one half-life ago (weight 1/2): rate 1 / 1.5
    const traces = [trace(pair(), true, 2 * H), trace(pair(), false, H)];
    const p = mineParallel(traces, { min_sessions: 1, now_ms: 2 * H, half_life_ms: H }).find((x) => x.kind === 'observed')!;
    expect(p.pass_rate).toBeCloseTo(2 / 3, 10);
    const plain = mineParallel(traces, { min_sessions: 1 }).find((x) => x.kind === 'observed')!;
    expect(plain.pass_rate).toBe(0.5);
  });
});

describe('order-independent pairs', () => {
  const base: ParallelOptions = { min_sessions: 4, min_order_sessions: 2, min_lift: 0 };

  it('finds a pair seen in both orders with dependency near 0', () => {
    const traces = [...times(3, () => seq(['X', 'A', 'B', 'Y'])), ...times(2, () => seq(['X', 'B', 'A', 'Y'])),
      ...times(5, () => seq(['P', 'Q']))];
    const found = ofKind(mineParallel(traces, base), 'order-independent');
    // |A>B| = 3, |B>A| = 2: dependency (3 - 2) / (3 + 2 + 1) = 1/6; P>Q only, so P,Q is causal
    expect(found.map((p) => [p.members.join('+'), p.sessions, p.occurrences])).toEqual([['A+B', 5, 5]]);
    expect(found[0]!.dependency).toBeCloseTo(1 / 6, 12);
    expect(found[0]!.saved_ms).toBe(0);
  });

  it('rejects an unbalanced pair and a strict sequence', () => {
    // |A>B| = 4, |B>A| = 1: dependency 3/6 = 0.5 > 0.3
    const skewed = [...times(4, () => seq(['A', 'B'])), seq(['B', 'A'])];
    expect(ofKind(mineParallel(skewed, { ...base, min_order_sessions: 1 }), 'order-independent')).toEqual([]);
    expect(ofKind(mineParallel(skewed, { ...base, min_order_sessions: 1, dependency_threshold: 0.5 }), 'order-independent')
      .map((p) => p.members.join('+'))).toEqual(['A+B']);
    // Read → Edit → test always in that order, one reversed Edit,Read: dependency (10-1)/12 = 0.75
    const strict = [...times(10, () => seq(['Read', 'Edit', 'Bash:test'])), seq(['Edit', 'Read'])];
    expect(ofKind(mineParallel(strict, { ...base, min_order_sessions: 1 }), 'order-independent')).toEqual([]);
  });

  it('applies the lift filter', () => {
    // DFG: X>A 3, A>B 3, B>Y 3, X>B 2, B>A 2, A>Y 2 (total 15); out(A) = in(A) = out(B) = in(B) = 5
    // expected A,B adjacency = (5·5 + 5·5) / 15 = 10/3, observed 5: lift 1.5
    const traces = [...times(3, () => seq(['X', 'A', 'B', 'Y'])), ...times(2, () => seq(['X', 'B', 'A', 'Y']))];
    expect(ofKind(mineParallel(traces, { ...base, min_lift: 1.4 }), 'order-independent')).toHaveLength(1);
    expect(ofKind(mineParallel(traces, { ...base, min_lift: 1.6 }), 'order-independent')).toHaveLength(0);
  });

  it('does not count overlapping neighbours as an order', () => {
    // A and B always overlap (a batch): no directly-follows either way, so no order-independent pair
    const batch = (first: string, second: string): SessionTrace => trace([step(first, 0, 100), step(second, 5, 90)]);
    const traces = [...times(3, () => batch('A', 'B')), ...times(3, () => batch('B', 'A'))];
    const found = mineParallel(traces, base);
    expect(ofKind(found, 'order-independent')).toEqual([]);
    expect(ofKind(found, 'observed').map((p) => p.members.join('+'))).toEqual(['A+B']);
  });
});

describe('parallel episodes', () => {
  const base: ParallelOptions = { min_sessions: 4, min_order_sessions: 2, min_lift: 0 };

  it('finds a set within the window in any order, not beyond it', () => {
    const traces = [...times(3, () => seq(['A', 'X', 'B'])), ...times(2, () => seq(['B', 'Y', 'A']))];
    const found = ofKind(mineParallel(traces, { ...base, window: 3 }), 'episode');
    // {A,X} and {X,B} always in one order; {B,Y}, {Y,A} in only 2 sessions
    expect(found.map((p) => [p.members.join('+'), p.sessions, p.occurrences])).toEqual([['A+B', 5, 5]]);
    expect(found[0]!.dependency).toBeCloseTo(1 / 6, 12); // A first in 3 sessions, B first in 2
    expect(ofKind(mineParallel(traces, { ...base, window: 2 }), 'episode')).toEqual([]);
  });

  it('counts minimal occurrences', () => {
    // A B A has two minimal occurrences of {A,B} ([0,1], [1,2]); B A B too; A A B has one ([1,2])
    const traces = [...times(2, () => seq(['A', 'B', 'A'])), ...times(2, () => seq(['B', 'A', 'B'])), seq(['A', 'A', 'B'])];
    const p = ofKind(mineParallel(traces, { ...base, window: 3 }), 'episode').find((x) => x.members.join('+') === 'A+B')!;
    expect(p.sessions).toBe(5);
    expect(p.occurrences).toBe(2 * 2 + 2 * 2 + 1);
  });

  it('is not fooled by a repeated strict sequence', () => {
    // windows see E..R across iterations, but every session starts R before E
    const traces = times(6, () => seq(['R', 'E', 'T', 'R', 'E', 'T']));
    const found = mineParallel(traces, { ...base, window: 5 });
    expect(ofKind(found, 'episode')).toEqual([]);
    expect(ofKind(found, 'order-independent')).toEqual([]);
  });

  it('finds a triple when all its pairs are order-free', () => {
    const perms = [['A', 'B', 'C'], ['B', 'C', 'A'], ['C', 'A', 'B'], ['A', 'C', 'B'], ['B', 'A', 'C'], ['C', 'B', 'A']];
    const traces = perms.map((p) => seq(p));
    const found = ofKind(mineParallel(traces, { ...base, min_sessions: 6, window: 3 }), 'episode');
    // each pair: one member first in 3 sessions, the other in 3: dependency 0
    expect(found.map((p) => [p.members.join('+'), p.sessions, p.occurrences, p.dependency])).toEqual([
      ['A+B', 6, 6, 0], ['A+B+C', 6, 6, 0], ['A+C', 6, 6, 0], ['B+C', 6, 6, 0],
    ]);
    expect(ofKind(mineParallel(traces, { ...base, min_sessions: 6, window: 3, max_episode_size: 2 }), 'episode')).toHaveLength(3);
  });
});

describe('on the simulated corpus', () => {
  const { traces, truth } = simulateBoth({ seed: 21, sessions: 1500, start_ms: Date.UTC(2026, 8, 1) });
  const found = mineParallel(traces, { min_sessions: 20 });
  const N = traces.length;

  it('finds exactly the planted concurrent pairs as observed, with saved time', () => {
    const observed = ofKind(found, 'observed');
    expect(observed.map((p) => p.members.join('+')).sort()).toEqual(truth.concurrent_pairs.map((c) => c.members.join('+')).sort());
    for (const c of truth.concurrent_pairs) {
      const p = observed.find((x) => x.members.join('+') === c.members.join('+'))!;
      expect(p.saved_ms).toBeGreaterThan(0);
      expect(Math.abs(p.sessions / N - c.share)).toBeLessThan(0.05);
    }
    const saved = parallelismSaved(traces);
    expect(saved.saved_ms).toBeGreaterThan(0);
    expect(saved.saved_ms).toBe(saved.busy_ms - saved.wall_ms);
  });

  it('finds exactly the planted order-independent pair, and it is outcome-neutral', () => {
    const oi = ofKind(found, 'order-independent');
    expect(oi.map((p) => p.members.join('+'))).toEqual([truth.order_independent_pair.members.join('+')]);
    const p = oi[0]!;
    expect(Math.abs(p.dependency!)).toBeLessThan(0.15);
    expect(Math.abs(p.sessions / N - truth.order_independent_pair.share)).toBeLessThan(0.05);
    expect(Math.abs(p.pass_rate! - p.baseline!)).toBeLessThan(0.1);
    expect(found.map(key)).toContain(`episode:${truth.order_independent_pair.members.join('+')}`);
  });

  it('never calls the strict planted sequence order-independent or an episode, even without the lift filter', () => {
    const loose = mineParallel(traces, { min_sessions: 20, min_lift: 0 });
    const [r, e, t] = truth.good_sequence.steps as [string, string, string];
    const strictPairs = [[e, r], [t, e], [t, r]].map(([x, y]) => [x, y].sort().join('+'));
    for (const p of loose) {
      if (p.kind === 'observed') continue;
      for (const pair of strictPairs) {
        const [x, y] = pair.split('+') as [string, string];
        expect(p.members.includes(x) && p.members.includes(y), `${key(p)}`).toBe(false);
      }
    }
  });

  it('is deterministic', () => {
    expect(JSON.stringify(mineParallel(traces, { min_sessions: 20 }))).toBe(JSON.stringify(found));
  });
});

describe('throughput', () => {
  it('prints mining time for ~1M simulated events', () => {
    const traces = simulateTraces({ seed: 1, sessions: 11_000, start_ms: Date.UTC(2026, 8, 1) });
    const steps = traces.reduce((n, t) => n + t.steps.length, 0);
    const t0 = performance.now();
    const found = mineParallel(traces);
    const ms = performance.now() - t0;
    expect(found.length).toBeGreaterThan(0);
    console.log(`mineParallel: ${traces.length} sessions, ${steps} steps (~1M hook events) in ${ms.toFixed(0)} ms`);
  }, 120_000);
});
