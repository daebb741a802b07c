// Parallel patterns: three relations, kept apart (see docs/pattern-mining.md §0.2, §1.2, §1.4, §2.3).
//
// (a) 'observed'          true concurrency: two steps whose intervals overlap, max(start) <= min(end)
//                         (the PM4Py rule; `strict_overlap` makes it <). Counted within one lane: the
//                         main thread, or the steps inside one subagent type. A subagent's own calls
//                         overlap its Agent step by nesting, which is not parallelism, so lanes are
//                         never mixed. Pairs only: three calls in one batch show up as their three pairs.
//                         saved_ms = the median over its occurrences of the two durations minus the
//                         length of their union (= the overlap): what running them together saves each
//                         time, not a total that grows with the history. Observed evidence; the other
//                         two kinds are inferred.
// (b) 'order-independent' both a>b and b>a directly-follows on the main thread, heuristics-miner
//                         dependency (|a>b|-|b>a|)/(|a>b|+|b>a|+1) near 0, each order in enough
//                         sessions. Neighbours that overlap in time are not counted as a>b (Burattin &
//                         Sperduti's interval rule): concurrency must not pollute the order statistics.
// (c) 'episode'           a set of 2–3 distinct activities occurring within `window` consecutive
//                         main-thread steps, in any order (a parallel episode, Mannila et al.), in at
//                         least min_sessions sessions, and not explained by a strict order: in the
//                         sessions where a pair co-occurs, the member that comes first (at the first
//                         co-occurrence of the session) must vary, measured by the same dependency
//                         formula over those session votes. The first co-occurrence, not every
//                         occurrence, because a repeated strict sequence a b . a b . looks balanced when
//                         windows are counted (b..a across iterations). A triple needs all three of its
//                         pairs to pass. occurrences = minimal occurrences (MINEPI) of width <= window.
//
// (b) and (c) also need lift >= min_lift: observed co-occurrence count over the count expected if
// neighbours were independent (E[a,b] = out(a)·in(b)/total of the same count matrix). Without it
// every pair of randomly ordered noise tools is "order-independent".
//
// Outcome: a session passed when its LAST test run passed (sessionPassed below, which uses the
// learner's definition in outcomes.ts); sessions without a test run are unknown and excluded from
// pass_rate/baseline/bound, though they still count in `sessions`. pass_rate = pass rate of known
// sessions with the pattern, bound = its Wilson lower bound, baseline = pass rate of known sessions
// without it. Optional time decay weighs each session by 2^(-age/half_life) (age from now_ms to the
// session end).
//
// Activity names are interned to integers; counts live in flat typed arrays (dense up to
// DENSE_MAX_ACTIVITIES activities, a Map beyond), so a pass over 10^6 steps stays well under a second.
// Pure: no node:*, no clock.

import type { SessionTrace, Step } from '../core/types.js';
import { PASS, UNKNOWN, sessionVerdict } from './outcomes.js';
import { Z95, decayWeight, median, wilsonInterval } from './stats.js';

import type { ParallelPattern } from './types.js';

export type { ParallelPattern };

export interface ParallelOptions {
  /** a pattern must occur in at least this many sessions (all sessions, known outcome or not) */
  min_sessions?: number;
  /** episode window, in consecutive main-thread steps */
  window?: number;
  /** |dependency| at most this for (b) and (c); 0.3 keeps a 65/35 split, drops 70/30 */
  dependency_threshold?: number;
  /** each order must be seen in at least this many sessions; default max(2, ceil(min_sessions / 4)) */
  min_order_sessions?: number;
  /** co-occurrence over independence expectation, for (b) and (c) */
  min_lift?: number;
  /** largest episode (2 or 3) */
  max_episode_size?: number;
  /** count touching intervals (end == next start) as concurrent unless true */
  strict_overlap?: boolean;
  /** z of the Wilson bound */
  z?: number;
  /** time decay of outcome counts: both must be set for it to apply */
  now_ms?: number;
  half_life_ms?: number;
}

