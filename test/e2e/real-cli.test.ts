// End to end: the real Claude Code CLI runs scripted sessions against a fake Messages API, with our
// hooks registered by the real `agentops-meta install`, once for each tested version (the pinned
// devDependencies, see claude-cli.ts), each in sandboxes of its own. Checks what the CLI actually
// sends the hook (so normalization is built on observed payloads, not on docs), what
// `agentops-meta ingest` makes of it, and the whole loop: sessions → learn → plan → the next
// session's request to the model carries the advice.
// Needs the bundle: run `node build.mjs` first. AGENTOPS_E2E_KEEP=1 keeps the sandboxes (sandbox.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAUDE_VERSIONS, runClaude, type RunClaudeResult } from './claude-cli.js';
import { flattenText, startFakeAnthropic, toMessagesRequest, toolResults, type FakeAnthropic } from './fake-anthropic.js';
import { CAPTURE_EVENTS } from '../../src/install/hook-spec.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { metaJson, type EventJson, type PlanJson } from './meta-cli.js';
import { CLI_TIMEOUT_MS, describeRun, dropSandbox, ingestAndRead, makeSandbox, type Sandbox } from './sandbox.js';
import { by, only, position, readSpool, type SpooledPayload } from './spool.js';
import {
  COMMANDS,
  FINAL_TEXT,
  MAIN_MARKER,
  MAIN_PROMPT,
  NOTES_FILE,
  SKILL_NAME,
  SUBAGENT_TURNS,
  TEST_FILE,
  classify,
  firstUserText,
  mainTurns,
  sessionScript,
  turnIndex,
  type Variant,
} from './scripts.js';

interface HookHandler {
  type?: string;
  command?: string;
  timeout?: number;
}

/** Every hook command of `<project>/.claude/settings.json`, by event. */
function settingsCommands(projectDir: string): Map<string, string[]> {
  const settings = JSON.parse(fs.readFileSync(path.join(projectDir, '.claude', 'settings.json'), 'utf8')) as {
    hooks?: Record<string, Array<{ matcher?: string; hooks?: HookHandler[] }>>;
  };
  const out = new Map<string, string[]>();
  for (const [event, groups] of Object.entries(settings.hooks ?? {})) {
    out.set(event, groups.flatMap((g) => (g.hooks ?? []).map((h) => h.command ?? '')));
  }
  return out;
}

