import { describe, expect, it } from 'vitest';
import type { SessionTrace, Step } from '../src/core/types.js';
import {
  chronologicalSplit, containsGapped, containsWithinWindow, evaluate, patternUplift, sessionContains,
  type PatternClaim,
} from '../src/learn/evaluate.js';
import { phi, twoProportionPOneSided } from '../src/learn/stats.js';
import { NgramPredictor } from '../src/learn/predict.js';
import { simulateTraces } from '../src/sim/simulate.js';

const DAY = 86_400_000;

function step(activity: string, start: number, end: number, agent: string | null = null): Step {
  return { activity, start_ms: start, end_ms: end, outcome: 'ok', tool_use_id: null, agent, test: null };
}

/** Main-thread session of sequential steps; `passed` adds a final test run in a side lane. */
function session(id: string, startMs: number, names: string[], passed: boolean | null = null): SessionTrace {
  const steps = names.map((n, i) => step(n, startMs + i * 100, startMs + i * 100 + 10));
  if (passed !== null) {
    steps.push({
      ...step('Bash:test', startMs + 50_000, startMs + 50_010, 'tester'),
      outcome: passed ? 'ok' : 'error',
      test: { runner: 'vitest', passed, counts: { passed: 1, failed: passed ? 0 : 1, skipped: 0, total: 2 } },
    });
  }
  return { session_id: id, project: null, start_ms: startMs, end_ms: startMs + 60_000, steps, stop_failures: 0, interrupts: 0, prompts: [] };
}

