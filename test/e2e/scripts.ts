// The scripted session: what the fake model "decides" at each turn of the main conversation and
// of the one subagent it launches. Tables, not logic: turn N answers the request that already holds
// N assistant messages. Conversations are told apart by a marker in their first user message.
import fs from 'node:fs';
import path from 'node:path';
import type { ApiMessage, AssistantBlock, MessagesRequest, Script } from './fake-anthropic.js';
import { flattenText } from './fake-anthropic.js';

export const MAIN_MARKER = 'E2E-MAIN-SESSION';
export const SUBAGENT_MARKER = 'E2E-SUBAGENT-TASK';

export const MAIN_PROMPT = `${MAIN_MARKER}: exercise the tools, a subagent, a skill and the tests.`;

/** Commands the session runs; the test looks for them in the captured payloads. */
export const COMMANDS = {
  passing: 'echo hello',
  failing: 'ls /nonexistent-dir-xyz',
  batch: 'echo batch',
  subagent: 'echo from-subagent',
  tests: 'node --test test.mjs',
} as const;

export const SKILL_NAME = 'hello';
export const NOTES_FILE = 'notes.txt';
export const TEST_FILE = 'test.mjs';

const SKILL_MD = `---
name: ${SKILL_NAME}
description: Greets the user. Use when asked to say hello.
---

Reply with the single word: hello.
`;

// Two cases so `node --test` reports a real pass count ("# pass 2").
const TEST_MJS = `import test from 'node:test';
import assert from 'node:assert/strict';

test('adds', () => assert.equal(1 + 1, 2));
test('reads notes', async () => {
  const fs = await import('node:fs');
  assert.match(fs.readFileSync(new URL('./${NOTES_FILE}', import.meta.url), 'utf8'), /edited/);
});
`;

/** Creates what the scripted session relies on in the project: the project skill. */
export function prepareProject(projectDir: string): void {
  const skillDir = path.join(projectDir, '.claude', 'skills', SKILL_NAME);
  fs.mkdirSync(skillDir, { recursive: true });
  fs.writeFileSync(path.join(skillDir, 'SKILL.md'), SKILL_MD);
}

function toolUse(id: string, name: string, input: Record<string, unknown>): AssistantBlock {
  return { type: 'tool_use', id, name, input };
}
function text(t: string): AssistantBlock {
  return { type: 'text', text: t };
}

/**
 * Which session the fake model plays. 'pass': it writes the notes, reads and edits them, and both
 * tests pass. 'fail': it skips the Read and the Edit, so the notes keep "first draft" and the
 * "reads notes" test fails. The two differ in their steps and their test outcome: the contrast the
 * learner needs to rank a pattern.
 */
export type Variant = 'pass' | 'fail';

export const FINAL_TEXT: Record<Variant, string> = {
  pass: 'All done: tests pass.',
  fail: 'Done, but a test fails.',
};

/** Turns of the main conversation; the tool_use ids are what the hook payloads should carry. */
export function mainTurns(projectDir: string, variant: Variant = 'pass'): AssistantBlock[][] {
  const notes = path.join(projectDir, NOTES_FILE);
  const fix: AssistantBlock[][] = [
    [toolUse('toolu_e2e_004', 'Read', { file_path: notes })],
    [toolUse('toolu_e2e_005', 'Edit', { file_path: notes, old_string: 'first draft', new_string: 'edited draft' })],
  ];
  return [
    [text('Running a command.'), toolUse('toolu_e2e_001', 'Bash', { command: COMMANDS.passing, description: 'Say hello' })],
    [toolUse('toolu_e2e_002', 'Bash', { command: COMMANDS.failing, description: 'List a missing directory' })],
    [toolUse('toolu_e2e_003', 'Write', { file_path: notes, content: 'first draft\n' })],
    ...(variant === 'pass' ? fix : []),
    [
      toolUse('toolu_e2e_006', 'Agent', {
        description: 'Run a subagent command',
        prompt: `${SUBAGENT_MARKER}: run \`${COMMANDS.subagent}\` and report its output.`,
        subagent_type: 'general-purpose',
        run_in_background: false,
      }),
    ],
    [toolUse('toolu_e2e_007', 'Skill', { skill: SKILL_NAME })],
    // Two calls in one message: a batch, to see whether PostToolBatch fires and how it is shaped.
    [
      toolUse('toolu_e2e_008', 'Write', { file_path: path.join(projectDir, TEST_FILE), content: TEST_MJS }),
      toolUse('toolu_e2e_009', 'Bash', { command: COMMANDS.batch, description: 'Echo in a batch' }),
    ],
    [toolUse('toolu_e2e_010', 'Bash', { command: COMMANDS.tests, description: 'Run the tests' })],
    [text(FINAL_TEXT[variant])],
  ];
}

