// The sessions as one flat sequence database of interned items, and the queries of ONE pattern over
// it: an inverted index of positions, a pattern's projection, the sessions a pattern occurs in.
// The window semantics (maxGap) are prefixspan.ts's. Pure.

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
