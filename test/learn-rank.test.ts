// Ranking by outcome on corpora whose answer is known, the statistics it rests on, determinism.
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, describePattern, erfc, kishSize, layerWeights, newcombeInterval, normalQuantile, phi, twoProportionP, weightedBenjaminiHochberg } from '../src/learn/rank.js';
import { DEFAULT_LEARN_OPTIONS, learn } from '../src/learn/learn.js';
import type { SessionTrace } from '../src/core/types.js';
import type { Tally } from '../src/learn/outcomes.js';
import { BAD, GOOD, NOISY, plantedCorpus, rng, trace } from './learn-helpers.js';

const START = 1_700_000_000_000;
const NOW = START + 700 * 3_600_000;
const key = (steps: readonly string[]) => steps.join(' > ');

describe('statistics', () => {
  it('erfc and the two-proportion test match known values', () => {
    expect(erfc(0)).toBeCloseTo(1, 6);
    expect(erfc(2)).toBeCloseTo(0.004677735, 8);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 6);
    // 60/100 vs 40/100: pooled 0.5, se = sqrt(0.25 * 0.02), z = 2*sqrt(2), p = erfc(2)
    expect(twoProportionP(60, 100, 40, 100)).toBeCloseTo(0.004677735, 7);
    expect(twoProportionP(50, 100, 50, 100)).toBe(1);
  });

  it('Newcombe interval brackets the difference and widens with fewer observations', () => {
    const big = newcombeInterval(90, 100, 50, 100);
    const small = newcombeInterval(9, 10, 5, 10);
    for (const ci of [big, small]) {
      expect(ci.lower).toBeLessThan(0.4);
      expect(ci.upper).toBeGreaterThan(0.4);
    }
    expect(big.lower).toBeGreaterThan(0); // clearly better at n = 100
    expect(small.lower).toBeLessThan(0); // not shown at n = 10
    const equal = newcombeInterval(50, 100, 50, 100);
    expect(equal.lower).toBeCloseTo(-equal.upper, 12);
  });

  it('Benjamini–Hochberg on a worked example', () => {
    // sorted: 0.01 <= 1/4·0.05 yes; 0.03 <= 2/4·0.05 no; 0.04 <= 3/4·0.05 no; 0.2 no
    expect(benjaminiHochberg([0.04, 0.01, 0.2, 0.03], 0.05)).toEqual([false, true, false, false]);
    // the step-up keeps everything up to the largest passing rank
    expect(benjaminiHochberg([0.012, 0.02, 0.9], 0.05)).toEqual([true, true, false]);
  });

  it('weighted Benjamini–Hochberg: unit weights are plain BH, weights move the bar per layer', () => {
    const ps = [0.04, 0.01, 0.2, 0.03];
    expect(weightedBenjaminiHochberg(ps, [1, 1, 1, 1], 0.05)).toEqual(benjaminiHochberg(ps, 0.05));
    // BH on p/w: 0.04/4 = 0.01 <= 1/4·0.05 and 0.03/4 = 0.0075: both pass, the others (0.01/0.1 = 0.1) do not
    expect(weightedBenjaminiHochberg(ps, [4, 0.1, 0.1, 4], 0.05)).toEqual([true, false, false, true]);
  });

  it('layer weights give every layer the same share and average 1', () => {
    const layers = ['c:2', 'c:2', 'g:4', 'g:4', 'g:4', 'g:4', 'g:4', 'g:4'];
    const w = layerWeights(layers);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(layers.length, 12);
    // 2 layers over 8 members: each layer's weights sum to 4
    expect(w[0]! + w[1]!).toBeCloseTo(4, 12);
    expect(w.slice(2).reduce((a, b) => a + b, 0)).toBeCloseTo(4, 12);
  });

  it('normal quantiles and the Kish effective size match known values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 7);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 7);
    expect(normalQuantile(1 - 1e-6)).toBeCloseTo(4.753424309, 6);
    expect(phi(normalQuantile(0.3))).toBeCloseTo(0.3, 7);
    // equal weights: the count itself, whatever the weight; unequal: fewer
    expect(kishSize(10 * 0.25, 10 * 0.25 ** 2)).toBeCloseTo(10, 12);
    expect(kishSize(1 + 0.5, 1 + 0.25)).toBeCloseTo(1.8, 12);
  });

  it('the baseline is the pass rate of the known sessions without the pattern', () => {
    const t: Tally = { sessions: 25, known: 20, passed: 17, passed_final: 18, w_sessions: 25, w_known: 20, w_passed: 17, w_passed_final: 18, w2_known: 20, h1: 0, h2: 0, kh1: 0, kh2: 0 };
    const d = describePattern(['A', 'B'], t, { w_known: 100, w_passed: 60, w2_known: 100 }, 1.96).pattern;
    expect(d.pass_rate).toBeCloseTo(17 / 20, 12);
    expect(d.baseline).toBeCloseTo((60 - 18) / (100 - 20), 12);
    expect(d.uplift).toBeCloseTo(17 / 20 - 42 / 80, 12);
  });
});