export const PARALLEL_DEFAULTS = {
  min_sessions: 20,
  window: 5,
  dependency_threshold: 0.3,
  min_lift: 2,
  max_episode_size: 3,
  strict_overlap: false,
  z: Z95,
} as const;

/** Above this many distinct activities the pair counters switch from K×K arrays to Maps. */
export const DENSE_MAX_ACTIVITIES = 1024;

// ---- session outcome and overall parallelism ------------------------------------------------

/**
 * true/false from the session's last test run, null when it ran none. The definition is the
 * learner's (outcomes.ts sessionVerdict): a step with `test` set, or a completed Bash:test whose output
 * could not be read; interrupted steps are not test runs.
 */
export function sessionPassed(trace: SessionTrace): boolean | null {
  const v = sessionVerdict(trace.steps);
  return v === UNKNOWN ? null : v === PASS;
}

/**
 * Wall-clock effect of concurrency on the main thread: busy = sum of step durations, wall = length
 * of their union, saved = busy - wall. Subagent calls are left out: their time is inside their
 * Agent step already.
 */
export function parallelismSaved(traces: SessionTrace[]): { saved_ms: number; busy_ms: number; wall_ms: number } {
  let busy = 0;
  let wall = 0;
  for (const t of traces) {
    const main = t.steps.filter((s) => s.agent === null).sort((a, b) => a.start_ms - b.start_ms);
    let curStart = 0;
    let curEnd = -Infinity;
    for (const s of main) {
      const end = Math.max(s.start_ms, s.end_ms);
      busy += end - s.start_ms;
      if (s.start_ms > curEnd) {
        if (curEnd > -Infinity) wall += curEnd - curStart;
        curStart = s.start_ms;
        curEnd = end;
      } else if (end > curEnd) {
        curEnd = end;
      }
    }
    if (curEnd > -Infinity) wall += curEnd - curStart;
  }
  return { saved_ms: busy - wall, busy_ms: busy, wall_ms: wall };
}

// ---- counters --------------------------------------------------------------------------------

/** Counts keyed by a pair index a*K+b: a flat Int32Array when K is small, else a Map. */
class PairCounts {
  private readonly dense: Int32Array | null;
  private readonly sparse: Map<number, number> | null;

  constructor(k: number) {
    this.dense = k <= DENSE_MAX_ACTIVITIES ? new Int32Array(k * k) : null;
    this.sparse = this.dense === null ? new Map() : null;
  }

  get(key: number): number {
    return this.dense !== null ? (this.dense[key] as number) : ((this.sparse as Map<number, number>).get(key) ?? 0);
  }

  add(key: number, v = 1): void {
    if (this.dense !== null) this.dense[key] = (this.dense[key] as number) + v;
    else {
      const m = this.sparse as Map<number, number>;
      m.set(key, (m.get(key) ?? 0) + v);
    }
  }

  set(key: number, v: number): void {
    if (this.dense !== null) this.dense[key] = v;
    else (this.sparse as Map<number, number>).set(key, v);
  }

  /** Keys with a non-zero count, ascending. */
  keys(): number[] {
    const out: number[] = [];
    if (this.dense !== null) {
      for (let i = 0; i < this.dense.length; i++) if (this.dense[i] !== 0) out.push(i);
    } else {
      for (const [k, v] of this.sparse as Map<number, number>) if (v !== 0) out.push(k);
      out.sort((a, b) => a - b);
    }
    return out;
  }
}

/** A candidate pattern while counting: its sessions (ascending, no duplicates) and totals. */
interface Acc {
  members: number[];
  sessions: number[];
  occurrences: number;
  saved_ms: number;
  /** 'observed' only: the time each occurrence saved; saved_ms becomes their median */
  overlaps?: number[];
  dependency?: number;
}

function touch(acc: Acc, session: number): void {
  if (acc.sessions[acc.sessions.length - 1] !== session) acc.sessions.push(session);
}

