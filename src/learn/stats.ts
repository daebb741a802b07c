// Small statistics used to rank patterns by evidence: intervals, tests, multiple testing. Pure.

/** z for a two-sided 95% interval; the default confidence of every bound we report. */
export const Z95 = 1.959963984540054;

/** Below this a weight sum or a sample size counts as nothing. */
const EPS = 1e-9;

export interface Interval {
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for a proportion with `successes` out of `n` trials. Works with
 * fractional (time-decayed) counts. n <= 0 gives the uninformative [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval {
  if (!(n > 0)) return { lower: 0, upper: 1 };
  const p = Math.min(1, Math.max(0, successes / n));
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** Weight of an observation `ageMs` old under exponential decay with the given half-life. */
export function decayWeight(ageMs: number, halfLifeMs: number): number {
  if (!(halfLifeMs > 0) || ageMs <= 0) return 1;
  return Math.pow(2, -ageMs / halfLifeMs);
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

/**
 * Standard normal quantile Φ⁻¹(p), Acklam's rational approximation with refinement-free relative
 * error below 1.2e-9 (coefficients recalled; test/learn-rank.test.ts checks known values).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0)) return -Infinity;
  if (!(p < 1)) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Standard normal CDF Φ(x) (through erfc). */
export function phi(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** The median of the values (the mean of the two middle ones for an even count); 0 for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Newcombe hybrid score interval for p1 - p2 (rank.ts header). */
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

/** z of the pooled two-proportion test of s1/n1 against s2/n2; null when a group is empty or both rates are 0 or 1. */
function pooledZ(s1: number, n1: number, s2: number, n2: number): number | null {
  if (!(n1 > 0) || !(n2 > 0)) return null;
  const pooled = (s1 + s2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return se > 0 ? (s1 / n1 - s2 / n2) / se : null;
}

/** Two-sided p-value of the pooled two-proportion z-test of s1/n1 against s2/n2. */
export function twoProportionP(s1: number, n1: number, s2: number, n2: number): number {
  const z = pooledZ(s1, n1, s2, n2);
  return z === null ? 1 : Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/**
 * One-sided p-value of the same test: of seeing a difference s1/n1 - s2/n2 at least this large in
 * the direction `sign` if both groups had the same rate; null when a group is empty.
 */
export function twoProportionPOneSided(s1: number, n1: number, s2: number, n2: number, sign: 1 | -1): number | null {
  if (!(n1 > 0) || !(n2 > 0)) return null;
  const z = pooledZ(s1, n1, s2, n2);
  return z === null ? 1 : phi(-sign * z);
}

/** Benjamini–Hochberg: which of the p-values are discoveries at false-discovery rate q. */
export function benjaminiHochberg(pValues: readonly number[], q: number): boolean[] {
  return weightedBenjaminiHochberg(pValues, pValues.map(() => 1), q);
}

/**
 * Weighted Benjamini–Hochberg (Genovese et al. 2006): BH on p_i / w_i. The weights must be fixed
 * before looking at outcomes and average 1 for the FDR guarantee.
 */
export function weightedBenjaminiHochberg(pValues: readonly number[], weights: readonly number[], q: number): boolean[] {
  const m = pValues.length;
  const adj = pValues.map((p, i) => (weights[i]! > 0 ? p / weights[i]! : Infinity));
  const order = [...adj.keys()].sort((a, b) => adj[a]! - adj[b]! || a - b);
  let cut = -1;
  for (let i = 0; i < m; i++) if (adj[order[i]!]! <= ((i + 1) / m) * q) cut = i;
  const out = new Array<boolean>(m).fill(false);
  for (let i = 0; i <= cut; i++) out[order[i]!] = true;
  return out;
}

/**
 * Layer weights for weightedBenjaminiHochberg: each distinct layer gets the same share, spread
 * evenly over its members, so the weights average 1.
 */
export function layerWeights(layers: readonly string[]): number[] {
  const count = new Map<string, number>();
  for (const l of layers) count.set(l, (count.get(l) ?? 0) + 1);
  const m = layers.length;
  return layers.map((l) => m / (count.size * count.get(l)!));
}

/** Kish effective sample size of weights with sum w and sum of squares w2. */
export function kishSize(w: number, w2: number): number {
  return w2 > EPS ? (w * w) / w2 : 0;
}
