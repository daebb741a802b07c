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
//
// Where things are: the statistics (Wilson, Newcombe, the z-test, weighted BH, Kish) in stats.ts; the
// evidence of one pattern and the evidence classes (steps 1-2) in pattern-evidence.ts; session sets and
// the stratified comparisons of step 5 in session-sets.ts. This file runs the steps.
import type { SequentialPattern } from './types.js';
import type { Signals } from './outcomes.js';
import { cmpStr } from '../core/cmp-str.js';
import {
  describePattern, evidenceClasses, evidenceKey, patternKey, simpler, type Candidate, type Described, type RankTotals,
} from './pattern-evidence.js';
import {
  knownSums, minus, separates, sessionSet, stratified, sumsOf, unionOf, type SessionOutcomes, type SessionSet, type Sums,
} from './session-sets.js';
import { layerWeights, normalQuantile, phi, weightedBenjaminiHochberg, Z95 } from './stats.js';

// general statistics live in stats.ts, the evidence of a pattern in pattern-evidence.ts; re-exported
// for the callers that found them here
export { benjaminiHochberg, erfc, kishSize, layerWeights, newcombeInterval, normalQuantile, phi, twoProportionP, weightedBenjaminiHochberg } from './stats.js';
export { describePattern, evidenceClasses, evidenceKey, simpler, type Candidate, type EvidenceClass, type RankTotals } from './pattern-evidence.js';

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

/**
 * What ranking reads besides the candidates' tallies; per session (SessionOutcomes): decay weight
 * and outcome (outcomes.ts PASS / FAIL / UNKNOWN).
 */
export interface RankData extends SessionOutcomes {
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

/** The contiguous proper sub-patterns (infixes) of a pattern, longest first. */
function infixes(items: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let len = items.length - 1; len >= 1; len--) for (let i = 0; i + len <= items.length; i++) out.push(items.slice(i, i + len));
  return out;
}

/** How many discoveries per list step 5 looks at, at most (it reads session sets). */
const MAX_EXAMINED = 400;

/** An evidence class that reached the outcome test (steps 1–2). */
interface Tested {
  cand: Candidate;
  simplest: Candidate;
  d: Described;
  layer: string;
}

/** A discovery with a direction (step 4), or the recipe form that tells it (step 5). */
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

/** What the steps share: the inputs, the totals over known sessions, and the session sets read so far. */
interface Ranking {
  opts: RankOptions;
  names: readonly string[];
  data: RankData;
  byKey: Map<string, Candidate>;
  total: Sums;
  totals: RankTotals;
  /** the two-sided tail of the nominal z */
  nominal: number;
  sets: Map<string, SessionSet>;
  /**
   * the z of each discovered evidence class, per direction: a form that is itself a discovery is
   * judged at its own (layer's) z when that is lower than its seed's
   */
  discoveredZ: Map<string, number>;
}

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
  const total = knownSums(data);
  const totals: RankTotals = { w_known: total.w, w_passed: total.wp, w2_known: total.w2 };
  const ranking: Ranking = {
    opts, names, data, byKey, total, totals,
    nominal: 2 * (1 - phi(opts.z)),
    sets: new Map(),
    discoveredZ: new Map(),
  };
  const tested = testedClasses(ranking);
  const { good, anti } = directed(ranking, tested, discoveryLevels(ranking, tested));
  for (const [list, dir] of [[good, 1], [anti, -1]] as const) for (const f of list) ranking.discoveredZ.set(`${dir}|${evidenceKey(f.cand.tally)}`, f.z);
  const report = (list: Found[]): RankedPattern[] =>
    list.map(({ cand, pattern }) => (data.signals ? withSignals(pattern, data.signals(cand.items, cand.gap)) : pattern));
  const chosenGood = choose(ranking, good, 1, []);
  return { good: report(chosenGood), anti: report(choose(ranking, anti, -1, chosenGood)), tested: tested.length };
}

/** 1–2: gates, then one representative per evidence class, with its evidence at the nominal z. */
function testedClasses({ opts, names, data, byKey, totals }: Ranking): Tested[] {
  const gated = [...byKey.values()].filter(
    (c) => c.items.length >= opts.min_len && c.tally.sessions >= opts.min_sessions && c.tally.known >= opts.min_known,
  );
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
  return tested;
}