// ---- interning and outcomes -----------------------------------------------------------------

interface Corpus {
  names: string[];
  /** main-thread steps per session, in start order */
  main: Step[][];
  /** main-thread activity ids per session */
  seqs: Int32Array[];
  ids: Map<string, number>;
}

function intern(traces: SessionTrace[]): Corpus {
  const ids = new Map<string, number>();
  const names: string[] = [];
  const id = (name: string): number => {
    let v = ids.get(name);
    if (v === undefined) {
      v = names.length;
      ids.set(name, v);
      names.push(name);
    }
    return v;
  };
  const main: Step[][] = [];
  const seqs: Int32Array[] = [];
  for (const t of traces) {
    for (const s of t.steps) id(s.activity);
    const m = t.steps.filter((s) => s.agent === null);
    main.push(m);
    seqs.push(Int32Array.from(m, (s) => id(s.activity)));
  }
  return { names, main, seqs, ids };
}

interface Outcomes {
  /** 1 passed, 0 failed, -1 unknown */
  known: Int8Array;
  weight: Float64Array;
  n: number;
  s: number;
}

function outcomes(traces: SessionTrace[], o: ParallelOptions): Outcomes {
  const known = new Int8Array(traces.length);
  const weight = new Float64Array(traces.length);
  let n = 0;
  let s = 0;
  const decay = o.now_ms !== undefined && o.half_life_ms !== undefined;
  traces.forEach((t, i) => {
    const p = sessionPassed(t);
    known[i] = p === null ? -1 : p ? 1 : 0;
    const w = decay ? decayWeight((o.now_ms as number) - t.end_ms, o.half_life_ms as number) : 1;
    weight[i] = w;
    if (p !== null) {
      n += w;
      if (p) s += w;
    }
  });
  return { known, weight, n, s };
}

function outcomeOf(sessions: number[], oc: Outcomes, z: number): Pick<ParallelPattern, 'pass_rate' | 'baseline' | 'bound'> {
  let n = 0;
  let s = 0;
  for (const i of sessions) {
    const k = oc.known[i] as number;
    if (k < 0) continue;
    const w = oc.weight[i] as number;
    n += w;
    if (k === 1) s += w;
  }
  const nOut = oc.n - n;
  const eps = 1e-9;
  return {
    pass_rate: n > eps ? s / n : null,
    baseline: nOut > eps ? Math.max(0, oc.s - s) / nOut : null,
    bound: n > eps ? wilsonInterval(s, n, z).lower : null,
  };
}

/** heuristics-miner dependency of a over b from the two directed counts */
function dependency(ab: number, ba: number): number {
  return (ab - ba) / (ab + ba + 1);
}

// ---- (a) observed concurrency ---------------------------------------------------------------

function mineObserved(traces: SessionTrace[], c: Corpus, strict: boolean): Map<number, Acc> {
  const K = c.names.length;
  const found = new Map<number, Acc>();
  traces.forEach((t, si) => {
    const lanes = new Map<string | null, Step[]>();
    for (const s of t.steps) {
      let lane = lanes.get(s.agent);
      if (lane === undefined) lanes.set(s.agent, (lane = []));
      lane.push(s);
    }
    for (const lane of lanes.values()) {
      lane.sort((a, b) => a.start_ms - b.start_ms);
      for (let i = 0; i < lane.length; i++) {
        const x = lane[i] as Step;
        for (let j = i + 1; j < lane.length; j++) {
          const y = lane[j] as Step;
          // Sorted by start, so the first y that starts after x ends closes the sweep for x.
          if (strict ? y.start_ms >= x.end_ms : y.start_ms > x.end_ms) break;
          const a = c.ids.get(x.activity) as number;
          const b = c.ids.get(y.activity) as number;
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const key = lo * K + hi;
          let acc = found.get(key);
          if (acc === undefined) found.set(key, (acc = { members: [lo, hi], sessions: [], occurrences: 0, saved_ms: 0, overlaps: [] }));
          acc.occurrences++;
          // d(x) + d(y) - |x ∪ y| = the overlap
          acc.overlaps!.push(Math.max(0, Math.min(x.end_ms, y.end_ms) - y.start_ms));
          touch(acc, si);
        }
      }
    }
  });
  for (const acc of found.values()) acc.saved_ms = median(acc.overlaps!);
  return found;
}


