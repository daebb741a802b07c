// Kinds of task a simulated session works on, and what the user types for each. Pure data plus two
// draws.
//
// A session's kind (bug fix, feature, refactor, docs, investigation) shapes its workflow beyond the
// planted blocks (plan-session.ts): which tools its noise leans on (NOISE_MIX), and a few steps only
// that kind tends to take, each with a probability, at a place in the session (KIND_STEPS): a feature
// is planned (TodoWrite, then Agent:Plan) before the code is read, creates a file and is tried in the
// browser once the tests pass; a bug fix reads the history, sometimes asks a debugger subagent, and
// searches the error; a refactor formats before committing; docs fetch references and write a page;
// an investigation files what it found. Kinds are independent of
// the session's style among sessions that run tests (so they carry no outcome signal for the
// learner); sessions without tests are more often docs and investigations.
//
// The prompts are written per project and kind. They name the task, never the tools: vocabulary
// overlaps across kinds (project nouns, file names, "fix", "tests"), some first prompts are generic
// ("can you take a look at ..."), follow-ups are generic, and with probability 1 - prompt_signal the
// prompts are those of an independently drawn kind: a session that deviates from what it was asked,
// or (prompt_signal 0) prompts that say nothing about the workflow.
import type { Rng } from './rng.js';

export const TASK_KINDS = ['bug-fix', 'feature', 'refactor', 'docs', 'investigation'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** Mix of kinds among sessions that run tests, and among those that do not (same order as TASK_KINDS). */
const MIX_TESTED = [0.34, 0.28, 0.2, 0.1, 0.08];
const MIX_NO_TEST = [0.1, 0.05, 0.05, 0.3, 0.5];
/** The mix prompts of another kind are drawn from: every session alike. */
const MIX_ALL = [0.3, 0.24, 0.17, 0.14, 0.15];

export function pickKind(rng: Rng, tested: boolean): TaskKind {
  return TASK_KINDS[rng.weighted(tested ? MIX_TESTED : MIX_NO_TEST)] as TaskKind;
}

/** The kind whose prompts a session gets: its own with probability `signal`, else one drawn independently. */
export function promptKind(rng: Rng, kind: TaskKind, signal: number): TaskKind {
  return rng.chance(signal) ? kind : (TASK_KINDS[rng.weighted(MIX_ALL)] as TaskKind);
}

/**
 * Noise weights per kind, for the noise activities in fixtures.ts NOISE order:
 * Grep, Glob, WebSearch, WebFetch, TodoWrite, Bash:git, Bash:build, Skill:webapp-testing, mcp:github.
 */
export const NOISE_MIX: Readonly<Record<TaskKind, readonly number[]>> = {
  'bug-fix': [3.5, 1.6, 1.4, 0.6, 1.6, 2.6, 0.9, 0.4, 0.9],
  feature: [2.4, 2.4, 0.7, 0.8, 2.8, 1.6, 1.4, 1.1, 0.4],
  refactor: [3.5, 2.6, 0.5, 0.4, 1.8, 2.2, 1.4, 0.4, 0.4],
  docs: [2, 2, 1.4, 2, 1.4, 1.6, 0.5, 0.5, 0.6],
  investigation: [3.5, 2, 1.5, 1.2, 0.8, 2.4, 0.5, 0.4, 1.2],
};

/** A kind's own step: where it goes, how likely it is. The builder makes the call (plan-session.ts). */
export interface KindStep {
  step: 'todo' | 'plan-agent' | 'write-module' | 'git-log' | 'search-error' | 'debugger' | 'format' | 'fetch-docs' | 'write-docs' | 'docs-skill' | 'file-issue' | 'webapp-skill';
  /**
   * first: before the exploration; opening: right after it; closing: right after the final test run
   * (before a commit), or last when the session runs no tests. No noise comes between a kind's steps and what they are next to, so a step
   * has noise on one side at most (plan-session.ts).
   */
  at: 'first' | 'opening' | 'closing';
  p: number;
}

export const KIND_STEPS: Readonly<Record<TaskKind, readonly KindStep[]>> = {
  'bug-fix': [
    { step: 'git-log', at: 'first', p: 0.7 },
    { step: 'debugger', at: 'first', p: 0.55 },
    { step: 'search-error', at: 'opening', p: 0.6 },
  ],
  feature: [
    { step: 'todo', at: 'first', p: 0.85 },
    { step: 'plan-agent', at: 'first', p: 0.7 },
    { step: 'write-module', at: 'opening', p: 0.7 },
    { step: 'webapp-skill', at: 'closing', p: 0.5 },
  ],
  refactor: [
    { step: 'git-log', at: 'first', p: 0.5 },
    { step: 'format', at: 'closing', p: 0.8 },
  ],
  docs: [
    { step: 'fetch-docs', at: 'opening', p: 0.8 },
    { step: 'write-docs', at: 'closing', p: 0.85 },
    { step: 'docs-skill', at: 'closing', p: 0.5 },
  ],
  investigation: [
    { step: 'search-error', at: 'opening', p: 0.5 },
    { step: 'file-issue', at: 'closing', p: 0.7 },
  ],
};

/** First prompts per project and kind; `{file}` is one of the project's files. */
export const PROMPTS: Readonly<Record<string, Readonly<Record<TaskKind, readonly string[]>>>> = {
  'billing-api': {
    'bug-fix': [
      'Fix the rounding bug in {file}: totals are off by one cent',
      'The invoice route returns 500 for an empty cart, please fix',
      'Tax is applied twice to discounted lines, see {file}',
      'Currency totals are wrong since the last change to {file}, the tests fail',
    ],
    feature: [
      'Add VAT support for reverse-charge invoices in {file}',
      'Add a credit note endpoint next to the invoice routes',
      'Support invoices in more than one currency, starting with {file}',
    ],
    refactor: [
      'Refactor {file} so currency conversion is done in one place',
      'Clean up {file}: split the tax rules out of the invoice code',
      'Rename the totals helpers in {file} and remove the dead code',
    ],
    docs: [
      'Document the invoice API: routes, fields and error codes',
      'Write a README section on how tax is computed, with an example from {file}',
      'Update the docs for the currency settings',
    ],
    investigation: [
      'Why are some invoice totals off by one cent? Find out, do not change anything yet',
      'Explain how {file} decides which tax rate applies',
      'Where is currency rounding done? Walk me through it',
    ],
  },
  'web-dashboard': {
    'bug-fix': [
      'The chart in {file} flickers when filters change, fix it',
      'The API client retries forever on 401, please fix',
      'Filters reset when the page reloads; the bug is somewhere in {file}',
    ],
    feature: [
      'Add a date-range filter and wire it into {file}',
      'Add a CSV export button to the chart',
      'Show a loading state in {file} while the data loads',
    ],
    refactor: [
      'Move the data fetching out of {file} into a hook',
      'Clean up the filter state in {file}, it is duplicated',
      'Split {file} into smaller components',
    ],
    docs: [
      'Write docs for the dashboard components and their props',
      'Document how the API client handles auth and retries',
      'Add usage docs for the filter hooks to the README',
    ],
    investigation: [
      'Why does the chart re-render so often? Explain what triggers it',
      'How does {file} talk to the API? Give me an overview',
      'Find out why the page gets slow with many filters',
    ],
  },
  'cli-tools': {
    'bug-fix': [
      'sync should skip hidden files but copies them; fix {file}',
      'Config loading breaks on Windows paths, see {file}',
      'The sync command crashes when the target folder is missing',
    ],
    feature: [
      'Add a --dry-run flag to the sync command',
      'Add a --verbose option that prints each copied file',
      'Support a config file in the project folder as well as in home, in {file}',
    ],
    refactor: [
      'Refactor {file}: path handling is repeated in three places',
      'Clean up the command parsing in {file}',
      'Simplify the config merge in {file}',
    ],
    docs: [
      'Document every sync option in the README',
      'Write the help text for each command of the CLI',
      'Update the docs for the config file format',
    ],
    investigation: [
      'Explain how {file} resolves the config directory',
      'Why is sync so slow on large folders? Investigate',
      'What happens when two syncs run at once? Find out',
    ],
  },
};

/** First prompts that say nothing about the kind (drawn with probability GENERIC_SHARE). */
export const GENERIC_PROMPTS: readonly string[] = [
  'Can you take a look at {file}?',
  'Continue where we left off yesterday',
  'Please help me with {file}',
];
export const GENERIC_SHARE = 0.1;

/** Later prompts of a session. */
export const FOLLOW_UPS: readonly string[] = [
  'The tests still fail, have another look',
  'Also check {file}',
  'Looks good, go on',
  'Keep going',
  'That is not what I meant, try again',
];
