// Ranking sequential patterns by outcome, with honest uncertainty. Pure.
//
// ## Ranking
// All rates use TIME-DECAYED counts: each session weighs 2^(-age/half_life) (stats.ts decayWeight), so
// n_eff = Σw over known sessions and s_eff = Σw over those that passed. Raw counts are reported too.
// - pass_rate  = s_eff / n_eff over the known sessions containing the pattern, judged after its last
//   occurrence (outcomes.ts); pass_lower / pass_upper = Wilson interval (stats.ts, z = 1.96).
// - baseline   = pass rate of the known sessions WITHOUT the pattern (their final verdicts).
// - uplift     = pass_rate - baseline.
// - bound      = Newcombe's hybrid score interval for a difference of two independent proportions
//   (Newcombe 1998, Statistics in Medicine 17:873, "method 10"; citation from memory, the formula is
//   checked by test/learn-rank.test.ts), built from the two Wilson intervals:
//     lower = δ - sqrt((p1 - l1)² + (u2 - p2)²),  upper = δ + sqrt((u1 - p1)² + (p2 - l2)²),
//   with δ = p1 - p2, (l1,u1) Wilson of the pattern, (l2,u2) Wilson of the baseline. Good patterns
//   report the lower bound, anti-patterns the upper bound.
// - A GOOD pattern needs: length >= min_len, sessions >= min_sessions, known >= min_known,
//   uplift lower bound > min_uplift (default 0: the intervals separate), and it must BEAT EACH OF ITS
//   SUB-PATTERNS: for every contiguous sub-pattern S (every infix, down to single activities — the only
//   sub-patterns implied by an occurrence under a gap constraint) that occurs in more sessions,
//   pass_lower(P) > pass_rate(S). Otherwise the shorter, more general tip says the same.
//   Sub-patterns with the very same session set are the same evidence and are skipped.
// - An ANTI-pattern mirrors it: uplift upper bound < -anti_margin, and pass_upper(P) < pass_rate(S)
//   for every such sub-pattern S.
// - Multiple testing: thousands of candidates are tested, so at 95% some pass by chance. Every
//   candidate that reaches the tests above (closed, long enough, enough sessions) gets the p-value of a
//   two-sided pooled two-proportion z-test (pattern vs baseline, decayed counts), and good/anti
//   patterns must also survive Benjamini–Hochberg at false-discovery rate `fdr` (default 0.05; 1
//   turns it off) over all of those candidates.
// - score = bound for good patterns, -bound for anti-patterns (larger = stronger evidence). Lists are
//   sorted by score, then sessions, then the step names, and cut to top_n.
// - Closedness: a pattern is dropped before ranking when a pattern one step longer that contains it
//   occurs in exactly the same sessions (same count and same session-set hash).
import type { SequentialPattern } from './types.js';
import type { Signals, Tally } from './outcomes.js';
import { wilsonInterval, Z95, type Interval } from './stats.js';
import { cmpStr } from './evidence.js';

export interface Candidate {
  items: readonly number[];
  tally: Tally;
}

/** Decayed totals over all known sessions (final verdicts). */
export interface RankTotals {
  w_known: number;
  w_passed: number;
}

export interface RankOptions {
  min_sessions: number;
  min_known: number;
  min_len: number;
  z: number;
  min_uplift: number;
  anti_margin: number;
  fdr: number;
  top_n: number;
}

export const DEFAULT_RANK_OPTIONS: RankOptions = {
  min_sessions: 20,
  min_known: 10,
  min_len: 2,
  z: Z95,
  min_uplift: 0,
  anti_margin: 0,
  fdr: 0.05,
  top_n: 20,
};

const EPS = 1e-9;

/** Newcombe hybrid score interval for p1 - p2 (see header). */
export function newcombeInterval(s1: number, n1: number, s2: number, n2: number, z = Z95): Interval {
  const p1 = n1 > 0 ? s1 / n1 : 0;
  const p2 = n2 > 0 ? s2 / n2 : 0;
  const w1 = wilsonInterval(s1, n1, z);
  const w2 = wilsonInterval(s2, n2, z);
  const d = p1 - p2;
  return {
    lower: d - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2),
    upper: d + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2),
  };
}

