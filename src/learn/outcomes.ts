// What "success" means for the learner. Pure.
//
// ## Outcome definition
// - A TEST RUN is a step that ran tests to completion: a step with `test` set (the normalizer recognised
//   the runner and read its result), or, when the output could not be read, a `Bash:test` /
//   `PowerShell:test` step that completed (ok = passed, error = failed). Steps that were interrupted,
//   blocked or denied ran nothing and are never test runs.
// - A session's OUTCOME is its last test run (passed or failed). A session with no test run has an
//   UNKNOWN outcome: it counts in `sessions` but not in `known`, and never as a failure.
// - A pattern (activity, edge) is judged by the outcome of the sessions it occurs in, and only by
//   occurrences that END AT OR BEFORE the session's last test run. Steps after the last test run
//   cannot have caused it; they are often its consequence (a `git commit` after green tests), and
//   counting them would report "commit after testing" as a way to pass. A session where the pattern
//   occurs only after the last test run counts in `sessions`, not in `known`, and its verdict goes to
//   the baseline (the sessions without the pattern).
//   Why the session outcome and not "the next test run after the occurrence": advice is injected to
//   make a session end green, parallel.ts and the held-out check (evaluate.ts) use the session
//   outcome, and in a red–green cycle the run right after an edit is often meant to fail, so the next
//   run would penalise exactly the practice worth advising. (Measured on the simulator, N = 1000: the
//   planted Read → Edit → Bash:test passed 0.64 by its next run, 0.75 by the session outcome.)
// - The baseline of a pattern uses the other known sessions' outcomes.
// - Tool errors, interrupts and StopFailure are SECONDARY signals: reported next to the pass rate
//   (error_rate, interrupted_sessions, stop_failure_sessions), never mixed into it.
import type { SessionTrace, Step } from '../core/types.js';
import type { Support } from './types.js';
import type { EncodedLog } from './encoded-log.js';
import type { Projection } from './prefixspan.js';

export const PASS = 1;
export const FAIL = 0;
export const UNKNOWN = -1;
/** PASS, FAIL or UNKNOWN */
export type Verdict = 1 | 0 | -1;

const SHELL_TEST = /^(Bash|PowerShell):test$/;

/** Activities that run tests: the outcome carriers, never a recipe's last step (recipe.ts). */
export function isTestActivity(name: string): boolean {
  return SHELL_TEST.test(name);
}

/** The verdict of one step: PASS / FAIL when it is a test run, else UNKNOWN. */
export function stepVerdict(step: Step): Verdict {
  if (step.outcome === 'interrupted' || step.outcome === 'blocked' || step.outcome === 'denied') return UNKNOWN;
  if (step.test) return step.test.passed ? PASS : FAIL;
  if (SHELL_TEST.test(step.activity)) return step.outcome === 'ok' ? PASS : FAIL;
  return UNKNOWN;
}

/**
 * verdictAt[i] = the session's outcome (its last test run) for positions at or before that run, UNKNOWN
 * after it and everywhere in a session without test runs. An occurrence ending at position i is
 * judged by verdictAt[i].
 */
export function verdictAt(steps: readonly Step[]): Int8Array {
  const out = new Int8Array(steps.length).fill(UNKNOWN);
  let last = steps.length - 1;
  while (last >= 0 && stepVerdict(steps[last]!) === UNKNOWN) last--;
  if (last < 0) return out;
  out.fill(stepVerdict(steps[last]!), 0, last + 1);
  return out;
}

/**
 * For each step i, the first test run at or after it (UNKNOWN / -1 when none follows): its verdict
 * and its index among the session's steps. How one occurrence ending at step i is judged when
 * occurrences, not sessions, are compared (recipe.ts); an occurrence that ends with a test run is
 * judged by that run.
 */
export function nextTestRuns(steps: readonly Step[]): { verdict: Int8Array; index: Int32Array } {
  const verdict = new Int8Array(steps.length);
  const index = new Int32Array(steps.length);
  let next: Verdict = UNKNOWN;
  let at = -1;
  for (let i = steps.length - 1; i >= 0; i--) {
    const v = stepVerdict(steps[i]!);
    if (v !== UNKNOWN) {
      next = v;
      at = i;
    }
    verdict[i] = next;
    index[i] = at;
  }
  return { verdict, index };
}

