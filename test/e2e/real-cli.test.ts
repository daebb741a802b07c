// End to end: the real Claude Code CLI (pinned devDependency) runs a scripted session against a
// fake Messages API, with our capture hook registered for every CAPTURE_EVENTS entry. Checks what
// the CLI actually sends the hook, so normalization is built on observed payloads, not on docs.
// Set AGENTOPS_E2E_KEEP=1 to keep the temp dirs (spool, transcripts) for inspection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClaude, type RunClaudeResult } from './claude-cli.js';
import { startFakeAnthropic, toMessagesRequest, toolResults, type FakeAnthropic } from './fake-anthropic.js';
import { readSpool, writeCaptureHooks, type SpooledPayload } from './spool.js';
import {
  COMMANDS,
  MAIN_PROMPT,
  NOTES_FILE,
  SKILL_NAME,
  SUBAGENT_TURNS,
  classify,
  firstUserText,
  mainTurns,
  prepareProject,
  sessionScript,
  turnIndex,
} from './scripts.js';

const CLI_TIMEOUT_MS = 45_000;
const KEEP = process.env.AGENTOPS_E2E_KEEP === '1';

interface Sandbox {
  root: string;
  home: string;
  projectDir: string;
  metaHome: string;
}

function makeSandbox(label: string): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `agentops-e2e-${label}-`));
  const sandbox = {
    root,
    home: path.join(root, 'home'),
    projectDir: path.join(root, 'project'),
    metaHome: path.join(root, 'meta'),
  };
  for (const dir of [sandbox.home, sandbox.projectDir, sandbox.metaHome]) fs.mkdirSync(dir);
  prepareProject(sandbox.projectDir);
  writeCaptureHooks(sandbox.projectDir);
  return sandbox;
}

function dropSandbox(sandbox: Sandbox | undefined): void {
  if (sandbox === undefined) return;
  if (KEEP) console.log(`agentops e2e: kept ${sandbox.root}`);
  else fs.rmSync(sandbox.root, { recursive: true, force: true });
}

/** Why a run failed, for the assertion message: the CLI's own words. */
function describeRun(run: RunClaudeResult): string {
  return `exit=${run.exitCode} signal=${run.signal} timedOut=${run.timedOut}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`;
}

const by = (spool: SpooledPayload[], event: string, toolUseId?: string): SpooledPayload[] =>
  spool.filter((p) => p.event === event && (toolUseId === undefined || p.payload.tool_use_id === toolUseId));

function only(spool: SpooledPayload[], event: string, toolUseId?: string): Record<string, unknown> {
  const found = by(spool, event, toolUseId);
  expect(found, `${event} ${toolUseId ?? ''}`).toHaveLength(1);
  return found[0]!.payload;
}

const position = (spool: SpooledPayload[], event: string, toolUseId?: string): number =>
  spool.findIndex((p) => p.event === event && (toolUseId === undefined || p.payload.tool_use_id === toolUseId));

