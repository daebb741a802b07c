// The planner hooks end to end, run as Claude Code runs them: the installed command string through
// `bash -c`, the payload on stdin, CLAUDE_PROJECT_DIR set, the context written by writeContext().
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSpool } from '../src/ingest/ingest.js';
import { hookEntries } from '../src/install/hook-spec.js';
import { buildBm25 } from '../src/plan/bm25.js';
import { learn } from '../src/learn/learn.js';
import { buildContextBundle, projectSlug, withheldVariants, type ContextBundle } from '../src/plan/context-bundle.js';
import { renderAdvice, type Advice } from '../src/plan/render.js';
import { writeContext } from '../src/shell/planner-context-writer.js';
import { dataPaths } from '../src/shell/paths.js';
import { openMemoryStore } from '../src/store/memory.js';
import { REPO_ROOT } from './helpers/paths.js';
import { trace } from './learn-helpers.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runHook(command: string, stdin: string, env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {});
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(stdin);
  });
}

const temps: string[] = [];
function tempDir(prefix = 'agentops-plan-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}
let project = '';
let otherProject = '';
beforeAll(() => {
  project = tempDir('agentops-plan-project-');
  otherProject = tempDir('agentops-plan-other-');
});
afterAll(() => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

// ---- the context --------------------------------------------------------------------------

const advice = {
  tests: { id: 'sequence:Read>Edit>Bash:test', kind: 'sequence', steps: ['Read', 'Edit', 'Bash:test'], sessions: 12, pass_rate: 0.83, baseline: 0.6 },
  docs: { id: 'sequence:Glob>Write', kind: 'sequence', steps: ['Glob', 'Write'], sessions: 4, pass_rate: 1, baseline: 0.6 },
  // an odd activity name: quotes, a backslash and a non-BMP character must survive the shell
  odd: { id: 'avoid:mcp:"x"\\y>Write', kind: 'avoid', steps: ['mcp:"x"\\y 🧪', 'Write'], sessions: 3, pass_rate: 0.2, baseline: 0.6 },
  grep: { id: 'parallel:Grep+Read', kind: 'parallel', steps: ['Grep', 'Read'], sessions: 5, pass_rate: null, baseline: null, saved_ms: 65_000 },
} satisfies Record<string, Advice>;

const GLOBAL = renderAdvice([advice.tests, advice.odd], 1500, 'all your projects');
const PROJECT = renderAdvice([advice.grep], 1500, 'this project');
const REVIEWER = renderAdvice([advice.odd], 1500, 'all your projects');

function bundle(overrides: Partial<ContextBundle> = {}): ContextBundle {
  return {
    session_start: { global: GLOBAL, [projectSlug(project)]: PROJECT },
    prompt: {
      budget_chars: 1500,
      top: 3,
      min_relevance: 0.1,
      advice: { [advice.tests.id]: advice.tests, [advice.docs.id]: advice.docs },
      index: buildBm25([
        { id: advice.tests.id, text: 'the flaky test fails in CI\nrun the unit tests\nflaky timing test' },
        { id: advice.docs.id, text: 'update the docs\nREADME docs for the API, with an example test' },
      ]),
    },
    subagents: { 'code-reviewer': REVIEWER },
    holdout_percent: 10,
    ...overrides,
  };
}

/** A data folder holding the context the learner would have written. */
function dataHome(b: ContextBundle | null = bundle()): string {
  const home = tempDir();
  if (b) writeContext({ dir: path.join(home, 'context'), bundle: b, autostart: null });
  return home;
}

// (ns / 1000) % 100 is the hook's coin: 50 ≥ 10 % → inject; 5 < 10 % → holdout
const CLOCK = 1_750_000_000_000_050_000n;
const HOLDOUT_CLOCK = 1_750_000_000_000_005_000n;
const DAY_NS = 86_400_000_000_000n;

function env(home: string, clock: bigint | null = CLOCK, projectDir = project): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: project,
    CLAUDE_PROJECT_DIR: projectDir,
    AGENTOPS_META_HOME: home,
    ...(clock === null ? {} : { AGENTOPS_META_CLOCK_NS: String(clock) }),
  };
}