/** The session's final verdict: its last test run. */
export function sessionVerdict(steps: readonly Step[]): Verdict {
  for (let i = steps.length - 1; i >= 0; i--) {
    const v = stepVerdict(steps[i]!);
    if (v !== UNKNOWN) return v;
  }
  return UNKNOWN;
}

/** Secondary signals of one session. */
export interface SessionSignals {
  steps: number;
  tool_errors: number;
  interrupts: number;
  stop_failures: number;
}

export function sessionSignals(trace: SessionTrace): SessionSignals {
  let errors = 0;
  for (const s of trace.steps) if (s.outcome === 'error') errors++;
  return { steps: trace.steps.length, tool_errors: errors, interrupts: trace.interrupts, stop_failures: trace.stop_failures };
}

/**
 * What ranking needs about the sessions containing one pattern. Additive. Computed for every mined
 * pattern, so it reads as little as possible per session. `known` / `passed` count the sessions with
 * an occurrence before their outcome (see the header); `passed_final` equals `passed` (kept because
 * Support has both: the baseline subtracts it from the totals).
 */
export interface Tally extends Support {
  /** Σw² over the known sessions: their Kish effective size is w_known² / w2_known (rank.ts) */
  w2_known: number;
  /** two order-independent hashes of the session set: equal sets ⇒ equal hashes (redundancy check) */
  h1: number;
  h2: number;
  /** the same two hashes over the known sessions (the ones that decide the outcome evidence) */
  kh1: number;
  kh2: number;
}

/** Secondary signals and dates of the sessions containing a pattern; computed for reported patterns only. */
export interface Signals {
  first_seen: number;
  last_seen: number;
  steps: number;
  errors: number;
  interrupted_sessions: number;
  stop_failure_sessions: number;
}

/**
 * Tallies the sessions of a projection. A session's earliest end decides whether the pattern occurs
 * before its outcome (ends are ascending within a session; every pre-outcome position has the same
 * verdict, so the earliest end is the one to look at).
 */
export function tallyProjection(log: EncodedLog, proj: Projection): Tally {
  const { sids, offs, ends } = proj;
  const { weight, verdictAt, hash1, hash2 } = log;
  const n = sids.length;
  let known = 0;
  let passed = 0;
  let wSessions = 0;
  let wKnown = 0;
  let w2Known = 0;
  let wPassed = 0;
  let h1 = 0;
  let h2 = 0;
  let kh1 = 0;
  let kh2 = 0;
  for (let k = 0; k < n; k++) {
    const sid = sids[k]!;
    const w = weight[sid]!;
    wSessions += w;
    h1 = (h1 + hash1[sid]!) >>> 0;
    h2 = (h2 + hash2[sid]!) >>> 0;
    const v = verdictAt[ends[offs[k]!]!]!;
    if (v === UNKNOWN) continue;
    known++;
    wKnown += w;
    w2Known += w * w;
    kh1 = (kh1 + hash1[sid]!) >>> 0;
    kh2 = (kh2 + hash2[sid]!) >>> 0;
    if (v === PASS) {
      passed++;
      wPassed += w;
    }
  }
  return {
    sessions: n,
    known,
    passed,
    passed_final: passed,
    w_sessions: wSessions,
    w_known: wKnown,
    w_passed: wPassed,
    w_passed_final: wPassed,
    w2_known: w2Known,
    h1,
    h2,
    kh1,
    kh2,
  };
}

export function signalsOf(log: EncodedLog, sids: Int32Array): Signals {
  const s: Signals = { first_seen: Infinity, last_seen: -Infinity, steps: 0, errors: 0, interrupted_sessions: 0, stop_failure_sessions: 0 };
  for (const sid of sids) {
    if (log.start_ms[sid]! < s.first_seen) s.first_seen = log.start_ms[sid]!;
    if (log.end_ms[sid]! > s.last_seen) s.last_seen = log.end_ms[sid]!;
    s.steps += log.offsets[sid + 1]! - log.offsets[sid]!;
    s.errors += log.errors[sid]!;
    if (log.interrupts[sid]! > 0) s.interrupted_sessions++;
    if (log.stop_failures[sid]! > 0) s.stop_failure_sessions++;
  }
  return s;
}

/** A 32-bit integer mixer (murmur3 finaliser) so that session-set hashes rarely collide. */
export function mix32(x: number, seed: number): number {
  let h = Math.imul(x ^ seed, 0xcc9e2d51);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
