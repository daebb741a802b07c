// The evidence table: hand-checked counts, additivity (learn on A∪B == merge of A and B), decay
// re-basing, JSON round trip.
import { describe, expect, it } from 'vitest';
import { learn } from '../src/learn/learn.js';
import { DAY_MS } from '../src/learn/encoded-log.js';
import { durationBucket, mergeEvidence, rebaseEvidence } from '../src/learn/evidence.js';
import type { Evidence } from '../src/learn/types.js';
import { plantedCorpus, trace } from './learn-helpers.js';

const NOW = 1_700_000_000_000 + 1000 * 3_600_000;

/** Walks two JSON values: same keys, equal integers, floats equal to relative 1e-9. */
function expectSameCounts(a: unknown, b: unknown, where = '$'): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b)) expect(a, where).toBe(b);
    else expect(Math.abs(a - b), where).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));
    return;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    expect(a, where).toEqual(b);
    return;
  }
  expect(Object.keys(a).sort(), where).toEqual(Object.keys(b).sort());
  for (const k of Object.keys(a)) expectSameCounts((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${where}.${k}`);
}

describe('evidence counts', () => {
  it('matches a hand count on a tiny log', () => {
    // s1: A B A C   (test: none)     s2: B A pass   (passes)
    const traces = [trace('s1', ['A', 'B', 'A', 'C'], 1000), trace('s2', ['B', 'A', 'pass'], 2000)];
    const e = learn(traces, { now: 10_000, window: 2, min_sessions: 1 }).evidence;
    expect(e.events).toBe(7);
    expect(e.totals).toMatchObject({ sessions: 2, known: 1, passed: 1 });
    expect(e.activities['A']).toMatchObject({ count: 3, starts: 1, ends: 0 });
    expect(e.activities['A']!.support).toMatchObject({ sessions: 2, known: 1, passed: 1 });
    expect(e.activities['Bash:test']).toMatchObject({ count: 1, ends: 1 });
    // directly-follows: A>B 1, B>A 2, A>C 1, A>Bash:test 1
    expect(e.pairs['A']!['B']!.df).toBe(1);
    expect(e.pairs['B']!['A']!.df).toBe(2);
    expect(e.pairs['B']!['A']!.df_support).toMatchObject({ sessions: 2, known: 1, passed: 1 });
    expect(e.pairs['A']!['C']!.df).toBe(1);
    // window 2: A>A (positions 0,2) and B>C (1,3) are eventually-follows but not directly-follows
    expect(e.pairs['A']!['A']).toMatchObject({ df: 0, ef: 1, df_support: null });
    expect(e.pairs['B']!['C']).toMatchObject({ df: 0, ef: 1 });
    // A>B: s1 (0,1) only; A>C: (2,3) and, with window 2, nothing else
    expect(e.pairs['A']!['B']!.ef).toBe(1);
    expect(e.pairs['B']!['Bash:test']).toMatchObject({ df: 0, ef: 1 }); // s2: B _ test
    expect(e.activities['A']!.duration).toMatchObject({ count: 3, total_ms: 1500, max_ms: 500 });
    expect(e.activities['A']!.duration.hist[durationBucket(500)]).toBe(3);
  });

  it('durationBucket puts d in [2^(i-1), 2^i)', () => {
    expect([0, 0.5, 1, 2, 3, 4, 1023, 1024].map(durationBucket)).toEqual([0, 0, 1, 2, 2, 3, 10, 11]);
  });
});

describe('evidence additivity', () => {
  const all = plantedCorpus(240, 5);
  const a = all.filter((_, i) => i % 3 !== 0);
  const b = all.filter((_, i) => i % 3 === 0);
  const opts = { now: NOW, min_sessions: 5 };

  it('learn(A ∪ B).evidence == merge(learn(A), learn(B))', () => {
    const whole = learn(all, opts).evidence;
    const merged = mergeEvidence(learn(a, opts).evidence, learn(b, opts).evidence);
    expectSameCounts(merged, whole);
    // and the merge is symmetric
    expectSameCounts(mergeEvidence(learn(b, opts).evidence, learn(a, opts).evidence), whole);
  });

  it('merging evidence computed at different times decays the older side to the later time', () => {
    const later = NOW + 7 * DAY_MS;
    const merged = mergeEvidence(learn(a, opts).evidence, learn(b, { ...opts, now: later }).evidence);
    expect(merged.as_of).toBe(later);
    expectSameCounts(merged, learn(all, { ...opts, now: later }).evidence);
    expectSameCounts(rebaseEvidence(learn(all, opts).evidence, later), learn(all, { ...opts, now: later }).evidence);
  });

  it('refuses to merge evidence with different windows or half-lives', () => {
    const e1 = learn(a, opts).evidence;
    expect(() => mergeEvidence(e1, learn(b, { ...opts, window: 3 }).evidence)).toThrow(/window/);
    expect(() => mergeEvidence(e1, learn(b, { ...opts, half_life_days: 7 }).evidence)).toThrow(/half-li/);
  });

  it('is plain JSON keyed by activity name', () => {
    const e = learn(all, opts).evidence;
    const back = JSON.parse(JSON.stringify(e)) as Evidence;
    expect(back).toEqual(e);
    expect(Object.keys(e.activities)).toContain('Agent:code-reviewer');
    expect(Object.keys(e.activities)).toEqual([...Object.keys(e.activities)].sort());
  });
});
