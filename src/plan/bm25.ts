// BM25 relevance of a prompt to each pattern, where a pattern's "document" is the words of the
// prompts of the sessions it occurred in. Pure; the index is plain JSON so the prompt hook can load
// it without any dependency.

export interface Bm25Index {
  k1: number;
  b: number;
  avg_len: number;
  /** document frequency of each term */
  df: Record<string, number>;
  docs: { id: string; len: number; tf: Record<string, number> }[];
}

const STOP = new Set(
  'a an and are as at be but by can do does for from has have how i if in into is it its me my no not of on or our please so that the their them then there these this to up us was we what when which who why will with you your'.split(' '),
);

/** Lower-case words of 2+ letters or digits, stop words dropped, a light plural strip. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().match(/[a-z0-9][a-z0-9_-]*[a-z0-9]|[a-z]{2,}/g) ?? []) {
    if (STOP.has(raw) || raw.length > 40) continue;
    out.push(raw.length > 4 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw);
  }
  return out;
}

/** Keeps each document's most frequent terms only, so the index stays small for the hook to load. */
export function buildBm25(docs: readonly { id: string; text: string }[], maxTermsPerDoc = 200, k1 = 1.2, b = 0.75): Bm25Index {
  const df: Record<string, number> = {};
  const out: Bm25Index['docs'] = [];
  let total = 0;
  for (const d of docs) {
    const counts = new Map<string, number>();
    for (const t of tokenize(d.text)) counts.set(t, (counts.get(t) ?? 0) + 1);
    const top = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, maxTermsPerDoc);
    const tf: Record<string, number> = {};
    let len = 0;
    for (const [t, n] of top) {
      tf[t] = n;
      len += n;
      df[t] = (df[t] ?? 0) + 1;
    }
    total += len;
    out.push({ id: d.id, len, tf });
  }
  return { k1, b, avg_len: out.length ? total / out.length : 0, df, docs: out };
}

export function scoreBm25(index: Bm25Index, query: string): { id: string; score: number }[] {
  const terms = [...new Set(tokenize(query))];
  const n = index.docs.length;
  const scores: { id: string; score: number }[] = [];
  for (const d of index.docs) {
    let s = 0;
    for (const t of terms) {
      const f = d.tf[t];
      if (!f) continue;
      const df = index.df[t] ?? 0;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      s += (idf * f * (index.k1 + 1)) / (f + index.k1 * (1 - index.b + (index.b * d.len) / (index.avg_len || 1)));
    }
    if (s > 0) scores.push({ id: d.id, score: s });
  }
  return scores.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
}
