// Does a session contain a set of activities? (Sequences: containsGapped in evaluate.ts.) Pure; the learner's, so that the planner may use it too.
import type { SessionTrace } from '../core/types.js';

export function containsAll(activities: readonly string[], members: readonly string[]): boolean {
  const set = new Set(activities);
  return members.every((m) => set.has(m));
}

/** The main thread's activities: the sequence the learner mines (subagents' steps are their own). */
export const activitiesOf = (trace: SessionTrace): string[] => trace.steps.filter((s) => s.agent === null).map((s) => s.activity);