// ---- (b) and (c): one counting pass over the main-thread sequences ---------------------------

interface SequenceCounts {
  /** directly-follows, non-overlapping neighbours, ordered key a*K+b */
  df: PairCounts;
  dfSessions: PairCounts;
  dfOut: Float64Array;
  dfIn: Float64Array;
  dfTotal: number;
  /** position pairs within the window (with multiplicity), ordered key */
  ef: PairCounts;
  efOut: Float64Array;
  efIn: Float64Array;
  efTotal: number;
  /** unordered key lo*K+hi: sessions co-occurring within the window, and which came first there */
  coSessions: PairCounts;
  firstLo: PairCounts;
  minimal: PairCounts;
}

function overlaps(x: Step, y: Step): boolean {
  return y.start_ms <= x.end_ms;
}

function countSequences(c: Corpus, window: number): SequenceCounts {
  const K = c.names.length;
  const r: SequenceCounts = {
    df: new PairCounts(K), dfSessions: new PairCounts(K), dfOut: new Float64Array(K), dfIn: new Float64Array(K), dfTotal: 0,
    ef: new PairCounts(K), efOut: new Float64Array(K), efIn: new Float64Array(K), efTotal: 0,
    coSessions: new PairCounts(K), firstLo: new PairCounts(K), minimal: new PairCounts(K),
  };
  const dfLast = new PairCounts(K);
  const coLast = new PairCounts(K);
  const lastPos = new Int32Array(K).fill(-1);
  const seenAt = new Int32Array(K).fill(-1);
  let stamp = 0;
  c.seqs.forEach((seq, si) => {
    const steps = c.main[si] as Step[];
    const mark = si + 1;
    for (let i = 0; i + 1 < seq.length; i++) {
      const a = seq[i] as number;
      const b = seq[i + 1] as number;
      if (a === b || overlaps(steps[i] as Step, steps[i + 1] as Step)) continue;
      const key = a * K + b;
      r.df.add(key);
      r.dfOut[a] = (r.dfOut[a] as number) + 1;
      r.dfIn[b] = (r.dfIn[b] as number) + 1;
      r.dfTotal++;
      if (dfLast.get(key) !== mark) {
        dfLast.set(key, mark);
        r.dfSessions.add(key);
      }
    }
    for (let j = 0; j < seq.length; j++) {
      const b = seq[j] as number;
      const prevB = lastPos[b] as number;
      stamp++;
      for (let i = j - 1; i >= 0 && i > j - window; i--) {
        const a = seq[i] as number;
        if (a === b) continue;
        r.ef.add(a * K + b);
        r.efOut[a] = (r.efOut[a] as number) + 1;
        r.efIn[b] = (r.efIn[b] as number) + 1;
        r.efTotal++;
        if (seenAt[a] === stamp) continue; // first sight of a going back = its latest position
        seenAt[a] = stamp;
        const u = a < b ? a * K + b : b * K + a;
        // [lastPos[a], j] is a minimal occurrence iff no b lies inside it
        if (prevB < (lastPos[a] as number)) r.minimal.add(u);
        if (coLast.get(u) !== mark) {
          coLast.set(u, mark);
          r.coSessions.add(u);
          if (a < b) r.firstLo.add(u); // a came first and has the lower id
        }
      }
      lastPos[b] = j;
    }
    for (const id of seq) lastPos[id] = -1;
  });
  return r;
}

