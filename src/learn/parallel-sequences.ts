// Parallel patterns (b) 'order-independent' and (c) 'episode' (parallel.ts header): one counting pass
// over the main-thread sequences, the pair tests, then a second pass for the exact session lists of
// the accepted pairs and the triples built from them. Pure.
import type { Step } from '../core/types.js';
import { dependency, PairCounts, touch, type Acc, type Corpus } from './parallel-counts.js';

interface SequenceCounts {
  /** directly-follows, non-overlapping neighbours, ordered key a*K+b */
  df: PairCounts;
  dfSessions: PairCounts;
  dfOut: Float64Array;
  dfIn: Float64Array;
  dfTotal: number;
  /** position pairs within the window (with multiplicity), ordered key */
  ef: PairCounts;
  efOut: Float64Array;
  efIn: Float64Array;
  efTotal: number;
  /** unordered key lo*K+hi: sessions co-occurring within the window, and which came first there */
  coSessions: PairCounts;
  firstLo: PairCounts;
  minimal: PairCounts;
}

/**
 * Scratch for the window passes, reused across sessions: each activity's latest position in the
 * current session (-1 outside it), and a stamp per end position that marks the activities already
 * seen going back from it.
 */
interface WindowScratch {
  lastPos: Int32Array;
  seenAt: Int32Array;
  stamp: number;
}

function windowScratch(K: number): WindowScratch {
  return { lastPos: new Int32Array(K).fill(-1), seenAt: new Int32Array(K).fill(-1), stamp: 0 };
}

function overlaps(x: Step, y: Step): boolean {
  return y.start_ms <= x.end_ms;
}

export function countSequences(c: Corpus, window: number): SequenceCounts {
  const K = c.names.length;
  const r: SequenceCounts = {
    df: new PairCounts(K), dfSessions: new PairCounts(K), dfOut: new Float64Array(K), dfIn: new Float64Array(K), dfTotal: 0,
    ef: new PairCounts(K), efOut: new Float64Array(K), efIn: new Float64Array(K), efTotal: 0,
    coSessions: new PairCounts(K), firstLo: new PairCounts(K), minimal: new PairCounts(K),
  };
  const dfLast = new PairCounts(K);
  const coLast = new PairCounts(K);
  const scratch = windowScratch(K);
  for (let si = 0; si < c.seqs.length; si++) {
    const seq = c.seqs[si] as Int32Array;
    const mark = si + 1;
    countDirectlyFollows(r, dfLast, K, seq, c.main[si] as Step[], mark);
    countWindowPairs(r, coLast, scratch, K, seq, window, mark);
  }
  return r;
}

/** Directly-follows counts of one session (`mark` = its index + 1): non-overlapping neighbours only. */
function countDirectlyFollows(r: SequenceCounts, dfLast: PairCounts, K: number, seq: Int32Array, steps: Step[], mark: number): void {
  for (let i = 0; i + 1 < seq.length; i++) {
    const a = seq[i] as number;
    const b = seq[i + 1] as number;
    if (a === b || overlaps(steps[i] as Step, steps[i + 1] as Step)) continue;
    const key = a * K + b;
    r.df.add(key);
    r.dfOut[a] = (r.dfOut[a] as number) + 1;
    r.dfIn[b] = (r.dfIn[b] as number) + 1;
    r.dfTotal++;
    if (dfLast.get(key) !== mark) {
      dfLast.set(key, mark);
      r.dfSessions.add(key);
    }
  }
}

/** Pairs within the window of one session: eventually-follows counts, co-occurrence and minimal occurrences. */
function countWindowPairs(r: SequenceCounts, coLast: PairCounts, w: WindowScratch, K: number, seq: Int32Array, window: number, mark: number): void {
  const { lastPos, seenAt } = w;
  let stamp = w.stamp;
  for (let j = 0; j < seq.length; j++) {
    const b = seq[j] as number;
    const prevB = lastPos[b] as number;
    stamp++;
    for (let i = j - 1; i >= 0 && i > j - window; i--) {
      const a = seq[i] as number;
      if (a === b) continue;
      r.ef.add(a * K + b);
      r.efOut[a] = (r.efOut[a] as number) + 1;
      r.efIn[b] = (r.efIn[b] as number) + 1;
      r.efTotal++;
      if (seenAt[a] === stamp) continue; // first sight of a going back = its latest position
      seenAt[a] = stamp;
      const u = a < b ? a * K + b : b * K + a;
      // [lastPos[a], j] is a minimal occurrence iff no b lies inside it
      if (prevB < (lastPos[a] as number)) r.minimal.add(u);
      if (coLast.get(u) !== mark) {
        coLast.set(u, mark);
        r.coSessions.add(u);
        if (a < b) r.firstLo.add(u); // a came first and has the lower id
      }
    }
    lastPos[b] = j;
  }
  for (const id of seq) lastPos[id] = -1;
  w.stamp = stamp;
}

function lift(ab: number, ba: number, out: Float64Array, inn: Float64Array, total: number, a: number, b: number): number {
  const expected = ((out[a] as number) * (inn[b] as number) + (out[b] as number) * (inn[a] as number)) / total;
  return expected > 0 ? (ab + ba) / expected : 0;
}

export interface Accepted {
  orderIndependent: Map<number, Acc>;
  episodes: Map<number, Acc>;
}

/** The options of the pair tests (ParallelOptions, resolved). */
export interface PairTestOptions {
  min_sessions: number;
  dependency_threshold: number;
  min_order_sessions: number;
  min_lift: number;
}

