// The counters and the interned corpus the parallel miners share (parallel.ts, parallel-sequences.ts).
// Pure.
import type { SessionTrace, Step } from '../core/types.js';

/** Above this many distinct activities the pair counters switch from K×K arrays to Maps. */
export const DENSE_MAX_ACTIVITIES = 1024;

/** Counts keyed by a pair index a*K+b: a flat Int32Array when K is small, else a Map. */
export class PairCounts {
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
export interface Acc {
  members: number[];
  sessions: number[];
  occurrences: number;
  saved_ms: number;
  /** 'observed' only: the time each occurrence saved; saved_ms becomes their median */
  overlaps?: number[];
  dependency?: number;
}

export function touch(acc: Acc, session: number): void {
  if (acc.sessions[acc.sessions.length - 1] !== session) acc.sessions.push(session);
}

// ---- interning --------------------------------------------------------------------------------

export interface Corpus {
  names: string[];
  /** main-thread steps per session, in start order */
  main: Step[][];
  /** main-thread activity ids per session */
  seqs: Int32Array[];
  ids: Map<string, number>;
}

export function intern(traces: SessionTrace[]): Corpus {
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

/** heuristics-miner dependency of a over b from the two directed counts */
export function dependency(ab: number, ba: number): number {
  return (ab - ba) / (ab + ba + 1);
}
