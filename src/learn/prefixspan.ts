// Constrained PrefixSpan (Pei et al., ICDE 2001) with pseudo-projection over interned integers. Pure.
//
// Semantics:
// - A pattern p1..pk OCCURS in a session at positions i1 < … < ik with item(i_j) = p_j and
//   i_{j+1} - i_j <= maxGap (maxGap = 1: contiguous; default 5: at most 4 other steps in between).
// - Support = number of sessions with at least one occurrence (absolute, in sessions).
// - Because of the gap constraint, the leftmost match is not enough: a projection keeps, per session,
//   EVERY position where an occurrence of the prefix can end (ascending). The extension step scans the
//   union of the windows [end+1, end+maxGap] once per session, so no position is scanned twice for the
//   same prefix and new end lists come out sorted and duplicate-free.
// - Output: every pattern of length 1..maxLen with support >= minSupport, passed to `visit` with its
//   projection (a session's first end is the end of its earliest occurrence, which outcomes.ts judges).
//   Patterns of length maxLen (> 1) are never extended, so their projections keep only that first end.
//
// Guard (dense logs: long sessions over a small alphabet make almost every short pattern frequent,
// design note §6):
// - maxPatterns = k: the miner keeps the k MOST FREQUENT patterns (more when supports tie at the
//   cut), raising its min support on the fly to the k-th largest support seen so far (the top-k idea
//   of Fournier-Viger et al.'s TKS, ADMA 2013, cited from memory). Extending only at the end is
//   anti-monotone even under a gap constraint (a prefix of an occurrence is an occurrence), so pruning
//   with the rising threshold is safe and the output is exactly {P : support(P) >= final threshold}:
//   complete at that support. Children are explored in order of decreasing support so the threshold
//   rises early. When it rose above minSupport, the run reports `truncated: true` and `minSupport` =
//   the support actually used.
// - maxWork: a hard cap on positions scanned (plus sessions tallied). When one run reaches it, the
//   run stops with `outOfWork: true` and its output is an arbitrary subset. mineDeepening() therefore
//   mines maxLen 2, then 3, … (iterative deepening; each deeper level costs several times the
//   previous one on dense logs, so the repeats cost little, and visit results are reused) within one
//   shared budget. When a level runs out of work it returns the last complete level plus the
//   patterns of the new length found so far: complete up to `maxLen` (reported), `truncated: true`.

import type { Projection, SequenceDb } from './sequence-db.js';

// the sequence database and the one-pattern queries live in sequence-db.ts; re-exported for the
// callers that found them here
export { indexItems, patternSessions, projectPattern, type ItemIndex, type Projection, type SequenceDb } from './sequence-db.js';

export interface PrefixSpanOptions {
  minSupport: number;
  maxGap: number;
  maxLen: number;
  /** keep at most this many (most frequent) patterns; Infinity = all */
  maxPatterns: number;
  /** stop after scanning this many positions; Infinity = never */
  maxWork: number;
}

export interface MiningRun<T> {
  patterns: T[];
  /** the length of each pattern, parallel to `patterns` */
  lengths: number[];
  truncated: boolean;
  /** patterns visited (including those later dropped under a risen threshold) */
  explored: number;
  /** positions scanned plus sessions tallied */
  work: number;
  /** the min support the output is complete for */
  minSupport: number;
  /** the run hit maxWork (its output is then incomplete) */
  outOfWork: boolean;
  /** the longest pattern length the output is complete for */
  maxLen: number;
}

export type Visit<T> = (items: readonly number[], proj: Projection) => T;

interface Child {
  item: number;
  proj: Projection;
}

export function prefixSpan<T>(db: SequenceDb, options: PrefixSpanOptions, visit: Visit<T>): MiningRun<T> {
  const run = new PrefixSpanRun(db, options, visit);
  if (run.maxLen > 0 && run.nSessions > 0) run.grow([], run.roots());
  return run.result();
}

/**
 * The state of one prefixSpan() run: the threshold as it rises, the work spent, and scratch buffers
 * reused by every extension. Hot loops copy the fields they read into locals first.
 */
class PrefixSpanRun<T> {
  readonly floor: number;
  readonly maxGap: number;
  readonly maxLen: number;
  readonly nSessions: number;
  private readonly K: number;
  private readonly items: Int32Array;
  private readonly offsets: Int32Array;
  private readonly found: { value: T; support: number; len: number }[] = [];
  private readonly top: TopSupports;
  private minSup: number;
  private work = 0;
  private explored = 0;
  private outOfWork = false;
  // stamp[x] = token of the last (parent, session) that saw x; tokens never repeat in a run.
  private readonly stamp: Int32Array;
  private token = 0;
  // scratch for the fused leaf pass
  private readonly firstPos: Int32Array;
  private readonly touched: Int32Array;
  private scratch = new Int32Array(1024);
  // offs of a projection with one end per session is 0, 1, 2, …: share one array
  private readonly identity: Int32Array;

