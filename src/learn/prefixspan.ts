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

/** Sessions as one flat array: session s is items[offsets[s] .. offsets[s+1]-1]. */
export interface SequenceDb {
  items: Int32Array;
  offsets: Int32Array;
  /** item ids are 0 .. alphabet-1 */
  alphabet: number;
}

/** The sessions containing a pattern, and per session the ascending positions where occurrences end. */
export interface Projection {
  sids: Int32Array;
  /** ends of sids[k] are ends[offs[k] .. offs[k+1]-1]; offs.length = sids.length + 1 */
  offs: Int32Array;
  /** global positions in SequenceDb.items */
  ends: Int32Array;
}

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
  const floor = Math.max(1, Math.ceil(options.minSupport));
  const maxGap = Math.max(1, Math.floor(options.maxGap));
  const maxLen = Math.max(0, Math.floor(options.maxLen));
  const K = db.alphabet;
  const { items, offsets } = db;
  const nSessions = offsets.length - 1;
  const found: { value: T; support: number; len: number }[] = [];
  const top = new TopSupports(Math.max(1, options.maxPatterns));
  let minSup = floor;
  let work = 0;
  let explored = 0;
  let outOfWork = false;
  // stamp[x] = token of the last (parent, session) that saw x; tokens never repeat in a run.
  const stamp = new Int32Array(K).fill(-1);
  let token = 0;
  // scratch for the fused leaf pass
  const firstPos = new Int32Array(K);
  const touched = new Int32Array(K);
  let scratch = new Int32Array(1024);
  // offs of a projection with one end per session is 0, 1, 2, …: share one array
  const identity = new Int32Array(nSessions + 1);
  for (let i = 0; i <= nSessions; i++) identity[i] = i;

  /** Prefix sums over the frequent items: where each child's sids and ends start in flat buffers. */
  const layout = (supp: Int32Array, npos: Int32Array | null) => {
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
  };

  const children = (freq: number[], supp: Int32Array, sids: Int32Array, sidBase: Int32Array, offsFor: (x: number) => Int32Array, endsFor: (x: number) => Int32Array): Child[] => {
    const out: Child[] = freq.map((x) => ({
      item: x,
      proj: { sids: sids.subarray(sidBase[x]!, sidBase[x]! + supp[x]!), offs: offsFor(x), ends: endsFor(x) },
    }));
    // most frequent first (raises the top-k threshold early), then by item id: deterministic
    return out.sort((a, b) => b.proj.sids.length - a.proj.sids.length || a.item - b.item);
  };

  const ensureScratch = (n: number): void => {
    if (n <= scratch.length) return;
    const bigger = new Int32Array(Math.max(scratch.length * 2, n));
    bigger.set(scratch);
    scratch = bigger;
  };

  /**
   * Builds full projections (every end) of the frequent items. Parent k is session sidAt[k] (k itself
   * when sidAt is null); its scanned positions are pos[bounds[k] .. bounds[k+1]-1], or the indices
   * themselves when pos is null.
   */
  const fill = (supp: Int32Array, npos: Int32Array, nP: number, sidAt: Int32Array | null, bounds: Int32Array, pos: Int32Array | null): Child[] => {
    const { freq, sidBase, endBase, nS, nE } = layout(supp, npos);
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
  };

  // Level 1: every position of every item, no gap constraint.
  const roots = (): Child[] => {
    const supp = new Int32Array(K);
    const npos = new Int32Array(K);
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
    work += 2 * items.length;
    return fill(supp, npos, nSessions, null, offsets, null);
  };

  // Non-leaf extension: one pass over the union of the windows after each end counts supports and
  // records the scanned positions; fill() then distributes them to the frequent items.
  const extendFull = (parent: Projection): Child[] => {
    const supp = new Int32Array(K);
    const npos = new Int32Array(K);
    const pS = parent.sids;
    const pO = parent.offs;
    const pE = parent.ends;
    const nP = pS.length;
    const bounds = new Int32Array(nP + 1);
    ensureScratch(pE.length * maxGap);
    const buf = scratch;
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
    bounds[nP] = m;
    work += 2 * m;
    return fill(supp, npos, nP, pS, bounds, buf);
  };

  // Leaf extension (children will not be extended): ONE pass records, per session, the earliest
  // position of every item seen in the windows; a counting sort by item then builds projections with
  // one end per session (all that tallying needs).
  const extendLeaf = (parent: Projection): Child[] => {
    const supp = new Int32Array(K);
    const pS = parent.sids;
    const pO = parent.offs;
    const pE = parent.ends;
    const nP = pS.length;
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
      ensureScratch(m + 3 * nt);
      for (let t = 0; t < nt; t++) {
        const x = touched[t]!;
        supp[x]!++;
        scratch[m++] = x;
        scratch[m++] = sid;
        scratch[m++] = firstPos[x]!;
      }
    }
    work += scannedTotal + m / 3;
    const { freq, sidBase, nS } = layout(supp, null);
    if (freq.length === 0) return [];
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
  };

  const grow = (prefix: number[], kids: Child[]): void => {
    for (const { item, proj } of kids) {
      const support = proj.sids.length;
      // sorted by decreasing support: once one falls below the (risen) threshold, all the rest do
      if (support < minSup) return;
      if (work >= options.maxWork) {
        outOfWork = true;
        return;
      }
      const pattern = [...prefix, item];
      explored++;
      work += support;
      found.push({ value: visit(pattern, proj), support, len: pattern.length });
      const t = top.add(support);
      if (t > minSup) minSup = t;
      if (pattern.length < maxLen) grow(pattern, pattern.length + 1 >= maxLen ? extendLeaf(proj) : extendFull(proj));
      if (outOfWork) return;
    }
  };

  if (maxLen > 0 && nSessions > 0) grow([], roots());
  const patterns: T[] = [];
  const lengths: number[] = [];
  for (const f of found) {
    if (f.support < minSup) continue;
    patterns.push(f.value);
    lengths.push(f.len);
  }
  return { patterns, lengths, truncated: outOfWork || minSup > floor, explored, work, minSupport: minSup, outOfWork, maxLen };
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

