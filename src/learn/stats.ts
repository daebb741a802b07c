// Small statistics used to rank patterns by evidence. Pure.

/** z for a two-sided 95% interval; the default confidence of every bound we report. */
export const Z95 = 1.959963984540054;

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
