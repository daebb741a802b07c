// Which phase of a workflow an activity belongs to. Pure.
//
// A small table by activity kind (exact names, then words in the name), and a fallback for the rest:
//   understand  Read, Grep, Glob, LS, WebFetch, WebSearch, NotebookRead, Bash:search, Bash:file,
//               Agent:Explore, and any name with "explore", "search", "research", "docs"
//   plan        TodoWrite, EnterPlanMode, ExitPlanMode, Agent:Plan, and any name with "plan"
//   implement   Edit, Write, MultiEdit, NotebookEdit, Bash:format, Bash:install, Bash:run
//   test        Bash:test, Bash:typecheck, Bash:lint, Bash:build, and any name with "test"
//   review      /review, /security-review, Bash:git, and any name with "review"
// Fallback (anything else: other subagents, skills, MCP servers, commands): the phase of the
// table-classified plan steps whose median position in the green sessions is nearest its own; when
// no step is classified, by position alone (first third understand, middle implement, last third test).
// Phases are then ordered by the median position of their steps, so the order is the history's.

export const PHASES = ['understand', 'plan', 'implement', 'test', 'review'] as const;
export type PhaseName = (typeof PHASES)[number];

const EXACT: Record<string, PhaseName> = {
  Read: 'understand', Grep: 'understand', Glob: 'understand', LS: 'understand', WebFetch: 'understand', WebSearch: 'understand',
  NotebookRead: 'understand', 'Bash:search': 'understand', 'Bash:file': 'understand', 'Agent:Explore': 'understand',
  TodoWrite: 'plan', EnterPlanMode: 'plan', ExitPlanMode: 'plan', 'Agent:Plan': 'plan',
  Edit: 'implement', Write: 'implement', MultiEdit: 'implement', NotebookEdit: 'implement',
  'Bash:format': 'implement', 'Bash:install': 'implement', 'Bash:run': 'implement',
  'Bash:test': 'test', 'Bash:typecheck': 'test', 'Bash:lint': 'test', 'Bash:build': 'test',
  '/review': 'review', '/security-review': 'review', 'Bash:git': 'review',
};

const WORDS: readonly [RegExp, PhaseName][] = [
  [/review/i, 'review'],
  [/test/i, 'test'],
  [/plan/i, 'plan'],
  [/explor|search|research|docs/i, 'understand'],
];

/** The table's phase for an activity, or null when the table does not know it. */
export function tablePhase(activity: string): PhaseName | null {
  const exact = EXACT[activity];
  if (exact) return exact;
  // Bash kinds and built-in tool names are exact; words only classify agents, skills, MCP, commands.
  if (!/^(Agent|Skill|mcp):|^\//.test(activity)) return null;
  for (const [re, phase] of WORDS) if (re.test(activity)) return phase;
  return null;
}

/**
 * Phase of each activity: the table's, else the nearest classified activity's by median position
 * (0 = session start, 1 = end), else by position alone.
 */
export function assignPhases(positions: ReadonlyMap<string, number>): Map<string, PhaseName> {
  const out = new Map<string, PhaseName>();
  const known: [number, PhaseName][] = [];
  for (const [a, pos] of positions) {
    const p = tablePhase(a);
    if (p) {
      out.set(a, p);
      known.push([pos, p]);
    }
  }
  for (const [a, pos] of positions) {
    if (out.has(a)) continue;
    if (known.length) {
      let best = known[0]!;
      for (const k of known) if (Math.abs(k[0] - pos) < Math.abs(best[0] - pos)) best = k;
      out.set(a, best[1]);
    } else {
      out.set(a, pos < 1 / 3 ? 'understand' : pos < 2 / 3 ? 'implement' : 'test');
    }
  }
  return out;
}
