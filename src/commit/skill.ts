// The generated meta-skill and the /patterns slash command. Pure and deterministic.
//
// The skill is what Claude reads on its own initiative: its description says WHEN to consult it
// (before planning a multi-step change, when choosing how to verify work, when tests keep failing),
// and its body carries the strongest evidence inline so one read is usually enough. The numbers come
// from the same rows as the library files, so the two never disagree.
import type { LaterEvidence } from '../learn/prospective.js';
import type { LearnResult } from '../learn/types.js';
import { assertAbstract } from './abstract.js';
import { cmpStr } from '../core/cmp-str.js';
import { fmtRate, fmtSigned, patternTitle } from './format.js';
import { patternRows, type PatternRow } from './pattern-rows.js';

export const SKILL_PATH = '.claude/skills/agentops-meta/SKILL.md';
export const COMMAND_PATH = '.claude/commands/patterns.md';

export interface SkillInput {
  result: LearnResult;
  /** what the sessions after each pattern's first report say (by prospectiveKey); retired ones are left out */
  later?: ReadonlyMap<string, LaterEvidence>;
  /** patterns listed per section (default 5) */
  top?: number;
}

// No ": " inside the description: it is a plain YAML scalar.
const DESCRIPTION =
  "Evidence from this project's own Claude Code sessions about which sequences of tools, subagents, " +
  'skills and commands went with passing tests, and which went with failing ones. Consult it before ' +
  'planning a multi-step change, when choosing how to verify work, or when tests keep failing.';

function evidenceLine(r: PatternRow): string {
  const bound = r.status === 'anti' ? `uplift at most ${fmtSigned(r.bound)}` : `uplift at least ${fmtSigned(r.bound)}`;
  return (
    `**${patternTitle(r.steps)}**: tests passed ${fmtRate(r.pass_rate)} of the time after it, ` +
    `${fmtRate(r.baseline)} without it (${bound}, ${r.sessions} sessions, last seen ${r.last_seen}).`
  );
}

function numbered(rows: PatternRow[]): string[] {
  return rows.map((r, i) => `${i + 1}. ${evidenceLine(r)}`);
}

/** `.claude/skills/agentops-meta/SKILL.md` */
export function renderSkill(input: SkillInput): string {
  const top = input.top ?? 5;
  // Later sessions contradict a retired pattern: it is no longer advice, here as in the planner.
  const rows = patternRows(input.result, input.later).filter((r) => r.state !== 'retired');
  const validated = rows.filter((r) => r.status === 'validated').slice(0, top);
  const discovered = rows.filter((r) => r.status === 'discovered').slice(0, top);
  const anti = rows.filter((r) => r.status === 'anti').slice(0, top);
  const s = input.result.stats;

  const body: string[] = [
    '---',
    'name: agentops-meta',
    `description: ${DESCRIPTION}`,
    '---',
    '',
    '# What worked in this project',
    '',
    `Learned by agentops-meta from ${s.sessions} past sessions of this project (${s.known_sessions} ran tests; ` +
      `tests passed in ${fmtRate(s.baseline_pass_rate)} of them overall). These are correlations, not rules: ` +
      'prefer a pattern when it fits the task, and say so when you deviate for a reason.',
    '',
    '## Patterns that went with passing tests',
    '',
  ];
  if (validated.length > 0) {
    body.push(...numbered(validated));
  } else if (discovered.length > 0) {
    body.push('None is validated by later sessions yet. The strongest candidates so far (weaker evidence):', '', ...numbered(discovered));
  } else {
    body.push('_None yet: there is not enough evidence._');
  }
  body.push('', '## Patterns that went with failing tests (avoid)', '');
  body.push(...(anti.length > 0 ? numbered(anti) : ['_None found._']));
  body.push(
    '',
    '## How to use this',
    '',
    '- Before planning a multi-step change, pick the validated pattern that matches the task and follow its order.',
    '- When choosing how to verify work, use the verification steps the validated patterns contain, at the point where they contain them.',
    '- Before a multi-step task, run `/orchestrate <the task>` (or `agentops-meta orchestrate "<the task>"`): a workflow drafted from the past sessions most like the task that ended green, with phases, test gates and what to avoid.',
    '- To see what is installed here (plugins, subagents, skills, commands, MCP servers) and how the sessions that used each went: `/catalog` (or `agentops-meta catalog`).',
    '- When the patterns above do not cover the task, ask the CLI for more:',
    '  - `agentops-meta patterns --top 10`: the strongest patterns with their evidence.',
    '  - `agentops-meta plan --prompt "<the task in a few words>"`: the patterns most relevant to a task.',
    '- The full library, one file per pattern with all its numbers: `patterns/README.md`.',
  );
  const text = body.join('\n') + '\n';
  assertAbstract(text, SKILL_PATH);
  return text;
}

/** `.claude/commands/patterns.md`: the /patterns slash command. Constant text. */
export function renderPatternsCommand(): string {
  const text =
    [
      '---',
      'description: Show the tool patterns that went with passing or failing tests in this project (agentops-meta)',
      'argument-hint: "[--top N] [--prompt <task>]"',
      'allowed-tools: Bash(agentops-meta patterns:*), Bash(agentops-meta plan:*)',
      '---',
      '',
      'Show the user what agentops-meta learned from past sessions of this project.',
      '',
      '1. Run `agentops-meta patterns $ARGUMENTS` with the Bash tool. With no arguments, run',
      '   `agentops-meta patterns --top 10`. When the arguments contain `--prompt`, run',
      '   `agentops-meta plan $ARGUMENTS` instead: it ranks the patterns by relevance to that task.',
      '2. Explain the result briefly: for each pattern, its steps, the pass rate after it against the',
      '   baseline without it, and how many sessions back it. Anti-patterns are the ones to avoid.',
      '3. Say plainly that these are correlations from this project, not rules.',
      '',
      'If the `agentops-meta` command is not installed, read `patterns/README.md` instead and summarise',
      'its tables the same way.',
    ].join('\n') + '\n';
  assertAbstract(text, COMMAND_PATH);
  return text;
}

/** Both files, keyed by their repo-relative paths. */
export function renderSkillFiles(input: SkillInput): Map<string, string> {
  return new Map(
    [
      [COMMAND_PATH, renderPatternsCommand()],
      [SKILL_PATH, renderSkill(input)],
    ].sort(([a], [b]) => cmpStr(a!, b!)) as [string, string][],
  );
}