/**
 * Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere
 * (Numerical Recipes "erfcc", recalled; test/learn-rank.test.ts checks it against known values), so
 * small tail probabilities keep their relative precision.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Two-sided p-value of the pooled two-proportion z-test of s1/n1 against s2/n2. */
export function twoProportionP(s1: number, n1: number, s2: number, n2: number): number {
  if (!(n1 > 0) || !(n2 > 0)) return 1;
  const pooled = (s1 + s2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return 1;
  const z = (s1 / n1 - s2 / n2) / se;
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** Benjamini–Hochberg: which of the p-values are discoveries at false-discovery rate q. */
export function benjaminiHochberg(pValues: readonly number[], q: number): boolean[] {
  const m = pValues.length;
  const order = [...pValues.keys()].sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  let cut = -1;
  for (let i = 0; i < m; i++) if (pValues[order[i]!]! <= ((i + 1) / m) * q) cut = i;
  const out = new Array<boolean>(m).fill(false);
  for (let i = 0; i <= cut; i++) out[order[i]!] = true;
  return out;
}

function key(items: readonly number[]): string {
  return items.join(',');
}

function sameSessions(a: Tally, b: Tally): boolean {
  return a.sessions === b.sessions && a.h1 === b.h1 && a.h2 === b.h2;
}

/** Drops every candidate that has a one-step-longer super-pattern with the same session set. */
export function closedOnly<C extends Candidate>(cands: readonly C[]): C[] {
  const byKey = new Map<string, C>();
  for (const c of cands) byKey.set(key(c.items), c);
  const absorbed = new Set<string>();
  for (const q of cands) {
    if (q.items.length < 2) continue;
    for (let i = 0; i < q.items.length; i++) {
      const subKey = key([...q.items.slice(0, i), ...q.items.slice(i + 1)]);
      const sub = byKey.get(subKey);
      if (sub && sameSessions(sub.tally, q.tally)) absorbed.add(subKey);
    }
  }
  return cands.filter((c) => !absorbed.has(key(c.items)));
}

function rate(t: Tally): number | null {
  return t.w_known > EPS ? t.w_passed / t.w_known : null;
}

const NO_SIGNALS: Signals = { first_seen: 0, last_seen: 0, steps: 0, errors: 0, interrupted_sessions: 0, stop_failure_sessions: 0 };

interface Described {
  pattern: SequentialPattern;
  lowerUplift: number | null;
  upperUplift: number | null;
  p: number;
}

/** Every evidence field of a pattern; `bound` and `score` depend on its role and are set later. */
export function describePattern(steps: string[], t: Tally, totals: RankTotals, z: number, signals: Signals = NO_SIGNALS): Described {
  const p = rate(t);
  const w = wilsonInterval(t.w_passed, t.w_known, z);
  const nb = Math.max(0, totals.w_known - t.w_known);
  const sb = Math.min(nb, Math.max(0, totals.w_passed - t.w_passed_final));
  const baseline = nb > EPS ? sb / nb : null;
  let lowerUplift: number | null = null;
  let upperUplift: number | null = null;
  let pValue = 1;
  if (p !== null && baseline !== null) {
    const ci = newcombeInterval(t.w_passed, t.w_known, sb, nb, z);
    lowerUplift = ci.lower;
    upperUplift = ci.upper;
    pValue = twoProportionP(t.w_passed, t.w_known, sb, nb);
  }
  return {
    pattern: {
      steps,
      sessions: t.sessions,
      known: t.known,
      passed: t.passed,
      pass_rate: p,
      pass_lower: p === null ? null : w.lower,
      pass_upper: p === null ? null : w.upper,
      baseline,
      uplift: p !== null && baseline !== null ? p - baseline : null,
      bound: null,
      p_value: p !== null && baseline !== null ? pValue : null,
      score: 0,
      first_seen: signals.first_seen,
      last_seen: signals.last_seen,
      support_weighted: t.w_sessions,
      error_rate: signals.steps > 0 ? signals.errors / signals.steps : 0,
      interrupted_sessions: signals.interrupted_sessions,
      stop_failure_sessions: signals.stop_failure_sessions,
    },
    lowerUplift,
    upperUplift,
    p: pValue,
  };
}

/** The contiguous proper sub-patterns (infixes) of a pattern, as keys. */
function infixKeys(items: readonly number[]): string[] {
  const keys: string[] = [];
  for (let len = 1; len < items.length; len++) {
    for (let i = 0; i + len <= items.length; i++) keys.push(key(items.slice(i, i + len)));
  }
  return keys;
}

/**
 * Good and anti-patterns among the candidates. `signals` supplies the secondary signals and dates
 * of the few patterns that are reported (it is called for those only).
 */
export function rankPatterns(
  cands: readonly Candidate[],
  names: readonly string[],
  totals: RankTotals,
  options: Partial<RankOptions> = {},
  signals?: (items: readonly number[]) => Signals,
): { good: SequentialPattern[]; anti: SequentialPattern[]; tested: number } {
  const opts = { ...DEFAULT_RANK_OPTIONS, ...options };
  const all = new Map<string, Candidate>();
  for (const c of cands) all.set(key(c.items), c);

  interface Tested {
    cand: Candidate;
    d: Described;
  }
  const tested: Tested[] = [];
  for (const c of closedOnly(cands)) {
    const t = c.tally;
    if (c.items.length < opts.min_len || t.sessions < opts.min_sessions || t.known < opts.min_known) continue;
    const d = describePattern(
      c.items.map((i) => names[i]!),
      t,
      totals,
      opts.z,
    );
    if (d.lowerUplift === null) continue;
    tested.push({ cand: c, d });
  }
  const discovery = opts.fdr >= 1 ? tested.map(() => true) : benjaminiHochberg(tested.map((x) => x.d.p), opts.fdr);

  const good: { cand: Candidate; pattern: SequentialPattern }[] = [];
  const anti: { cand: Candidate; pattern: SequentialPattern }[] = [];
  tested.forEach(({ cand, d }, i) => {
    if (!discovery[i]) return;
    const { pattern, lowerUplift, upperUplift } = d;
    if (lowerUplift === null || upperUplift === null || pattern.pass_lower === null || pattern.pass_upper === null) return;
    const isGood = lowerUplift > opts.min_uplift;
    const isAnti = upperUplift < -opts.anti_margin;
    if (!isGood && !isAnti) return;
    let beatsSubs = true;
    let worseThanSubs = true;
    for (const k of infixKeys(cand.items)) {
      const sub = all.get(k);
      if (!sub || sameSessions(sub.tally, cand.tally)) continue;
      const r = rate(sub.tally);
      if (r === null) continue;
      if (!(pattern.pass_lower > r)) beatsSubs = false;
      if (!(pattern.pass_upper < r)) worseThanSubs = false;
    }
    if (isGood && beatsSubs) good.push({ cand, pattern: { ...pattern, bound: lowerUplift, score: lowerUplift } });
    else if (isAnti && worseThanSubs) anti.push({ cand, pattern: { ...pattern, bound: upperUplift, score: -upperUplift } });
  });
  const finish = (list: { cand: Candidate; pattern: SequentialPattern }[]): SequentialPattern[] =>
    list
      .sort((a, b) => comparePatterns(a.pattern, b.pattern))
      .slice(0, opts.top_n)
      .map(({ cand, pattern }) => (signals ? withSignals(pattern, signals(cand.items)) : pattern));
  return { good: finish(good), anti: finish(anti), tested: tested.length };
}

function withSignals(p: SequentialPattern, s: Signals): SequentialPattern {
  return {
    ...p,
    first_seen: s.first_seen,
    last_seen: s.last_seen,
    error_rate: s.steps > 0 ? s.errors / s.steps : 0,
    interrupted_sessions: s.interrupted_sessions,
    stop_failure_sessions: s.stop_failure_sessions,
  };
}

export function comparePatterns(a: SequentialPattern, b: SequentialPattern): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.sessions !== b.sessions) return b.sessions - a.sessions;
  return cmpStr(a.steps.join('\u0000'), b.steps.join('\u0000'));
}