/** Every position of every item, grouped by item (a CSR inverted index): built once, O(positions). */
export interface ItemIndex {
  /** positions of item x are pos[start[x] .. start[x+1]-1], ascending */
  start: Int32Array;
  pos: Int32Array;
}

export function indexItems(db: SequenceDb): ItemIndex {
  const { items, alphabet: K } = db;
  const start = new Int32Array(K + 1);
  for (let j = 0; j < items.length; j++) start[items[j]! + 1]!++;
  for (let x = 0; x < K; x++) start[x + 1]! += start[x]!;
  const cur = start.slice(0, K);
  const pos = new Int32Array(items.length);
  for (let j = 0; j < items.length; j++) pos[cur[items[j]!]!++] = j;
  return { start, pos };
}

/**
 * The projection of one given pattern (every occurrence end per session), computed directly:
 * the same window semantics as prefixSpan, following a single item per step. A reference for the
 * tests; learn() asks patternSessions() below, which needs less.
 */
export function projectPattern(db: SequenceDb, pattern: readonly number[], maxGap: number): Projection {
  const gap = Math.max(1, Math.floor(maxGap));
  const { items, offsets } = db;
  const nSessions = offsets.length - 1;
  const empty: Projection = { sids: new Int32Array(0), offs: new Int32Array(1), ends: new Int32Array(0) };
  if (pattern.length === 0) return empty;
  let sids: number[] = [];
  let offs: number[] = [0];
  let ends: number[] = [];
  const first = pattern[0]!;
  for (let s = 0; s < nSessions; s++) {
    const before = ends.length;
    for (let j = offsets[s]!; j < offsets[s + 1]!; j++) if (items[j] === first) ends.push(j);
    if (ends.length > before) {
      sids.push(s);
      offs.push(ends.length);
    }
  }
  for (let step = 1; step < pattern.length; step++) {
    const x = pattern[step]!;
    const nSids: number[] = [];
    const nOffs: number[] = [0];
    const nEnds: number[] = [];
    for (let k = 0; k < sids.length; k++) {
      const sid = sids[k]!;
      const last = offsets[sid + 1]! - 1;
      const before = nEnds.length;
      let scanned = -1;
      for (let t = offs[k]!; t < offs[k + 1]!; t++) {
        const e = ends[t]!;
        const to = Math.min(e + gap, last);
        for (let j = Math.max(e + 1, scanned + 1); j <= to; j++) if (items[j] === x) nEnds.push(j);
        if (to > scanned) scanned = to;
      }
      if (nEnds.length > before) {
        nSids.push(sid);
        nOffs.push(nEnds.length);
      }
    }
    sids = nSids;
    offs = nOffs;
    ends = nEnds;
  }
  return { sids: Int32Array.from(sids), offs: Int32Array.from(offs), ends: Int32Array.from(ends) };
}

/**
 * The sessions where a pattern occurs (same window semantics as prefixSpan), each with the end of
 * its EARLIEST occurrence, kept when `keep(sid, end)` says so. One left-to-right scan per session
 * that holds the first item, from that item's first position, stopping at the first complete
 * occurrence: `latest[k]` is the latest position where the first k+1 steps end, and step k+1 can
 * follow at j when latest[k] >= j - maxGap (the latest end is the nearest one, so no other end can
 * be in the window when it is not).
 */
export function patternSessions(
  db: SequenceDb,
  pattern: readonly number[],
  maxGap: number,
  index: ItemIndex,
  keep: (sid: number, end: number) => boolean = () => true,
): Int32Array {
  const gap = Math.max(1, Math.floor(maxGap));
  const { items, offsets } = db;
  const L = pattern.length;
  const first = pattern[0];
  if (L === 0 || first === undefined || first < 0 || first >= index.start.length - 1) return new Int32Array(0);
  const out: number[] = [];
  const latest = new Int32Array(L);
  // most positions hold none of the pattern's items: one lookup skips them
  const isStep = new Uint8Array(db.alphabet);
  for (const x of pattern) if (x >= 0 && x < db.alphabet) isStep[x] = 1;
  const lo = index.start[first]!;
  const hi = index.start[first + 1]!;
  let s = 0;
  for (let t = lo; t < hi; ) {
    const j0 = index.pos[t]!;
    while (offsets[s + 1]! <= j0) s++;
    const end = offsets[s + 1]!;
    latest.fill(-1 - gap);
    let found = -1;
    for (let j = j0; j < end && found < 0; j++) {
      const x = items[j]!;
      if (isStep[x] === 0) continue;
      for (let k = L - 1; k >= 0; k--) {
        if (pattern[k] !== x) continue;
        if (k === 0 || (latest[k - 1]! >= j - gap && latest[k - 1]! < j)) {
          latest[k] = j;
          if (k === L - 1) found = j;
        }
      }
    }
    if (found >= 0 && keep(s, found)) out.push(s);
    // next session holding the first item
    while (t < hi && index.pos[t]! < end) t++;
  }
  return Int32Array.from(out);
}