/** 3: layered weighted BH over the classes; per class the z of its interval, or null when not discovered. */
function discoveryLevels({ opts, nominal }: Ranking, tested: readonly Tested[]): (number | null)[] {
  const layers = tested.map((t) => t.layer);
  const weights = layerWeights(layers);
  const discovery = opts.fdr >= 1 ? tested.map(() => true) : weightedBenjaminiHochberg(tested.map((x) => x.d.p), weights, opts.fdr);
  const nDiscovered = discovery.filter(Boolean).length;
  // Intervals of the selected (header, step 3): level 1 - R·q·w_i/m, never below the nominal z.
  const zOf = (i: number): number =>
    opts.fdr >= 1 || tested.length === 0 ? opts.z : normalQuantile(1 - Math.min(nominal, (nDiscovered * opts.fdr * weights[i]!) / tested.length) / 2);
  return discovery.map((found, i) => (found ? zOf(i) : null));
}

/** 4: direction, on the adjusted intervals. */
function directed({ opts, names, totals }: Ranking, tested: readonly Tested[], zs: readonly (number | null)[]): { good: Found[]; anti: Found[] } {
  const good: Found[] = [];
  const anti: Found[] = [];
  tested.forEach(({ cand, simplest }, i) => {
    const z = zs[i];
    if (z === null || z === undefined) return;
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
  return { good, anti };
}

/** The session set of a pattern, read once. */
function setOf({ sets, data }: Ranking, items: readonly number[], gap: number): SessionSet {
  const k = patternKey(items, gap);
  let s = sets.get(k);
  if (!s) sets.set(k, (s = sessionSet(data.sessions(items, gap), data)));
  return s;
}

/** The union of the chosen patterns' session sets. */
function unionOfChosen(ranking: Ranking, list: readonly Found[]): SessionSet {
  return unionOf(
    list.map((f) => setOf(ranking, f.cand.items, f.cand.gap)),
    ranking.data,
  );
}

/**
 * A discovered pattern told as its recipe (recipe.ts), with the recipe's own evidence at the seed's
 * z (or its own, when it is a discovery too and that is lower): the first form offered that was
 * mined, passes the gates and holds on its own (the seed itself when it is offered first); null
 * when none does.
 */
function recipeForm({ opts, names, data, byKey, totals, discoveredZ }: Ranking, seed: Found, dir: 1 | -1): Found | null {
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
}

/**
 * The discoveries told as recipes, strongest first. A seed none of whose recipe forms holds on its
 * own comes last, as itself: it is a fragment that another discovery of the same effect (at a
 * lower z, or told by a form that holds) usually names whole, and near-duplicates keep the first.
 */
function toldAsRecipes(ranking: Ranking, seeds: readonly Found[], dir: 1 | -1): Found[] {
  const whole: Found[] = [];
  const fragments: Found[] = [];
  for (const seed of seeds) {
    const f = recipeForm(ranking, seed, dir);
    if (f) whole.push(f);
    // a test run that closes the previous episode never starts a pattern (recipe.ts rule 1)
    else if (!ranking.data.isTest?.(seed.cand.items[0]!)) fragments.push({ ...seed, fragment: true });
  }
  whole.sort((a, b) => comparePatterns(a.pattern, b.pattern));
  return [...whole, ...fragments];
}

/** Steps a recipe names (a test run is its outcome, not a step: "X, then the tests" is one). */
function recipeSteps(data: RankData, c: Candidate): number {
  return c.items.filter((x) => !data.isTest?.(x)).length;
}

/**
 * Its own effect first, at z': the pattern's, or the discovery it describes (a recipe holds on its
 * own at its seed's z; its extra steps may thin out its sessions a little).
 */
function holdsOwnEffect({ opts, totals }: Ranking, f: Found, dir: 1 | -1, z: number): boolean {
  const holdsAt = (x: Found): boolean => {
    const d = describePattern(x.pattern.steps, x.cand.tally, totals, z);
    return dir === 1 ? d.lowerUplift! > opts.min_uplift : d.upperUplift! < -opts.anti_margin;
  };
  return !(z > f.z && !holdsAt(f) && !(f.seed && holdsAt(f.seed)));
}

/**
 * Without recipes (step 5a): it must beat each infix S among S's sessions (its own sessions are
 * inside S's, outcomes.ts), from the tallies alone. When S is itself a tip of this list, S is the
 * default and the extra steps must matter beyond doubt (z); otherwise (a single activity, or no
 * tip) the nominal bar. With recipes, recipe.ts decided which steps belong, on occurrences.
 */
function beatsInfixes({ opts, data, byKey }: Ranking, cand: Candidate, dir: 1 | -1, z: number, tips: ReadonlySet<string>): boolean {
  if (data.recipe !== undefined) return true;
  const myClass = evidenceKey(cand.tally);
  const mine = sumsOf(cand.tally);
  return infixes(cand.items).every((sub) => {
    const s = byKey.get(patternKey(sub, cand.gap));
    if (!s) return true;
    const cls = evidenceKey(s.tally);
    if (cls === myClass) return true;
    return separates(mine, minus(sumsOf(s.tally), mine), dir, tips.has(cls) ? z : opts.z);
  });
}

/**
 * Near-duplicates: a chosen pattern Q that covers this one P (P has no effect outside Q) wins,
 * unless they explain each other (Q has no effect outside P either) and P is the better of
 * the two: P refines Q (is significantly better among Q's sessions) and not the other way
 * round; or neither refines the other and P is simpler (the preference of step 2; told as
 * recipes: more specific) or, as simple, more general (more known sessions). Then P takes Q's
 * place. Returns the chosen patterns P replaces, or null when one of them covers P.
 */
function replacedBy(ranking: Ranking, f: Found, P: SessionSet, chosen: readonly Found[], dir: 1 | -1, z: number, zStep: number): Set<Found> | null {
  const { data, total } = ranking;
  const { cand } = f;
  const replaced = new Set<Found>();
  const covered = chosen.some((q) => {
    const Q = setOf(ranking, q.cand.items, q.cand.gap);
    const pq = stratified(P, Q, total, dir, data, z);
    if (pq.outside) return false;
    const qp = stratified(Q, P, total, dir, data, Math.max(q.z, zStep));
    if (qp.outside) return true;
    // (told as recipes, the more specific of two forms with the same evidence is the better one)
    // (a fragment never takes the place of a recipe of the same effect)
    const preference = f.fragment ? 1 : data.recipe ? recipeSteps(data, q.cand) - recipeSteps(data, cand) : simpler(f.simplest, q.simplest, data.ubiquitous);
    const better = pq.within !== qp.within ? pq.within : (preference || q.cand.tally.known - cand.tally.known) < 0;
    if (better) replaced.add(q);
    return !better;
  });
  return covered ? null : replaced;
}

/**
 * d. an anti-pattern must tell something the good patterns do not (the steps of the sessions
 *    that skipped a good pattern are often its mirror image, with the very same contrast)
 *    (a mirror image has no contrast left at all, so the nominal z tells it)
 */
function tellsMoreThan(ranking: Ranking, P: SessionSet, opposite: readonly Found[], dir: 1 | -1): boolean {
  return opposite.every((q) => {
    const r = stratified(P, setOf(ranking, q.cand.items, q.cand.gap), ranking.total, dir, ranking.data, ranking.opts.z);
    return r.within || r.outside;
  });
}

/** 5: the patterns of one list (direction) that each tell an effect of their own, best first. */
function choose(ranking: Ranking, list: Found[], dir: 1 | -1, opposite: readonly Found[]): Found[] {
  const { opts, data, total, nominal } = ranking;
  list.sort((a, b) => comparePatterns(a.pattern, b.pattern));
  // Step 5 asks several questions of every pattern it looks at: its z is Bonferroni over them.
  const zStep = Math.max(opts.z, normalQuantile(1 - nominal / (2 * Math.max(1, Math.min(list.length, MAX_EXAMINED)))));
  const tips = new Set(list.map((f) => evidenceKey(f.cand.tally)));
  let chosen: Found[] = [];
  let union: SessionSet | null = null;
  const told = new Set<string>();
  const examined = list.slice(0, MAX_EXAMINED);
  for (const f of data.recipe ? toldAsRecipes(ranking, examined, dir) : examined) {
    if (chosen.length >= opts.top_n) break;
    const { cand } = f;
    const stepsKey = cand.items.join(',');
    if (told.has(stepsKey) || chosen.some((q) => q.cand.items.join(',') === stepsKey)) continue;
    const z = Math.max(f.z, zStep);
    if (!holdsOwnEffect(ranking, f, dir, z)) continue;
    told.add(stepsKey);
    if (!beatsInfixes(ranking, cand, dir, z, tips)) continue;
    const P = setOf(ranking, cand.items, cand.gap);
    const replaced = replacedBy(ranking, f, P, chosen, dir, z, zStep);
    if (replaced === null) continue;
    // ... and it must have an effect outside all the others together (not just outside each).
    const others = replaced.size > 0 ? chosen.filter((q) => !replaced.has(q)) : chosen;
    if (others.length > 1) {
      const U = replaced.size > 0 || union === null ? unionOfChosen(ranking, others) : union;
      if (!stratified(P, U, total, dir, data, z).outside) continue;
    }
    if (!tellsMoreThan(ranking, P, opposite, dir)) continue;
    chosen = [...others, f];
    union = unionOfChosen(ranking, chosen);
  }
  return chosen.sort((a, b) => comparePatterns(a.pattern, b.pattern));
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
