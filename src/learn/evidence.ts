// The evidence table: one pass over the encoded log builds every additive count the learner keeps.
// Pure.
//
// Built in ONE pass (per session, per position):
// - directly-follows counts a > b (flat Uint32Array K×K) and windowed eventually-follows counts
//   (b at most `window` positions after a, flat K×K);
// - start / end activity counts;
// - per-session "touched" sets → session-level Support (sessions, known, passed, weighted) for every
//   activity, df edge and ef pair, judged by the session outcome when an occurrence ends at or before
//   the session's last test run (its first occurrence decides, outcomes.ts);
// - per-activity duration stats and error / interrupt / refusal counts.
//
// Additivity: every number in Evidence is a sum over sessions, so evidence from disjoint session sets
// (another day, another machine) merges by addition. The decayed `w_*` sums refer to `as_of`;
// mergeEvidence re-bases both sides to the later `as_of` by multiplying with 2^(-Δt/half_life),
// which is exact for exponential decay. The serialised form is keyed by activity name.
import { cmpStr } from '../core/cmp-str.js';
import type { ActivityEvidence, DurationStats, Evidence, PairEvidence, Support } from './types.js';
import { DAY_MS, type EncodedLog } from './encoded-log.js';
import { decayWeight } from './stats.js';
import { PASS, UNKNOWN } from './outcomes.js';

export const HIST_BUCKETS = 32;

export interface EvidenceOptions {
  now: number;
  half_life_days: number;
  window: number;
}

/** Growable structure-of-arrays of Support records, indexed by slot. */
class SupportColumns {
  sessions: Uint32Array;
  known: Uint32Array;
  passed: Uint32Array;
  passedFinal: Uint32Array;
  wSessions: Float64Array;
  wKnown: Float64Array;
  wPassed: Float64Array;
  wPassedFinal: Float64Array;
  size = 0;

  constructor(capacity: number) {
    const c = Math.max(16, capacity);
    this.sessions = new Uint32Array(c);
    this.known = new Uint32Array(c);
    this.passed = new Uint32Array(c);
    this.passedFinal = new Uint32Array(c);
    this.wSessions = new Float64Array(c);
    this.wKnown = new Float64Array(c);
    this.wPassed = new Float64Array(c);
    this.wPassedFinal = new Float64Array(c);
  }

  newSlot(): number {
    if (this.size === this.sessions.length) this.grow();
    return this.size++;
  }

  add(slot: number, verdict: number, final: number, w: number): void {
    this.sessions[slot]!++;
    this.wSessions[slot]! += w;
    if (verdict === UNKNOWN) return;
    this.known[slot]!++;
    this.wKnown[slot]! += w;
    if (verdict === PASS) {
      this.passed[slot]!++;
      this.wPassed[slot]! += w;
    }
    if (final === PASS) {
      this.passedFinal[slot]!++;
      this.wPassedFinal[slot]! += w;
    }
  }

  get(slot: number): Support {
    return {
      sessions: this.sessions[slot]!,
      known: this.known[slot]!,
      passed: this.passed[slot]!,
      passed_final: this.passedFinal[slot]!,
      w_sessions: this.wSessions[slot]!,
      w_known: this.wKnown[slot]!,
      w_passed: this.wPassed[slot]!,
      w_passed_final: this.wPassedFinal[slot]!,
    };
  }

  private grow(): void {
    const c = this.sessions.length * 2;
    const u = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(c);
      b.set(a);
      return b;
    };
    const f = (a: Float64Array): Float64Array => {
      const b = new Float64Array(c);
      b.set(a);
      return b;
    };
    this.sessions = u(this.sessions);
    this.known = u(this.known);
    this.passed = u(this.passed);
    this.passedFinal = u(this.passedFinal);
    this.wSessions = f(this.wSessions);
    this.wKnown = f(this.wKnown);
    this.wPassed = f(this.wPassed);
    this.wPassedFinal = f(this.wPassedFinal);
  }
}

/**
 * Session-level tracking of a keyed relation (activities, or K×K pairs as a*K+b) within one pass:
 * occurrence counts, which keys the current session touched, and the first position each was seen at.
 */
class PairTracker {
  readonly count: Uint32Array;
  private readonly stamp: Int32Array;
  private readonly first: Int32Array;
  private readonly slot: Int32Array;
  private touched: Int32Array;
  private nTouched = 0;
  readonly support: SupportColumns;

  constructor(keys: number) {
    this.count = new Uint32Array(keys);
    this.stamp = new Int32Array(keys).fill(-1);
    this.first = new Int32Array(keys);
    this.slot = new Int32Array(keys).fill(-1);
    this.touched = new Int32Array(64);
    this.support = new SupportColumns(Math.min(keys, 4096));
  }

  see(key: number, session: number, pos: number): void {
    this.count[key]!++;
    if (this.stamp[key] !== session) {
      this.stamp[key] = session;
      this.first[key] = pos;
      if (this.nTouched === this.touched.length) {
        const t = new Int32Array(this.touched.length * 2);
        t.set(this.touched);
        this.touched = t;
      }
      this.touched[this.nTouched++] = key;
    } else if (pos < this.first[key]!) {
      // eventually-follows pairs are not seen in order of their end position
      this.first[key] = pos;
    }
  }

