// Ranking sequential patterns by outcome, with honest uncertainty, and choosing the few worth
// advising. Pure.
//
// ## Evidence of one pattern
// Outcomes are session outcomes, judged only for occurrences before the session's last test run
// (outcomes.ts). Sessions are weighted by time decay, w = 2^(-age/half_life) (stats.ts decayWeight).
// - pass_rate  = Σw·passed / Σw over the known sessions containing the pattern; pass_lower /
//   pass_upper = its Wilson interval (stats.ts).
// - baseline   = the same rate over the known sessions WITHOUT the pattern.
// - uplift     = pass_rate - baseline.
// - Sample size: every interval and test uses the Kish effective size n = (Σw)² / Σw² of the weighted
//   sessions, with s = rate · n. (Using Σw itself as n, as before, made a month-old corpus count as
//   ~0.7 of its size even though every session weighs about the same: at N = 120 that alone moved the
//   planted pattern's p-value from 1.2e-4 to 4.9e-4. Decay now shifts the estimate towards recent
//   sessions without pretending there were fewer of them.)
// - bound      = Newcombe's hybrid score interval for a difference of two independent proportions
//   (Newcombe 1998, Statistics in Medicine 17:873, "method 10"; citation from memory, the formula is
//   checked by test/learn-rank.test.ts), built from the two Wilson intervals:
//     lower = δ - sqrt((p1 - l1)² + (u2 - p2)²),  upper = δ + sqrt((u1 - p1)² + (p2 - l2)²),
//   with δ = p1 - p2, (l1,u1) Wilson of the pattern, (l2,u2) Wilson of the baseline. Good patterns
//   report the lower bound, anti-patterns the upper bound.
// - p_value    = two-sided pooled two-proportion z-test, pattern vs baseline.
// - Reported intervals (pass_lower/upper, bound) are at the adjusted z of step 3, never below `z`.
// - score      = bound for good patterns, -bound for anti-patterns (larger = stronger evidence).
//
// ## From candidates to advice
// 1. Gates (outcome-blind): length >= min_len, sessions >= min_sessions, known >= min_known.
// 2. Same evidence, one pattern (outcome-blind): candidates with the same session set and the same
//    known-outcome set (two 32-bit hashes each, outcomes.ts Tally) say the same thing. Each such class
//    is represented by ONE pattern: the most informative steps, i.e. steps that are not ubiquitous
//    (an activity in >= `ubiquitous` = 95% of sessions says nothing about which sessions these
//    are), then the fewest steps, then contiguous before gapped, then by name. So: the closed
//    pattern without its padding. Why not the generator (the shortest member): a class often has
//    several, e.g. A→B and B→C when A→B→C always occurs whole, and picking one by name drops a step
//    that may be the one that matters; the padding the old closedness filter let in (it kept the
//    longest member, ubiquitous steps included) is what this removes.
// 3. Multiple testing (outcome-blind family): one test per class. Benjamini–Hochberg at `fdr` with
//    p-value weights by LAYER (Genovese, Roeder & Wasserman 2006, Biometrika 93:509, weighted BH; the
//    layers follow Webb's "layered critical values", Machine Learning 71:307, 2008; both from
//    memory): a layer is (contiguous or gapped, length) of the class's shortest member (so that the
//    presentation chosen in step 2 does not change the test); each non-empty layer gets the same share of
//    the error budget, spread evenly over its classes (weights average 1). Why: a log over 18
//    activities gives ~100 contiguous pairs but thousands of gapped 4-patterns; with one flat family
//    the thousands set the bar (at N = 120 the top p-value had to be < 1.6e-5) and short, contiguous
//    patterns, the ones advice is made of, could never pass it. The selected patterns' intervals
//    then use the false-coverage-rate adjustment of Benjamini & Yekutieli (2005, JASA 100:71, from
//    memory): level 1 - R·fdr·w_i/m for R discoveries among m, so z_i >= z grows with the layer's
//    size. Without it a lucky 33-of-33 among thousands of candidates outranks a steady 290-of-350.
// 4. Direction: good when the uplift lower bound > min_uplift, anti when the upper bound < -anti_margin.
// 5. Choosing, per list, walking the patterns by score (at most MAX_EXAMINED of them), each question
//    at z' = max(z_i, Bonferroni over the examined): "P has an effect in a set of sessions" means the
//    sessions with P pass significantly more (good) or less (anti) there than those without it
//    (Newcombe bound at z'). P's own effect over all sessions must hold at z' too.
//    With recipes (RankData.recipe, what learn() passes): each discovery is first told as its recipe
//    (recipe.ts): the first form offered whose own effect holds at the discovery's z (or the form's
//    own, when it is a discovery too and that is lower), else the discovery itself comes last as a
//    fragment (never one that a test run starts). The recipes are walked by their own score; z'
//    holds when the recipe's effect or its discovery's does; a. is skipped (recipe.ts decided, on
//    occurrences, which steps belong); in b. the form naming more steps is the better description
//    (a trailing test run is no step) and a fragment never takes a recipe's place.
//    a. (without recipes) P must beat each infix S (a contiguous sub-pattern; the only sub-patterns an occurrence
//       implies under a gap constraint) among S's sessions: P's sessions against S's others. S in
//       P's class is the same evidence and skipped. The bar is z' when S is itself a tip of this
//       list (the shorter tip is the default), else (a single activity, a pattern with no effect of
//       its own) the nominal z.
//    b. Near-duplicates: a chosen Q "covers" P when P has no effect outside Q's sessions. Q wins,
//       unless Q has no effect outside P either and P is the better of the two: P refines Q (has an
//       effect among Q's sessions) and not the other way round, or neither refines the other and P's
//       class has the simpler description (fewer ubiquitous steps, then fewer steps, then
//       contiguous) or, as simple, covers more known sessions. Then P replaces Q.
//       Same steps as a chosen pattern (another gap) is always a duplicate.
//    c. P must have an effect outside the union of the other chosen patterns' sessions: a proxy whose
//       effect is the sum of two chosen patterns says nothing new.
//    d. Good patterns are chosen first. An anti-pattern must also have an effect (nominal z) within
//       or outside each chosen good pattern: the steps of the sessions that skip a good pattern are often its
//       mirror image (same contrast, "avoid Write → Agent" for "do Read → Edit"); advice to do
//       something says it better.
//    So advice is one pattern per effect: its recipe (without recipes: its shortest form).
// 6. Lists sorted by score, then sessions, then names, then gap; cut to top_n.
import type { SequentialPattern } from './types.js';
import type { Signals, Tally } from './outcomes.js';
import { erfc, normalQuantile, phi, wilsonInterval, Z95, type Interval } from './stats.js';

