// Helpers for benchmarks: timing, medians, and printing ratios against a baseline measured in the
// same run (machines here are noisy; only ratios are comparable).
import { spawnSync } from 'node:child_process';

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time in ms of one synchronous child process. */
export function timeSpawn(cmd, args, options = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, options);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** Runs the candidates interleaved (a, b, a, b, ...) so drift in machine load hits both alike. */
export function interleaved(runs, candidates) {
  const times = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [k, fn] of Object.entries(candidates)) times[k].push(fn(i));
  return Object.fromEntries(Object.entries(times).map(([k, t]) => [k, median(t)]));
}

export function report(title, rows) {
  console.log(`\n## ${title}`);
  for (const [label, value] of rows) console.log(`${label.padEnd(52)} ${value}`);
}

export const fmt = (n, digits = 2) => Number(n).toFixed(digits);
