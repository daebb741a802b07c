// Renders the advice injected into a session: a few markdown lines, each carrying its evidence,
// never longer than the budget. Pure.

/** One piece of advice, already chosen and ranked. */
export interface Advice {
  /** stable id, recorded with every injection so the learner can tell whether it helped */
  id: string;
  kind: 'sequence' | 'parallel' | 'avoid';
  /** activity names in order (sequence, avoid) or as a set (parallel) */
  steps: string[];
  sessions: number;
  /** percentages 0..1, null when unknown */
  pass_rate: number | null;
  baseline: number | null;
  /** parallel only: wall-clock time the overlap saved, the median per co-occurrence */
  saved_ms?: number;
  /** sequences: the gap their evidence was measured with (1 = contiguous) */
  max_gap?: number;
  /** sequences and avoid: what the sessions recorded after the pattern was first reported said, when they decided */
  later?: { state: 'validated' | 'weakened'; sessions: number };
}

export interface Rendered {
  text: string;
  /** ids of the advice that fit in the budget, in order */
  ids: string[];
}

/** Whose sessions the advice was learned from: the session's own project, or every project of the user. */
export type LearnedFrom = 'this project' | 'all your projects';

const HEADER: Record<LearnedFrom, string> = {
  'this project': '## Patterns learned from past sessions in this project (agentops-meta)',
  // Global advice must not claim to come from the project the session is in.
  'all your projects': '## Patterns learned from past sessions, from all your projects (agentops-meta)',
};
const SECTION: Record<Advice['kind'], string> = {
  sequence: 'Sequences that went with passing tests:',
  parallel: 'Worth running in parallel:',
  avoid: 'Avoid (went with failing tests):',
};
const FOOTER = 'Evidence is from recorded sessions; follow it when it fits the task.';

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function adviceLine(a: Advice): string {
  const joiner = a.kind === 'parallel' ? ' + ' : ' → ';
  const what = a.steps.join(joiner);
  const rates = a.pass_rate !== null && a.baseline !== null ? `tests passed ${pct(a.pass_rate)} vs ${pct(a.baseline)} baseline` : null;
  if (a.kind === 'parallel') {
    // saved_ms is the median per co-occurrence (parallel.ts), not a total
    const saved = a.saved_ms && a.saved_ms > 0 ? `, saving ~${formatDuration(a.saved_ms)} each time` : '';
    return `- ${what}: run concurrently in ${a.sessions} sessions${saved}${rates ? `; ${rates}` : ''}`;
  }
  return `- ${what}: seen in ${a.sessions} sessions${rates ? `, ${rates}` : ''}${laterMark(a.later)}`;
}

/** "; validated on 41 later sessions": the later sessions confirmed it, or did not show it (weakened). */
function laterMark(later: Advice['later']): string {
  if (!later) return '';
  return later.state === 'validated' ? `; validated on ${later.sessions} later sessions` : `; weaker in ${later.sessions} later sessions`;
}

export function formatDuration(ms: number): string {
  // under ten seconds, tenths: a batch of reads saves fractions of a second, not "0 s"
  if (ms < 9_950) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * Greedy in rank order: an item goes in when it, and its section heading if it is the first of its
 * kind, still fit. The result, header and footer included, is never longer than `budget` characters;
 * nothing is rendered when not even one item fits.
 */
export function renderAdvice(items: readonly Advice[], budget: number, from: LearnedFrom = 'this project'): Rendered {
  const header = HEADER[from];
  const fixed = header.length + 1 + FOOTER.length + 1;
  let used = fixed;
  const chosen = new Map<Advice['kind'], string[]>();
  const ids: string[] = [];
  for (const item of items) {
    const line = adviceLine(item);
    const heading = chosen.has(item.kind) ? 0 : SECTION[item.kind].length + 1;
    const cost = heading + line.length + 1;
    if (used + cost > budget) continue;
    used += cost;
    if (!chosen.has(item.kind)) chosen.set(item.kind, []);
    chosen.get(item.kind)!.push(line);
    ids.push(item.id);
  }
  if (ids.length === 0) return { text: '', ids };
  const parts = [header];
  for (const kind of ['sequence', 'parallel', 'avoid'] as const) {
    const lines = chosen.get(kind);
    if (lines) parts.push(SECTION[kind], ...lines);
  }
  parts.push(FOOTER);
  return { text: parts.join('\n'), ids };
}