function lift(ab: number, ba: number, out: Float64Array, inn: Float64Array, total: number, a: number, b: number): number {
  const expected = ((out[a] as number) * (inn[b] as number) + (out[b] as number) * (inn[a] as number)) / total;
  return expected > 0 ? (ab + ba) / expected : 0;
}

interface Accepted {
  orderIndependent: Map<number, Acc>;
  episodes: Map<number, Acc>;
}

function acceptPairs(c: Corpus, r: SequenceCounts, o: Required<Pick<ParallelOptions,
  'min_sessions' | 'dependency_threshold' | 'min_order_sessions' | 'min_lift'>>): Accepted {
  const K = c.names.length;
  const orderIndependent = new Map<number, Acc>();
  for (const key of r.df.keys()) {
    const a = Math.floor(key / K);
    const b = key % K;
    if (a >= b) continue; // visit each unordered pair once, from its lower id
    const ab = r.df.get(key);
    const ba = r.df.get(b * K + a);
    if (ba === 0) continue;
    const sab = r.dfSessions.get(key);
    const sba = r.dfSessions.get(b * K + a);
    if (sab < o.min_order_sessions || sba < o.min_order_sessions || sab + sba < o.min_sessions) continue;
    const dep = dependency(ab, ba);
    if (Math.abs(dep) > o.dependency_threshold) continue;
    if (lift(ab, ba, r.dfOut, r.dfIn, r.dfTotal, a, b) < o.min_lift) continue;
    orderIndependent.set(key, { members: [a, b], sessions: [], occurrences: ab + ba, saved_ms: 0, dependency: dep });
  }
  const episodes = new Map<number, Acc>();
  for (const u of r.coSessions.keys()) {
    const a = Math.floor(u / K);
    const b = u % K;
    const sessions = r.coSessions.get(u);
    if (sessions < o.min_sessions) continue;
    const lo = r.firstLo.get(u);
    const hi = sessions - lo;
    if (lo < o.min_order_sessions || hi < o.min_order_sessions) continue;
    const dep = dependency(lo, hi);
    if (Math.abs(dep) > o.dependency_threshold) continue;
    if (lift(r.ef.get(a * K + b), r.ef.get(b * K + a), r.efOut, r.efIn, r.efTotal, a, b) < o.min_lift) continue;
    episodes.set(u, { members: [a, b], sessions: [], occurrences: r.minimal.get(u), saved_ms: 0, dependency: dep });
  }
  return { orderIndependent, episodes };
}

/** Second pass: exact session lists of the accepted pairs, and the triples built from them. */
function collect(c: Corpus, acc: Accepted, window: number, triples: boolean): Map<number, Acc> {
  const K = c.names.length;
  const found = new Map<number, Acc>();
  const lastPos = new Int32Array(K).fill(-1);
  const seenAt = new Int32Array(K).fill(-1);
  let stamp = 0;
  const others: number[] = [];
  c.seqs.forEach((seq, si) => {
    const steps = c.main[si] as Step[];
    for (let i = 0; i + 1 < seq.length; i++) {
      const a = seq[i] as number;
      const b = seq[i + 1] as number;
      if (a === b || overlaps(steps[i] as Step, steps[i + 1] as Step)) continue;
      const hit = acc.orderIndependent.get(a < b ? a * K + b : b * K + a);
      if (hit !== undefined) touch(hit, si);
    }
    for (let j = 0; j < seq.length; j++) {
      const b = seq[j] as number;
      const prevB = lastPos[b] as number;
      stamp++;
      others.length = 0;
      for (let i = j - 1; i >= 0 && i > j - window; i--) {
        const a = seq[i] as number;
        if (a === b || seenAt[a] === stamp) continue;
        seenAt[a] = stamp;
        const hit = acc.episodes.get(a < b ? a * K + b : b * K + a);
        if (hit === undefined) continue;
        touch(hit, si);
        others.push(a);
      }
      if (triples) {
        for (let x = 0; x < others.length; x++) {
          for (let y = x + 1; y < others.length; y++) {
            const p = others[x] as number;
            const q = others[y] as number;
            if (!acc.episodes.has(p < q ? p * K + q : q * K + p)) continue;
            const [m0, m1, m2] = [b, p, q].sort((u, v) => u - v) as [number, number, number];
            const key = (m0 * K + m1) * K + m2;
            let t = found.get(key);
            if (t === undefined) {
              found.set(key, (t = { members: [m0, m1, m2], sessions: [], occurrences: 0, saved_ms: 0 }));
            }
            touch(t, si);
            // shortest occurrence ending at j starts at the earlier of p, q; minimal iff no b inside
            if (prevB < Math.min(lastPos[p] as number, lastPos[q] as number)) t.occurrences++;
          }
        }
      }
      lastPos[b] = j;
    }
    for (const id of seq) lastPos[id] = -1;
  });
  return found;
}

