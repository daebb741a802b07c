// metrics/patterns.json: every pattern with its status, written by one run and read back by the next,
// and what changed between the two (new, promoted, demoted, dropped, checked on later sessions). Pure.
import type { LearnResult } from '../learn/types.js';
import { cmpStr, round, stableJson } from './format.js';
import { readLaterFields, stateChanges, type StateChange } from './later-sessions.js';
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
        pass_rate: round(p.pass_rate),
        baseline: round(p.baseline),
        bound: round(p.bound),
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

/** Reads metrics/patterns.json back; null when missing or unreadable (then every pattern is new). */
export function readPatternState(files: ReadonlyMap<string, string> | null): PatternRow[] | null {
  const text = files?.get('metrics/patterns.json');
  if (text === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const list = (parsed as { patterns?: unknown })?.patterns;
  if (!Array.isArray(list)) return null;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const out: PatternRow[] = [];
  for (const item of list as Record<string, unknown>[]) {
    if (!item || typeof item.key !== 'string' || !Array.isArray(item.steps)) continue;
    const status = item.status;
    if (status !== 'validated' && status !== 'discovered' && status !== 'anti') continue;
    out.push({
      key: item.key,
      status,
      ...readLaterFields(item),
      slug: typeof item.slug === 'string' ? item.slug : '',
      steps: item.steps.filter((s): s is string => typeof s === 'string'),
      sessions: num(item.sessions) ?? 0,
      known: num(item.known) ?? 0,
      passed: num(item.passed) ?? 0,
      pass_rate: num(item.pass_rate),
      pass_lower: null,
      pass_upper: null,
      baseline: num(item.baseline),
      uplift: num(item.uplift),
      bound: num(item.bound),
      error_rate: 0,
      interrupted_sessions: 0,
      stop_failure_sessions: 0,
      support_weighted: 0,
      first_seen: typeof item.first_seen === 'string' ? item.first_seen : 'n/a',
      last_seen: typeof item.last_seen === 'string' ? item.last_seen : 'n/a',
    });
  }
  return out;
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
