// The confidence sequence of src/learn/advice-effect.ts: it may be looked at every night. Simulated
// null sequences (advice that changes nothing: told and holdout sessions pass at the same rate),
// checked after every session: the share of sequences whose interval EVER excludes the true
// difference (0) must stay under 5% for the confidence sequence, and is well over 5% for the
// fixed-sample (Newcombe) interval re-checked the same way — the reason it was replaced.
import { describe, expect, it } from 'vitest';
import { differenceSequence, normalMixtureBoundary, sessionsToDetect } from '../src/learn/advice-effect.js';
import { newcombeInterval } from '../src/learn/rank.js';
import { Rng } from '../src/sim/rng.js';

interface Crossing {
  sequence: boolean;
  fixed: boolean;
}

/** One null run of `steps` sessions: does either interval ever exclude 0, looked at after every session? */
function nullRun(seed: number, steps: number, holdout: number, pass: number, minKnown = 10): Crossing {
  const rng = new Rng(seed);
  let n1 = 0;
  let s1 = 0;
  let n2 = 0;
  let s2 = 0;
  const out: Crossing = { sequence: false, fixed: false };
  for (let i = 0; i < steps; i++) {
    const passed = rng.chance(pass);
    if (rng.chance(holdout)) {
      n2++;
      if (passed) s2++;
    } else {
      n1++;
      if (passed) s1++;
    }
    if (n1 < minKnown || n2 < minKnown) continue;
    const cs = differenceSequence(s1, n1, s2, n2, { alpha: 0.05, holdout_share: holdout, horizon: 1000 })!;
    if (cs.lower > 0 || cs.upper < 0) out.sequence = true;
    const ci = newcombeInterval(s1, n1, s2, n2);
    if (ci.lower > 0 || ci.upper < 0) out.fixed = true;
  }
  return out;
}

function crossingRates(runs: number, steps: number, holdout: number, pass: number): { sequence: number; fixed: number } {
  let sequence = 0;
  let fixed = 0;
  for (let r = 0; r < runs; r++) {
    const c = nullRun(7919 * (r + 1) + Math.round(pass * 1000) + Math.round(holdout * 100), steps, holdout, pass);
    if (c.sequence) sequence++;
    if (c.fixed) fixed++;
  }
  return { sequence: sequence / runs, fixed: fixed / runs };
}

describe('anytime-valid confidence sequence for the advice effect', () => {
  it.each([
    [0.1, 0.5],
    [0.2, 0.5],
    [0.1, 0.8],
  ])('holdout %s, pass rate %s: checked after every one of 1500 sessions, it covers the truth in >= 95% of runs; the nightly re-checked fixed interval does not', (holdout, pass) => {
    const r = crossingRates(600, 1500, holdout, pass);
    expect(r.sequence).toBeLessThanOrEqual(0.05);
    expect(r.fixed).toBeGreaterThan(0.1);
  });

  it('is wider than the fixed interval, narrows as sessions accumulate, and finds a real difference', () => {
    const early = differenceSequence(60, 100, 5, 10)!;
    const late = differenceSequence(600, 1000, 50, 100)!;
    expect(late.upper - late.lower).toBeLessThan(early.upper - early.lower);
    const fixed = newcombeInterval(600, 1000, 50, 100);
    expect(late.upper - late.lower).toBeGreaterThan(fixed.upper - fixed.lower);
    expect(late.lower).toBeLessThan(0.1);
    expect(late.upper).toBeGreaterThan(0.1);
    // 75% vs 50% over 2000 + 250 sessions: the whole sequence is above zero
    expect(differenceSequence(1500, 2000, 125, 250)!.lower).toBeGreaterThan(0);
  });

  it('the boundary is the two-sided normal mixture: sqrt((V + rho) ln((V + rho) / (rho alpha^2)))', () => {
    expect(normalMixtureBoundary(100, 10, 0.05)).toBeCloseTo(Math.sqrt(110 * Math.log(110 / (10 * 0.0025))), 12);
  });

  it('sessions needed to detect +10 and +20 points: more for the sequence than a one-look test, fewer with a larger holdout', () => {
    const at10 = sessionsToDetect(0.1, 0.1);
    const at20 = sessionsToDetect(0.2, 0.1);
    expect(at20.sequence).toBeLessThan(at10.sequence);
    expect(at10.sequence).toBeGreaterThan(at10.fixed);
    expect(sessionsToDetect(0.2, 0.2).sequence).toBeLessThan(at20.sequence);
    // the fixed-sample count is the textbook (z_.975 + z_.8)^2 (p1 q1 / (1-h) + p2 q2 / h) / delta^2
    expect(at20.fixed).toBe(Math.ceil((2.8015852 ** 2 * (0.7 * 0.3 / 0.9 + 0.25 / 0.1)) / 0.04));
  });
});
