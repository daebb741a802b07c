// What every export format shares: the writer interface, and how a step's time, thread and test
// result are spelled. Pure.
//
// Writers are streaming: header(), then session() once per session, then footer(); each returns a
// chunk of text that ends with a newline (or is empty), so a caller can write chunks as they come
// and never hold the whole log. Sessions are rendered in the order given.
import type { SessionTrace, Step } from '../core/types.js';
import { FAIL, PASS, sessionVerdict, stepVerdict } from '../learn/outcomes.js';

export interface ExportSession {
  trace: SessionTrace;
  /**
   * Files each step touched, aligned with trace.steps (see step-files.ts); only OCEL uses them.
   * Absent when the steps did not come from stored events (e.g. simulated traces).
   */
  files?: readonly (readonly string[])[];
}

export interface ExportWriter {
  header(): string;
  session(s: ExportSession): string;
  footer(): string;
}

/** Resource name of steps on the main thread (steps inside a subagent carry its agent type). */
export const MAIN_THREAD = 'main';

/** ISO 8601 in UTC with milliseconds, e.g. 2026-10-30T09:15:02.125Z. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function resourceOf(step: Step): string {
  return step.agent ?? MAIN_THREAD;
}

/** Whole milliseconds from start to end (the integer types of XES and OCEL need whole numbers). */
export function durationMs(step: Step): number {
  return Math.max(0, Math.round(step.end_ms - step.start_ms));
}

/**
 * Did this step's tests pass? null when the step is not a test run. Same reading as the learner
 * (learn/outcomes.ts): a recognised runner's result, else a completed Bash:test ok/error.
 */
export function testPassedOf(step: Step): boolean | null {
  const v = stepVerdict(step);
  return v === PASS ? true : v === FAIL ? false : null;
}

/** The session's outcome as the learner defines it (its last test run); null when it ran none. */
export function sessionTestsPassed(trace: SessionTrace): boolean | null {
  const v = sessionVerdict(trace.steps);
  return v === PASS ? true : v === FAIL ? false : null;
}