describe('learn on a planted corpus', () => {
  const traces = plantedCorpus(600, 1, START);
  const result = learn(traces, { now: NOW });

  it('finds the planted good sequence and ranks it first', () => {
    expect(result.sequential.length).toBeGreaterThan(0);
    const top = result.sequential[0]!;
    expect(top.steps).toEqual(GOOD);
    expect(top.pass_rate!).toBeGreaterThan(0.8);
    expect(top.baseline!).toBeLessThan(0.5);
    expect(top.bound!).toBeGreaterThan(0);
    expect(top.score).toBe(top.bound);
    expect(top.sessions).toBeGreaterThanOrEqual(top.known);
    expect(top.first_seen).toBeGreaterThanOrEqual(START);
    expect(top.last_seen).toBeLessThanOrEqual(NOW);
    // nothing made only of noise is reported as good
    for (const p of result.sequential) expect(p.steps.some((s) => GOOD.includes(s)), key(p.steps)).toBe(true);
  });

  it('reports the planted bad sequence as an anti-pattern, first', () => {
    expect(result.anti[0]!.steps).toEqual(BAD);
    expect(result.anti[0]!.bound!).toBeLessThan(0);
    expect(result.anti[0]!.pass_rate!).toBeLessThan(0.3);
    expect(result.sequential.some((p) => p.steps.some((s) => BAD.includes(s)))).toBe(false);
  });

  it('does not report the frequent sequence that has no effect', () => {
    const noisy = result.evidence.pairs[NOISY[0]!]![NOISY[1]!]!.df_support!;
    expect(noisy.sessions / result.stats.sessions).toBeGreaterThan(0.6); // it is frequent
    for (const list of [result.sequential, result.anti]) expect(list.map((p) => key(p.steps))).not.toContain(key(NOISY));
  });

  it('reports its run', () => {
    expect(result.stats).toMatchObject({ sessions: 600, truncated: false, min_support_used: DEFAULT_LEARN_OPTIONS.min_sessions, max_len_used: 4 });
    expect(result.stats.known_sessions).toBeLessThan(600);
    expect(result.parallel).toEqual([]);
  });

  it('is deterministic: same result for the traces in any order', () => {
    const r = rng(99);
    const shuffled = [...traces].sort(() => r() - 0.5);
    expect(JSON.stringify(learn(shuffled, { now: NOW }))).toBe(JSON.stringify(result));
  });

  it('time decay: older sessions weigh less', () => {
    const later = learn(traces, { now: NOW + 60 * 86_400_000 });
    const p = later.sequential.find((x) => key(x.steps) === key(GOOD))!;
    expect(p.support_weighted).toBeCloseTo(result.sequential[0]!.support_weighted / 4, 6); // two half-lives
    expect(p.sessions).toBe(result.sequential[0]!.sessions);
    // every weight shrank by the same factor: the rates and the effective sample size stay, so do
    // the p-value and the bound (decay re-weights sessions, it does not make the corpus smaller)
    expect(p.pass_rate!).toBeCloseTo(result.sequential[0]!.pass_rate!, 9);
    expect(p.p_value!).toBeCloseTo(result.sequential[0]!.p_value!, 9);
    expect(p.bound!).toBeCloseTo(result.sequential[0]!.bound!, 9);
  });
});

describe('a longer pattern must beat its sub-patterns', () => {
  /**
   * For each group, n sessions "steps, one of three tools, test" where the first `pass` pass; every
   * fifth session runs no test, so no longer pattern shares the exact session set of steps (which
   * would absorb it by closedness).
   */
  const build = (spec: { steps: string[]; n: number; pass: number }[]): SessionTrace[] => {
    const out: SessionTrace[] = [];
    let i = 0;
    for (const { steps, n, pass } of spec) {
      let known = 0;
      for (let k = 0; k < n; k++, i++) {
        const tail = k % 5 === 4 ? [] : [known++ < pass ? 'pass' : 'fail'];
        out.push(trace(`t${String(i).padStart(4, '0')}`, [...steps, ['Read', 'Grep', 'Glob'][k % 3]!, ...tail], START + i * 1000));
      }
    }
    return out;
  };
  const opts = { now: START + 10_000_000, min_sessions: 20, fdr: 1 };
  const abIsSignificant = (res: ReturnType<typeof learn>): boolean => {
    const ab = res.evidence.pairs['A']!['B']!.df_support!;
    const t = res.evidence.totals;
    return newcombeInterval(ab.passed, ab.known, t.passed - ab.passed_final, t.known - ab.known).lower > 0;
  };

  it('drops A > B when A alone already does as well', () => {
    const res = learn(
      build([
        { steps: ['A', 'B'], n: 60, pass: 43 }, // 43 of 48 known: 0.9
        { steps: ['A', 'C'], n: 60, pass: 43 }, // 0.9 too: A is the tip, B adds nothing
        { steps: ['C', 'D'], n: 120, pass: 38 }, // 0.4
      ]),
      opts,
    );
    expect(abIsSignificant(res)).toBe(true); // on its own A > B would qualify
    const reported = res.sequential.map((p) => key(p.steps));
    expect(reported.filter((k) => k === 'A > B' || k.startsWith('A > B > '))).toEqual([]);
    // A is the recipe: told as "A, then the tests" (A > Bash:test), the form it was found in
    expect(reported).toContain('A > Bash:test');
  });

  it('keeps A > B when it is clearly better than A', () => {
    const res = learn(
      build([
        { steps: ['A', 'B'], n: 60, pass: 47 }, // 0.98
        { steps: ['A', 'C'], n: 60, pass: 19 }, // 0.4: A alone is 0.69
        { steps: ['C', 'D'], n: 120, pass: 38 }, // 0.4
      ]),
      opts,
    );
    expect(res.sequential.map((p) => key(p.steps))).toContain('A > B');
  });
});
