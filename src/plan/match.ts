// Does a session contain a set of activities? (Sequences: containsGapped in learn/evaluate.ts.) Pure.
import type { SessionTrace } from '../core/types.js';

export function containsAll(activities: readonly string[], members: readonly string[]): boolean {
  const set = new Set(activities);
  return members.every((m) => set.has(m));
}

export const activitiesOf = (trace: SessionTrace): string[] => trace.steps.map((s) => s.activity);