export const SUBAGENT_TURNS: AssistantBlock[][] = [
  [toolUse('toolu_e2e_sub_001', 'Bash', { command: COMMANDS.subagent, description: 'Echo from the subagent' })],
  [text('The command printed from-subagent.')],
];

export type Conversation = 'main' | 'subagent' | 'other';

/** Text of the first user message: where the CLI puts the prompt (after its own reminders). */
export function firstUserText(messages: ApiMessage[]): string {
  const first = messages.find((m) => m.role === 'user');
  return first === undefined ? '' : flattenText(first.content);
}

/**
 * Which conversation a request belongs to. Side requests (titles, summaries) may quote the prompt
 * too, so a conversation also needs the tool list it is scripted against.
 */
export function classify(req: Pick<MessagesRequest, 'messages' | 'toolNames'>): Conversation {
  if (!req.toolNames.includes('Bash')) return 'other';
  const first = firstUserText(req.messages);
  if (first.includes(SUBAGENT_MARKER)) return 'subagent';
  if (first.includes(MAIN_MARKER)) return 'main';
  return 'other';
}

export function turnIndex(messages: ApiMessage[]): number {
  return messages.filter((m) => m.role === 'assistant').length;
}

/** The script for the fake API: main and subagent tables; anything else is left unscripted. */
export function sessionScript(projectDir: string, variant: Variant = 'pass'): Script {
  const main = mainTurns(projectDir, variant);
  return (req) => {
    const kind = classify(req);
    const table = kind === 'main' ? main : kind === 'subagent' ? SUBAGENT_TURNS : undefined;
    return table?.[turnIndex(req.messages)];
  };
}

// ---- a `claude --agent` session and a fork of it (agent-session.test.ts) ----

export const AGENT_NAME = 'reviewer';
export const AGENT_PROMPT = 'E2E-AGENT-SESSION: check the project as the reviewer.';
export const FORK_PROMPT = 'E2E-FORK-SESSION: go on from there.';
export const AGENT_CALL_ID = 'toolu_e2e_agent_001';

/** A project agent, so `claude --agent reviewer` runs its main thread as that agent. */
export function prepareAgent(projectDir: string): void {
  const dir = path.join(projectDir, '.claude', 'agents');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${AGENT_NAME}.md`), `---\nname: ${AGENT_NAME}\ndescription: Reviews the project.\n---\nYou review the project.\n`);
}

/** The --agent session runs one Bash call, then answers; its fork only answers. */
export function agentSessionScript(req: MessagesRequest): AssistantBlock[] | undefined {
  if (!req.toolNames.includes('Bash')) return undefined;
  const last = req.messages.at(-1);
  if (last?.role === 'user' && flattenText(last.content).includes(FORK_PROMPT)) return [text('Forked.')];
  if (!firstUserText(req.messages).includes(AGENT_PROMPT)) return undefined;
  return [[toolUse(AGENT_CALL_ID, 'Bash', { command: 'echo as-agent', description: 'Check as the agent' })], [text('Reviewed.')]][turnIndex(req.messages)];
}
