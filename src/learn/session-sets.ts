// Session sets of patterns and the stratified comparisons between them (rank.ts header, step 5):
// does a pattern's effect hold within, or outside, another pattern's sessions? Pure.
import type { Tally } from './outcomes.js';
import { kishSize, newcombeInterval } from './stats.js';

const EPS = 1e-9;

/** Per session: decay weight and final outcome (outcomes.ts PASS / FAIL / UNKNOWN). */
export interface SessionOutcomes {
  weight: Float64Array;
  final: Int8Array;
}

/** Weighted sums over known sessions: Σw, Σw·passed, Σw². */
export interface Sums {
  w: number;
  wp: number;
  w2: number;
}

export const minus = (a: Sums, b: Sums): Sums => ({ w: a.w - b.w, wp: a.wp - b.wp, w2: a.w2 - b.w2 });
export const sumsOf = (t: Tally): Sums => ({ w: t.w_known, wp: t.w_passed, w2: t.w2_known });

/** The known sessions where a pattern occurs before the outcome. */
export interface SessionSet {
  sids: Int32Array;
  flag: Uint8Array;
  sums: Sums;
}

/** Sums over the sessions in both sets (walks the smaller one). */
function intersection(P: SessionSet, Q: SessionSet, data: SessionOutcomes): Sums {
  const [small, big] = P.sids.length <= Q.sids.length ? [P, Q] : [Q, P];
  const out: Sums = { w: 0, wp: 0, w2: 0 };
  for (const s of small.sids) {
    if (!big.flag[s]) continue;
    const w = data.weight[s]!;
    out.w += w;
    out.w2 += w * w;
    if (data.final[s] === 1) out.wp += w;
  }
  return out;
}

/**
 * Stratified comparisons of a pattern's sessions P with another pattern's sessions Q (header, step 5):
 * `within` = P∧Q against Q∧¬P, `outside` = P∧¬Q against ¬P∧¬Q. True when the sessions with P pass
 * significantly more (dir 1) or less (dir -1) in that stratum.
 */
export function stratified(P: SessionSet, Q: SessionSet, total: Sums, dir: 1 | -1, data: SessionOutcomes, z: number): { within: boolean; outside: boolean } {
  const A = intersection(P, Q, data);
  const C = minus(P.sums, A);
  return { within: separates(A, minus(Q.sums, A), dir, z), outside: separates(C, minus(minus(total, Q.sums), C), dir, z) };
}

/** Newcombe bound of rate(x) - rate(y) beyond 0 in direction dir. */
export function separates(x: Sums, y: Sums, dir: 1 | -1, z: number): boolean {
  if (!(x.w > EPS && y.w > EPS)) return false;
  const nx = kishSize(x.w, x.w2);
  const ny = kishSize(y.w, y.w2);
  if (!(nx > EPS && ny > EPS)) return false;
  const ci = newcombeInterval((Math.min(x.wp, x.w) / x.w) * nx, nx, (Math.min(y.wp, y.w) / y.w) * ny, ny, z);
  return dir === 1 ? ci.lower > 0 : ci.upper < 0;
}

/** Σw, Σw·passed and Σw² over every known session. */
export function knownSums(data: SessionOutcomes): Sums {
  const total: Sums = { w: 0, wp: 0, w2: 0 };
  for (let s = 0; s < data.final.length; s++) {
    if (data.final[s] === -1) continue;
    const w = data.weight[s]!;
    total.w += w;
    total.w2 += w * w;
    if (data.final[s] === 1) total.wp += w;
  }
  return total;
}

/** The session set of the known sessions `sids` (ascending). */
export function sessionSet(sids: Int32Array, data: SessionOutcomes): SessionSet {
  const flag = new Uint8Array(data.final.length);
  const sums: Sums = { w: 0, wp: 0, w2: 0 };
  for (const sid of sids) {
    flag[sid] = 1;
    const w = data.weight[sid]!;
    sums.w += w;
    sums.w2 += w * w;
    if (data.final[sid] === 1) sums.wp += w;
  }
  return { sids, flag, sums };
}

/** The union of session sets, in the order their sessions are first met. */
export function unionOf(sets: Iterable<SessionSet>, data: SessionOutcomes): SessionSet {
  const flag = new Uint8Array(data.final.length);
  const ids: number[] = [];
  const sums: Sums = { w: 0, wp: 0, w2: 0 };
  for (const set of sets) {
    for (const sid of set.sids) {
      if (flag[sid]) continue;
      flag[sid] = 1;
      ids.push(sid);
      const w = data.weight[sid]!;
      sums.w += w;
      sums.w2 += w * w;
      if (data.final[sid] === 1) sums.wp += w;
    }
  }
  return { sids: Int32Array.from(ids), flag, sums };
}
