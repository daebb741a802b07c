// Contiguous n-grams with per-session support. Pure.
// Exact and simple: one Map per length, one entry per (gram, session). Equivalent to PrefixSpan with
// maxGap = 1 and used as a cross-check of it, and as an alternative miner (learn option miner: 'ngrams').
import type { MiningRun, Projection, SequenceDb, Visit } from './prefixspan.js';

export interface NgramOptions {
  /** shortest gram (default 2) */
  minN: number;
  /** longest gram (default 4) */
  maxN: number;
  /** absolute min support in sessions */
  minSupport: number;
}

export const DEFAULT_NGRAM_OPTIONS: NgramOptions = { minN: 2, maxN: 4, minSupport: 20 };

interface GramEntry {
  items: number[];
  sids: number[];
  /** earliest end position per session (positions ascend, so the first write wins) */
  firstEnds: number[];
}

/**
 * Every contiguous gram of length minN..maxN occurring in at least minSupport sessions, visited in
 * order of length, then lexicographic item order. Each projection has one end per session: the end of
 * the gram's first occurrence there (the one outcomes.ts judges).
 */
export function mineNgrams<T>(db: SequenceDb, options: Partial<NgramOptions>, visit: Visit<T>): MiningRun<T> {
  const opts = { ...DEFAULT_NGRAM_OPTIONS, ...options };
  const minSup = Math.max(1, Math.ceil(opts.minSupport));
  const { items, offsets } = db;
  const nSessions = offsets.length - 1;
  const base = Math.max(1, db.alphabet);
  const out: T[] = [];
  const lengths: number[] = [];
  let explored = 0;
  let work = 0;
  for (let n = Math.max(1, opts.minN); n <= opts.maxN; n++) {
    // Packed numeric keys while alphabet^n stays exact in a double, string keys beyond.
    const numeric = Math.pow(base, n) < Number.MAX_SAFE_INTEGER;
    const grams = new Map<number | string, GramEntry>();
    for (let s = 0; s < nSessions; s++) {
      const lo = offsets[s]!;
      const hi = offsets[s + 1]!;
      for (let i = lo; i + n <= hi; i++) {
        work++;
        let key: number | string;
        if (numeric) {
          let k = 0;
          for (let t = 0; t < n; t++) k = k * base + items[i + t]!;
          key = k;
        } else {
          key = Array.from(items.subarray(i, i + n)).join(',');
        }
        let g = grams.get(key);
        if (!g) grams.set(key, (g = { items: Array.from(items.subarray(i, i + n)), sids: [], firstEnds: [] }));
        const end = i + n - 1;
        if (g.sids[g.sids.length - 1] !== s) {
          g.sids.push(s);
          g.firstEnds.push(end);
        }
      }
    }
    const frequent = [...grams.values()].filter((g) => g.sids.length >= minSup).sort((a, b) => compareItems(a.items, b.items));
    for (const g of frequent) {
      const m = g.sids.length;
      const offs = new Int32Array(m + 1);
      for (let k = 0; k <= m; k++) offs[k] = k;
      const proj: Projection = { sids: Int32Array.from(g.sids), offs, ends: Int32Array.from(g.firstEnds) };
      explored++;
      out.push(visit(g.items, proj));
      lengths.push(n);
    }
  }
  return { patterns: out, lengths, truncated: false, explored, work, minSupport: minSup, outOfWork: false, maxLen: opts.maxN };
}

export function compareItems(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