  /** Closes the session: adds its Support to every touched key. */
  flush(verdictAt: Int8Array, final: number, w: number): void {
    for (let t = 0; t < this.nTouched; t++) {
      const key = this.touched[t]!;
      let s = this.slot[key]!;
      if (s < 0) this.slot[key] = s = this.support.newSlot();
      this.support.add(s, verdictAt[this.first[key]!]!, final, w);
    }
    this.nTouched = 0;
  }

  supportOf(key: number): Support | null {
    const s = this.slot[key]!;
    return s < 0 ? null : this.support.get(s);
  }
}

export function durationBucket(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(HIST_BUCKETS - 1, Math.floor(Math.log2(ms)) + 1);
}

/** Builds the evidence of an encoded log in one pass. */
export function buildEvidence(log: EncodedLog, opts: EvidenceOptions): Evidence {
  const k = log.names.length;
  const nSessions = log.offsets.length - 1;
  const window = Math.max(1, Math.floor(opts.window));
  const acts = log.acts;

  const count = new Uint32Array(k);
  const starts = new Uint32Array(k);
  const ends = new Uint32Array(k);
  const errors = new Uint32Array(k);
  const interrupted = new Uint32Array(k);
  const refused = new Uint32Array(k);
  const durCount = new Uint32Array(k);
  const durTotal = new Float64Array(k);
  const durMax = new Float64Array(k);
  const hist = new Uint32Array(k * HIST_BUCKETS);
  const actTracker = new PairTracker(k);
  const df = new PairTracker(k * k);
  const ef = new PairTracker(k * k);
  const totals = new SupportColumns(1);
  totals.newSlot();

  for (let s = 0; s < nSessions; s++) {
    const o = log.offsets[s]!;
    const e = log.offsets[s + 1]!;
    const w = log.weight[s]!;
    const fin = log.final[s]!;
    totals.add(0, fin, fin, w);
    if (e === o) continue;
    starts[acts[o]!]!++;
    ends[acts[e - 1]!]!++;
    for (let i = o; i < e; i++) {
      const a = acts[i]!;
      count[a]!++;
      const so = log.step_outcome[i]!;
      if (so === 1) errors[a]!++;
      else if (so === 2) interrupted[a]!++;
      else if (so === 3) refused[a]!++;
      const d = log.duration_ms[i]!;
      durCount[a]!++;
      durTotal[a]! += d;
      if (d > durMax[a]!) durMax[a] = d;
      hist[a * HIST_BUCKETS + durationBucket(d)]!++;
      actTracker.see(a, s, i);
      const row = a * k;
      const lim = Math.min(e - 1, i + window);
      if (i + 1 < e) df.see(row + acts[i + 1]!, s, i + 1);
      for (let j = i + 1; j <= lim; j++) ef.see(row + acts[j]!, s, j);
    }
    actTracker.flush(log.verdictAt, fin, w);
    df.flush(log.verdictAt, fin, w);
    ef.flush(log.verdictAt, fin, w);
  }

  const order = [...log.names.keys()].sort((x, y) => cmpStr(log.names[x]!, log.names[y]!));
  const actEntries: [string, ActivityEvidence][] = [];
  const pairEntries: [string, Record<string, PairEvidence>][] = [];
  for (const a of order) {
    const h: number[] = [];
    for (let b = 0; b < HIST_BUCKETS; b++) h.push(hist[a * HIST_BUCKETS + b]!);
    actEntries.push([
      log.names[a]!,
      {
        count: count[a]!,
        starts: starts[a]!,
        ends: ends[a]!,
        errors: errors[a]!,
        interrupted: interrupted[a]!,
        refused: refused[a]!,
        support: actTracker.supportOf(a) ?? zeroSupport(),
        duration: { count: durCount[a]!, total_ms: durTotal[a]!, max_ms: durMax[a]!, hist: h },
      },
    ]);
    const row: [string, PairEvidence][] = [];
    for (const b of order) {
      const key = a * k + b;
      if (df.count[key] === 0 && ef.count[key] === 0) continue;
      row.push([
        log.names[b]!,
        { df: df.count[key]!, ef: ef.count[key]!, df_support: df.supportOf(key), ef_support: ef.supportOf(key) },
      ]);
    }
    if (row.length > 0) pairEntries.push([log.names[a]!, Object.fromEntries(row)]);
  }

  return {
    version: 1,
    as_of: opts.now,
    half_life_days: opts.half_life_days,
    window,
    totals: totals.get(0),
    events: acts.length,
    activities: Object.fromEntries(actEntries),
    pairs: Object.fromEntries(pairEntries),
  };
}

export function zeroSupport(): Support {
  return { sessions: 0, known: 0, passed: 0, passed_final: 0, w_sessions: 0, w_known: 0, w_passed: 0, w_passed_final: 0 };
}

