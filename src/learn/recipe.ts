// Naming the whole recipe behind an effect. Pure.
//
// Ranking (rank.ts) finds THAT a pattern goes with passing (or failing) tests, at the session level,
// with false-discovery control. Many patterns carry the same effect: for a planted A → B → C, then
// tests, the miner also finds A → B, B → C, C → Bash:test, Bash:test → A (the previous episode's
// test), gapped forms. Advice must name the recipe that worked, so each discovered pattern is grown
// to its most specific supported form, on OCCURRENCES: one per test run (the last before it), judged
// by that test run (outcomes.ts nextTestRuns) and, as a second judge, by the session's outcome.
//
// From a seed S (contiguous steps; a gapped seed is first filled in with the run its occurrences most
// often span, by rule 2 or 3 below, else grown from its last step):
// 1. Outcome carriers are not steps: test runs at the end of S are removed (the test is what judges
//    the recipe: "… then run the tests" in the rendering), and so are those at its start (a test that
//    closes the previous episode). A seed with a test run inside spans two episodes: each part is a
//    core of its own, the later first. A test run comes back as a first step only by rule 3.
// 2. Nearly the same evidence, the longer form (δ-closure): S grows by the step x before or after it
//    when >= `coverage` (90%) of S's known occurrences extend to x·S or S·x, unless the occurrences of
//    S that do not extend have an effect of their own (their pass rate differs from that of all test
//    runs, in the effect's direction): then x is not needed and S stays. An activity (nearly) every
//    session has does not join this way: it is everywhere, so it tells nothing about these sessions.
// 3. The step matters: S grows by x when the occurrences that extend pass significantly more (good)
//    or less (anti) than those that do not. Session-clustered: occurrences of one session are not
//    independent, so the variance of the difference is the cluster-robust (sandwich) one, floored by
//    the binomial one. Bonferroni over the steps tried at that point.
// 4. A step of the seed is dropped when growth would not have added it: the longer form keeps less
//    than `coverage` of the shorter one's occurrences (or the shorter one has an effect of its own
//    outside it), and the step does not matter by rule 3. Growing and dropping follow one rule, so
//    a seed padded with a step that merely often comes before the recipe loses it.
// Never after a test run (rule 1), never beyond `max_len` steps, never to a form the miner did not
// find (`exists`: support and gates hold). The forms on the way are offered too, recipe first: ranking
// takes the first whose own effect holds, so a recipe whose extra steps thin out its evidence is told
// by the longest form that still carries it. A recipe of one activity X is told as X → test run ("X, then the
// tests"), and a seed that a test run starts is never told as it is.
import type { ItemIndex } from './sequence-db.js';
import { PASS, UNKNOWN } from './outcomes.js';
import {
  clusteredDifferenceZ,
  clusteredRateZ,
  groupEntries,
  lastBeforeEachTest,
  splitBy,
  sum,
  zCritical,
  type ClusterCounts,
  type Groups,
  type NeighbourStats,
  type OccurrenceLog,
} from './occurrence-stats.js';

export { clusteredDifferenceZ, lastBeforeEachTest, type OccurrenceLog };

export interface RecipeContext {
  log: OccurrenceLog;
  index: ItemIndex;
  isTest(item: number): boolean;
  /** a contiguous pattern the miner found and the gates let through */
  exists(items: readonly number[]): boolean;
  /** an activity (nearly) every session has (rank.ts `ubiquitous`) */
  ubiquitous(item: number): boolean;
  /** told each decision, for debugging and tests */
  trace?(what: string, items: readonly number[]): void;
}

export interface RecipeOptions {
  /** δ: the share of a pattern's known occurrences an extension must keep to be the same evidence */
  coverage: number;
  /** family-wise error of the "does this step matter" tests at one growth point */
  alpha: number;
  /** known occurrences each compared group needs */
  min_group: number;
  max_len: number;
  /** the gap gapped patterns were mined with */
  max_gap: number;
  /** activities that run tests, for telling a single activity as "X, then the tests" */
  tests: readonly number[];
}

export const DEFAULT_RECIPE_OPTIONS: RecipeOptions = { coverage: 0.9, alpha: 0.01, min_group: 5, max_len: 4, max_gap: 5, tests: [] };

const NONE = -1;

