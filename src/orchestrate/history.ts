// What `orchestrate` needs from the history, precomputed at learning time so the command reads one
// file and never runs the learner: per session its main-thread activities (repeats collapsed), its
// outcome and project; per activity its session counts; the learned patterns (names, counts, rates);
// and a BM25 index over each session's prompts. Written to `<data>/context/orchestrate.json` (local,
// like prompt.json; never committed: it holds prompt words and project folders). Pure.
import type { SessionTrace } from '../core/types.js';
import type { LearnResult } from '../learn/types.js';
import { sessionPassed } from '../learn/parallel.js';
import { buildBm25 } from '../plan/bm25.js';
import { compactBm25, type CompactBm25 } from './prompts.js';

export const HISTORY_VERSION = 1;

/** A learned pattern, reduced to what a plan cites. */
export interface HistoryPattern {
  kind: 'sequential' | 'anti' | 'parallel';
  /** index into `projects`, -1 = learned over every project */
  project: number;
  steps: string[];
  sessions: number;
  pass_rate: number | null;
  baseline: number | null;
  /** parallel only: which relation, and the median time saved per co-occurrence */
  relation?: string;
  saved_ms?: number;
}

export interface HistorySession {
  /** index into `projects`, -1 when unknown */
  p: number;
  /** outcome: 1 green (last test run passed), 0 red, null no test run */
  ok: 1 | 0 | null;
  /**
   * main-thread activities, consecutive repeats collapsed, one character each: the activity's index
   * into `activities` plus ACTIVITY_CODE_BASE (a string parses far faster than an array of numbers)
   */
  a: string;
}

/** Code of activity 0 in HistorySession.a: above every character JSON escapes. */
export const ACTIVITY_CODE_BASE = 0xc0;

/** A session's activities as indexes into `activities`. */
export function decodeActivities(a: string): number[] {
  const out = new Array<number>(a.length);
  for (let k = 0; k < a.length; k++) out[k] = a.charCodeAt(k) - ACTIVITY_CODE_BASE;
  return out;
}

function encodeActivities(ids: readonly number[]): string {
  let s = '';
  // Indexes past the Basic Multilingual Plane's surrogates would need two code units; a vocabulary
  // of 55,000 activities is far beyond any history, and such steps are left out.
  for (const i of ids) if (i + ACTIVITY_CODE_BASE < 0xd800) s += String.fromCharCode(i + ACTIVITY_CODE_BASE);
  return s;
}

export interface OrchestrateHistory {
  version: typeof HISTORY_VERSION;
  as_of: number;
  activities: string[];
  /** per activity (same index): [sessions with it, of those with a test run, of those green] */
  activity_stats: [number, number, number][];
  totals: { sessions: number; known: number; passed: number };
  projects: string[];
  /** oldest first; the BM25 document id of a session is its position here */
  sessions: HistorySession[];
  /** BM25 over each session's prompts (the planner's index, compact) */
  prompts: CompactBm25;
  patterns: HistoryPattern[];
}

export interface HistoryInput {
  traces: readonly SessionTrace[];
  global?: LearnResult | null;
  projects?: ReadonlyMap<string, LearnResult>;
  as_of: number;
  /** longest activity list kept per session (default 300) */
  max_steps?: number;
  /** most frequent prompt terms kept per session (default 60) */
  max_terms?: number;
  /** newest sessions kept for similarity and phases (default 4000; counts cover every session) */
  max_sessions?: number;
}

/** Main-thread activities of a session, consecutive repeats collapsed. */
export function sessionActivities(t: SessionTrace, maxSteps = Infinity): string[] {
  const out: string[] = [];
  for (const s of t.steps) {
    if (s.agent !== null) continue;
    if (out[out.length - 1] !== s.activity) out.push(s.activity);
    if (out.length >= maxSteps) break;
  }
  return out;
}

function patternsOf(r: LearnResult, project: number): HistoryPattern[] {
  const seq = (kind: 'sequential' | 'anti') => (p: LearnResult['sequential'][number]): HistoryPattern =>
    ({ kind, project, steps: [...p.steps], sessions: p.sessions, pass_rate: p.pass_rate, baseline: p.baseline });
  return [
    ...r.sequential.map(seq('sequential')),
    ...r.anti.map(seq('anti')),
    ...r.parallel.map((p): HistoryPattern => ({ kind: 'parallel', project, steps: [...p.members], sessions: p.sessions, pass_rate: p.pass_rate, baseline: p.baseline, relation: p.kind, saved_ms: p.saved_ms })),
  ];
}

export function buildHistory(input: HistoryInput): OrchestrateHistory {
  const maxSteps = input.max_steps ?? 300;
  const ordered = [...input.traces].sort((a, b) => a.start_ms - b.start_ms || (a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0));
  const actIndex = new Map<string, number>();
  const activities: string[] = [];
  const stats: [number, number, number][] = [];
  const projIndex = new Map<string, number>();
  const projects: string[] = [];
  const sessions: HistorySession[] = [];
  const totals = { sessions: 0, known: 0, passed: 0 };
  const keepFrom = Math.max(0, ordered.length - (input.max_sessions ?? 4000));
  const kept: SessionTrace[] = [];
  ordered.forEach((t, n) => {
    const passed = sessionPassed(t);
    const ok = passed === null ? null : passed ? 1 : 0;
    let p = -1;
    if (t.project !== null) {
      p = projIndex.get(t.project) ?? -1;
      if (p < 0) {
        p = projects.push(t.project) - 1;
        projIndex.set(t.project, p);
      }
    }
    const a: number[] = [];
    const seen = new Set<number>();
    for (const name of sessionActivities(t, maxSteps)) {
      let i = actIndex.get(name);
      if (i === undefined) {
        i = activities.push(name) - 1;
        actIndex.set(name, i);
        stats.push([0, 0, 0]);
      }
      a.push(i);
      seen.add(i);
    }
    for (const i of seen) {
      const s = stats[i]!;
      s[0]++;
      if (ok !== null) s[1]++;
      if (ok === 1) s[2]++;
    }
    totals.sessions++;
    if (ok !== null) totals.known++;
    if (ok === 1) totals.passed++;
    if (n < keepFrom) return;
    sessions.push({ p, ok, a: encodeActivities(a) });
    kept.push(t);
  });
  const prompts = compactBm25(buildBm25(kept.map((t, i) => ({ id: String(i), text: t.prompts.join('\n') })), input.max_terms ?? 60));
  const patterns: HistoryPattern[] = input.global ? patternsOf(input.global, -1) : [];
  for (const [project, r] of [...(input.projects ?? new Map<string, LearnResult>())].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    let p = projIndex.get(project);
    if (p === undefined) {
      p = projects.push(project) - 1;
      projIndex.set(project, p);
    }
    patterns.push(...patternsOf(r, p));
  }
  return { version: HISTORY_VERSION, as_of: input.as_of, activities, activity_stats: stats, totals, projects, sessions, prompts, patterns };
}
