// Activity names → small integers, and session traces → one flat integer log. Pure.
// Integer ids are an in-memory detail of one run: everything that leaves the learner is keyed by name.
import type { SessionTrace, Step } from '../core/types.js';
import { decayWeight } from './stats.js';
import { mix32, nextTestRuns, sessionVerdict, verdictAt } from './outcomes.js';

export class Interner {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  id(name: string): number | undefined {
    return this.ids.get(name);
  }

  name(id: number): string {
    const n = this.names[id];
    if (n === undefined) throw new RangeError(`unknown activity id ${id}`);
    return n;
  }

  get size(): number {
    return this.names.length;
  }
}

export const DAY_MS = 86_400_000;

/**
 * All sessions as one flat log: the steps of session s are positions offsets[s] .. offsets[s+1]-1.
 * Per-position arrays are indexed by position, per-session arrays by session index.
 */
export interface EncodedLog {
  names: readonly string[];
  /** activity id per position */
  acts: Int32Array;
  offsets: Int32Array;
  /** outcomes.ts verdictAt, per position: how an occurrence ending there is judged */
  verdictAt: Int8Array;
  /** per position: the verdict of the first test run at or after that step (any lane), UNKNOWN when none */
  next_test: Int8Array;
  /** per position: which test run that is (unique over the log), -1 when none */
  next_test_id: Int32Array;
  /** per position: the session it belongs to */
  session_of: Int32Array;
  /** step duration (end - start) per position */
  duration_ms: Float64Array;
  /** 0 ok, 1 error, 2 interrupted, 3 blocked or denied; per position */
  step_outcome: Uint8Array;
  /** final verdict per session */
  final: Int8Array;
  /** decay weight per session, 2^(-(now - end)/half_life) */
  weight: Float64Array;
  start_ms: Float64Array;
  end_ms: Float64Array;
  errors: Int32Array;
  interrupts: Int32Array;
  stop_failures: Int32Array;
  session_ids: readonly string[];
  /** per-session hashes of the session index, summed into session-set hashes (outcomes.ts Tally) */
  hash1: Uint32Array;
  hash2: Uint32Array;
}

export interface EncodeOptions {
  now: number;
  half_life_days: number;
}

/** Deterministic session order: by start time, then session id. */
export function sortTraces(traces: readonly SessionTrace[]): SessionTrace[] {
  return [...traces].sort((a, b) =>
    a.start_ms !== b.start_ms ? a.start_ms - b.start_ms : a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0,
  );
}

/**
 * The steps a trace's sequence is made of: its main thread (agent === null) when it has one, else all
 * of them (a per-subagent trace from traces.ts subagentTraces has only that agent's steps). Subagent
 * steps run inside an Agent call, interleaved by start time with nothing the main thread did, and a
 * subagent's own sequences are learned from its own traces; the held-out check (evaluate.ts) and
 * parallel.ts look at the main thread too.
 */
export function laneOf(steps: readonly Step[]): number[] {
  const main: number[] = [];
  for (let i = 0; i < steps.length; i++) if (steps[i]!.agent === null) main.push(i);
  return main.length > 0 ? main : steps.map((_, i) => i);
}

/**
 * Encodes traces in the given order (call sortTraces first for a canonical order). Ids are assigned
 * in order of first appearance, so equal inputs give equal ids. Positions are the steps of each
 * trace's lane (laneOf); outcomes come from every step (a subagent's test run counts).
 */
export function encodeTraces(traces: readonly SessionTrace[], opts: EncodeOptions, interner = new Interner()): EncodedLog {
  const lanes = traces.map((t) => laneOf(t.steps));
  let total = 0;
  for (const l of lanes) total += l.length;
  const n = traces.length;
  const acts = new Int32Array(total);
  const offsets = new Int32Array(n + 1);
  const outcome = new Int8Array(total);
  const nextTest = new Int8Array(total);
  const nextTestId = new Int32Array(total);
  let stepBase = 0;
  const sessionOf = new Int32Array(total);
  const duration = new Float64Array(total);
  const stepOutcome = new Uint8Array(total);
  const final = new Int8Array(n);
  const weight = new Float64Array(n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const errors = new Int32Array(n);
  const interrupts = new Int32Array(n);
  const stopFailures = new Int32Array(n);
  const halfLifeMs = opts.half_life_days * DAY_MS;
  let pos = 0;
  for (let s = 0; s < n; s++) {
    const t = traces[s]!;
    offsets[s] = pos;
    const at = verdictAt(t.steps);
    const next = nextTestRuns(t.steps);
    let errs = 0;
    for (const i of lanes[s]!) {
      const step = t.steps[i]!;
      acts[pos] = interner.intern(step.activity);
      outcome[pos] = at[i]!;
      nextTest[pos] = next.verdict[i]!;
      nextTestId[pos] = next.index[i]! < 0 ? -1 : stepBase + next.index[i]!;
      sessionOf[pos] = s;
      duration[pos] = Math.max(0, step.end_ms - step.start_ms);
      stepOutcome[pos] = OUTCOME_CODE[step.outcome];
      if (step.outcome === 'error') errs++;
      pos++;
    }
    stepBase += t.steps.length;
    final[s] = sessionVerdict(t.steps);
    weight[s] = decayWeight(opts.now - t.end_ms, halfLifeMs);
    start[s] = t.start_ms;
    end[s] = t.end_ms;
    errors[s] = errs;
    interrupts[s] = t.interrupts;
    stopFailures[s] = t.stop_failures;
  }
  offsets[n] = pos;
  return {
    names: interner.names,
    acts,
    offsets,
    verdictAt: outcome,
    next_test: nextTest,
    next_test_id: nextTestId,
    session_of: sessionOf,
    duration_ms: duration,
    step_outcome: stepOutcome,
    final,
    weight,
    start_ms: start,
    end_ms: end,
    errors,
    interrupts,
    stop_failures: stopFailures,
    session_ids: traces.map((t) => t.session_id),
    hash1: Uint32Array.from({ length: n }, (_, s) => mix32(s, 0x9e3779b1)),
    hash2: Uint32Array.from({ length: n }, (_, s) => mix32(s, 0x85ebca77)),
  };
}

const OUTCOME_CODE = { ok: 0, error: 1, interrupted: 2, blocked: 3, denied: 3 } as const;