/** Start positions of a contiguous pattern's occurrences, ascending. */
export function contiguousOccurrences(log: OccurrenceLog, index: ItemIndex, items: readonly number[]): Int32Array {
  const L = items.length;
  const first = items[0];
  if (L === 0 || first === undefined || first < 0 || first + 1 >= index.start.length) return new Int32Array(0);
  const out: number[] = [];
  for (let t = index.start[first]!; t < index.start[first + 1]!; t++) {
    const p = index.pos[t]!;
    if (p + L > log.offsets[log.session_of[p]! + 1]!) continue;
    let k = 1;
    while (k < L && log.acts[p + k] === items[k]) k++;
    if (k === L) out.push(p);
  }
  return Int32Array.from(out);
}

/** A gapped seed's occurrences (one per test run), the runs they span, and the commonest run. */
interface SpanCensus {
  starts: number[];
  ends: number[];
  /** each occurrence's run as a number (or string), -1 when too long to be a recipe */
  keys: (number | string)[];
  /** the commonest run: its key and count, and its steps */
  best: [number | string, number];
  items: number[];
  n: number;
}

/** A pattern's steps and the gap its occurrences are matched with (1 = contiguous). */
export interface RecipeForm {
  items: number[];
  gap: number;
}

export interface RecipeFinder {
  /**
   * The forms a seed pattern may be told by, best first: the recipe, then the forms on the way to it
   * (latest first), then the seed itself. The caller takes the first whose own evidence holds.
   */
  recipeOf(seed: readonly number[], gap: number, dir: 1 | -1): RecipeForm[];
}

export function recipeFinder(ctx: RecipeContext, options: Partial<RecipeOptions> = {}): RecipeFinder {
  const search = new RecipeSearch(ctx, { ...DEFAULT_RECIPE_OPTIONS, ...options });
  // a plain function: callers pass recipeOf on by itself (rank.ts RankData.recipe)
  return { recipeOf: (seed, gap, dir) => search.recipeOf(seed, gap, dir) };
}

/** The search behind recipeFinder: the rules of the header, with the memos they share. */
class RecipeSearch {
  private readonly log: OccurrenceLog;
  private readonly index: ItemIndex;
  // Two judges of an occurrence: the next test run (the work right before a test is what it judges)
  // and the session's outcome (a red-green cycle runs the test right after an edit expecting red;
  // the session ending green is what the recipe is for). A step joins or stays when either judge
  // says it matters; each question is asked of both, Bonferroni over the two.
  private readonly judges: Int8Array[];
  /** per judge: the pass rate of all its known verdicts */
  private readonly p0s: number[];
  private readonly occ = new Map<string, Int32Array>();
  /** The forms from one core to its recipe, the recipe first (memoised: many seeds share a core). */
  private readonly grown = new Map<string, number[][]>();
  /**
   * What a gapped seed fills in to, in each direction ([good, anti]): both are decided from one
   * census, which is not kept (it holds every occurrence: kept for each seed, the censuses were
   * tens of MB of a large learning run's live memory).
   */
  private readonly filledIn = new Map<string, [number[] | null, number[] | null]>();
  /** One growth or dropping step of a form (memoised: the paths from many seeds pass through the same forms). */
  private readonly stepped = new Map<string, number[] | null>();

  constructor(
    private readonly ctx: RecipeContext,
    private readonly opts: RecipeOptions,
  ) {
    this.log = ctx.log;
    this.index = ctx.index;
    this.judges = [ctx.log.next_test, ctx.log.verdictAt];
    this.p0s = this.judges.map((verdicts) => {
      let known = 0;
      let passed = 0;
      for (const v of verdicts) {
        if (v === UNKNOWN) continue;
        known++;
        if (v === PASS) passed++;
      }
      return known > 0 ? passed / known : 0.5;
    });
  }

  /** The largest z of A against B in direction dir over the judges (groups with too few are 0). */
  private mattersZ(gs: Groups[], dir: 1 | -1): number {
    const { min_group } = this.opts;
    return Math.max(...gs.map((g) => (sum(g.nA) >= min_group && sum(g.nB) >= min_group ? dir * clusteredDifferenceZ(g) : 0)));
  }

  /**
   * The occurrences that judge: of those before the same test run, the last one (the test run judges
   * the work right before it; an earlier occurrence, with other steps after it, would be counted
   * twice, and with the outcome of whatever came in between). Unknown outcomes are left out.
   */
  private occurrencesOf(items: readonly number[]): Int32Array {
    const k = items.join(',');
    let o = this.occ.get(k);
    if (!o) this.occ.set(k, (o = lastBeforeEachTest(this.log, contiguousOccurrences(this.log, this.index, items), items.length)));
    return o;
  }