  constructor(
    db: SequenceDb,
    private readonly options: PrefixSpanOptions,
    private readonly visit: Visit<T>,
  ) {
    this.floor = Math.max(1, Math.ceil(options.minSupport));
    this.maxGap = Math.max(1, Math.floor(options.maxGap));
    this.maxLen = Math.max(0, Math.floor(options.maxLen));
    this.K = db.alphabet;
    this.items = db.items;
    this.offsets = db.offsets;
    this.nSessions = db.offsets.length - 1;
    this.top = new TopSupports(Math.max(1, options.maxPatterns));
    this.minSup = this.floor;
    this.stamp = new Int32Array(this.K).fill(-1);
    this.firstPos = new Int32Array(this.K);
    this.touched = new Int32Array(this.K);
    this.identity = new Int32Array(this.nSessions + 1);
    for (let i = 0; i <= this.nSessions; i++) this.identity[i] = i;
  }

  /** Prefix sums over the frequent items: where each child's sids and ends start in flat buffers. */
  private layout(supp: Int32Array, npos: Int32Array | null): { freq: number[]; sidBase: Int32Array; endBase: Int32Array; nS: number; nE: number } {
    const { K, minSup } = this;
    const freq: number[] = [];
    const sidBase = new Int32Array(K);
    const endBase = new Int32Array(K);
    let nS = 0;
    let nE = 0;
    for (let x = 0; x < K; x++) {
      if (supp[x]! < minSup) continue;
      freq.push(x);
      sidBase[x] = nS;
      endBase[x] = nE;
      nS += supp[x]!;
      nE += npos ? npos[x]! : 0;
    }
    return { freq, sidBase, endBase, nS, nE };
  }

  private ensureScratch(n: number): void {
    if (n <= this.scratch.length) return;
    const bigger = new Int32Array(Math.max(this.scratch.length * 2, n));
    bigger.set(this.scratch);
    this.scratch = bigger;
  }

  /**
   * Builds full projections (every end) of the frequent items. Parent k is session sidAt[k] (k itself
   * when sidAt is null); its scanned positions are pos[bounds[k] .. bounds[k+1]-1], or the indices
   * themselves when pos is null.
   */
  private fill(supp: Int32Array, npos: Int32Array, nP: number, sidAt: Int32Array | null, bounds: Int32Array, pos: Int32Array | null): Child[] {
    const { K, items, minSup } = this;
    const { freq, sidBase, endBase, nS, nE } = this.layout(supp, npos);
    if (freq.length === 0) return [];
    const sids = new Int32Array(nS);
    const offs = new Int32Array(nS + freq.length);
    const ends = new Int32Array(nE);
    const sidCur = Int32Array.from(sidBase);
    const endCur = Int32Array.from(endBase);
    const offShift = new Int32Array(K); // offs index of a child's entry c is c + offShift[x]
    freq.forEach((x, r) => (offShift[x] = r));
    const lastSid = new Int32Array(K).fill(-1);
    for (let k = 0; k < nP; k++) {
      const sid = sidAt ? sidAt[k]! : k;
      const hi = bounds[k + 1]!;
      for (let i = bounds[k]!; i < hi; i++) {
        const j = pos ? pos[i]! : i;
        const x = items[j]!;
        if (supp[x]! < minSup) continue;
        if (lastSid[x] !== sid) {
          lastSid[x] = sid;
          const c = sidCur[x]!++;
          sids[c] = sid;
          offs[c + offShift[x]!] = endCur[x]! - endBase[x]!;
        }
        ends[endCur[x]!++] = j;
      }
    }
    return children(
      freq,
      supp,
      sids,
      sidBase,
      (x) => {
        const o = offs.subarray(sidBase[x]! + offShift[x]!, sidBase[x]! + offShift[x]! + supp[x]! + 1);
        o[supp[x]!] = npos[x]!;
        return o;
      },
      (x) => ends.subarray(endBase[x]!, endBase[x]! + npos[x]!),
    );
  }

  /** Level 1: every position of every item, no gap constraint. */
  roots(): Child[] {
    const { K, items, offsets, nSessions, stamp } = this;
    const supp = new Int32Array(K);
    const npos = new Int32Array(K);
    let token = this.token;
    for (let s = 0; s < nSessions; s++) {
      const tok = token++;
      for (let j = offsets[s]!; j < offsets[s + 1]!; j++) {
        const x = items[j]!;
        npos[x]!++;
        if (stamp[x] !== tok) {
          stamp[x] = tok;
          supp[x]!++;
        }
      }
    }
    this.token = token;
    this.work += 2 * items.length;
    return this.fill(supp, npos, nSessions, null, offsets, null);
  }

