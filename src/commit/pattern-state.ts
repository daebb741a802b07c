// metrics/patterns.json: every pattern with its status, written by one run and read back by the next,
// and what changed between the two (new, promoted, demoted, dropped, checked on later sessions). Pure.
import { z } from 'zod';
import type { ProspectiveState } from '../learn/prospective.js';
import type { LearnResult } from '../learn/types.js';
import { cmpStr } from '../core/cmp-str.js';
import { roundOrNull } from '../core/round.js';
import { firstIssue } from '../core/zod-issue.js';
import { stableJson } from './format.js';
import { stateChanges, type StateChange } from './later-sessions.js';
import { parallelRows, type PatternRow, type PatternStatus } from './pattern-rows.js';

const STATUS_RANK: Record<PatternStatus, number> = { anti: 0, discovered: 1, validated: 2 };

function stateRow(r: PatternRow) {
  return {
    key: r.key,
    status: r.status,
    slug: r.slug,
    steps: r.steps,
    sessions: r.sessions,
    known: r.known,
    passed: r.passed,
    pass_rate: r.pass_rate,
    baseline: r.baseline,
    uplift: r.uplift,
    bound: r.bound,
    first_seen: r.first_seen,
    last_seen: r.last_seen,
    state: r.state,
    first_reported: r.first_reported,
    later: r.later,
  };
}

export function renderPatternState(result: LearnResult, rows: PatternRow[]): string {
  return stableJson(
    {
      // 2: a pattern's state on the sessions after its first report decides "validated" (was: a hold-out)
      version: 2,
      patterns: rows.map(stateRow),
      parallel: parallelRows(result).map((p) => ({
        members: [...p.members].sort(cmpStr),
        kind: p.kind,
        sessions: p.sessions,
        occurrences: p.occurrences,
        pass_rate: roundOrNull(p.pass_rate),
        baseline: roundOrNull(p.baseline),
        bound: roundOrNull(p.bound),
        saved_ms: Math.round(p.saved_ms),
      })),
    },
    3,
  );
}

export interface PatternDelta {
  added: PatternRow[];
  promoted: { row: PatternRow; from: PatternStatus; before: PatternRow }[];
  demoted: { row: PatternRow; from: PatternStatus; before: PatternRow }[];
  /** the learner no longer reports them (a pattern later sessions contradict is "retired": see changed) */
  dropped: PatternRow[];
  /** reported before and now, with another state on later sessions */
  changed: StateChange<PatternRow>[];
}

const STATES = ['validated', 'pending', 'weakened', 'retired'] as const satisfies readonly ProspectiveState[];

// metrics/patterns.json as written by renderPatternState (version 2), or by version 1, which had no
// state, first_reported or later yet (those read as pending). Numbers a version did not write read as
// 0 or null; the fields only the pattern files show (intervals, error rate, ...) are not stored.
const finite = z.number().finite();
const rate = finite.nullable().optional();
const laterSchema = z.object({
  with: finite.optional(),
  without: finite.optional(),
  passed_with: finite.optional(),
  passed_without: finite.optional(),
  pass_with: rate,
  pass_without: rate,
  uplift: rate,
  lower: rate,
  upper: rate,
});
const rowSchema = z.object({
  key: z.string(),
  status: z.enum(['validated', 'discovered', 'anti']),
  slug: z.string().optional(),
  steps: z.array(z.string()),
  sessions: finite.optional(),
  known: finite.optional(),
  passed: finite.optional(),
  pass_rate: rate,
  baseline: rate,
  uplift: rate,
  bound: rate,
  first_seen: z.string().optional(),
  last_seen: z.string().optional(),
  state: z.enum(STATES).optional(),
  first_reported: z.string().optional(),
  later: laterSchema.optional(),
});
const stateSchema = z.object({ version: finite.optional(), patterns: z.array(rowSchema) });

/** metrics/patterns.json of the previous library, read back. */
export interface PreviousPatterns {
  /** null when there is no such file, or it cannot be read (then every pattern is new) */
  rows: PatternRow[] | null;
  /** why the file could not be read (never its content); null when it was read or is missing */
  error: string | null;
}

/** Reads metrics/patterns.json back. A broken file is an error to report, never a crash. */
export function readPatternState(files: ReadonlyMap<string, string> | null): PreviousPatterns {
  const text = files?.get('metrics/patterns.json');
  if (text === undefined) return { rows: null, error: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { rows: null, error: 'metrics/patterns.json is not valid JSON' };
  }
  const checked = stateSchema.safeParse(json);
  if (!checked.success) {
    return { rows: null, error: `metrics/patterns.json is not a pattern state (${firstIssue(checked.error) ?? 'invalid'})` };
  }
  const rows = checked.data.patterns.map((item): PatternRow => {
    const l = item.later ?? {};
    return {
      key: item.key,
      status: item.status,
      state: item.state ?? 'pending',
      first_reported: item.first_reported ?? 'n/a',
      later: {
        with: l.with ?? 0,
        without: l.without ?? 0,
        passed_with: l.passed_with ?? 0,
        passed_without: l.passed_without ?? 0,
        pass_with: l.pass_with ?? null,
        pass_without: l.pass_without ?? null,
        uplift: l.uplift ?? null,
        lower: l.lower ?? null,
        upper: l.upper ?? null,
      },
      slug: item.slug ?? '',
      steps: item.steps,
      sessions: item.sessions ?? 0,
      known: item.known ?? 0,
      passed: item.passed ?? 0,
      pass_rate: item.pass_rate ?? null,
      pass_lower: null,
      pass_upper: null,
      baseline: item.baseline ?? null,
      uplift: item.uplift ?? null,
      bound: item.bound ?? null,
      error_rate: 0,
      interrupted_sessions: 0,
      stop_failure_sessions: 0,
      support_weighted: 0,
      first_seen: item.first_seen ?? 'n/a',
      last_seen: item.last_seen ?? 'n/a',
    };
  });
  return { rows, error: null };
}

/**
 * New, promoted (status up: anti → discovered → validated), demoted (down) and dropped patterns, and
 * those whose state on later sessions changed.
 */
export function diffPatterns(before: PatternRow[] | null, now: PatternRow[]): PatternDelta {
  const prev = new Map((before ?? []).map((r) => [r.key, r]));
  const cur = new Set(now.map((r) => r.key));
  const delta: PatternDelta = { added: [], promoted: [], demoted: [], dropped: [], changed: stateChanges(before, now) };
  for (const row of now) {
    const old = prev.get(row.key);
    if (!old) delta.added.push(row);
    else if (STATUS_RANK[row.status] > STATUS_RANK[old.status]) delta.promoted.push({ row, from: old.status, before: old });
    else if (STATUS_RANK[row.status] < STATUS_RANK[old.status]) delta.demoted.push({ row, from: old.status, before: old });
  }
  for (const old of before ?? []) if (!cur.has(old.key)) delta.dropped.push(old);
  delta.dropped.sort((a, b) => cmpStr(a.key, b.key));
  return delta;
}

export function deltaSize(d: PatternDelta): number {
  return d.added.length + d.promoted.length + d.demoted.length + d.dropped.length + d.changed.length;
}