export function acceptPairs(c: Corpus, r: SequenceCounts, o: PairTestOptions): Accepted {
  const K = c.names.length;
  const orderIndependent = new Map<number, Acc>();
  for (const key of r.df.keys()) {
    const a = Math.floor(key / K);
    const b = key % K;
    if (a >= b) continue; // visit each unordered pair once, from its lower id
    const ab = r.df.get(key);
    const ba = r.df.get(b * K + a);
    if (ba === 0) continue;
    const sab = r.dfSessions.get(key);
    const sba = r.dfSessions.get(b * K + a);
    if (sab < o.min_order_sessions || sba < o.min_order_sessions || sab + sba < o.min_sessions) continue;
    const dep = dependency(ab, ba);
    if (Math.abs(dep) > o.dependency_threshold) continue;
    if (lift(ab, ba, r.dfOut, r.dfIn, r.dfTotal, a, b) < o.min_lift) continue;
    orderIndependent.set(key, { members: [a, b], sessions: [], occurrences: ab + ba, saved_ms: 0, dependency: dep });
  }
  const episodes = new Map<number, Acc>();
  for (const u of r.coSessions.keys()) {
    const a = Math.floor(u / K);
    const b = u % K;
    const sessions = r.coSessions.get(u);
    if (sessions < o.min_sessions) continue;
    const lo = r.firstLo.get(u);
    const hi = sessions - lo;
    if (lo < o.min_order_sessions || hi < o.min_order_sessions) continue;
    const dep = dependency(lo, hi);
    if (Math.abs(dep) > o.dependency_threshold) continue;
    if (lift(r.ef.get(a * K + b), r.ef.get(b * K + a), r.efOut, r.efIn, r.efTotal, a, b) < o.min_lift) continue;
    episodes.set(u, { members: [a, b], sessions: [], occurrences: r.minimal.get(u), saved_ms: 0, dependency: dep });
  }
  return { orderIndependent, episodes };
}


/** Second pass: exact session lists of the accepted pairs, and the triples built from them. */
export function collect(c: Corpus, acc: Accepted, window: number, triples: boolean): Map<number, Acc> {
  const K = c.names.length;
  const found = new Map<number, Acc>();
  const scratch = windowScratch(K);
  const others: number[] = [];
  for (let si = 0; si < c.seqs.length; si++) {
    const seq = c.seqs[si] as Int32Array;
    collectOrderIndependent(acc, K, seq, c.main[si] as Step[], si);
    collectEpisodes(found, acc, scratch, others, K, seq, window, triples, si);
  }
  return found;
}

/** Session si for each accepted order-independent pair among its non-overlapping neighbours. */
function collectOrderIndependent(acc: Accepted, K: number, seq: Int32Array, steps: Step[], si: number): void {
  for (let i = 0; i + 1 < seq.length; i++) {
    const a = seq[i] as number;
    const b = seq[i + 1] as number;
    if (a === b || overlaps(steps[i] as Step, steps[i + 1] as Step)) continue;
    const hit = acc.orderIndependent.get(a < b ? a * K + b : b * K + a);
    if (hit !== undefined) touch(hit, si);
  }
}

/**
 * Session si for each accepted episode pair within the window and, with `triples`, each triple of
 * activities whose three pairs were all accepted. `others` is scratch for the partners of one end.
 */
function collectEpisodes(found: Map<number, Acc>, acc: Accepted, w: WindowScratch, others: number[], K: number, seq: Int32Array, window: number, triples: boolean, si: number): void {
  const { lastPos, seenAt } = w;
  let stamp = w.stamp;
  for (let j = 0; j < seq.length; j++) {
    const b = seq[j] as number;
    const prevB = lastPos[b] as number;
    stamp++;
    others.length = 0;
    for (let i = j - 1; i >= 0 && i > j - window; i--) {
      const a = seq[i] as number;
      if (a === b || seenAt[a] === stamp) continue;
      seenAt[a] = stamp;
      const hit = acc.episodes.get(a < b ? a * K + b : b * K + a);
      if (hit === undefined) continue;
      touch(hit, si);
      others.push(a);
    }
    if (triples && others.length > 1) collectTriples(found, acc, lastPos, others, K, b, prevB, si);
    lastPos[b] = j;
  }
  for (const id of seq) lastPos[id] = -1;
  w.stamp = stamp;
}

/** The triples that end at an occurrence of b, from b's accepted partners in the window (`others`). */
function collectTriples(found: Map<number, Acc>, acc: Accepted, lastPos: Int32Array, others: readonly number[], K: number, b: number, prevB: number, si: number): void {
  for (let x = 0; x < others.length; x++) {
    for (let y = x + 1; y < others.length; y++) {
      const p = others[x] as number;
      const q = others[y] as number;
      if (!acc.episodes.has(p < q ? p * K + q : q * K + p)) continue;
      const [m0, m1, m2] = [b, p, q].sort((u, v) => u - v) as [number, number, number];
      const key = (m0 * K + m1) * K + m2;
      let t = found.get(key);
      if (t === undefined) {
        found.set(key, (t = { members: [m0, m1, m2], sessions: [], occurrences: 0, saved_ms: 0 }));
      }
      touch(t, si);
      // shortest occurrence ending at j starts at the earlier of p, q; minimal iff no b inside
      if (prevB < Math.min(lastPos[p] as number, lastPos[q] as number)) t.occurrences++;
    }
  }
}