const entries = hookEntries(REPO_ROOT);
const commandFor = (event: string, script: string) => entries.find((e) => e.event === event && e.command.includes(script))!.command;
const SESSION_START = commandFor('SessionStart', 'agentops-session-start.sh');
const PLAN = (event: 'UserPromptSubmit' | 'SubagentStart') => commandFor(event, 'agentops-plan.mjs');

const startPayload = (sessionId: string) => JSON.stringify({ session_id: sessionId, transcript_path: '/x.jsonl', cwd: project, hook_event_name: 'SessionStart', source: 'startup' });
const promptPayload = (sessionId: string, prompt: string) => JSON.stringify({ session_id: sessionId, cwd: project, hook_event_name: 'UserPromptSubmit', prompt });
const subagentPayload = (sessionId: string, agentType: string) => JSON.stringify({ session_id: sessionId, cwd: project, hook_event_name: 'SubagentStart', agent_id: 'a1', agent_type: agentType });

const sessionStart = (home: string, payload: string, clock: bigint | null = CLOCK, projectDir = project) =>
  runHook(SESSION_START, payload, env(home, clock, projectDir), projectDir);
const plan = (home: string, event: 'UserPromptSubmit' | 'SubagentStart', payload: string) => runHook(PLAN(event), payload, env(home), project);

interface InjectionRecord {
  name: string;
  body: Record<string, unknown>;
}

function records(home: string): InjectionRecord[] {
  const dir = path.join(home, 'spool');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('-AgentopsInjection.json'))
    .sort()
    .map((name) => ({ name, body: JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Record<string, unknown> }));
}