  // Non-leaf extension: one pass over the union of the windows after each end counts supports and
  // records the scanned positions; fill() then distributes them to the frequent items.
  private extendFull(parent: Projection): Child[] {
    const { K, items, offsets, stamp, maxGap } = this;
    const supp = new Int32Array(K);
    const npos = new Int32Array(K);
    const pS = parent.sids;
    const pO = parent.offs;
    const pE = parent.ends;
    const nP = pS.length;
    const bounds = new Int32Array(nP + 1);
    this.ensureScratch(pE.length * maxGap);
    const buf = this.scratch;
    let token = this.token;
    let m = 0;
    for (let k = 0; k < nP; k++) {
      bounds[k] = m;
      const tok = token++;
      const last = offsets[pS[k]! + 1]! - 1;
      let scanned = -1;
      const tEnd = pO[k + 1]!;
      for (let t = pO[k]!; t < tEnd; t++) {
        const e = pE[t]!;
        let j = e >= scanned ? e + 1 : scanned + 1;
        const to = e + maxGap < last ? e + maxGap : last;
        for (; j <= to; j++) {
          const x = items[j]!;
          buf[m++] = j;
          npos[x]!++;
          if (stamp[x] !== tok) {
            stamp[x] = tok;
            supp[x]!++;
          }
        }
        if (to > scanned) scanned = to;
      }
    }
    this.token = token;
    bounds[nP] = m;
    this.work += 2 * m;
    return this.fill(supp, npos, nP, pS, bounds, buf);
  }

  // Leaf extension (children will not be extended): ONE pass records, per session, the earliest
  // position of every item seen in the windows; a counting sort by item then builds projections with
  // one end per session (all that tallying needs).
  private extendLeaf(parent: Projection): Child[] {
    const { K, items, offsets, stamp, maxGap, firstPos, touched, identity } = this;
    const supp = new Int32Array(K);
    const pS = parent.sids;
    const pO = parent.offs;
    const pE = parent.ends;
    const nP = pS.length;
    let token = this.token;
    let m = 0; // scratch holds (item, sid, firstPos) triples
    let scannedTotal = 0;
    for (let k = 0; k < nP; k++) {
      const sid = pS[k]!;
      const last = offsets[sid + 1]! - 1;
      const tBeg = pO[k]!;
      const tEnd = pO[k + 1]!;
      // Walk the windows in order, each position once: the first sight of an item is its earliest
      // position, so each position costs one load and one compare.
      const tok = token++;
      let scanned = -1; // highest position scanned so far
      let nt = 0;
      for (let t = tBeg; t < tEnd; t++) {
        const e = pE[t]!;
        let j = e >= scanned ? e + 1 : scanned + 1;
        const to = e + maxGap < last ? e + maxGap : last;
        if (to >= j) scannedTotal += to - j + 1;
        for (; j <= to; j++) {
          const x = items[j]!;
          if (stamp[x] !== tok) {
            stamp[x] = tok;
            firstPos[x] = j;
            touched[nt++] = x;
          }
        }
        if (to > scanned) scanned = to;
      }
      this.ensureScratch(m + 3 * nt);
      const scratch = this.scratch;
      for (let t = 0; t < nt; t++) {
        const x = touched[t]!;
        supp[x]!++;
        scratch[m++] = x;
        scratch[m++] = sid;
        scratch[m++] = firstPos[x]!;
      }
    }
    this.token = token;
    this.work += scannedTotal + m / 3;
    const { freq, sidBase, nS } = this.layout(supp, null);
    if (freq.length === 0) return [];
    const minSup = this.minSup;
    const scratch = this.scratch;
    const sids = new Int32Array(nS);
    const ends = new Int32Array(nS);
    const cur = Int32Array.from(sidBase);
    for (let i = 0; i < m; i += 3) {
      const x = scratch[i]!;
      if (supp[x]! < minSup) continue;
      const c = cur[x]!++;
      sids[c] = scratch[i + 1]!;
      ends[c] = scratch[i + 2]!;
    }
    return children(
      freq,
      supp,
      sids,
      sidBase,
      (x) => identity.subarray(0, supp[x]! + 1),
      (x) => ends.subarray(sidBase[x]!, sidBase[x]! + supp[x]!),
    );
  }

  /** Visits each child of `prefix` that is still frequent, then its children, depth first. */
  grow(prefix: number[], kids: Child[]): void {
    for (const { item, proj } of kids) {
      const support = proj.sids.length;
      // sorted by decreasing support: once one falls below the (risen) threshold, all the rest do
      if (support < this.minSup) return;
      if (this.work >= this.options.maxWork) {
        this.outOfWork = true;
        return;
      }
      const pattern = [...prefix, item];
      this.explored++;
      this.work += support;
      this.found.push({ value: this.visit(pattern, proj), support, len: pattern.length });
      const t = this.top.add(support);
      if (t > this.minSup) this.minSup = t;
      if (pattern.length < this.maxLen) this.grow(pattern, pattern.length + 1 >= this.maxLen ? this.extendLeaf(proj) : this.extendFull(proj));
      if (this.outOfWork) return;
    }
  }