// general statistics live in stats.ts; re-exported for the callers that found them here
export { erfc, normalQuantile, phi };
import { cmpStr } from '../core/cmp-str.js';

export interface Candidate {
  items: readonly number[];
  tally: Tally;
  /** the max gap its occurrences were mined with (1 = contiguous) */
  gap: number;
}

/** Decayed totals over all known sessions (final verdicts). */
export interface RankTotals {
  w_known: number;
  w_passed: number;
  /** Σw² over the known sessions */
  w2_known: number;
}

export interface RankOptions {
  min_sessions: number;
  min_known: number;
  min_len: number;
  z: number;
  min_uplift: number;
  anti_margin: number;
  fdr: number;
  top_n: number;
  /** share of sessions from which an activity counts as ubiquitous (class representatives avoid it) */
  ubiquitous: number;
}

export const DEFAULT_RANK_OPTIONS: RankOptions = {
  min_sessions: 20,
  min_known: 10,
  min_len: 2,
  z: Z95,
  min_uplift: 0,
  anti_margin: 0,
  fdr: 0.05,
  top_n: 20,
  ubiquitous: 0.95,
};

/** What ranking reads besides the candidates' tallies. */
export interface RankData {
  /** per session: decay weight and outcome (outcomes.ts PASS / FAIL / UNKNOWN) */
  weight: Float64Array;
  final: Int8Array;
  /** the known sessions where a pattern (mined with `gap`) occurs before the outcome, ascending */
  sessions(items: readonly number[], gap: number): Int32Array;
  /** activities in at least `ubiquitous` of all sessions */
  ubiquitous(item: number): boolean;
  /** secondary signals and dates, asked for reported patterns only */
  signals?(items: readonly number[], gap: number): Signals;
  /**
   * The forms a discovered pattern may be told by, best first (recipe.ts): the first whose own effect
   * holds is the form advice names. Without it each effect is told by its shortest form (step 5a).
   */
  recipe?(items: readonly number[], gap: number, dir: 1 | -1): { items: number[]; gap: number }[];
  /** activities that run tests (outcome carriers), with `recipe` */
  isTest?(item: number): boolean;
}