  private sameSession(a: number, b: number): boolean {
    const { log } = this;
    return a >= 0 && b < log.acts.length && log.session_of[a] === log.session_of[b];
  }

  private before(p: number): number {
    return p > 0 && this.sameSession(p - 1, p) ? this.log.acts[p - 1]! : NONE;
  }

  private after(p: number, len: number): number {
    return this.sameSession(p, p + len) ? this.log.acts[p + len]! : NONE;
  }

  /** "The occurrences outside the extension have an effect of their own" (rules 2 and 4), by either judge. */
  private ownEffectOutside(gs: Groups[], dir: 1 | -1): boolean {
    const { opts, p0s, judges } = this;
    return gs.some((g, j) => {
      // a handful of occurrences outside is no effect of their own: they often sit right before the
      // recipe itself (noise, then the recipe, then its test), so they share its outcome
      if (sum(g.nB) < 2 * opts.min_group) return false;
      return dir * clusteredRateZ(g, p0s[j]!) > zCritical(opts.alpha, 2 * judges.length);
    });
  }

  /** One growth step of `core` (rules 2 and 3), or null. */
  private growOnce(core: number[], dir: 1 | -1): number[] | null {
    const { ctx, opts, judges } = this;
    if (core.length >= opts.max_len) return null;
    const starts = this.occurrencesOf(core);
    const L = core.length;
    const n = starts.length;
    if (n < opts.min_group) return null;
    const stats = this.neighbourStats(starts, L);
    const options: GrowthOption[] = [];
    for (const [x, counts] of stats.left) options.push({ items: [x, ...core], x, leadingTest: ctx.isTest(x), counts });
    for (const [x, counts] of stats.right) if (!ctx.isTest(x)) options.push({ items: [...core, x], x, leadingTest: false, counts });
    const usable = options.filter((o) => ctx.exists(o.items));
    // rule 2: nearly the same evidence (not for a step every session has: it cannot tell these
    // occurrences from any others, so it is padding unless rule 3 shows it matters)
    const widest = usable.filter((o) => !o.leadingTest && !ctx.ubiquitous(o.x)).sort((a, b) => b.counts.count - a.counts.count)[0];
    if (widest && widest.counts.count >= opts.coverage * n && !this.ownEffectOutside(splitBy(stats, widest.counts), dir)) return widest.items;
    // rule 3: the step matters
    const tried = usable.filter((o) => o.counts.count >= opts.min_group && n - o.counts.count >= opts.min_group);
    const zc = zCritical(opts.alpha, tried.length * judges.length);
    let best: { items: number[]; z: number } | null = null;
    for (const o of tried) {
      const z = this.mattersZ(splitBy(stats, o.counts), dir);
      if (z > zc && (!best || z > best.z)) best = { items: o.items, z };
    }
    return best?.items ?? null;
  }

  /**
   * One pass over a pattern's occurrences: per session (cluster) the occurrences and passes by each
   * judge, and the same per step right before and right after — so that every candidate step's
   * split (with it / without it) comes from these sums instead of another pass.
   */
  private neighbourStats(starts: Int32Array, len: number): NeighbourStats {
    const { log, judges } = this;
    const n: number[] = [];
    const y: number[][] = judges.map(() => []);
    const left = new Map<number, ClusterCounts>();
    const right = new Map<number, ClusterCounts>();
    let lastSid = -1;
    const passes = judges.map(() => 0);
    for (const p of starts) {
      const sid = log.session_of[p]!;
      if (sid !== lastSid) {
        n.push(0);
        for (const yj of y) yj.push(0);
        lastSid = sid;
      }
      const k = n.length - 1;
      n[k]!++;
      for (let j = 0; j < judges.length; j++) {
        passes[j] = judges[j]![p + len - 1] === PASS ? 1 : 0;
        y[j]![k]! += passes[j]!;
      }
      const b = this.before(p);
      const a = this.after(p, len);
      if (b !== NONE) addNeighbour(left, b, k, passes);
      if (a !== NONE) addNeighbour(right, a, k, passes);
    }
    return { n, y, left, right };
  }