  /** The patterns that meet the final threshold, in the order they were visited. */
  result(): MiningRun<T> {
    const { minSup, floor, outOfWork } = this;
    const patterns: T[] = [];
    const lengths: number[] = [];
    for (const f of this.found) {
      if (f.support < minSup) continue;
      patterns.push(f.value);
      lengths.push(f.len);
    }
    return { patterns, lengths, truncated: outOfWork || minSup > floor, explored: this.explored, work: this.work, minSupport: minSup, outOfWork, maxLen: this.maxLen };
  }
}

/** The children of a parent, as projections into flat buffers; offsFor / endsFor cut each child's part. */
function children(freq: number[], supp: Int32Array, sids: Int32Array, sidBase: Int32Array, offsFor: (x: number) => Int32Array, endsFor: (x: number) => Int32Array): Child[] {
  const out: Child[] = freq.map((x) => ({
    item: x,
    proj: { sids: sids.subarray(sidBase[x]!, sidBase[x]! + supp[x]!), offs: offsFor(x), ends: endsFor(x) },
  }));
  // most frequent first (raises the top-k threshold early), then by item id: deterministic
  return out.sort((a, b) => b.proj.sids.length - a.proj.sids.length || a.item - b.item);
}

/**
 * The k largest supports seen so far (a min-heap). add() returns the support a pattern now needs to
 * be among them: the smallest of the k once k have been seen, else 0.
 */
class TopSupports {
  private readonly heap: number[] = [];
  constructor(private readonly k: number) {}

  add(support: number): number {
    if (!Number.isFinite(this.k)) return 0;
    const h = this.heap;
    if (h.length < this.k) {
      h.push(support);
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (h[p]! <= h[i]!) break;
        [h[p], h[i]] = [h[i]!, h[p]!];
        i = p;
      }
    } else if (support > h[0]!) {
      h[0] = support;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]! < h[m]!) m = l;
        if (r < h.length && h[r]! < h[m]!) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return h.length >= this.k ? h[0]! : 0;
  }
}

/**
 * PrefixSpan by iterative deepening on the pattern length within one work budget (see the header):
 * the result is always complete up to its `maxLen`, which is below the requested one only when the
 * budget ran out (then `truncated` is true). A deeper run starts at the previous run's top-k
 * threshold: the k-th largest support can only rise when longer patterns join, so this prunes
 * nothing the deeper run would keep.
 */
export function mineDeepening<T>(db: SequenceDb, options: PrefixSpanOptions, visit: Visit<T>): MiningRun<T> {
  const maxLen = Math.max(0, Math.floor(options.maxLen));
  const floor = Math.max(1, Math.ceil(options.minSupport));
  let best: MiningRun<T> | null = null;
  let spent = 0;
  let explored = 0;
  // A pattern's visit result depends only on its projection, which is the same in every run:
  // remember it so that deeper runs do not tally the shorter patterns again.
  const seen = new Map<string, T>();
  const cached: Visit<T> = (items, proj) => {
    const k = items.join(',');
    let v = seen.get(k);
    if (v === undefined) {
      v = visit(items, proj);
      seen.set(k, v);
    }
    return v;
  };
  for (let len = Math.min(2, maxLen); len <= maxLen; len++) {
    const minSupport: number = best === null ? floor : Math.max(floor, best.minSupport);
    const run: MiningRun<T> = prefixSpan(db, { ...options, minSupport, maxLen: len, maxWork: options.maxWork - spent }, len < maxLen ? cached : (items, proj) => seen.get(items.join(',')) ?? visit(items, proj));
    spent += run.work;
    explored += run.explored;
    if (run.outOfWork) {
      // The last complete level, plus what the cut run found at the new length: each of those has
      // exact evidence and its shorter infixes are all in the complete level (their support is at
      // least as high), but the new length is not complete.
      if (best === null) return { ...run, truncated: true, work: spent, explored };
      const extra = run.patterns.filter((_, i) => run.lengths[i] === len);
      const extraLengths = extra.map(() => len);
      return {
        ...best,
        patterns: [...best.patterns, ...extra],
        lengths: [...best.lengths, ...extraLengths],
        truncated: true,
        work: spent,
        explored,
        outOfWork: true,
      };
    }
    best = run;
  }
  if (best === null) return prefixSpan(db, { ...options, maxLen: 0 }, visit);
  return { ...best, truncated: best.minSupport > floor, work: spent, explored };
}