/** A reported sequential pattern and the gap its evidence was measured with (1 = contiguous). */
export type RankedPattern = SequentialPattern;

const EPS = 1e-9;

/** Newcombe hybrid score interval for p1 - p2 (see header). */
export function newcombeInterval(s1: number, n1: number, s2: number, n2: number, z = Z95): Interval {
  const p1 = n1 > 0 ? s1 / n1 : 0;
  const p2 = n2 > 0 ? s2 / n2 : 0;
  const w1 = wilsonInterval(s1, n1, z);
  const w2 = wilsonInterval(s2, n2, z);
  const d = p1 - p2;
  return {
    lower: d - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2),
    upper: d + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2),
  };
}

/** Two-sided p-value of the pooled two-proportion z-test of s1/n1 against s2/n2. */
export function twoProportionP(s1: number, n1: number, s2: number, n2: number): number {
  if (!(n1 > 0) || !(n2 > 0)) return 1;
  const pooled = (s1 + s2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return 1;
  const z = (s1 / n1 - s2 / n2) / se;
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** Benjamini–Hochberg: which of the p-values are discoveries at false-discovery rate q. */
export function benjaminiHochberg(pValues: readonly number[], q: number): boolean[] {
  return weightedBenjaminiHochberg(pValues, pValues.map(() => 1), q);
}

/**
 * Weighted Benjamini–Hochberg (Genovese et al. 2006): BH on p_i / w_i. The weights must be fixed
 * before looking at outcomes and average 1 for the FDR guarantee.
 */
export function weightedBenjaminiHochberg(pValues: readonly number[], weights: readonly number[], q: number): boolean[] {
  const m = pValues.length;
  const adj = pValues.map((p, i) => (weights[i]! > 0 ? p / weights[i]! : Infinity));
  const order = [...adj.keys()].sort((a, b) => adj[a]! - adj[b]! || a - b);
  let cut = -1;
  for (let i = 0; i < m; i++) if (adj[order[i]!]! <= ((i + 1) / m) * q) cut = i;
  const out = new Array<boolean>(m).fill(false);
  for (let i = 0; i <= cut; i++) out[order[i]!] = true;
  return out;
}

/**
 * Layer weights for weightedBenjaminiHochberg: each distinct layer gets the same share, spread
 * evenly over its members, so the weights average 1.
 */
export function layerWeights(layers: readonly string[]): number[] {
  const count = new Map<string, number>();
  for (const l of layers) count.set(l, (count.get(l) ?? 0) + 1);
  const m = layers.length;
  return layers.map((l) => m / (count.size * count.get(l)!));
}

/** Kish effective sample size of weights with sum w and sum of squares w2. */
export function kishSize(w: number, w2: number): number {
  return w2 > EPS ? (w * w) / w2 : 0;
}

function rate(t: Tally): number | null {
  return t.w_known > EPS ? t.w_passed / t.w_known : null;
}

const NO_SIGNALS: Signals = { first_seen: 0, last_seen: 0, steps: 0, errors: 0, interrupted_sessions: 0, stop_failure_sessions: 0 };

interface Described {
  pattern: SequentialPattern;
  lowerUplift: number | null;
  upperUplift: number | null;
  p: number;
}

/** Every evidence field of a pattern; `bound` and `score` depend on its role and are set later. */
export function describePattern(steps: string[], t: Tally, totals: RankTotals, z: number, signals: Signals = NO_SIGNALS): Described {
  const p = rate(t);
  const n1 = kishSize(t.w_known, t.w2_known);
  const w = wilsonInterval((p ?? 0) * n1, n1, z);
  const wb = Math.max(0, totals.w_known - t.w_known);
  const sb = Math.min(wb, Math.max(0, totals.w_passed - t.w_passed_final));
  const baseline = wb > EPS ? sb / wb : null;
  const nb = kishSize(wb, Math.max(0, totals.w2_known - t.w2_known));
  let lowerUplift: number | null = null;
  let upperUplift: number | null = null;
  let pValue = 1;
  if (p !== null && baseline !== null && nb > EPS) {
    const ci = newcombeInterval(p * n1, n1, baseline * nb, nb, z);
    lowerUplift = ci.lower;
    upperUplift = ci.upper;
    pValue = twoProportionP(p * n1, n1, baseline * nb, nb);
  }
  return {
    pattern: {
      steps,
      // the caller sets the gap it mined with; contiguous until then
      max_gap: 1,
      sessions: t.sessions,
      known: t.known,
      passed: t.passed,
      pass_rate: p,
      pass_lower: p === null ? null : w.lower,
      pass_upper: p === null ? null : w.upper,
      baseline,
      uplift: p !== null && baseline !== null ? p - baseline : null,
      bound: null,
      p_value: lowerUplift !== null ? pValue : null,
      score: 0,
      first_seen: signals.first_seen,
      last_seen: signals.last_seen,
      support_weighted: t.w_sessions,
      error_rate: signals.steps > 0 ? signals.errors / signals.steps : 0,
      interrupted_sessions: signals.interrupted_sessions,
      stop_failure_sessions: signals.stop_failure_sessions,
    },
    lowerUplift,
    upperUplift,
    p: pValue,
  };
}

/** Key of a pattern mined with a gap; a single activity is the same pattern at every gap. */
function patternKey(items: readonly number[], gap: number): string {
  return `${items.length > 1 ? gap : 1}|${items.join(',')}`;
}

/** Candidates with equal keys have the same session set and the same known-outcome set. */
export function evidenceKey(t: Tally): string {
  return `${t.sessions},${t.h1},${t.h2},${t.known},${t.kh1},${t.kh2}`;
}

/**
 * The outcome-blind preference between two near-duplicate patterns (step 5b): fewer ubiquitous steps,
 * then fewer steps, then contiguous before gapped. Negative when `a` is preferred, 0 on a tie.
 */
export function simpler(a: Candidate, b: Candidate, ubiquitous: (item: number) => boolean): number {
  const nUbiq = (c: Candidate): number => c.items.reduce((n, x) => n + (ubiquitous(x) ? 1 : 0), 0);
  return nUbiq(a) - nUbiq(b) || a.items.length - b.items.length || a.gap - b.gap;
}

/** A class of candidates with the same evidence (header, step 2). */
export interface EvidenceClass<C extends Candidate> {
  /** the pattern that speaks for the class */
  rep: C;
  /** its simplest description: the shortest member, contiguous when one of those is */
  simplest: C;
  /** the multiple-testing layer, from `simplest`: "contiguous:2", "gapped:3", … */
  layer: string;
}

/**
 * One representative per class of candidates with the same evidence (header, step 2), in the order
 * of the representatives in the input. The layer is the class's simplest description, so that how a
 * class is presented does not change how it is tested.
 */
export function evidenceClasses<C extends Candidate>(cands: readonly C[], names: readonly string[], ubiquitous: (item: number) => boolean): EvidenceClass<C>[] {
  const best = new Map<string, C>();
  const simplest = new Map<string, C>();
  const informative = (c: C): number => c.items.reduce((n, x) => n + (ubiquitous(x) ? 0 : 1), 0);
  const better = (a: C, b: C): boolean => {
    const c = informative(b) - informative(a) || a.items.length - b.items.length || a.gap - b.gap;
    if (c !== 0) return c < 0;
    return cmpStr(a.items.map((i) => names[i]!).join('\u0000'), b.items.map((i) => names[i]!).join('\u0000')) < 0;
  };
  for (const c of cands) {
    const k = evidenceKey(c.tally);
    const cur = best.get(k);
    if (!cur || better(c, cur)) best.set(k, c);
    const s = simplest.get(k);
    if (!s || c.items.length < s.items.length || (c.items.length === s.items.length && c.gap < s.gap)) simplest.set(k, c);
  }
  const out: EvidenceClass<C>[] = [];
  for (const c of cands) {
    const k = evidenceKey(c.tally);
    if (best.get(k) !== c) continue;
    const s = simplest.get(k)!;
    out.push({ rep: c, simplest: s, layer: `${s.gap === 1 ? 'contiguous' : 'gapped'}:${s.items.length}` });
  }
  return out;
}

/** The contiguous proper sub-patterns (infixes) of a pattern, longest first. */
function infixes(items: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let len = items.length - 1; len >= 1; len--) for (let i = 0; i + len <= items.length; i++) out.push(items.slice(i, i + len));
  return out;
}

/** Weighted sums over known sessions: Σw, Σw·passed, Σw². */
interface Sums {
  w: number;
  wp: number;
  w2: number;
}

const minus = (a: Sums, b: Sums): Sums => ({ w: a.w - b.w, wp: a.wp - b.wp, w2: a.w2 - b.w2 });
const sumsOf = (t: Tally): Sums => ({ w: t.w_known, wp: t.w_passed, w2: t.w2_known });

/** The known sessions where a pattern occurs before the outcome. */
interface SessionSet {
  sids: Int32Array;
  flag: Uint8Array;
  sums: Sums;
}

/** Sums over the sessions in both sets (walks the smaller one). */
function intersection(P: SessionSet, Q: SessionSet, data: RankData): Sums {
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
function stratified(P: SessionSet, Q: SessionSet, total: Sums, dir: 1 | -1, data: RankData, z: number): { within: boolean; outside: boolean } {
  const A = intersection(P, Q, data);
  const C = minus(P.sums, A);
  return { within: separates(A, minus(Q.sums, A), dir, z), outside: separates(C, minus(minus(total, Q.sums), C), dir, z) };
}

/** Newcombe bound of rate(x) - rate(y) beyond 0 in direction dir. */
function separates(x: Sums, y: Sums, dir: 1 | -1, z: number): boolean {
  if (!(x.w > EPS && y.w > EPS)) return false;
  const nx = kishSize(x.w, x.w2);
  const ny = kishSize(y.w, y.w2);
  if (!(nx > EPS && ny > EPS)) return false;
  const ci = newcombeInterval((Math.min(x.wp, x.w) / x.w) * nx, nx, (Math.min(y.wp, y.w) / y.w) * ny, ny, z);
  return dir === 1 ? ci.lower > 0 : ci.upper < 0;
}

/** How many discoveries per list step 5 looks at, at most (it reads session sets). */
const MAX_EXAMINED = 400;

/**
 * Good and anti-patterns among the candidates (header). `tested` is the size of the multiple-testing
 * family (classes that reached the outcome test).
 */
export function rankPatterns(
  cands: readonly Candidate[],
  names: readonly string[],
  data: RankData,
  options: Partial<RankOptions> = {},
): { good: RankedPattern[]; anti: RankedPattern[]; tested: number } {
  const opts = { ...DEFAULT_RANK_OPTIONS, ...options };
  const byKey = new Map<string, Candidate>();
  for (const c of cands) if (!byKey.has(patternKey(c.items, c.gap))) byKey.set(patternKey(c.items, c.gap), c);

  const total: Sums = { w: 0, wp: 0, w2: 0 };
  for (let s = 0; s < data.final.length; s++) {
    if (data.final[s] === -1) continue;
    const w = data.weight[s]!;
    total.w += w;
    total.w2 += w * w;
    if (data.final[s] === 1) total.wp += w;
  }
  const totals: RankTotals = { w_known: total.w, w_passed: total.wp, w2_known: total.w2 };

  // 1–2: gates, then one representative per evidence class
  const gated = [...byKey.values()].filter(
    (c) => c.items.length >= opts.min_len && c.tally.sessions >= opts.min_sessions && c.tally.known >= opts.min_known,
  );
  interface Tested {
    cand: Candidate;
    simplest: Candidate;
    d: Described;
    layer: string;
  }
  const tested: Tested[] = [];
  for (const { rep: c, simplest, layer } of evidenceClasses(gated, names, data.ubiquitous)) {
    const d = describePattern(
      c.items.map((i) => names[i]!),
      c.tally,
      totals,
      opts.z,
    );
    if (d.lowerUplift !== null) tested.push({ cand: c, simplest, d, layer });
  }

  // 3: layered weighted BH over the classes
  const layers = tested.map((t) => t.layer);
  const weights = layerWeights(layers);
  const discovery = opts.fdr >= 1 ? tested.map(() => true) : weightedBenjaminiHochberg(tested.map((x) => x.d.p), weights, opts.fdr);
  const nDiscovered = discovery.filter(Boolean).length;
  // Intervals of the selected (header, step 3): level 1 - R·q·w_i/m, never below the nominal z.
  const nominal = 2 * (1 - phi(opts.z));
  const zOf = (i: number): number =>
    opts.fdr >= 1 || tested.length === 0 ? opts.z : normalQuantile(1 - Math.min(nominal, (nDiscovered * opts.fdr * weights[i]!) / tested.length) / 2);

  // 4: direction, on the adjusted intervals
  interface Found {
    cand: Candidate;
    simplest: Candidate;
    pattern: RankedPattern;
    z: number;
    /** told as a recipe: the discovery it describes (whose effect step 5 checks at z') */
    seed?: Found;
    /** a discovery none of whose recipe forms holds, told as it was found */
    fragment?: boolean;
  }
  const good: Found[] = [];
  const anti: Found[] = [];
  tested.forEach(({ cand, simplest }, i) => {
    if (!discovery[i]) return;
    const z = zOf(i);
    const { pattern, lowerUplift, upperUplift } = describePattern(
      cand.items.map((x) => names[x]!),
      cand.tally,
      totals,
      z,
    );
    if (lowerUplift === null || upperUplift === null) return;
    if (lowerUplift > opts.min_uplift) good.push({ cand, simplest, z, pattern: { ...pattern, bound: lowerUplift, score: lowerUplift, max_gap: cand.gap } });
    else if (upperUplift < -opts.anti_margin) anti.push({ cand, simplest, z, pattern: { ...pattern, bound: upperUplift, score: -upperUplift, max_gap: cand.gap } });
  });

  // 5: infixes, then the patterns already chosen
  const sets = new Map<string, SessionSet>();
  const setOf = (items: readonly number[], gap: number): SessionSet => {
    const k = patternKey(items, gap);
    let s = sets.get(k);
    if (!s) {
      const sids = data.sessions(items, gap);
      const flag = new Uint8Array(data.final.length);
      const sums: Sums = { w: 0, wp: 0, w2: 0 };
      for (const sid of sids) {
        flag[sid] = 1;
        const w = data.weight[sid]!;
        sums.w += w;
        sums.w2 += w * w;
        if (data.final[sid] === 1) sums.wp += w;
      }
      sets.set(k, (s = { sids, flag, sums }));
    }
    return s;
  };
  /** The union of the chosen patterns' session sets. */
  const unionOf = (list: readonly Found[]): SessionSet => {
    const flag = new Uint8Array(data.final.length);
    const ids: number[] = [];
    const sums: Sums = { w: 0, wp: 0, w2: 0 };
    for (const f of list) {
      for (const sid of setOf(f.cand.items, f.cand.gap).sids) {
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
  };
  /**
   * A discovered pattern told as its recipe (recipe.ts), with the recipe's own evidence at the seed's
   * z (or its own, when it is a discovery too and that is lower): the first form offered that was
   * mined, passes the gates and holds on its own (the seed itself when it is offered first); null
   * when none does.
   */
  // the z of each discovered evidence class, per direction: a form that is itself a discovery is
  // judged at its own (layer's) z when that is lower than its seed's
  const discoveredZ = new Map<string, number>();
  for (const [list, dir] of [[good, 1], [anti, -1]] as const) for (const f of list) discoveredZ.set(`${dir}|${evidenceKey(f.cand.tally)}`, f.z);
  const recipeForm = (seed: Found, dir: 1 | -1): Found | null => {
    const forms = data.recipe!(seed.cand.items, seed.cand.gap, dir);
    for (const [i, r] of forms.entries()) {
      const cand = byKey.get(patternKey(r.items, r.gap));
      if (!cand) continue;
      // the seed is its own recipe only when it is offered first; offered last, it is a fragment
      if (cand === seed.cand) return i === 0 ? seed : null;
      if (cand.items.length < opts.min_len || cand.tally.sessions < opts.min_sessions || cand.tally.known < opts.min_known) continue;
      const z = Math.min(seed.z, discoveredZ.get(`${dir}|${evidenceKey(cand.tally)}`) ?? seed.z);
      const { pattern, lowerUplift, upperUplift } = describePattern(
        cand.items.map((x) => names[x]!),
        cand.tally,
        totals,
        z,
      );
      if (lowerUplift === null || upperUplift === null) continue;
      if (dir === 1 ? !(lowerUplift > opts.min_uplift) : !(upperUplift < -opts.anti_margin)) continue;
      const bound = dir === 1 ? lowerUplift : upperUplift;
      return { cand, simplest: cand, z, seed, pattern: { ...pattern, bound, score: dir * bound, max_gap: cand.gap } };
    }
    return null;
  };
  /**
   * The discoveries told as recipes, strongest first. A seed none of whose recipe forms holds on its
   * own comes last, as itself: it is a fragment that another discovery of the same effect (at a
   * lower z, or told by a form that holds) usually names whole, and near-duplicates keep the first.
   */
  const toldAsRecipes = (seeds: readonly Found[], dir: 1 | -1): Found[] => {
    const whole: Found[] = [];
    const fragments: Found[] = [];
    for (const seed of seeds) {
      const f = recipeForm(seed, dir);
      if (f) whole.push(f);
      // a test run that closes the previous episode never starts a pattern (recipe.ts rule 1)
      else if (!data.isTest?.(seed.cand.items[0]!)) fragments.push({ ...seed, fragment: true });
    }
    whole.sort((a, b) => comparePatterns(a.pattern, b.pattern));
    return [...whole, ...fragments];
  };
  /** Steps a recipe names (a test run is its outcome, not a step: "X, then the tests" is one). */
  const recipeSteps = (c: Candidate): number => c.items.filter((x) => !data.isTest?.(x)).length;
  const choose = (list: Found[], dir: 1 | -1, opposite: readonly Found[]): Found[] => {
    list.sort((a, b) => comparePatterns(a.pattern, b.pattern));
    // Step 5 asks several questions of every pattern it looks at: its z is Bonferroni over them.
    const zStep = Math.max(opts.z, normalQuantile(1 - nominal / (2 * Math.max(1, Math.min(list.length, MAX_EXAMINED)))));
    const tips = new Set(list.map((f) => evidenceKey(f.cand.tally)));
    let chosen: Found[] = [];
    let union: SessionSet | null = null;
    const told = new Set<string>();
    const examined = list.slice(0, MAX_EXAMINED);
    for (const f of data.recipe ? toldAsRecipes(examined, dir) : examined) {
      if (chosen.length >= opts.top_n) break;
      const { cand } = f;
      const stepsKey = cand.items.join(',');
      if (told.has(stepsKey) || chosen.some((q) => q.cand.items.join(',') === stepsKey)) continue;
      // its own effect first, at z': the pattern's, or the discovery it describes (a recipe holds on
      // its own at its seed's z; its extra steps may thin out its sessions a little)
      const z = Math.max(f.z, zStep);
      const holdsAt = (x: Found): boolean => {
        const d = describePattern(x.pattern.steps, x.cand.tally, totals, z);
        return dir === 1 ? d.lowerUplift! > opts.min_uplift : d.upperUplift! < -opts.anti_margin;
      };
      if (z > f.z && !holdsAt(f) && !(f.seed && holdsAt(f.seed))) continue;
      told.add(stepsKey);

      // Without recipes (step 5a): it must beat each infix S among S's sessions (its own sessions are
      // inside S's, outcomes.ts), from the tallies alone. When S is itself a tip of this list, S is the
      // default and the extra steps must matter beyond doubt (z); otherwise (a single activity, or no
      // tip) the nominal bar. With recipes, recipe.ts decided which steps belong, on occurrences.
      const myClass = evidenceKey(cand.tally);
      const mine = sumsOf(cand.tally);
      const beatsInfixes =
        data.recipe !== undefined ||
        infixes(cand.items).every((sub) => {
          const s = byKey.get(patternKey(sub, cand.gap));
          if (!s) return true;
          const cls = evidenceKey(s.tally);
          if (cls === myClass) return true;
          return separates(mine, minus(sumsOf(s.tally), mine), dir, tips.has(cls) ? z : opts.z);
        });
      if (!beatsInfixes) continue;

      // Near-duplicates: a chosen pattern Q that covers this one P (P has no effect outside Q) wins,
      // unless they explain each other (Q has no effect outside P either) and P is the better of
      // the two: P refines Q (is significantly better among Q's sessions) and not the other way
      // round; or neither refines the other and P is simpler (the preference of step 2; told as
      // recipes: more specific) or, as simple, more general (more known sessions). Then P takes Q's
      // place.
      const P = setOf(cand.items, cand.gap);
      const replaced = new Set<Found>();
      const covered = chosen.some((q) => {
        const Q = setOf(q.cand.items, q.cand.gap);
        const pq = stratified(P, Q, total, dir, data, z);
        if (pq.outside) return false;
        const qp = stratified(Q, P, total, dir, data, Math.max(q.z, zStep));
        if (qp.outside) return true;
        // (told as recipes, the more specific of two forms with the same evidence is the better one)
        // (a fragment never takes the place of a recipe of the same effect)
        const preference = f.fragment ? 1 : data.recipe ? recipeSteps(q.cand) - recipeSteps(cand) : simpler(f.simplest, q.simplest, data.ubiquitous);
        const better = pq.within !== qp.within ? pq.within : (preference || q.cand.tally.known - cand.tally.known) < 0;
        if (better) replaced.add(q);
        return !better;
      });
      if (covered) continue;
      // ... and it must have an effect outside all the others together (not just outside each).
      const others = replaced.size > 0 ? chosen.filter((q) => !replaced.has(q)) : chosen;
      if (others.length > 1) {
        const U = replaced.size > 0 || union === null ? unionOf(others) : union;
        if (!stratified(P, U, total, dir, data, z).outside) continue;
      }
      // d. an anti-pattern must tell something the good patterns do not (the steps of the sessions
      //    that skipped a good pattern are often its mirror image, with the very same contrast)
      //    (a mirror image has no contrast left at all, so the nominal z tells it)
      if (!opposite.every((q) => {
        const r = stratified(P, setOf(q.cand.items, q.cand.gap), total, dir, data, opts.z);
        return r.within || r.outside;
      })) continue;
      chosen = [...others, f];
      union = unionOf(chosen);
    }
    return chosen.sort((a, b) => comparePatterns(a.pattern, b.pattern));
  };
  const report = (list: Found[]): RankedPattern[] =>
    list.map(({ cand, pattern }) => (data.signals ? withSignals(pattern, data.signals(cand.items, cand.gap)) : pattern));
  const chosenGood = choose(good, 1, []);
  return { good: report(chosenGood), anti: report(choose(anti, -1, chosenGood)), tested: tested.length };
}

function withSignals(p: RankedPattern, s: Signals): RankedPattern {
  return {
    ...p,
    first_seen: s.first_seen,
    last_seen: s.last_seen,
    error_rate: s.steps > 0 ? s.errors / s.steps : 0,
    interrupted_sessions: s.interrupted_sessions,
    stop_failure_sessions: s.stop_failure_sessions,
  };
}

export function comparePatterns(a: SequentialPattern | RankedPattern, b: SequentialPattern | RankedPattern): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.sessions !== b.sessions) return b.sessions - a.sessions;
  const c = cmpStr(a.steps.join('\u0000'), b.steps.join('\u0000'));
  if (c !== 0) return c;
  return ('max_gap' in a ? a.max_gap : 0) - ('max_gap' in b ? b.max_gap : 0);
}
