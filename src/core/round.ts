// Rounding for committed and reported numbers: one rule everywhere (Math.round, so halves go up;
// never -0, so JSON and diffs do not show "-0"). Pure.

/** `x` rounded to `decimals` places. A non-finite `x` comes back as it is. */
export function round(x: number, decimals = 3): number {
  const f = 10 ** decimals;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}

/** round() for a value that may be missing: null for null, undefined, NaN and ±Infinity. */
export function roundOrNull(x: number | null | undefined, decimals = 3): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : round(x, decimals);
}