function state(home: string, sessionId: string): unknown {
  const file = path.join(home, 'context', 'sessions', `${sessionId}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
}

/** stdout must be exactly one JSON object on one line. */
function oneObject(run: Run): Record<string, unknown> {
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  expect(run.stdout.endsWith('\n')).toBe(true);
  expect(run.stdout.slice(0, -1)).not.toContain('\n');
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function silent(run: Run): void {
  expect(run.code).toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe('');
}

function staleSpoolFile(home: string, ageNs: bigint): void {
  fs.mkdirSync(path.join(home, 'spool'), { recursive: true });
  fs.writeFileSync(path.join(home, 'spool', `${CLOCK - ageNs}-4242-PreToolUse.json`), '{}');
}

// ---- SessionStart ------------------------------------------------------------------------

describe('SessionStart planner (agentops-session-start.sh)', () => {
  it('injects the global advice as one hookSpecificOutput object, records it, and remembers it for the session', async () => {
    const home = dataHome();
    const run = await sessionStart(home, startPayload('s1'), CLOCK, otherProject);
    // the text round-trips exactly: newlines, arrows, quotes, backslash, a non-BMP character
    expect(GLOBAL.text).toContain('→');
    expect(GLOBAL.text).toContain('\\');
    expect(oneObject(run)).toEqual({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: GLOBAL.text } });
    expect(run.stdout).toBe(`${JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: GLOBAL.text } })}\n`);

    const recs = records(home);
    expect(recs).toHaveLength(1);
    expect(recs[0]!.name).toMatch(new RegExp(`^${CLOCK}-\\d+-AgentopsInjection\\.json$`));
    expect(recs[0]!.body).toEqual({
      session_id: 's1',
      hook_event_name: 'AgentopsInjection',
      hook: 'SessionStart',
      holdout: false,
      ids: GLOBAL.ids,
      withheld: [],
      context_key: 'global',
    });
    expect(fs.readdirSync(path.join(home, 'spool', '.tmp'))).toEqual([]);
    expect(state(home, 's1')).toEqual({ holdout: false, ids: GLOBAL.ids, withheld: [] });
  });

  it("prefers the project's own advice when the learner wrote a file for the project's slug", async () => {
    const home = dataHome();
    const run = await sessionStart(home, startPayload('s2'));
    expect(oneObject(run)).toEqual({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: PROJECT.text } });
    expect(records(home)[0]?.body).toMatchObject({ ids: PROJECT.ids, context_key: projectSlug(project) });
    expect(state(home, 's2')).toEqual({ holdout: false, ids: PROJECT.ids, withheld: [] });
  });

  it("gives a session started in a folder below the project (the git root) the project's advice, and a sibling folder none of it", async () => {
    const home = dataHome();
    const below = path.join(project, 'packages', 'web');
    const sibling = `${project}-other`; // its slug starts with the project's, but it is another folder
    fs.mkdirSync(below, { recursive: true });
    fs.mkdirSync(sibling, { recursive: true });
    expect(oneObject(await sessionStart(home, startPayload('sub1'), CLOCK, below))).toEqual({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: PROJECT.text } });
    expect(records(home)[0]?.body).toMatchObject({ context_key: projectSlug(project) });
    expect(oneObject(await sessionStart(home, startPayload('sub2'), CLOCK, sibling))).toEqual({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: GLOBAL.text } });
    // `plan` explains the same choice.
    const planFor = (cwd: string) => {
      const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'agentops-meta.js'), 'plan', '--event', 'SessionStart', '--cwd', cwd, '--json'], { env: { ...process.env, AGENTOPS_META_HOME: home }, encoding: 'utf8' });
      return JSON.parse(r.stdout) as { source: string; text: string };
    };
    expect(planFor(below)).toMatchObject({ source: projectSlug(project), text: PROJECT.text });
    expect(planFor(sibling)).toMatchObject({ source: 'global', text: GLOBAL.text });
    fs.rmSync(sibling, { recursive: true, force: true });
  });

  it('prints and records nothing when there is no context, or only other projects\' context', async () => {
    for (const home of [dataHome(null), dataHome(bundle({ session_start: {} })), dataHome(bundle({ session_start: { [projectSlug(project)]: PROJECT } }))]) {
      silent(await sessionStart(home, startPayload('s3'), CLOCK, otherProject));
      expect(records(home)).toEqual([]);
      expect(state(home, 's3')).toBeNull();
    }
  });

  it('holdout: injects nothing but records the holdout, so the prompt hook stays quiet too', async () => {
    const home = dataHome();
    silent(await sessionStart(home, startPayload('h1'), HOLDOUT_CLOCK));
    const recs = records(home);
    expect(recs).toHaveLength(1);
    expect(recs[0]!.name.startsWith(`${HOLDOUT_CLOCK}-`)).toBe(true);
    expect(recs[0]!.body).toEqual({
      session_id: 'h1',
      hook_event_name: 'AgentopsInjection',
      hook: 'SessionStart',
      holdout: true,
      ids: [],
      withheld: [],
      context_key: projectSlug(project),
    });
    expect(state(home, 'h1')).toEqual({ holdout: true, ids: [], withheld: [] });
  });

  it('holdout share: the coin is (ns / 1000) % 100 < percent, read from holdout-percent', async () => {
    const at = (coin: number) => 1_750_000_000_000_000_000n + BigInt(coin) * 1000n + 999n;
    const cases: [number, number, boolean][] = [
      [10, 9, true],
      [10, 10, false],
      [0, 0, false],
      [90, 89, true],
    ];
    for (const [percent, coin, holdout] of cases) {
      const home = dataHome(bundle({ holdout_percent: percent }));
      const run = await sessionStart(home, startPayload('c1'), at(coin));
      expect(run.stdout === '').toBe(holdout);
      expect(records(home)[0]?.body.holdout).toBe(holdout);
    }
  });

  it('warns the user when a spool file is more than a day old, beside the injection', async () => {
    const home = dataHome();
    staleSpoolFile(home, DAY_NS + 1n);
    const out = oneObject(await sessionStart(home, startPayload('w1')));
    expect(Object.keys(out)).toEqual(['hookSpecificOutput', 'systemMessage']);
    expect(out.hookSpecificOutput).toEqual({ hookEventName: 'SessionStart', additionalContext: PROJECT.text });
    expect(out.systemMessage).toContain('have not been ingested for over a day');
    expect(out.systemMessage).toContain('agentops-meta daemon start');
  });

  it('warns alone when there is nothing to inject (holdout), and not at exactly one day', async () => {
    const home = dataHome();
    fs.mkdirSync(path.join(home, 'spool'), { recursive: true });
    fs.writeFileSync(path.join(home, 'spool', `${HOLDOUT_CLOCK - DAY_NS - 1n}-1-Stop.json`), '{}');
    const out = oneObject(await sessionStart(home, startPayload('w2'), HOLDOUT_CLOCK));
    expect(Object.keys(out)).toEqual(['systemMessage']);

    const fresh = dataHome();
    staleSpoolFile(fresh, DAY_NS);
    expect(oneObject(await sessionStart(fresh, startPayload('w3')))).not.toHaveProperty('systemMessage');
  });

  it('uses context/health.msg (a JSON string) when the learner wrote one', async () => {
    const home = dataHome(bundle({ session_start: {} }));
    const message = 'agentops-meta: the learner failed: "disk full" \\ see `agentops-meta doctor` ⚠';
    fs.writeFileSync(path.join(home, 'context', 'health.msg'), `${JSON.stringify(message)}\n`);
    const out = oneObject(await sessionStart(home, startPayload('w4')));
    expect(out).toEqual({ systemMessage: message });
  });

  it('a session keeps its first coin when SessionStart fires again (resume, compact)', async () => {
    const home = dataHome();
    const first = await sessionStart(home, startPayload('s-keep'), HOLDOUT_CLOCK);
    expect(first.stdout).toBe('');
    const again = await sessionStart(home, startPayload('s-keep').replace('"startup"', '"compact"'), CLOCK);
    expect(again.stdout).toBe('');
    expect(state(home, 's-keep')).toEqual({ holdout: true, ids: [], withheld: [] });
    expect(records(home).map((r) => r.body.holdout)).toEqual([true, true]);
    // and the other way round: advised once, advised again
    await sessionStart(home, startPayload('s-told'), CLOCK);
    const resumed = await sessionStart(home, startPayload('s-told'), HOLDOUT_CLOCK);
    expect(JSON.parse(resumed.stdout).hookSpecificOutput.additionalContext).toBe(PROJECT.text);
  });

  it('finds the project advice for a folder with non-ASCII characters (byte-wise slug on both sides)', async () => {
    const dir = path.join(tempDir(), 'projé-ü');
    fs.mkdirSync(dir);
    const home = dataHome(bundle({ session_start: { global: GLOBAL, [projectSlug(dir)]: PROJECT } }));
    const r = await sessionStart(home, startPayload('s-utf8'), CLOCK, dir);
    expect(JSON.parse(r.stdout).hookSpecificOutput.additionalContext).toBe(PROJECT.text);
  });

  it('survives malformed stdin: exit 0, the injection still printed, nothing recorded', async () => {
    // Without a session id the decision cannot be recorded or remembered; the user still gets the
    // advice (the hook's main job), and the learner simply does not see this session's injection.
    for (const stdin of ['{"session_id": ', 'not json at all', '', '\n\n', '{"session_id":"../../etc/passwd"}', '{"session_id":"a b"}']) {
      const home = dataHome();
      const out = oneObject(await sessionStart(home, stdin));
      expect(out).toEqual({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: PROJECT.text } });
      expect(records(home)).toEqual([]);
      expect(fs.existsSync(path.join(home, 'context', 'sessions'))).toBe(false);
    }
  });

  it('reads the session id with or without a space after the colon, and from multi-field payloads', async () => {
    const home = dataHome();
    const spaced = '{"hook_event_name": "SessionStart", "session_id": "x", "source": "resume"}';
    oneObject(await sessionStart(home, spaced));
    expect(records(home).map((r) => r.body.session_id)).toEqual(['x']);
    expect(state(home, 'x')).toEqual({ holdout: false, ids: PROJECT.ids, withheld: [] });
  });

  it('writes records that ingest stores as AgentopsInjection events, none quarantined', async () => {
    const home = dataHome();
    await sessionStart(home, startPayload('i1'));
    await sessionStart(home, startPayload('i2'), HOLDOUT_CLOCK);
    await plan(home, 'UserPromptSubmit', promptPayload('i1', 'the flaky test again'));
    expect(records(home)).toHaveLength(3);
    const store = openMemoryStore();
    const report = ingestSpool({ paths: dataPaths({ AGENTOPS_META_HOME: home }), store });
    expect(report).toMatchObject({ files: 3, inserted: 3, quarantined: 0, partial_writes: 0 });
    expect(store.quarantine()).toEqual([]);
    const events = store.events();
    expect(events.map((e) => [e.event, e.session_id])).toEqual([
      ['AgentopsInjection', 'i2'],
      ['AgentopsInjection', 'i1'],
      ['AgentopsInjection', 'i1'],
    ]);
    const payloads = events.map((e) => JSON.parse(e.payload) as Record<string, unknown>);
    expect(payloads.map((p) => [p.hook, p.holdout])).toEqual([
      ['SessionStart', true],
      ['SessionStart', false],
      ['UserPromptSubmit', false],
    ]);
    expect(payloads[1]?.ids).toEqual(PROJECT.ids);
    expect(payloads[2]?.ids).toEqual([advice.tests.id, advice.docs.id]);
    // the spool is empty afterwards
    expect(records(home)).toEqual([]);
    store.close();
  });
});

describe('SessionStart wording: where the advice was learned', () => {
  it('labels global advice "from all your projects" and keeps "in this project" for the project\'s own', async () => {
    // From the learner to the hook: what buildContextBundle writes for the global and the project key.
    const traces = [
      ...Array.from({ length: 12 }, (_, i) => trace(`good${i}`, ['Read', 'Edit', 'pass'], 1_000_000 + i * 10_000)),
      ...Array.from({ length: 12 }, (_, i) => trace(`bad${i}`, ['Grep', 'Write', 'fail'], 2_000_000 + i * 10_000)),
    ];
    const result = learn(traces, { now: 3_000_000, min_sessions: 3 });
    const learned = buildContextBundle({ global: result, projects: new Map([[project, result]]), subagents: new Map(), traces, budget_chars: 1500, top: 3, min_relevance: 0.5, holdout_share: 0.1, max_gap: 5 });
    const home = dataHome(learned);
    const told = async (sessionId: string, dir: string) => (oneObject(await sessionStart(home, startPayload(sessionId), CLOCK, dir)).hookSpecificOutput as { additionalContext: string }).additionalContext;
    const elsewhere = await told('where1', otherProject);
    expect(elsewhere.split('\n')[0]).toBe('## Patterns learned from past sessions, from all your projects (agentops-meta)');
    expect(elsewhere).not.toContain('in this project');
    expect((await told('where2', project)).split('\n')[0]).toBe('## Patterns learned from past sessions in this project (agentops-meta)');
  });
});

// ---- UserPromptSubmit / SubagentStart ----------------------------------------------------

describe('prompt and subagent planner (agentops-plan.mjs)', () => {
  it('injects the advice relevant to the prompt, once per session', async () => {
    const home = dataHome();
    const run = await plan(home, 'UserPromptSubmit', promptPayload('p1', 'Why is the flaky test failing in CI?'));
    const expected = renderAdvice([advice.tests, advice.docs], 1500, 'all your projects');
    // "test" also occurs in the docs sessions, so both qualify; the tests advice ranks first
    expect(expected.ids).toEqual([advice.tests.id, advice.docs.id]);
    expect(run.stdout).toBe(`${JSON.stringify({ hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: expected.text } })}\n`);
    oneObject(run);
    expect(state(home, 'p1')).toEqual({ holdout: false, ids: expected.ids, withheld: [] });
    expect(records(home).map((r) => r.body)).toEqual([
      { session_id: 'p1', hook_event_name: 'AgentopsInjection', hook: 'UserPromptSubmit', holdout: false, ids: expected.ids },
    ]);
    expect(records(home)[0]?.name).toMatch(/^\d{19}-\d+-AgentopsInjection\.json$/);

    // the same prompt again in the same session: nothing new to say, nothing recorded
    silent(await plan(home, 'UserPromptSubmit', promptPayload('p1', 'Why is the flaky test failing in CI?')));
    expect(records(home)).toHaveLength(1);
    // another session hears it again
    expect(oneObject(await plan(home, 'UserPromptSubmit', promptPayload('p2', 'flaky test')))).toHaveProperty('hookSpecificOutput');
  });

  it('does not repeat what SessionStart injected, and only adds what is new', async () => {
    const home = dataHome(bundle({ session_start: { global: renderAdvice([advice.tests], 1500, 'all your projects') } }));
    oneObject(await sessionStart(home, startPayload('p3'), CLOCK, otherProject));
    expect(state(home, 'p3')).toEqual({ holdout: false, ids: [advice.tests.id], withheld: [] });
    const out = oneObject(await plan(home, 'UserPromptSubmit', promptPayload('p3', 'flaky test')));
    expect(out).toEqual({ hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: renderAdvice([advice.docs], 1500, 'all your projects').text } });
    expect(state(home, 'p3')).toEqual({ holdout: false, ids: [advice.tests.id, advice.docs.id], withheld: [] });
  });

  it('says nothing to a prompt unrelated to any advice', async () => {
    const home = dataHome();
    silent(await plan(home, 'UserPromptSubmit', promptPayload('p4', 'bump the version number')));
    expect(records(home)).toEqual([]);
    expect(state(home, 'p4')).toBeNull();
  });

  it('gives a holdout session nothing, in prompts and subagents', async () => {
    const home = dataHome();
    silent(await sessionStart(home, startPayload('h2'), HOLDOUT_CLOCK));
    silent(await plan(home, 'UserPromptSubmit', promptPayload('h2', 'flaky test')));
    silent(await plan(home, 'SubagentStart', subagentPayload('h2', 'code-reviewer')));
    expect(records(home).map((r) => r.body.hook)).toEqual(['SessionStart']);
    expect(state(home, 'h2')).toEqual({ holdout: true, ids: [], withheld: [] });
  });

  it('SubagentStart: injects the advice learned for that agent type, into the subagent', async () => {
    const home = dataHome();
    const out = oneObject(await plan(home, 'SubagentStart', subagentPayload('a1', 'code-reviewer')));
    expect(out).toEqual({ hookSpecificOutput: { hookEventName: 'SubagentStart', additionalContext: REVIEWER.text } });
    expect(records(home).map((r) => r.body)).toEqual([
      { session_id: 'a1', hook_event_name: 'AgentopsInjection', hook: 'SubagentStart', holdout: false, ids: REVIEWER.ids },
    ]);
    silent(await plan(home, 'SubagentStart', subagentPayload('a1', 'Explore')));
    expect(records(home)).toHaveLength(1);
  });

  it('exits 0 silently without context, with bad JSON, or with an unusable session id', async () => {
    silent(await plan(dataHome(null), 'UserPromptSubmit', promptPayload('e1', 'flaky test')));
    silent(await plan(dataHome(null), 'SubagentStart', subagentPayload('e1', 'code-reviewer')));
    const home = dataHome();
    for (const stdin of ['{"session_id": "e2", "prompt": ', '', 'null', '[]']) silent(await plan(home, 'UserPromptSubmit', stdin));
    // a session id that is a path must not become one
    silent(await plan(home, 'UserPromptSubmit', promptPayload('../../escape', 'flaky test')));
    expect(fs.existsSync(path.join(home, 'escape.json'))).toBe(false);
    // a broken prompt.json is like none
    fs.writeFileSync(path.join(home, 'context', 'prompt.json'), '{"index": ');
    silent(await plan(home, 'UserPromptSubmit', promptPayload('e3', 'flaky test')));
    expect(records(home)).toEqual([]);
  });

  it('runs from an install root whose path has spaces and quotes', async () => {
    const root = path.join(tempDir(), `it's my "agent" root`);
    fs.mkdirSync(path.join(root, 'hooks'), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'hooks', 'agentops-plan.mjs'), path.join(root, 'hooks', 'agentops-plan.mjs'));
    const command = hookEntries(root, process.execPath).find((e) => e.event === 'SubagentStart' && e.command.includes('agentops-plan.mjs'))!.command;
    const home = dataHome();
    const out = oneObject(await runHook(command, subagentPayload('r1', 'code-reviewer'), env(home), project));
    expect(out).toEqual({ hookSpecificOutput: { hookEventName: 'SubagentStart', additionalContext: REVIEWER.text } });
  });
});

