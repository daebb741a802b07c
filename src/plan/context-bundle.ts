// Precomputes everything the planner hooks inject, so the hooks only read files. Pure: the
// writer (shell/planner-context-writer.ts) puts the bundle on disk.
import type { SessionTrace } from '../core/types.js';
import type { LaterEvidence } from '../learn/prospective.js';
import type { LearnResult } from '../learn/types.js';
import { adviceFromLearn } from './advice.js';
import { buildBm25, type Bm25Index } from './bm25.js';
import { containsGapped } from '../learn/evaluate.js';
import { activitiesOf, containsAll } from '../learn/match.js';
import { renderAdvice, type Advice, type LearnedFrom, type Rendered } from './render.js';

export interface PromptContext {
  budget_chars: number;
  top: number;
  min_relevance: number;
  advice: Record<string, Advice>;
  index: Bm25Index;
}

export interface ContextBundle {
  /** "global" and one entry per project slug with enough sessions of its own */
  session_start: Record<string, Rendered>;
  prompt: PromptContext;
  /** by subagent type */
  subagents: Record<string, Rendered>;
  holdout_percent: number;
  /**
   * Per session-start key, the advice with one item left out, one variant per item shown: the
   * SessionStart hook shows one of them to a random share of sessions (`withhold_percent`) and
   * records which item it withheld, so each item is measured on its own (advice-effect.ts).
   */
  withheld?: Record<string, WithheldVariant[]>;
  withhold_percent?: number;
}

/** The session-start advice without one of its items. */
export interface WithheldVariant extends Rendered {
  withheld: string;
}

export interface ContextInput {
  global: LearnResult;
  projects: ReadonlyMap<string, LearnResult>;
  subagents: ReadonlyMap<string, LearnResult>;
  traces: readonly SessionTrace[];
  budget_chars: number;
  top: number;
  min_relevance: number;
  holdout_share: number;
  /** share of sessions shown their advice with one item (chosen at random) left out */
  withhold_share?: number;
  max_gap: number;
  demoted?: ReadonlySet<string>;
  /**
   * What the sessions after each pattern's first report say, per learned scope (by project folder,
   * by subagent type), keyed by prospectiveKey: retired patterns are not advised, and the advice
   * line says when later sessions validated or weakened one.
   */
  later?: {
    global?: ReadonlyMap<string, LaterEvidence>;
    projects?: ReadonlyMap<string, ReadonlyMap<string, LaterEvidence>>;
    subagents?: ReadonlyMap<string, ReadonlyMap<string, LaterEvidence>>;
  };
}

/**
 * The context file name of a project folder: every UTF-8 byte that is not an ASCII letter or digit
 * becomes "-" (byte-wise, as the SessionStart shell hook computes it).
 */
export function projectSlug(dir: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(dir)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9]/.test(c) ? c : '-';
  }
  return out;
}

export function buildContextBundle(input: ContextInput): ContextBundle {
  const opts = { top: input.top, demoted: input.demoted };
  const later = input.later;
  const sessionStart: Record<string, Rendered> = {};
  const withheld: Record<string, WithheldVariant[]> = {};
  const addSessionStart = (key: string, items: readonly Advice[], from: LearnedFrom) => {
    const r = renderAdvice(items, input.budget_chars, from);
    if (!r.ids.length) return;
    sessionStart[key] = r;
    withheld[key] = withheldVariants(items, r, input.budget_chars, from);
  };
  addSessionStart('global', adviceFromLearn(input.global, { ...opts, later: later?.global }), 'all your projects');
  for (const [project, result] of [...input.projects].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    addSessionStart(projectSlug(project), adviceFromLearn(result, { ...opts, later: later?.projects?.get(project) }), 'this project');
  }
  const subagents: Record<string, Rendered> = {};
  // Subagents are learned by type across every project.
  for (const [agent, result] of [...input.subagents].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const r = renderAdvice(adviceFromLearn(result, { ...opts, later: later?.subagents?.get(agent) }), input.budget_chars, 'all your projects');
    if (r.ids.length) subagents[agent] = r;
  }

  // Prompt relevance: each piece of advice is "about" the prompts of the sessions it occurred in.
  const candidates = adviceFromLearn(input.global, { top: Math.max(input.top * 4, 20), demoted: input.demoted, later: later?.global });
  const sequences = input.traces.map((t) => ({ activities: activitiesOf(t), prompts: t.prompts.join('\n') }));
  const docs = candidates.map((a) => ({
    id: a.id,
    text: sequences
      .filter((s) => (a.kind === 'parallel' ? containsAll(s.activities, a.steps) : containsGapped(s.activities, a.steps, a.max_gap ?? input.max_gap)))
      .map((s) => s.prompts)
      .join('\n'),
  }));
  return {
    session_start: sessionStart,
    prompt: {
      budget_chars: input.budget_chars,
      top: input.top,
      min_relevance: input.min_relevance,
      advice: Object.fromEntries(candidates.map((a) => [a.id, a])),
      index: buildBm25(docs),
    },
    subagents,
    holdout_percent: Math.round(input.holdout_share * 100),
    withheld,
    withhold_percent: Math.round((input.withhold_share ?? 0) * 100),
  };
}

/**
 * One variant per item shown, with that item left out and nothing put in its place (so the only
 * difference a withheld session sees is the missing item). Each fits the budget: it is a subset.
 */
export function withheldVariants(items: readonly Advice[], shown: Rendered, budget: number, from: LearnedFrom): WithheldVariant[] {
  const byId = new Map(items.map((a) => [a.id, a]));
  return shown.ids.map((id) => {
    const rest = shown.ids.filter((x) => x !== id).map((x) => byId.get(x)!);
    return { ...renderAdvice(rest, budget, from), withheld: id };
  });
}
