// The planner's BM25 index (plan/bm25.ts) over each session's prompts, stored compactly for a command
// that must start fast: each document's terms are one string (" term:tf term:tf "), which JSON parses
// without building an object per document. Same tokenizer, same formula as scoreBm25. Pure.
import { tokenize, type Bm25Index } from '../plan/bm25.js';

export interface CompactBm25 {
  k1: number;
  b: number;
  avg_len: number;
  df: Record<string, number>;
  /** per document (id = position): " term:tf term:tf " */
  docs: string[];
  lens: number[];
}

export function compactBm25(index: Bm25Index): CompactBm25 {
  return {
    k1: index.k1,
    b: index.b,
    avg_len: index.avg_len,
    df: index.df,
    docs: index.docs.map((d) => ` ${Object.entries(d.tf).map(([t, n]) => `${t}:${n}`).join(' ')} `),
    lens: index.docs.map((d) => d.len),
  };
}

/** BM25 score of every document with a positive score, best first (ties: lower position first). */
export function scoreCompact(index: CompactBm25, query: string): { id: number; score: number }[] {
  const terms = [...new Set(tokenize(query))].filter((t) => index.df[t]);
  const n = index.docs.length;
  const idf = terms.map((t) => Math.log(1 + (n - index.df[t]! + 0.5) / (index.df[t]! + 0.5)));
  const out: { id: number; score: number }[] = [];
  if (!terms.length) return out;
  const norm = index.avg_len || 1;
  for (let d = 0; d < n; d++) {
    const doc = index.docs[d]!;
    let s = 0;
    for (let q = 0; q < terms.length; q++) {
      const at = doc.indexOf(` ${terms[q]}:`);
      if (at < 0) continue;
      const f = parseInt(doc.slice(at + terms[q]!.length + 2, doc.indexOf(' ', at + 1)), 10);
      s += (idf[q]! * f * (index.k1 + 1)) / (f + index.k1 * (1 - index.b + (index.b * index.lens[d]!) / norm));
    }
    if (s > 0) out.push({ id: d, score: s });
  }
  return out.sort((x, y) => y.score - x.score || x.id - y.id);
}
