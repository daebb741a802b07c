// Next-activity predictors over main-thread activity sequences, for held-out evaluation
// (docs/pattern-mining.md §3.1). One n-gram model family covers the baselines and ours:
//   max_order 0, 'backoff'        most frequent activity (baseline A)
//   max_order 1, 'backoff'        first-order Markov, argmax_b |a>b|, frequency fills the rest (baseline B)
//   max_order 3, 'interpolated'   ours: variable order, contexts of up to 3 previous activities, each
//                                 smoothed towards the next shorter one (hierarchical Dirichlet prior):
//                                 P_n(x) = (c_n(x) + α · P_{n-1}(x)) / (C_n + α), C_n = the context's
//                                 count, α = prior_strength. A long context seen often dominates; a
//                                 rare one defers to shorter ones.
// 'backoff' ranks by the longest context seen, then fills the remaining top-k slots from shorter
// contexts. It overfits sparse long contexts: with order 3 its top-3 is worse than first-order Markov
// on noisy sessions, which is why ours interpolates. On simulated corpora (120–2000 sessions) α = 20
// was best among 5/20/50, Witten–Bell and absolute discounting (0.5–0.9); 20–50 are all close.
// Sequences are padded with a begin-of-session symbol, so the first activity of a session is
// predicted from "session start" (order >= 1) rather than from nothing.
// Ties are broken by activity name, so predictions do not depend on input order. Pure.
import { Interner } from './encoded-log.js';

export interface PredictorOptions {
  /** longest context used, in previous activities (0 = unconditional frequency), at most 3 */
  max_order: number;
  /** default 'backoff' */
  method?: 'backoff' | 'interpolated';
  /** a context must have been seen this many times in training to be used; default 1 */
  min_context_count?: number;
  /** α of the interpolated model, in pseudo-observations of the shorter context; default 20 */
  prior_strength?: number;
}

interface Row {
  counts: Map<number, number>;
  total: number;
  /** successors, best first (count desc, name asc) */
  ranked: Int32Array;
}

/** Context keys pack up to 3 ids in base BASE: with 2^17 activities, keys stay below 2^53. */
const BASE = 1 << 17;
const MAX_ORDER = 3;
const PAD = -1;
const UNKNOWN = -2;

export class NgramPredictor {
  private readonly vocab = new Interner();
  /** per order: context key -> successor row */
  private readonly tables: Map<number, Row>[] = [];
  private readonly maxOrder: number;
  private readonly method: 'backoff' | 'interpolated';
  private readonly minCount: number;
  private readonly alpha: number;

  private constructor(o: PredictorOptions) {
    this.maxOrder = Math.max(0, Math.floor(o.max_order));
    if (this.maxOrder > MAX_ORDER) throw new Error(`max_order above ${MAX_ORDER} is not supported`);
    this.method = o.method ?? 'backoff';
    this.minCount = Math.max(1, o.min_context_count ?? 1);
    this.alpha = Math.max(0, o.prior_strength ?? 20);
  }

  static train(sequences: readonly (readonly string[])[], o: PredictorOptions): NgramPredictor {
    const m = new NgramPredictor(o);
    m.fit(sequences);
    return m;
  }

  /** Vocabulary size seen in training. */
  get activities(): number {
    return this.vocab.names.length;
  }

  private fit(sequences: readonly (readonly string[])[]): void {
    const seqs = sequences.map((s) => s.map((name) => this.vocab.intern(name)));
    if (this.vocab.names.length >= BASE - 2) throw new Error('too many distinct activities for the context keys');
    for (let order = 0; order <= this.maxOrder; order++) this.tables.push(new Map());
    for (const seq of seqs) {
      for (let i = 0; i < seq.length; i++) {
        const next = seq[i] as number;
        for (let order = 0; order <= this.maxOrder; order++) {
          const key = this.contextKey(seq, i, order);
          const table = this.tables[order] as Map<number, Row>;
          let row = table.get(key);
          if (row === undefined) table.set(key, (row = { counts: new Map(), total: 0, ranked: new Int32Array(0) }));
          row.counts.set(next, (row.counts.get(next) ?? 0) + 1);
          row.total++;
        }
      }
    }
    for (const table of this.tables) {
      for (const row of table.values()) {
        row.ranked = Int32Array.from([...row.counts.entries()]
          .sort((x, y) => y[1] - x[1] || this.compareNames(x[0], y[0]))
          .map(([id]) => id));
      }
    }
  }

  private compareNames(a: number, b: number): number {
    const x = this.vocab.names[a] as string;
    const y = this.vocab.names[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /**
   * Key of the `order` activities before position i: digits base BASE, 1 = before the session start,
   * id + 2 = an activity. -1 when the context holds an activity the model never saw.
   */
  private contextKey(seq: readonly number[], i: number, order: number): number {
    let key = 0;
    for (let k = order; k >= 1; k--) {
      const id = i - k >= 0 ? (seq[i - k] as number) : PAD;
      if (id === UNKNOWN) return -1;
      key = key * BASE + (id + 2);
    }
    return key;
  }

  /** Rows usable for this prefix, index = order (null where the context is unseen or too rare). */
  private rows(prefix: readonly string[]): (Row | null)[] {
    const tail = this.maxOrder === 0 ? [] : prefix.slice(-this.maxOrder);
    const seq = tail.map((name) => this.vocab.id(name) ?? UNKNOWN);
    const out: (Row | null)[] = [];
    for (let order = 0; order <= this.maxOrder; order++) {
      const key = this.contextKey(seq, seq.length, order);
      const row = key < 0 ? undefined : (this.tables[order] as Map<number, Row>).get(key);
      out.push(row !== undefined && (order === 0 || row.total >= this.minCount) ? row : null);
    }
    return out;
  }

  /** The k most likely next activities after `prefix`, best first. */
  predict(prefix: readonly string[], k = 3): string[] {
    if (this.vocab.names.length === 0 || k <= 0) return [];
    const rows = this.rows(prefix);
    const ids = this.method === 'interpolated' ? this.interpolated(rows, k) : this.backoff(rows, k);
    return ids.map((id) => this.vocab.names[id] as string);
  }

  private backoff(rows: (Row | null)[], k: number): number[] {
    const out: number[] = [];
    for (let order = rows.length - 1; order >= 0 && out.length < k; order--) {
      const row = rows[order];
      if (row === null || row === undefined) continue;
      for (const id of row.ranked) {
        if (out.length >= k) break;
        if (!out.includes(id)) out.push(id);
      }
    }
    return out;
  }

  private interpolated(rows: (Row | null)[], k: number): number[] {
    const base = rows[0] as Row;
    // Activities outside every context row are ranked by frequency alone, so only the k most
    // frequent of them can make the top k: candidates = context successors + global top k.
    const candidates = new Set<number>(base.ranked.subarray(0, k));
    for (let order = 1; order < rows.length; order++) for (const id of rows[order]?.ranked ?? []) candidates.add(id);
    const scored: [number, number][] = [];
    for (const id of candidates) {
      let p = (base.counts.get(id) ?? 0) / base.total;
      for (let order = 1; order < rows.length; order++) {
        const row = rows[order];
        if (row === null || row === undefined) continue;
        p = ((row.counts.get(id) ?? 0) + this.alpha * p) / (row.total + this.alpha);
      }
      scored.push([id, p]);
    }
    scored.sort((x, y) => y[1] - x[1] || this.compareNames(x[0], y[0]));
    return scored.slice(0, k).map(([id]) => id);
  }
}