/** How many `test(...)` cases a node:test file declares. */
function countTestCases(file: string): number {
  return [...fs.readFileSync(file, 'utf8').matchAll(/^test\(/gm)].length;
}

describe.each(CLAUDE_VERSIONS.map((claude) => [claude.version, claude] as const))('Claude Code %s', (_version, claude) => {
  it('is the version package.json pins', () => {
    const out = spawnSync(claude.bin, ['--version'], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout.trim()).toBe(`${claude.version} (Claude Code)`);
  });

  describe('real Claude Code CLI: scripted session with the capture hook', () => {
    let sandbox: Sandbox | undefined;
    let fake: FakeAnthropic | undefined;
    let run: RunClaudeResult;
    let spool: SpooledPayload[];
    let projectDir: string;
    // What the product CLI made of the spool.
    let stored: ReturnType<typeof ingestAndRead>;
    let spoolAfterIngest: SpooledPayload[];

    beforeAll(async () => {
      sandbox = makeSandbox(`session-${claude.version}`);
      projectDir = sandbox.projectDir;
      fake = await startFakeAnthropic(sessionScript(projectDir));
      run = await runClaude({
        bin: claude.bin,
        projectDir,
        home: sandbox.home,
        baseUrl: fake.url,
        prompt: MAIN_PROMPT,
        env: { AGENTOPS_META_HOME: sandbox.metaHome },
        timeoutMs: CLI_TIMEOUT_MS,
      });
      spool = readSpool(sandbox.metaHome);
      stored = ingestAndRead(sandbox);
      spoolAfterIngest = readSpool(sandbox.metaHome);
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

    it('agentops-meta install registered our hooks in the project settings, and only there', () => {
      expect(sandbox!.install).toMatchObject({ ok: true, settingsPath: path.join(projectDir, '.claude', 'settings.json') });
      const commands = settingsCommands(projectDir);
      const hooks = path.join(REPO_ROOT, 'hooks');
      // The commands quote the install root: `'<root>'/hooks/<script> <args>`.
      const runs = (event: string, script: string) =>
        (commands.get(event) ?? []).some((c) => c.replace(/'/g, '').includes(`${hooks}/${script}`));
      for (const event of CAPTURE_EVENTS) expect(runs(event, `agentops-capture.sh ${event}`), event).toBe(true);
      expect(runs('SessionStart', 'agentops-session-start.sh')).toBe(true);
      expect(runs('UserPromptSubmit', 'agentops-plan.mjs UserPromptSubmit')).toBe(true);
      expect(runs('SubagentStart', 'agentops-plan.mjs SubagentStart')).toBe(true);
      // Project scope: the sandbox HOME's user settings were not written.
      expect(fs.existsSync(path.join(sandbox!.home, '.claude', 'settings.json'))).toBe(false);
    });

    it('runs the whole script and exits 0', () => {
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.json).toMatchObject({ type: 'result', subtype: 'success', is_error: false, result: FINAL_TEXT.pass });
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
      expect(stop.last_assistant_message).toBe(FINAL_TEXT.pass);
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

    // ---- what `agentops-meta ingest` stores -------------------------------------------------------

    const stored1 = (event: string, toolUseId?: string): EventJson => {
      const found = stored.events.filter((e) => e.event === event && (toolUseId === undefined || e.tool_use_id === toolUseId));
      expect(found, `stored ${event} ${toolUseId ?? ''}`).toHaveLength(1);
      return found[0]!;
    };

    it('ingest stores every spooled payload once and empties the spool', () => {
      expect(stored.ingest).toMatchObject({ files: spool.length, inserted: spool.length, duplicates: 0, quarantined: 0, partial_writes: 0 });
      expect(spoolAfterIngest).toEqual([]);
      expect(stored.events).toHaveLength(spool.length);
      // Ids are the spool names; events come back in arrival order (the spool's ns order).
      expect(stored.events.map((e) => e.id)).toEqual(spool.map((p) => p.file.replace(/\.json$/, '')));
      const sessionId = (run.json as { session_id: string }).session_id;
      for (const [i, e] of stored.events.entries()) {
        const { event, payload, file } = spool[i]!;
        expect(e, file).toMatchObject({ event, session_id: sessionId, source: 'hook', cwd: projectDir, project: projectDir });
        expect(e.prompt_id ?? undefined, file).toBe(payload.prompt_id);
        expect(e.tool_use_id ?? undefined, file).toBe(payload.tool_use_id);
      }
    });

    it('ts is the arrival time from the spool name, ISO with milliseconds, non-decreasing', () => {
      const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
      for (const [i, e] of stored.events.entries()) {
        expect(e.ts, e.id).toMatch(iso);
        // The name starts with the arrival time in ns; its ms are the first digits.
        const ns = BigInt(spool[i]!.file.split('-')[0]!);
        expect(e.ts_ms, e.id).toBe(Number(ns / 1_000_000n));
        expect(Date.parse(e.ts), e.id).toBe(e.ts_ms);
      }
      const times = stored.events.map((e) => e.ts_ms);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('names the actor of every tool event: tool, subagent, skill', () => {
      for (const { id, name } of mainCalls()) {
        for (const e of stored.events.filter((x) => x.tool_use_id === id)) {
          const expected =
            name === 'Agent'
              ? { kind: 'subagent', name: 'general-purpose', plugin: null, server: null }
              : name === 'Skill'
                ? { kind: 'skill', name: SKILL_NAME, plugin: null, server: null }
                : { kind: 'tool', name, plugin: null, server: null };
          expect(e.actor, `${e.event} ${id}`).toEqual(expected);
          expect(e.tool_name, `${e.event} ${id}`).toBe(name);
        }
      }
      // Every Bash call's events, the subagent's included.
      const bash = stored.events.filter((e) => e.tool_name === 'Bash');
      const bashCalls = mainCalls().filter((c) => c.name === 'Bash').length + 1; // + the subagent's
      expect(bash).toHaveLength(2 * bashCalls); // a Pre and a Post (or PostToolUseFailure) each
      for (const e of bash) expect(e.actor, `${e.event} ${e.tool_use_id}`).toEqual({ kind: 'tool', name: 'Bash', plugin: null, server: null });
      for (const event of ['SubagentStart', 'SubagentStop']) {
        expect(stored1(event).actor, event).toEqual({ kind: 'subagent', name: 'general-purpose', plugin: null, server: null });
      }
    });

    it('stores outcomes and durations: ok for PostToolUse, error for the failing Bash', () => {
      const failure = stored1('PostToolUseFailure', FAILING_ID);
      expect(failure.outcome).toBe('error');
      expect(failure.bash_kind).not.toBeNull();
      // `events` tells the Pre its call's outcome too (from the pairing).
      expect(stored1('PreToolUse', FAILING_ID).outcome).toBe('error');
      const posts = stored.events.filter((e) => e.event === 'PostToolUse' || e.event === 'PostToolUseFailure');
      expect(posts).toHaveLength(mainCalls().length + 1);
      for (const e of posts) {
        const payload = spool.find((p) => p.file === `${e.id}.json`)!.payload;
        expect(typeof payload.duration_ms, e.id).toBe('number');
        expect(e.duration_ms, `${e.event} ${e.tool_use_id}`).toBe(payload.duration_ms);
        if (e.event === 'PostToolUse') expect(e.outcome, `${e.tool_use_id}`).toBe('ok');
      }
    });

    it("keeps the subagent's own Bash call with its agent_id and agent_type", () => {
      const agentId = stored1('SubagentStart').agent_id;
      expect(typeof agentId).toBe('string');
      for (const event of ['PreToolUse', 'PostToolUse']) {
        expect(stored1(event, SUBAGENT_BASH_ID), event).toMatchObject({ agent_id: agentId, agent_type: 'general-purpose', tool_name: 'Bash' });
      }
      // The main thread's calls carry none.
      expect(stored1('PostToolUse', 'toolu_e2e_001')).toMatchObject({ agent_id: null, agent_type: null });
    });

    it('tests --json holds the node --test run with its pass/fail counts', () => {
      // The script's test file declares two cases; both pass once the notes say "edited".
      const cases = countTestCases(path.join(projectDir, TEST_FILE));
      expect(cases).toBe(2);
      const sessionId = (run.json as { session_id: string }).session_id;
      expect(stored.tests).toEqual([
        {
          session_id: sessionId,
          tool_use_id: 'toolu_e2e_010',
          runner: 'node',
          passed: true,
          counts: { passed: cases, failed: 0, skipped: 0, total: cases },
          ts: stored1('PostToolUse', 'toolu_e2e_010').ts,
        },
      ]);
      expect(stored1('PostToolUse', 'toolu_e2e_010').bash_kind).toBe('test');
    });

    it('sessions --json summarises the session', () => {
      const sessionId = (run.json as { session_id: string }).session_id;
      expect(stored.sessions).toEqual([
        {
          session_id: sessionId,
          project: projectDir,
          first_ms: stored.events[0]!.ts_ms,
          last_ms: stored.events.at(-1)!.ts_ms,
          events: spool.length,
          // every completed call: the main thread's and the subagent's Bash
          tool_calls: mainCalls().length + 1,
          errors: 1,
          test_runs: 1,
          tests_passed: 1,
          last_test_passed: true,
        },
      ]);
    });
  });

  describe('real Claude Code CLI: a slash command', () => {
    let sandbox: Sandbox | undefined;
    let fake: FakeAnthropic | undefined;
    let run: RunClaudeResult;
    let spool: SpooledPayload[];

    beforeAll(async () => {
      sandbox = makeSandbox(`slash-${claude.version}`);
      // The expanded command reaches the model as the first user message; answer it, nothing else.
      fake = await startFakeAnthropic((req) =>
        firstUserText(req.messages).includes(`<command-name>/${SKILL_NAME}</command-name>`) ? [{ type: 'text', text: 'hello' }] : undefined,
      );
      run = await runClaude({
        bin: claude.bin,
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

    it("expands the skill into the prompt and fires UserPromptExpansion with the prompt's prompt_id", () => {
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.json).toMatchObject({ subtype: 'success', result: 'hello' });
      const expansion = only(spool, 'UserPromptExpansion');
      expect(expansion).toMatchObject({
        expansion_type: 'slash_command',
        command_name: SKILL_NAME,
        command_args: 'world',
        prompt: `/${SKILL_NAME} world`,
      });
      // 2.1.197 fires it just before UserPromptSubmit, 2.1.332 just after: the learner takes the
      // command from the expansion alone, so only the shared prompt_id and "before the answer" matter.
      expect(only(spool, 'UserPromptSubmit').prompt_id).toBe(expansion.prompt_id);
      expect(position(spool, 'UserPromptExpansion')).toBeLessThan(position(spool, 'Stop'));
      // The skill body and the arguments are what the model actually received.
      const first = fake!.requests.find((r) => r.path === '/v1/messages');
      const sent = firstUserText(toMessagesRequest(first?.body).messages);
      expect(sent).toContain('Reply with the single word: hello.');
      expect(sent).toContain('ARGUMENTS: world');
    });
  });

  // The whole loop in one sandbox: scripted sessions → ingest + learn → the SessionStart planner hook
  // injects what was learned → the next session's request to the model carries it.
  describe('real Claude Code CLI: sessions → learn → plan → injected into the next session', () => {
    // Learning needs outcome contrast: sessions that read and edit the notes before testing pass,
    // sessions that skip that fail (scripts.ts, Variant). Why 2 passing and 5 failing: a good pattern
    // must beat each of its sub-patterns (rank.ts), and the closed patterns the miner keeps also hold
    // steps every session has (rate = the baseline). With 2 passing sessions the pattern's Wilson lower
    // bound is 2/(2+1.96²) = 0.34, so the baseline must stay below that: 2/7 = 0.29.
    const LEARN_FROM: Variant[] = ['pass', 'fail', 'fail', 'pass', 'fail', 'fail', 'fail'];
    const PASSING = LEARN_FROM.filter((v) => v === 'pass').length;
    const HEADER = '## Patterns learned from past sessions';
    // Low evidence bar for a handful of sessions; no daemon: the test runs every step itself.
    const CONFIG = { learn: { min_sessions: 2 }, daemon: { autostart: false } };
    // What Claude Code puts before SessionStart additionalContext in the request.
    const CONTEXT_PREFIX = 'SessionStart hook additional context: ';

    interface LearnJson {
      ingested: number;
      sessions: number;
      sequential: Array<{ steps: string[]; sessions: number; known: number; passed: number; pass_rate: number | null; baseline: number | null }>;
      stats: { sessions: number; known_sessions: number; baseline_pass_rate: number | null };
    }

    let sandbox: Sandbox | undefined;
    const fakes: FakeAnthropic[] = [];
    const runs: RunClaudeResult[] = [];
    let spoolBeforeLearn: SpooledPayload[];
    let learned: LearnJson;
    let plan: PlanJson;
    let finalRun: RunClaudeResult;
    let finalFake: FakeAnthropic;
    let finalSpool: SpooledPayload[];
    let finalStored: ReturnType<typeof ingestAndRead>;

    /** One scripted session in the sandbox's project; the project's files are reset first. */
    async function session(variant: Variant, n: number): Promise<{ run: RunClaudeResult; fake: FakeAnthropic }> {
      const projectDir = sandbox!.projectDir;
      // Claude Code refuses to Write over a file the session has not read: start from a clean project.
      for (const f of [NOTES_FILE, TEST_FILE]) fs.rmSync(path.join(projectDir, f), { force: true });
      const fake = await startFakeAnthropic(sessionScript(projectDir, variant));
      fakes.push(fake);
      const run = await runClaude({
        bin: claude.bin,
        projectDir,
        home: sandbox!.home,
        baseUrl: fake.url,
        prompt: `${MAIN_MARKER}: session ${n}, ${variant === 'pass' ? 'fix the notes, then run the tests' : 'write the notes and run the tests'}.`,
        env: { AGENTOPS_META_HOME: sandbox!.metaHome },
        timeoutMs: CLI_TIMEOUT_MS,
      });
      return { run, fake };
    }

    const sessionId = (run: RunClaudeResult): string => (run.json as { session_id: string }).session_id;
    const messageRequests = (fake: FakeAnthropic) => fake.requests.filter((r) => r.path === '/v1/messages');

    beforeAll(async () => {
      sandbox = makeSandbox(`loop-${claude.version}`, CONFIG);
      for (const [i, variant] of LEARN_FROM.entries()) runs.push((await session(variant, i + 1)).run);
      spoolBeforeLearn = readSpool(sandbox.metaHome);
      learned = metaJson<LearnJson>(['learn', '--json'], sandbox);
      // The planner hook leaves a random 10% of sessions without advice, and shows a random 30% theirs
      // with one item withheld; none here, so the test is deterministic.
      fs.writeFileSync(path.join(sandbox.metaHome, 'context', 'holdout-percent'), '0\n');
      fs.writeFileSync(path.join(sandbox.metaHome, 'context', 'withhold-percent'), '0\n');
      plan = metaJson<PlanJson>(['plan', '--event', 'SessionStart', '--cwd', sandbox.projectDir, '--json'], sandbox);
      const last = await session('pass', LEARN_FROM.length + 1);
      finalRun = last.run;
      finalFake = last.fake;
      finalSpool = readSpool(sandbox.metaHome);
      finalStored = ingestAndRead(sandbox);
    }, 110_000);

    afterAll(async () => {
      for (const fake of fakes) await fake.close();
      dropSandbox(sandbox);
    });

    it('every session ran its script to the end, and no advice existed yet', () => {
      for (const [i, run] of runs.entries()) {
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.json, `session ${i + 1}`).toMatchObject({ subtype: 'success', result: FINAL_TEXT[LEARN_FROM[i]!] });
      }
      // Control for the last test: before learning, no request carried the header.
      for (const fake of fakes.slice(0, LEARN_FROM.length)) {
        for (const r of messageRequests(fake)) expect(JSON.stringify(r.body)).not.toContain(HEADER);
      }
    });

    it('learn ingests every session and finds the passing ones\' pattern', () => {
      expect(learned.ingested).toBe(spoolBeforeLearn.length);
      expect(learned.sessions).toBe(LEARN_FROM.length);
      expect(learned.stats).toMatchObject({ sessions: LEARN_FROM.length, known_sessions: LEARN_FROM.length });
      expect(learned.stats.baseline_pass_rate).toBeCloseTo(PASSING / LEARN_FROM.length, 10);
      expect(learned.sequential.length).toBeGreaterThan(0);
      for (const p of learned.sequential) {
        const what = p.steps.join(' > ');
        // Failing sessions run the passing ones' steps minus Read and Edit, so the gaps only shrink:
        // whatever occurs in the passing sessions only must contain Read or Edit.
        expect(p, what).toMatchObject({ sessions: PASSING, known: PASSING, passed: PASSING, pass_rate: 1, baseline: 0 });
        expect(p.steps.some((step) => step === 'Read' || step === 'Edit'), what).toBe(true);
      }
    });

    it('tests --json tells the passing sessions from the failing ones', () => {
      const cases = countTestCases(path.join(sandbox!.projectDir, TEST_FILE));
      // Without the Edit the notes keep "first draft", so "reads notes" fails and "adds" passes.
      const expected = [...LEARN_FROM, 'pass' as const].map((variant, i) => ({
        session_id: sessionId(i < runs.length ? runs[i]! : finalRun),
        runner: 'node',
        passed: variant === 'pass',
        counts: variant === 'pass' ? { passed: cases, failed: 0, skipped: 0, total: cases } : { passed: cases - 1, failed: 1, skipped: 0, total: cases },
      }));
      expect(finalStored.tests.map(({ session_id, runner, passed, counts }) => ({ session_id, runner, passed, counts }))).toEqual(expected);
      expect(finalStored.sessions.map((s) => s.last_test_passed)).toEqual(expected.map((e) => e.passed));
    });

    it('plan --event SessionStart shows the advice the hook will inject', () => {
      expect(plan).toMatchObject({ event: 'SessionStart', source: 'global' });
      expect(plan.text.startsWith(HEADER)).toBe(true);
      expect(plan.ids.length).toBeGreaterThan(0);
      // Each id names a learned pattern's steps, in rank order.
      const learnedIds = learned.sequential.map((p) => `sequence:${p.steps.join('>')}`);
      expect(plan.ids).toEqual(learnedIds.slice(0, plan.ids.length));
    });

    it('the next session sends the injected advice to the model', () => {
      expect(finalRun.exitCode, describeRun(finalRun)).toBe(0);
      expect(finalRun.json).toMatchObject({ subtype: 'success', result: FINAL_TEXT.pass });
      const main = messageRequests(finalFake).filter((r) => classify(toMessagesRequest(r.body)) === 'main');
      expect(main.length).toBe(mainTurns(sandbox!.projectDir, 'pass').length);
      for (const r of main) {
        const body = JSON.stringify(r.body);
        // Every line of the plan, as it appears inside the JSON request.
        for (const line of plan.text.split('\n')) expect(body, line).toContain(JSON.stringify(line).slice(1, -1));
      }
      // Where Claude Code puts it: a system-role message after the prompt, the text verbatim
      // (2.1.197 sends its content as a string, 2.1.332 as text blocks).
      const messages = toMessagesRequest(main[0]!.body).messages;
      const carrier = messages.find((m) => flattenText(m.content).includes(HEADER));
      expect(carrier?.role).toBe('system');
      expect(flattenText(carrier?.content)).toContain(`${CONTEXT_PREFIX}${plan.text}`);
    });

    it('learn --commit writes the pattern library as one commit into a learning repository', () => {
      const repo = path.join(sandbox!.root, 'learning-repo');
      fs.mkdirSync(repo);
      expect(spawnSync('git', ['init', '-q', repo]).status).toBe(0);
      const out = metaJson<{ commit: { repo: string; outcome: { status: string; sha?: string; changed?: string[] } } }>(['learn', '--commit', '--repo', repo, '--json'], sandbox!);
      expect(out.commit.outcome.status).toBe('committed');
      const files = spawnSync('git', ['-C', repo, 'show', '--name-only', '--format=', 'HEAD'], { encoding: 'utf8' }).stdout.trim().split('\n');
      expect(files).toEqual(expect.arrayContaining(['patterns/README.md', 'metrics/success_rates.csv', 'metrics/eval.json', '.claude/skills/agentops-meta/SKILL.md']));
      expect(files.every((f) => /^(patterns|metrics)\/|^\.claude\/(skills\/agentops-meta\/|commands\/patterns\.md$)/.test(f))).toBe(true);
      // Only abstract facts: nothing of the project's paths or the prompts reaches a committed file.
      for (const f of files) {
        const text = fs.readFileSync(path.join(repo, f), 'utf8');
        expect(text, f).not.toContain(sandbox!.projectDir);
        expect(text, f).not.toContain(MAIN_MARKER);
      }
      // A second run on the same data commits nothing.
      const again = metaJson<{ commit: { outcome: { status: string } } }>(['learn', '--commit', '--repo', repo, '--json'], sandbox!);
      expect(again.commit.outcome.status).toBe('unchanged');
    });

    it('the SessionStart hook recorded the injection, and ingest stores it', () => {
      const injections = finalSpool.filter((p) => p.event === 'AgentopsInjection');
      expect(injections.map((p) => p.payload)).toContainEqual({
        session_id: sessionId(finalRun),
        hook_event_name: 'AgentopsInjection',
        hook: 'SessionStart',
        holdout: false,
        ids: plan.ids,
        withheld: [],
        context_key: 'global',
      });
      expect(finalStored.ingest).toMatchObject({ files: finalSpool.length, inserted: finalSpool.length, quarantined: 0 });
      expect(finalStored.events.filter((e) => e.event === 'AgentopsInjection' && e.session_id === sessionId(finalRun)).length).toBe(injections.length);
      expect(finalStored.sessions).toHaveLength(LEARN_FROM.length + 1);
    });
  });
});