// ---- withheld items ------------------------------------------------------------------------

describe('withheld items: a share of sessions is shown the advice with one item left out', () => {
  const items = [advice.tests, advice.docs, advice.odd];
  const shown = renderAdvice(items, 1500, 'all your projects');
  const withheldBundle = (over: Partial<ContextBundle> = {}) =>
    bundle({ session_start: { global: shown }, withheld: { global: withheldVariants(items, shown, 1500, 'all your projects') }, holdout_percent: 10, withhold_percent: 30, ...over });
  // coin = (ns / 1000) % 100; the item is (ns / 100000) % items + 1
  // (the base is a multiple of 3 × 100,000 ns and of 100,000: item 0, coin 0)
  const at = (coin: number, item: number) => 1_750_000_000_000_200_000n + BigInt(item) * 100_000n + BigInt(coin) * 1000n;

  it('coins 10..39 of 100 withhold one item, chosen by the 100-microsecond digits; the rest see everything', async () => {
    expect(shown.ids).toHaveLength(3);
    for (const [coin, item, withheld] of [
      [10, 0, 0],
      [25, 1, 1],
      [39, 2, 2],
      [40, 1, null],
      [9, 1, 'holdout'],
    ] as const) {
      const home = dataHome(withheldBundle());
      const run = await sessionStart(home, startPayload('w'), at(coin, item), otherProject);
      const body = records(home)[0]!.body;
      if (withheld === 'holdout') {
        expect(run.stdout).toBe('');
        expect(body).toMatchObject({ holdout: true, ids: [], withheld: [] });
        continue;
      }
      if (withheld === null) {
        expect(oneObject(run)).toEqual({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: shown.text } });
        expect(body).toMatchObject({ holdout: false, ids: shown.ids, withheld: [] });
        continue;
      }
      const left = items.filter((_, i) => i !== withheld);
      const expected = renderAdvice(left, 1500, 'all your projects');
      expect(oneObject(run)).toEqual({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: expected.text } });
      expect(body).toMatchObject({ holdout: false, ids: expected.ids, withheld: [items[withheld]!.id] });
      expect(state(home, 'w')).toEqual({ holdout: false, ids: expected.ids, withheld: [items[withheld]!.id] });
    }
  });

  it('a withheld item is not told later by the prompt hook either, and the session keeps it withheld on resume', async () => {
    const home = dataHome(withheldBundle());
    // withhold the first item (tests), which the prompt "flaky test" would bring up
    await sessionStart(home, startPayload('r1'), at(20, 0), otherProject);
    expect(state(home, 'r1')).toMatchObject({ withheld: [advice.tests.id] });
    silent(await plan(home, 'UserPromptSubmit', promptPayload('r1', 'the flaky test fails in CI')));
    // compact: a clock that would show everything, but the session keeps its withheld item
    const again = oneObject(await sessionStart(home, startPayload('r1').replace('"startup"', '"compact"'), at(50, 0), otherProject));
    expect(again).toEqual({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: renderAdvice([advice.docs, advice.odd], 1500, 'all your projects').text } });
    expect(records(home).map((r) => r.body.withheld)).toEqual([[advice.tests.id], [advice.tests.id]]);
  });

  it('when the withheld item is gone from relearned advice, a resumed session is shown nothing and keeps it withheld', async () => {
    const home = dataHome(withheldBundle());
    await sessionStart(home, startPayload('r2'), at(20, 2), otherProject);
    expect(state(home, 'r2')).toMatchObject({ withheld: [advice.odd.id] });
    const relearned = renderAdvice([advice.tests, advice.docs], 1500, 'all your projects');
    writeContext({ dir: path.join(home, 'context'), bundle: withheldBundle({ session_start: { global: relearned }, withheld: { global: withheldVariants([advice.tests, advice.docs], relearned, 1500, 'all your projects') } }), autostart: null });
    const again = await sessionStart(home, startPayload('r2').replace('"startup"', '"resume"'), at(50, 0), otherProject);
    expect(again.stdout).toBe('');
    // (records sort by clock: the resumed one's clock is the earlier here)
    expect(records(home).map((r) => r.body)).toEqual([
      expect.objectContaining({ holdout: false, ids: [], withheld: [advice.odd.id] }),
      expect.objectContaining({ holdout: false, ids: [advice.tests.id, advice.docs.id], withheld: [advice.odd.id] }),
    ]);
  });

  it('the learner writes one variant per item shown, each a subset of the advice that fits the budget', () => {
    const variants = withheldVariants(items, shown, 1500, 'all your projects');
    expect(variants.map((v) => v.withheld)).toEqual(shown.ids);
    for (const v of variants) {
      expect(v.ids).toEqual(shown.ids.filter((id) => id !== v.withheld));
      expect(v.text).not.toContain(items.find((a) => a.id === v.withheld)!.steps[0]! + ' → ' + items.find((a) => a.id === v.withheld)!.steps[1]!);
    }
    // a single item withheld leaves nothing to show
    const one = renderAdvice([advice.tests], 1500, 'all your projects');
    expect(withheldVariants([advice.tests], one, 1500, 'all your projects')).toEqual([{ text: '', ids: [], withheld: advice.tests.id }]);
  });
});
