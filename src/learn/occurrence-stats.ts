// Occurrences compared by outcome, for naming recipes (recipe.ts). Pure.
//
// An occurrence of a pattern is judged by a verdict at its last step (the next test run, or the
// session's outcome); occurrences of one session are not independent, so two groups of occurrences
// are compared with session-clustered (sandwich) variances, floored by the binomial ones.
import { PASS, UNKNOWN } from './outcomes.js';
import { normalQuantile } from './stats.js';

/** The encoded log as recipe naming reads it (encoded-log.ts EncodedLog has these fields). */
export interface OccurrenceLog {
  acts: Int32Array;
  offsets: Int32Array;
  session_of: Int32Array;
  /** per position: verdict of the first test run at or after it (outcomes.ts nextTestRuns) */
  next_test: Int8Array;
  /** per position: which test run that is (unique over the log), -1 when none */
  next_test_id: Int32Array;
  /** per position: the session's outcome, for positions at or before its last test run (outcomes.ts verdictAt) */
  verdictAt: Int8Array;
}

/** Of the occurrences (ascending starts) judged by the same test run, the last; known outcomes only. */
export function lastBeforeEachTest(log: OccurrenceLog, starts: Int32Array, len: number): Int32Array {
  const out: number[] = [];
  let lastTest = -1;
  for (const p of starts) {
    const t = log.next_test_id[p + len - 1]!;
    if (t < 0) continue;
    if (t === lastTest) out[out.length - 1] = p;
    else out.push(p);
    lastTest = t;
  }
  return Int32Array.from(out);
}

/** Occurrence outcomes by group, per session, for clustered comparisons. */
export interface Groups {
  /** per cluster (session, in order): known occurrences and passes in group A and in group B */
  nA: number[];
  yA: number[];
  nB: number[];
  yB: number[];
}

/** Groups entries 0..n-1 (ascending by session) by `inA`; entries with an unknown outcome are left out. */
export function groupEntries(n: number, sidOf: (i: number) => number, verdictOf: (i: number) => number, inA: (i: number) => boolean): Groups {
  const g: Groups = { nA: [], yA: [], nB: [], yB: [] };
  let last = -1;
  for (let i = 0; i < n; i++) {
    const v = verdictOf(i);
    if (v === UNKNOWN) continue;
    const sid = sidOf(i);
    if (sid !== last) {
      g.nA.push(0);
      g.yA.push(0);
      g.nB.push(0);
      g.yB.push(0);
      last = sid;
    }
    const k = g.nA.length - 1;
    const pass = v === PASS ? 1 : 0;
    if (inA(i)) {
      g.nA[k]!++;
      g.yA[k]! += pass;
    } else {
      g.nB[k]!++;
      g.yB[k]! += pass;
    }
  }
  return g;
}

export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * z of rate(A) - rate(B) with a session-clustered (sandwich) variance, floored by the binomial variance
 * of the pooled rate (Agresti–Caffo-shrunk, so that 0 of n or n of n still has a variance).
 */
export function clusteredDifferenceZ(g: Groups): number {
  const nA = sum(g.nA);
  const nB = sum(g.nB);
  if (nA === 0 || nB === 0) return 0;
  const pA = sum(g.yA) / nA;
  const pB = sum(g.yB) / nB;
  const K = g.nA.length;
  let v = 0;
  for (let k = 0; k < K; k++) {
    const r = (g.yA[k]! - pA * g.nA[k]!) / nA - (g.yB[k]! - pB * g.nB[k]!) / nB;
    v += r * r;
  }
  v *= K > 1 ? K / (K - 1) : 1;
  const pooled = (sum(g.yA) + sum(g.yB) + 1) / (nA + nB + 2);
  const v0 = pooled * (1 - pooled) * (1 / nA + 1 / nB);
  return (pA - pB) / Math.sqrt(Math.max(v, v0));
}

/** z of rate(B) - p0 (one sample, clustered, floored by the binomial variance at p0). */
export function clusteredRateZ(g: Groups, p0: number): number {
  const nB = sum(g.nB);
  if (nB === 0) return 0;
  const pB = sum(g.yB) / nB;
  const K = g.nB.filter((n) => n > 0).length;
  let v = 0;
  for (let k = 0; k < g.nB.length; k++) {
    const r = (g.yB[k]! - pB * g.nB[k]!) / nB;
    v += r * r;
  }
  v *= K > 1 ? K / (K - 1) : 1;
  const q = Math.min(0.99, Math.max(0.01, p0));
  return (pB - q) / Math.sqrt(Math.max(v, (q * (1 - q)) / nB));
}

/** The critical z of a two-sided test at `alpha` Bonferroni-split over `m` questions. */
export const zCritical = (alpha: number, m: number): number => normalQuantile(1 - alpha / (2 * Math.max(1, m)));

/** Occurrences with one neighbouring step, per session (sparse: only the sessions that have it). */
export interface ClusterCounts {
  count: number;
  /** cluster (session) indices, ascending, and per cluster: occurrences, passes by each judge */
  ks: number[];
  n: number[];
  y: number[][];
}

/** A pattern's occurrences per cluster (dense), and per neighbouring step before and after it. */
export interface NeighbourStats {
  n: number[];
  y: number[][];
  left: Map<number, ClusterCounts>;
  right: Map<number, ClusterCounts>;
}

/** The groups "with the step" (A) and "without" (B), one per judge, from the sums. */
export function splitBy(stats: NeighbourStats, c: ClusterCounts): Groups[] {
  return stats.y.map((yTotal, j) => {
    const nA = new Array<number>(stats.n.length).fill(0);
    const yA = new Array<number>(stats.n.length).fill(0);
    c.ks.forEach((k, i) => {
      nA[k] = c.n[i]!;
      yA[k] = c.y[j]![i]!;
    });
    return { nA, yA, nB: stats.n.map((x, k) => x - nA[k]!), yB: yTotal.map((x, k) => x - yA[k]!) };
  });
}