describe('chronological split', () => {
  it('holds out the newest sessions, whatever the input order', () => {
    const traces = [5, 1, 7, 3, 0, 6, 2, 4].map((d) => session(`s${d}`, d * DAY, ['A']));
    const { train, test, split_ms } = chronologicalSplit(traces, 0.25);
    expect(train.map((t) => t.session_id)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
    expect(test.map((t) => t.session_id)).toEqual(['s6', 's7']);
    expect(split_ms).toBe(6 * DAY);
    // equal starts are ordered by session id
    const tie = chronologicalSplit([session('b', 0, ['A']), session('a', 0, ['A'])], 0.5);
    expect(tie.train.map((t) => t.session_id)).toEqual(['a']);
    // both sides non-empty as soon as there are two sessions
    expect(chronologicalSplit(traces.slice(0, 2), 0.1).test).toHaveLength(1);
    expect(chronologicalSplit([], 0.25)).toEqual({ train: [], test: [], split_ms: null });
  });
});

describe('next-activity prediction, by hand', () => {
  // train: A B C twice, D B E twice. test: D B E.
  const train = [['A', 'B', 'C'], ['A', 'B', 'C'], ['D', 'B', 'E'], ['D', 'B', 'E']];

  it('ranks like the hand-computed models', () => {
    const mf = NgramPredictor.train(train, { max_order: 0 });
    const mk = NgramPredictor.train(train, { max_order: 1 });
    const ours = NgramPredictor.train(train, { max_order: 3, method: 'interpolated' });
    // frequencies: B 4, then A C D E 2 each (ties by name)
    expect(mf.predict(['D', 'B'], 3)).toEqual(['B', 'A', 'C']);
    // after B: C 2, E 2 (C by name), then frequency fills: B
    expect(mk.predict(['D', 'B'], 3)).toEqual(['C', 'E', 'B']);
    // session start: A 2, D 2
    expect(mk.predict([], 3)).toEqual(['A', 'D', 'B']);
    // context [D, B] was always followed by E: P(E) = 0.357 > P(C) = 0.184 (α = 20, see below)
    expect(ours.predict(['D', 'B'], 1)).toEqual(['E']);
    // at session start A and D tie at every order (0.307 each), B follows (0.193)
    expect(ours.predict([], 3)).toEqual(['A', 'D', 'B']);
    // an unseen activity in the context leaves only [B] (C 2, E 2 of 4) over frequency (B 4/12, C 2/12):
    // P(B) = (0 + 20·4/12) / 24 = 0.278 beats P(C) = P(E) = (2 + 20·2/12) / 24 = 0.222: 4 observations
    // are weak against a prior worth 20
    expect(ours.predict(['Z', 'B'], 3)).toEqual(['B', 'C', 'E']);
    expect(NgramPredictor.train(train, { max_order: 3, method: 'interpolated', prior_strength: 1 }).predict(['Z', 'B'], 3))
      .toEqual(['C', 'E', 'B']);
  });

  it('reports top-1 / top-3 accuracy over every prefix of the test sessions', () => {
    const traces = [
      ...train.map((names, i) => session(`t${i}`, i * DAY, names)),
      session('test', 10 * DAY, ['D', 'B', 'E']),
    ];
    const e = evaluate(traces, { test_fraction: 0.2 });
    expect(e.train_sessions).toBe(4);
    expect(e.test_sessions).toBe(1);
    expect(e.split_ms).toBe(10 * DAY);
    expect(e.next_activity.prefixes).toBe(3);
    // most frequent predicts B,A,C each time: hits B (pos 1) only
    expect(e.next_activity.most_frequent).toEqual({ top1: 0.333333, top3: 0.333333 });
    // Markov: start → [A,D,B] (D in top 3), D → B, B → [C,E,B] (E in top 3)
    expect(e.next_activity.markov1).toEqual({ top1: 0.333333, top3: 1 });
    // ours: start → [A,D,B], [D] → B, [D,B] → E
    expect(e.next_activity.model).toEqual({ top1: 0.666667, top3: 1 });
    const buckets = e.next_activity.by_prefix_length;
    expect(buckets.map((b) => b.prefixes)).toEqual([1, 2, 0, 0, 0]);
    expect(buckets[1]!.model).toEqual({ top1: 1, top3: 1 });
  });
});

describe('pattern matching', () => {
  it('matches gapped subsequences with a maximum gap', () => {
    expect(containsGapped(['A', 'X', 'B'], ['A', 'B'], 1)).toBe(false);
    expect(containsGapped(['A', 'X', 'B'], ['A', 'B'], 2)).toBe(true);
    // needs the latest A, not the first one
    expect(containsGapped(['A', 'X', 'X', 'X', 'A', 'B'], ['A', 'B'], 1)).toBe(true);
    expect(containsGapped(['B', 'A'], ['A', 'B'], 5)).toBe(false);
    expect(containsGapped(['A', 'A', 'A'], ['A', 'A', 'A'], 1)).toBe(true);
    expect(containsGapped(['A', 'A'], ['A', 'A', 'A'], 1)).toBe(false);
  });

  it('matches sets within a window in any order', () => {
    expect(containsWithinWindow(['B', 'X', 'X', 'A'], ['A', 'B'], 4)).toBe(true);
    expect(containsWithinWindow(['B', 'X', 'X', 'A'], ['A', 'B'], 3)).toBe(false);
    expect(containsWithinWindow(['A', 'X', 'A'], ['A', 'A'], 3)).toBe(true);
    expect(containsWithinWindow(['A', 'X', 'X', 'A'], ['A', 'A'], 3)).toBe(false);
  });

  it('chooses the matching by kind', () => {
    const o = { max_gap: 5, window: 5 };
    const t = session('s', 0, ['Read', 'Grep', 'Edit', 'Bash:test']);
    expect(sessionContains(t, { steps: ['Read', 'Edit'], kind: 'ngram' }, o)).toBe(false);
    expect(sessionContains(t, { steps: ['Read', 'Edit'], kind: 'sequence' }, o)).toBe(true);
    expect(sessionContains(t, { steps: ['Edit', 'Read'] }, o)).toBe(false);
    expect(sessionContains(t, { steps: ['Edit', 'Read'], kind: 'episode' }, o)).toBe(true);
    expect(sessionContains(t, { steps: ['Grep', 'Read'], kind: 'order-independent' }, o)).toBe(true);
    expect(sessionContains(t, { steps: ['Edit', 'Read'], kind: 'order-independent' }, o)).toBe(false);
    const batch = { ...t, steps: [step('Grep', 0, 100), step('Glob', 10, 50), step('Read', 200, 210)] };
    expect(sessionContains(batch, { steps: ['Glob', 'Grep'], kind: 'observed' }, o)).toBe(true);
    expect(sessionContains(batch, { steps: ['Glob', 'Read'], kind: 'observed' }, o)).toBe(false);
  });
});

describe('uplift and its test', () => {
  it('computes the normal CDF and a one-sided two-proportion p-value', () => {
    expect(phi(0)).toBeCloseTo(0.5, 7);
    expect(phi(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(phi(-1)).toBeCloseTo(0.158655, 5);
    // 2/3 vs 1/3: pooled p = 0.5, se = sqrt(0.25 · 2/3) = 0.408248, z = 0.816497, p = 1 - Φ(z) = 0.207108
    expect(twoProportionPOneSided(2, 3, 1, 3, 1)).toBeCloseTo(0.207108, 5);
    expect(twoProportionPOneSided(2, 3, 1, 3, -1)).toBeCloseTo(0.792892, 5);
    expect(twoProportionPOneSided(1, 0, 1, 3, 1)).toBeNull();
  });

  it('compares pass rates with and without, excluding unknown outcomes', () => {
    const traces = [
      session('a', 0, ['Read', 'Edit'], true), session('b', 1, ['Read', 'Edit'], true), session('c', 2, ['Read', 'Edit'], false),
      session('d', 3, ['Edit'], true), session('e', 4, ['Edit'], false), session('f', 5, ['Edit'], false),
      session('g', 6, ['Read', 'Edit'], null),
    ];
    const u = patternUplift(traces, { steps: ['Read', 'Edit'], kind: 'ngram' });
    expect(u).toEqual({ with: 3, without: 3, passed_with: 2, passed_without: 1, uplift: 2 / 3 - 1 / 3 });
  });

  it('decides holds from sign, support and significance', () => {
    // test split = the last 20 of 40 sessions: pattern P in 10 (9 pass), not in 10 (2 pass)
    const traces: SessionTrace[] = [];
    for (let i = 0; i < 20; i++) traces.push(session(`train${i}`, i, ['X'], i % 2 === 0));
    for (let i = 0; i < 20; i++) {
      const withP = i < 10;
      traces.push(session(`test${i}`, 100 + i, withP ? ['P', 'Q'] : ['Q'], withP ? i < 9 : i < 12));
    }
    const claims: PatternClaim[] = [
      { steps: ['P', 'Q'], kind: 'ngram', uplift_train: 0.3 },
      { steps: ['P', 'Q'], kind: 'ngram', uplift_train: -0.3 },
      { steps: ['P', 'Q'], kind: 'ngram', uplift_train: 0 },
    ];
    const e = evaluate(traces, { test_fraction: 0.5, patterns: claims });
    const [up, down, zero] = e.patterns as [typeof e.patterns[0], typeof e.patterns[0], typeof e.patterns[0]];
    expect(up).toMatchObject({ test_with: 10, test_without: 10, pass_with: 0.9, pass_without: 0.2, uplift_test: 0.7, matching: 'contiguous' });
    expect(up.p_value!).toBeLessThan(0.01);
    expect(up.holds).toBe(true);
    expect(down.holds).toBe(false); // the test split disagrees with the claimed sign
    expect(zero.holds).toBe(false); // no claim
    expect(evaluate(traces, { test_fraction: 0.5, patterns: claims, min_support: 11 }).patterns[0]!.holds).toBe(false);
  });
});

describe('on a planted corpus', () => {
  const traces = simulateTraces({ seed: 8, sessions: 2000, start_ms: Date.UTC(2026, 8, 1) });
  const good = { steps: ['Read', 'Edit', 'Bash:test'], kind: 'ngram' };
  const anti = { steps: ['Edit', 'Edit', 'Edit'], kind: 'ngram' };

  it('splits by time and beats the most-frequent baseline', () => {
    const { train } = chronologicalSplit(traces, 0.25);
    const claims = [good, anti].map((p) => ({ ...p, uplift_train: patternUplift(train, p).uplift! }));
    const e = evaluate(traces, { patterns: claims });
    expect(e.train_sessions).toBe(1500);
    expect(e.test_sessions).toBe(500);
    const ordered = [...traces].sort((a, b) => a.start_ms - b.start_ms);
    expect(e.split_ms).toBe(ordered[1500]!.start_ms);
    expect(ordered[1499]!.start_ms).toBeLessThanOrEqual(e.split_ms!);
    const na = e.next_activity;
    expect(na.prefixes).toBe(ordered.slice(1500).reduce((n, t) => n + t.steps.filter((s) => s.agent === null).length, 0));
    expect(na.model.top1).toBeGreaterThan(na.most_frequent.top1 + 0.1);
    expect(na.model.top3).toBeGreaterThan(na.most_frequent.top3 + 0.1);
    expect(na.model.top1).toBeGreaterThan(na.markov1.top1);
    // the planted good sequence and anti-pattern keep their sign on the held-out sessions
    expect(claims[0]!.uplift_train).toBeGreaterThan(0.2);
    expect(claims[1]!.uplift_train).toBeLessThan(-0.2);
    expect(e.patterns.map((p) => p.holds)).toEqual([true, true]);
    console.log(`next activity on 500 held-out sessions (${na.prefixes} prefixes): ours ${JSON.stringify(na.model)}, ` +
      `most frequent ${JSON.stringify(na.most_frequent)}, markov1 ${JSON.stringify(na.markov1)}`);
  });

  it('is JSON-serialisable and deterministic', () => {
    const claims = [{ ...good, uplift_train: 0.3 }];
    const a = evaluate(traces, { patterns: claims });
    const json = JSON.stringify(a);
    expect(JSON.parse(json)).toEqual(a);
    expect(JSON.stringify(evaluate([...traces].reverse(), { patterns: claims }))).toBe(json);
  });

  it('lets a planted pattern hold across seeds but not a noise pattern', () => {
    const noise = { steps: ['WebSearch', 'TodoWrite'], kind: 'sequence' };
    let goodHolds = 0;
    let noiseHolds = 0;
    const seeds = 10;
    for (let seed = 100; seed < 100 + seeds; seed++) {
      const ts = simulateTraces({ seed, sessions: 600, start_ms: Date.UTC(2026, 8, 1) });
      const { train } = chronologicalSplit(ts, 0.25);
      const claims = [good, noise].map((p) => ({ ...p, uplift_train: patternUplift(train, p).uplift ?? 0 }));
      const [g, n] = evaluate(ts, { patterns: claims }).patterns;
      if (g!.holds) goodHolds++;
      if (n!.holds) noiseHolds++;
    }
    // a null effect holds with probability ≈ alpha = 0.05 per seed: 4+ of 10 has probability < 0.001
    expect(noiseHolds).toBeLessThanOrEqual(3);
    expect(goodHolds).toBeGreaterThanOrEqual(8);
  });
});