  /**
   * Rule 4: drop the first or last step when growth would not have added it: it is neither nearly
   * all of the shorter form's occurrences (rule 2, and not everywhere) nor a step that matters (rule 3).
   */
  private shrinkOnce(P: number[], dir: 1 | -1): number[] | null {
    const { ctx, opts, judges } = this;
    if (P.length < 2) return null;
    for (const side of ['first', 'last'] as const) {
      const S = side === 'first' ? P.slice(1) : P.slice(0, -1);
      // what remains must still be a recipe: not ending in (or made of) test runs (rule 1)
      if (ctx.isTest(S[S.length - 1]!)) continue;
      if (!ctx.exists(S) && S.length > 1) continue;
      const starts = this.occurrencesOf(S);
      const x = side === 'first' ? P[0]! : P[P.length - 1]!;
      // the occurrences of S split by whether x is the step dropped, as growOnce splits them
      const stats = this.neighbourStats(starts, S.length);
      const counts = (side === 'first' ? stats.left : stats.right).get(x) ?? { count: 0, ks: [], n: [], y: judges.map(() => []) };
      const gs = splitBy(stats, counts);
      const nA = counts.count;
      const n = starts.length;
      const leadingTest = side === 'first' && ctx.isTest(x);
      if (!leadingTest && !ctx.ubiquitous(x) && nA >= opts.coverage * n && !this.ownEffectOutside(gs, dir)) continue;
      if (this.mattersZ(gs, dir) > zCritical(opts.alpha, 2 * judges.length)) continue;
      return S;
    }
    return null;
  }

  /**
   * A gapped seed is the contiguous run its occurrences (per test run, the latest embedding before
   * it) most often have, when that run is nearly all of them (rule 2) or matters (rule 3); in each
   * direction, [good, anti].
   */
  private fillIn(seed: readonly number[], gap: number): [number[] | null, number[] | null] {
    const census = spanCensus(this.log, this.index, this.opts, seed, gap);
    if (!census) return [null, null];
    const { opts, judges } = this;
    const { starts, ends, keys, best, items, n } = census;
    const { session_of } = this.log;
    const key = best[0];
    const gs = judges.map((v) => groupEntries(starts.length, (i) => session_of[starts[i]!]!, (i) => v[ends[i]!]!, (i) => keys[i] === key));
    const filled = (dir: 1 | -1): number[] | null => {
      if (best[1] >= opts.coverage * n && !this.ownEffectOutside(gs, dir)) return items;
      if (this.mattersZ(gs, dir) > zCritical(opts.alpha, judges.length)) return items;
      return null;
    };
    return [filled(1), filled(-1)];
  }

  private grownFrom(start: number[], dir: 1 | -1): number[][] {
    const key = `${dir}|${start.join(',')}`;
    let forms = this.grown.get(key);
    if (!forms) this.grown.set(key, (forms = this.growFrom(start, dir)));
    return forms;
  }

  private growFrom(start: number[], dir: 1 | -1): number[][] {
    const { ctx, opts } = this;
    let core = start;
    ctx.trace?.('core', core);
    const path: number[][] = [core];
    const seen = new Set<string>([core.join(',')]);
    const fresh = (f: number[] | null): number[] | null => (f && !seen.has(f.join(',')) ? f : null);
    for (let step = 0; step < 2 * opts.max_len; step++) {
      const grown = fresh(this.stepOnce('grow', core, dir));
      const next = grown ?? fresh(this.stepOnce('shrink', core, dir));
      if (!next) break;
      ctx.trace?.(grown ? 'grow' : 'shrink', next);
      seen.add(next.join(','));
      path.push((core = next));
    }
    return path.reverse();
  }

  private stepOnce(how: 'grow' | 'shrink', core: number[], dir: 1 | -1): number[] | null {
    const key = `${how}|${dir}|${core.join(',')}`;
    if (!this.stepped.has(key)) this.stepped.set(key, how === 'grow' ? this.growOnce(core, dir) : this.shrinkOnce(core, dir));
    return this.stepped.get(key)!;
  }

  private fillInOnce(seed: readonly number[], gap: number, dir: 1 | -1): number[] | null {
    const key = `${gap}|${seed.join(',')}`;
    let both = this.filledIn.get(key);
    if (!both) this.filledIn.set(key, (both = this.fillIn(seed, gap)));
    return both[dir === 1 ? 0 : 1];
  }