// ---- entry point -----------------------------------------------------------------------------

const KIND_ORDER: Record<ParallelPattern['kind'], number> = { observed: 0, 'order-independent': 1, episode: 2 };

/** Mine observed, order-independent and episode patterns; sorted by kind, sessions desc, members. */
export function mineParallel(traces: SessionTrace[], options: ParallelOptions = {}): ParallelPattern[] {
  const min_sessions = options.min_sessions ?? PARALLEL_DEFAULTS.min_sessions;
  const window = Math.max(2, Math.floor(options.window ?? PARALLEL_DEFAULTS.window));
  const o = {
    min_sessions,
    dependency_threshold: options.dependency_threshold ?? PARALLEL_DEFAULTS.dependency_threshold,
    min_order_sessions: options.min_order_sessions ?? Math.max(2, Math.ceil(min_sessions / 4)),
    min_lift: options.min_lift ?? PARALLEL_DEFAULTS.min_lift,
  };
  const z = options.z ?? PARALLEL_DEFAULTS.z;
  const c = intern(traces);
  const oc = outcomes(traces, options);

  const out: ParallelPattern[] = [];
  const emit = (kind: ParallelPattern['kind'], a: Acc): void => {
    if (a.sessions.length < min_sessions) return;
    // members by name; a pair's dependency is oriented from the first member (by name) to the second
    const named = a.members.map((m) => c.names[m] as string);
    const members = [...named].sort();
    const p: ParallelPattern = {
      members, kind, sessions: a.sessions.length, occurrences: a.occurrences,
      ...outcomeOf(a.sessions, oc, z), saved_ms: a.saved_ms,
    };
    if (a.dependency !== undefined) {
      p.dependency = a.members.length === 2 && named[0] !== members[0] ? -a.dependency : a.dependency;
    }
    out.push(p);
  };

  for (const a of mineObserved(traces, c, options.strict_overlap ?? PARALLEL_DEFAULTS.strict_overlap).values()) emit('observed', a);

  const counts = countSequences(c, window);
  const accepted = acceptPairs(c, counts, o);
  const maxSize = options.max_episode_size ?? PARALLEL_DEFAULTS.max_episode_size;
  const triples = collect(c, accepted, window, maxSize >= 3);
  for (const a of accepted.orderIndependent.values()) emit('order-independent', a);
  for (const a of accepted.episodes.values()) emit('episode', a);
  const K = c.names.length;
  for (const t of triples.values()) {
    // all three pairs passed the order test; report the least balanced one
    const [m0, m1, m2] = t.members as [number, number, number];
    t.dependency = Math.max(...[[m0, m1], [m0, m2], [m1, m2]].map(([x, y]) =>
      Math.abs(accepted.episodes.get((x as number) * K + (y as number))?.dependency ?? 0)));
    emit('episode', t);
  }

  const key = (p: ParallelPattern): string => p.members.join('\u0000');
  return out.sort((x, y) => KIND_ORDER[x.kind] - KIND_ORDER[y.kind] || y.sessions - x.sessions ||
    (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
}
