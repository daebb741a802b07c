// The evidence of one sequential pattern (rank.ts header, "Evidence of one pattern") and the classes
// of candidates that carry the same evidence (step 2). Pure.
import type { SequentialPattern } from './types.js';
import type { Signals, Tally } from './outcomes.js';
import { cmpStr } from '../core/cmp-str.js';
import { kishSize, newcombeInterval, twoProportionP, wilsonInterval } from './stats.js';

const EPS = 1e-9;

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

function rate(t: Tally): number | null {
  return t.w_known > EPS ? t.w_passed / t.w_known : null;
}

const NO_SIGNALS: Signals = { first_seen: 0, last_seen: 0, steps: 0, errors: 0, interrupted_sessions: 0, stop_failure_sessions: 0 };

export interface Described {
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
export function patternKey(items: readonly number[], gap: number): string {
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