  recipeOf(seed: readonly number[], gap: number, dir: 1 | -1): RecipeForm[] {
    const { ctx, opts } = this;
    // the seed as it is, last; never when a test run starts it (rule 1)
    const asSeed: RecipeForm[] = ctx.isTest(seed[0]!) ? [] : [{ items: [...seed], gap }];
    // Rule 1: outcome carriers are not steps. A seed with a test run inside spans two episodes; either
    // part may carry the effect, so each part between test runs is a core of its own, the last first.
    // A part that is not a contiguous run the miner found (a gapped seed that did not fill in) is
    // grown from its last step: growth adds only the steps the occurrences support.
    const filled = gap > 1 && seed.length > 1 ? this.fillInOnce(seed, gap, dir) : [...seed];
    const parts: number[][] = [[]];
    for (const x of filled ?? seed) {
      if (ctx.isTest(x)) parts.push([]);
      else parts[parts.length - 1]!.push(x);
    }
    const cores = parts
      .filter((part) => part.length > 0)
      .map((part) => (part.length > 1 && (filled === null || !ctx.exists(part)) ? [part[part.length - 1]!] : part))
      .reverse();
    // a single activity is told as "X, then the tests" (X → test run, contiguous, else gapped)
    const told = cores.flatMap((core) =>
      this.grownFrom(core, dir).flatMap((f): RecipeForm[] =>
        f.length >= 2 ? [{ items: f, gap: 1 }] : opts.tests.flatMap((t) => [{ items: [...f, t], gap: 1 }, { items: [...f, t], gap: opts.max_gap }]),
      ),
    );
    return [...told, ...asSeed];
  }
}

/** A step growth may add to a core (rules 2 and 3). */
interface GrowthOption {
  items: number[];
  /** the step added */
  x: number;
  /** a test run before the core: joins only when it matters (rule 1) */
  leadingTest: boolean;
  counts: ClusterCounts;
}

/** Counts one occurrence (session cluster k, its passes per judge) for neighbour x. */
function addNeighbour(m: Map<number, ClusterCounts>, x: number, k: number, passes: number[]): void {
  let c = m.get(x);
  if (!c) m.set(x, (c = { count: 0, ks: [], n: [], y: passes.map(() => []) }));
  c.count++;
  if (c.ks[c.ks.length - 1] !== k) {
    c.ks.push(k);
    c.n.push(0);
    for (const yj of c.y) yj.push(0);
  }
  const last = c.ks.length - 1;
  c.n[last]!++;
  for (let j = 0; j < passes.length; j++) c.y[j]![last]! += passes[j]!;
}

/** The census of a gapped seed's occurrences, one per test run, and the contiguous runs they span. */
function spanCensus(log: OccurrenceLog, index: ItemIndex, opts: RecipeOptions, seed: readonly number[], gap: number): SpanCensus | null {
  const { acts, offsets, session_of } = log;
  const first = seed[0]!;
  const starts: number[] = [];
  const ends: number[] = [];
  const byTest = new Map<number, number>();
  for (let t = index.start[first]!; t < index.start[first + 1]!; t++) {
    const p0 = index.pos[t]!;
    const end = offsets[session_of[p0]! + 1]!;
    let p = p0;
    let k = 1;
    for (; k < seed.length; k++) {
      let q = p + 1;
      while (q < end && q <= p + gap && acts[q] !== seed[k]) q++;
      if (q >= end || q > p + gap) break;
      p = q;
    }
    if (k < seed.length) continue;
    // one occurrence per test run that judges it: the latest (as occurrencesOf), so also the
    // tightest of the embeddings that end at the same step
    const test = log.next_test_id[p]!;
    if (test < 0) continue;
    const seen = byTest.get(test);
    if (seen !== undefined) {
      starts[seen] = p0;
      ends[seen] = p;
    } else {
      byTest.set(test, starts.length);
      starts.push(p0);
      ends.push(p);
    }
  }
  // A run as a number (its ids in base alphabet+1, so no run is another's prefix in disguise);
  // runs longer than a recipe can be are no candidates (-1).
  // (A vocabulary too large for that to stay exact, > 1,500 activities, keys runs as strings.)
  const base = index.start.length;
  const exact = Math.pow(base, opts.max_len + 1) < Number.MAX_SAFE_INTEGER;
  const keys = starts.map((p0, i): number | string => {
    if (ends[i]! - p0 >= opts.max_len + 1) return -1;
    if (!exact) return Array.from(acts.subarray(p0, ends[i]! + 1)).join(',');
    let k = 0;
    for (let j = p0; j <= ends[i]!; j++) k = k * base + acts[j]! + 1;
    return k;
  });
  const spans = new Map<number | string, number>();
  for (const k of keys) if (k !== -1) spans.set(k, (spans.get(k) ?? 0) + 1);
  let best: [number | string, number] | null = null;
  for (const e of spans) if (!best || e[1] > best[1]) best = e;
  if (!best || starts.length < opts.min_group) return null;
  const at = keys.indexOf(best[0]);
  return { starts, ends, keys, best, items: Array.from(acts.subarray(starts[at]!, ends[at]! + 1)), n: starts.length };
}
