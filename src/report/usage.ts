// How each activity was used over the captured sessions: calls, sessions, errors, the test
// verdict of the sessions that used it, and when it was last used. Pure.
//
// The outcome of a session is the learner's (its last test run: sessionPassed in parallel.ts), so
// "pass rate" here means the same as everywhere else in agentops-meta. A set of activities (a
// plugin's agents, skills, commands and MCP servers) is summarised over the union of its sessions,
// which is why the index keeps per-session counts instead of totals.
import type { SessionTrace } from '../core/types.js';
import type { UsageSummary } from '../catalog/types.js';
import { sessionPassed } from '../learn/parallel.js';

interface SessionUse {
  calls: number;
  errors: number;
  last_ms: number;
}

export interface UsageIndex {
  /** activity → session index → its use in that session */
  byActivity: Map<string, Map<number, SessionUse>>;
  /** per session index: did its last test run pass (null: no test run) */
  verdicts: (boolean | null)[];
}

export function usageIndex(traces: readonly SessionTrace[]): UsageIndex {
  const byActivity = new Map<string, Map<number, SessionUse>>();
  const verdicts = traces.map((t) => sessionPassed(t));
  traces.forEach((t, i) => {
    for (const s of t.steps) {
      let sessions = byActivity.get(s.activity);
      if (!sessions) byActivity.set(s.activity, (sessions = new Map()));
      let use = sessions.get(i);
      if (!use) sessions.set(i, (use = { calls: 0, errors: 0, last_ms: -Infinity }));
      use.calls++;
      if (s.outcome === 'error') use.errors++;
      use.last_ms = Math.max(use.last_ms, s.end_ms, s.start_ms);
    }
  });
  return { byActivity, verdicts };
}

export const NO_USAGE: UsageSummary = {
  calls: 0,
  sessions: 0,
  errors: 0,
  error_rate: null,
  known_sessions: 0,
  passed_sessions: 0,
  pass_rate: null,
  last_used_ms: null,
};

/** Use of a set of activities, counted over the union of the sessions that used any of them. */
export function usageOf(index: UsageIndex, activities: Iterable<string>): UsageSummary {
  const perSession = new Map<number, SessionUse>();
  for (const a of new Set(activities)) {
    for (const [i, use] of index.byActivity.get(a) ?? []) {
      const cur = perSession.get(i);
      if (!cur) perSession.set(i, { ...use });
      else {
        cur.calls += use.calls;
        cur.errors += use.errors;
        cur.last_ms = Math.max(cur.last_ms, use.last_ms);
      }
    }
  }
  if (perSession.size === 0) return { ...NO_USAGE };
  let calls = 0;
  let errors = 0;
  let known = 0;
  let passed = 0;
  let last = -Infinity;
  for (const [i, use] of perSession) {
    calls += use.calls;
    errors += use.errors;
    last = Math.max(last, use.last_ms);
    const v = index.verdicts[i];
    if (v !== null && v !== undefined) {
      known++;
      if (v) passed++;
    }
  }
  return {
    calls,
    sessions: perSession.size,
    errors,
    error_rate: calls ? errors / calls : null,
    known_sessions: known,
    passed_sessions: passed,
    pass_rate: known ? passed / known : null,
    last_used_ms: Number.isFinite(last) ? last : null,
  };
}

export interface ActivityUsage extends UsageSummary {
  activity: string;
}

/** Every activity with its use, most called first (ties by name). */
export function activityUsage(index: UsageIndex): ActivityUsage[] {
  return [...index.byActivity.keys()]
    .map((activity) => ({ activity, ...usageOf(index, [activity]) }))
    .sort((a, b) => b.calls - a.calls || (a.activity < b.activity ? -1 : a.activity > b.activity ? 1 : 0));
}