export function emptyEvidence(opts: EvidenceOptions): Evidence {
  return {
    version: 1,
    as_of: opts.now,
    half_life_days: opts.half_life_days,
    window: Math.max(1, Math.floor(opts.window)),
    totals: zeroSupport(),
    events: 0,
    activities: {},
    pairs: {},
  };
}

function addSupport(a: Support | null, fa: number, b: Support | null, fb: number): Support | null {
  if (!a && !b) return null;
  const x = a ?? zeroSupport();
  const y = b ?? zeroSupport();
  return {
    sessions: x.sessions + y.sessions,
    known: x.known + y.known,
    passed: x.passed + y.passed,
    passed_final: x.passed_final + y.passed_final,
    w_sessions: x.w_sessions * fa + y.w_sessions * fb,
    w_known: x.w_known * fa + y.w_known * fb,
    w_passed: x.w_passed * fa + y.w_passed * fb,
    w_passed_final: x.w_passed_final * fa + y.w_passed_final * fb,
  };
}

function addDuration(a: DurationStats | undefined, b: DurationStats | undefined): DurationStats {
  const hist: number[] = [];
  for (let i = 0; i < HIST_BUCKETS; i++) hist.push((a?.hist[i] ?? 0) + (b?.hist[i] ?? 0));
  return {
    count: (a?.count ?? 0) + (b?.count ?? 0),
    total_ms: (a?.total_ms ?? 0) + (b?.total_ms ?? 0),
    max_ms: Math.max(a?.max_ms ?? 0, b?.max_ms ?? 0),
    hist,
  };
}

function addActivity(a: ActivityEvidence | undefined, fa: number, b: ActivityEvidence | undefined, fb: number): ActivityEvidence {
  return {
    count: (a?.count ?? 0) + (b?.count ?? 0),
    starts: (a?.starts ?? 0) + (b?.starts ?? 0),
    ends: (a?.ends ?? 0) + (b?.ends ?? 0),
    errors: (a?.errors ?? 0) + (b?.errors ?? 0),
    interrupted: (a?.interrupted ?? 0) + (b?.interrupted ?? 0),
    refused: (a?.refused ?? 0) + (b?.refused ?? 0),
    support: addSupport(a?.support ?? null, fa, b?.support ?? null, fb) ?? zeroSupport(),
    duration: addDuration(a?.duration, b?.duration),
  };
}

function addPair(a: PairEvidence | undefined, fa: number, b: PairEvidence | undefined, fb: number): PairEvidence {
  return {
    df: (a?.df ?? 0) + (b?.df ?? 0),
    ef: (a?.ef ?? 0) + (b?.ef ?? 0),
    df_support: addSupport(a?.df_support ?? null, fa, b?.df_support ?? null, fb),
    ef_support: addSupport(a?.ef_support ?? null, fa, b?.ef_support ?? null, fb),
  };
}

/**
 * Sum of two evidence tables over disjoint sets of sessions. Both must use the same window and
 * half-life (otherwise their counts mean different things and this throws). The result refers to the
 * later `as_of`; the older side's weights are decayed to it.
 */
export function mergeEvidence(a: Evidence, b: Evidence): Evidence {
  if (a.window !== b.window) throw new Error(`cannot merge evidence with windows ${a.window} and ${b.window}`);
  if (a.half_life_days !== b.half_life_days) {
    throw new Error(`cannot merge evidence with half-lives ${a.half_life_days} and ${b.half_life_days} days`);
  }
  const asOf = Math.max(a.as_of, b.as_of);
  const hl = a.half_life_days * DAY_MS;
  const fa = decayWeight(asOf - a.as_of, hl);
  const fb = decayWeight(asOf - b.as_of, hl);
  const names = sortedUnion(Object.keys(a.activities), Object.keys(b.activities));
  const activities = Object.fromEntries(names.map((n) => [n, addActivity(own(a.activities, n), fa, own(b.activities, n), fb)]));
  const sources = sortedUnion(Object.keys(a.pairs), Object.keys(b.pairs));
  const pairs = Object.fromEntries(
    sources.map((src) => {
      const ra = own(a.pairs, src) ?? {};
      const rb = own(b.pairs, src) ?? {};
      const dsts = sortedUnion(Object.keys(ra), Object.keys(rb));
      return [src, Object.fromEntries(dsts.map((d) => [d, addPair(own(ra, d), fa, own(rb, d), fb)]))];
    }),
  );
  return {
    version: 1,
    as_of: asOf,
    half_life_days: a.half_life_days,
    window: a.window,
    totals: addSupport(a.totals, fa, b.totals, fb) ?? zeroSupport(),
    events: a.events + b.events,
    activities,
    pairs,
  };
}

/** The same evidence with its weights decayed to a later time. */
export function rebaseEvidence(e: Evidence, asOf: number): Evidence {
  if (asOf <= e.as_of) return e;
  return mergeEvidence(e, emptyEvidence({ now: asOf, half_life_days: e.half_life_days, window: e.window }));
}

function own<T>(rec: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

function sortedUnion(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort(cmpStr);
}