describe('real Claude Code CLI: scripted session with the capture hook', () => {
  let sandbox: Sandbox | undefined;
  let fake: FakeAnthropic | undefined;
  let run: RunClaudeResult;
  let spool: SpooledPayload[];
  let projectDir: string;

  beforeAll(async () => {
    sandbox = makeSandbox('session');
    projectDir = sandbox.projectDir;
    fake = await startFakeAnthropic(sessionScript(projectDir));
    run = await runClaude({
      projectDir,
      home: sandbox.home,
      baseUrl: fake.url,
      prompt: MAIN_PROMPT,
      env: { AGENTOPS_META_HOME: sandbox.metaHome },
      timeoutMs: CLI_TIMEOUT_MS,
    });
    spool = readSpool(sandbox.metaHome);
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    dropSandbox(sandbox);
  });

  // Scripted main-thread tool calls, and the one that is meant to fail.
  const mainCalls = (): Array<{ id: string; name: string }> =>
    mainTurns(projectDir).flatMap((blocks) => blocks.flatMap((b) => (b.type === 'tool_use' ? [{ id: b.id, name: b.name }] : [])));
  const FAILING_ID = 'toolu_e2e_002';
  const SUBAGENT_BASH_ID = 'toolu_e2e_sub_001';
  const FINAL_TEXT = 'All done: tests pass.';

  it('runs the whole script and exits 0', () => {
    expect(run.exitCode, describeRun(run)).toBe(0);
    expect(run.json).toMatchObject({ type: 'result', subtype: 'success', is_error: false, result: FINAL_TEXT });
    // The tools really ran in the project: Write then Edit left the edited text.
    expect(fs.readFileSync(path.join(projectDir, NOTES_FILE), 'utf8')).toBe('edited draft\n');
  });

  it('the fake API served every scripted turn of both conversations', () => {
    const served = { main: new Set<number>(), subagent: new Set<number>() };
    for (const record of fake!.requests) {
      if (record.path !== '/v1/messages') continue;
      const req = toMessagesRequest(record.body);
      const kind = classify(req);
      if (kind === 'other') continue;
      expect(record.unscripted, `${kind} turn ${turnIndex(req.messages)}`).toBe(false);
      served[kind].add(turnIndex(req.messages));
    }
    expect([...served.main].sort((a, b) => a - b)).toEqual(mainTurns(projectDir).map((_, i) => i));
    expect([...served.subagent].sort((a, b) => a - b)).toEqual(SUBAGENT_TURNS.map((_, i) => i));
  });

  it('sends tool results back to the model, failures marked as errors', () => {
    const results = toolResults(fake!.requests);
    expect(results.get('toolu_e2e_001')).toMatchObject({ text: 'hello', isError: false });
    expect(results.get(FAILING_ID)?.isError).toBe(true);
    expect(results.get(FAILING_ID)?.text).toContain('nonexistent-dir-xyz');
    expect(results.get(SUBAGENT_BASH_ID)).toMatchObject({ text: 'from-subagent', isError: false });
    expect(results.get('toolu_e2e_010')?.text).toContain('# pass 2');
  });

  it('spools one whole JSON payload per hook call, all from this session', () => {
    expect(spool.length).toBeGreaterThan(0);
    const sessionId = (run.json as { session_id?: unknown }).session_id;
    expect(typeof sessionId).toBe('string');
    for (const { file, event, payload } of spool) {
      expect(payload.hook_event_name, file).toBe(event);
      expect(payload.session_id, file).toBe(sessionId);
      expect(payload.cwd, file).toBe(projectDir);
    }
  });

  it('captures the session start, the prompt and the stop', () => {
    expect(only(spool, 'SessionStart')).toMatchObject({ source: 'startup' });
    const prompt = only(spool, 'UserPromptSubmit');
    expect(prompt.prompt).toBe(MAIN_PROMPT);
    expect(typeof prompt.prompt_id).toBe('string');
    const stop = only(spool, 'Stop');
    expect(stop.last_assistant_message).toBe(FINAL_TEXT);
    expect(stop.prompt_id).toBe(prompt.prompt_id);
    // Stop comes after the last tool call of the turn.
    expect(position(spool, 'Stop')).toBeGreaterThan(position(spool, 'PostToolUse', 'toolu_e2e_010'));
  });

  it('captures Pre and Post events with the tool_use_id for every main-thread tool call', () => {
    const calls = mainCalls();
    expect(new Set(calls.map((c) => c.name))).toEqual(new Set(['Bash', 'Write', 'Read', 'Edit', 'Agent', 'Skill']));
    const promptId = only(spool, 'UserPromptSubmit').prompt_id;
    for (const { id, name } of calls) {
      const pre = only(spool, 'PreToolUse', id);
      const post = only(spool, id === FAILING_ID ? 'PostToolUseFailure' : 'PostToolUse', id);
      for (const payload of [pre, post]) {
        expect(payload, id).toMatchObject({ tool_name: name, prompt_id: promptId });
        expect(payload.agent_id, id).toBeUndefined();
      }
      expect(typeof post.duration_ms, id).toBe('number');
      expect(position(spool, 'PreToolUse', id)).toBeLessThan(spool.findIndex((p) => p.payload === post));
    }
  });

  it('reports the failing Bash as PostToolUseFailure with "Exit code N" and its output', () => {
    expect(by(spool, 'PostToolUse', FAILING_ID)).toHaveLength(0);
    const failure = only(spool, 'PostToolUseFailure', FAILING_ID);
    expect(failure.tool_input).toMatchObject({ command: COMMANDS.failing });
    expect(failure.error).toMatch(/^Exit code 2\n/);
    expect(failure.error).toContain('nonexistent-dir-xyz');
    expect(failure.is_interrupt).toBe(false);
  });

  it('captures the test run output for pass/fail parsing', () => {
    const tests = only(spool, 'PostToolUse', 'toolu_e2e_010');
    expect(tests.tool_input).toMatchObject({ command: COMMANDS.tests });
    const stdout = (tests.tool_response as { stdout?: unknown }).stdout;
    expect(stdout).toEqual(expect.stringContaining('# pass 2'));
    expect(stdout).toEqual(expect.stringContaining('# fail 0'));
  });

  it('captures the subagent: start, its own Bash with agent_id, stop, then the Agent result', () => {
    const start = only(spool, 'SubagentStart');
    const agentId = start.agent_id;
    expect(typeof agentId).toBe('string');
    expect(start.agent_type).toBe('general-purpose');
    const subPre = only(spool, 'PreToolUse', SUBAGENT_BASH_ID);
    const subPost = only(spool, 'PostToolUse', SUBAGENT_BASH_ID);
    for (const payload of [subPre, subPost]) {
      expect(payload).toMatchObject({ tool_name: 'Bash', agent_id: agentId, agent_type: 'general-purpose' });
      // Subagent tool calls stay in the parent session (same session_id and transcript_path).
      expect(payload.transcript_path).toBe(start.transcript_path);
    }
    const stop = only(spool, 'SubagentStop');
    expect(stop.agent_id).toBe(agentId);
    expect(stop.agent_transcript_path).toEqual(expect.stringContaining(`agent-${String(agentId)}.jsonl`));
    const agentPost = only(spool, 'PostToolUse', 'toolu_e2e_006');
    expect(agentPost.tool_input).toMatchObject({ subagent_type: 'general-purpose', run_in_background: false });
    expect(agentPost.tool_response).toMatchObject({ status: 'completed', agentId, totalToolUseCount: 1 });
    const order = [
      position(spool, 'PreToolUse', 'toolu_e2e_006'),
      position(spool, 'SubagentStart'),
      position(spool, 'PreToolUse', SUBAGENT_BASH_ID),
      position(spool, 'PostToolUse', SUBAGENT_BASH_ID),
      position(spool, 'SubagentStop'),
      position(spool, 'PostToolUse', 'toolu_e2e_006'),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('captures the Skill call by skill name', () => {
    const skill = only(spool, 'PostToolUse', 'toolu_e2e_007');
    expect(skill.tool_input).toEqual({ skill: SKILL_NAME });
    expect(skill.tool_response).toMatchObject({ success: true, commandName: SKILL_NAME });
  });

  it('fires PostToolBatch once per assistant message with tool calls, listing the batch', () => {
    const batches = by(spool, 'PostToolBatch').map((p) => p.payload.tool_calls as Array<{ tool_use_id: string }>);
    // 9 main-thread messages with tool calls, plus 1 in the subagent.
    const withTools = mainTurns(projectDir).filter((blocks) => blocks.some((b) => b.type === 'tool_use')).length;
    expect(batches).toHaveLength(withTools + 1);
    expect(batches.map((calls) => calls.map((c) => c.tool_use_id))).toContainEqual(['toolu_e2e_008', 'toolu_e2e_009']);
  });
});

describe('real Claude Code CLI: a slash command', () => {
  let sandbox: Sandbox | undefined;
  let fake: FakeAnthropic | undefined;
  let run: RunClaudeResult;
  let spool: SpooledPayload[];

  beforeAll(async () => {
    sandbox = makeSandbox('slash');
    // The expanded command reaches the model as the first user message; answer it, nothing else.
    fake = await startFakeAnthropic((req) =>
      firstUserText(req.messages).includes(`<command-name>/${SKILL_NAME}</command-name>`) ? [{ type: 'text', text: 'hello' }] : undefined,
    );
    run = await runClaude({
      projectDir: sandbox.projectDir,
      home: sandbox.home,
      baseUrl: fake.url,
      prompt: `/${SKILL_NAME} world`,
      env: { AGENTOPS_META_HOME: sandbox.metaHome },
      timeoutMs: CLI_TIMEOUT_MS,
    });
    spool = readSpool(sandbox.metaHome);
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    dropSandbox(sandbox);
  });

  it('expands the skill into the prompt and fires UserPromptExpansion before UserPromptSubmit', () => {
    expect(run.exitCode, describeRun(run)).toBe(0);
    expect(run.json).toMatchObject({ subtype: 'success', result: 'hello' });
    const expansion = only(spool, 'UserPromptExpansion');
    expect(expansion).toMatchObject({
      expansion_type: 'slash_command',
      command_name: SKILL_NAME,
      command_args: 'world',
      prompt: `/${SKILL_NAME} world`,
    });
    expect(position(spool, 'UserPromptExpansion')).toBeLessThan(position(spool, 'UserPromptSubmit'));
    expect(only(spool, 'UserPromptSubmit').prompt_id).toBe(expansion.prompt_id);
    // The skill body and the arguments are what the model actually received.
    const first = fake!.requests.find((r) => r.path === '/v1/messages');
    const sent = firstUserText(toMessagesRequest(first?.body).messages);
    expect(sent).toContain('Reply with the single word: hello.');
    expect(sent).toContain('ARGUMENTS: world');
  });
});
