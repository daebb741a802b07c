import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { backfill, forEachLine, listTranscripts, type BackfillReport } from '../src/backfill/backfill.js';
import { createTranscriptConverter, type BackfillPayload } from '../src/backfill/transcript.js';
import { registerBackfillCommand, progressBar } from '../src/cli/backfill-command.js';
import type { CliContext } from '../src/cli/cli-context.js';
import { UsageError } from '../src/cli/errors.js';
import { normalize } from '../src/core/normalize.js';
import type { EventRecord } from '../src/core/types.js';
import { dataPaths } from '../src/shell/paths.js';
import { openMemoryStore } from '../src/store/memory.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { EventStore, InsertResult } from '../src/store/port.js';
import { describeWithFixtures, fixture, itWithFixtures } from './helpers/fixtures.js';
import { REPO_ROOT } from './helpers/paths.js';
import { tempDirs } from './helpers/temp-dirs.js';

const VIEWER = fixture('transcripts', 'claude-code-viewer');
const OWN = path.join(REPO_ROOT, 'test', 'fixtures', 'transcripts');
const NEW_LAYOUT = path.join(OWN, 'new-layout');
const FLAT_LAYOUT = path.join(OWN, 'flat-layout');
const ODD_LINES = path.join(OWN, 'odd-lines');
const S_NEW = 'aaaa1111-2222-4333-8444-555566667777';
const S_FLAT = 'bbbb1111-2222-4333-8444-555566667777';
const S_ODD = 'cccc1111-2222-4333-8444-555566667777';

const tempDir = tempDirs('am-backfill-');

const ms = (iso: string): number => Date.parse(iso);
const byEvent = (events: EventRecord[], event: string): EventRecord[] => events.filter((e) => e.event === event);
const one = (events: EventRecord[], pred: (e: EventRecord) => boolean): EventRecord => {
  const found = events.filter(pred);
  expect(found).toHaveLength(1);
  return found[0]!;
};

type Line = Record<string, any>;
/** The transcript lines of every .jsonl under a folder, parsed here independently of the code under test. */
function readLines(dir: string): Line[] {
  return listJsonl(dir).flatMap((f) =>
    fs
      .readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Line),
  );
}
function listJsonl(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.jsonl')).map((n) => path.join(dir, n));
}
function blocks(line: Line, type: string): Line[] {
  const c = line.message?.content;
  return Array.isArray(c) ? c.filter((b: Line) => b?.type === type) : [];
}

describeWithFixtures('backfill of the real claude-code-viewer transcripts', () => {
  // Read before the tests, not while they are collected: without the fixtures nothing is read.
  let lines: Line[] = [];
  const store = openMemoryStore();
  let report: BackfillReport;
  let events: EventRecord[] = [];
  beforeAll(() => {
    lines = readLines(VIEWER);
    report = backfill({ paths: [VIEWER], store });
    events = store.events();
  });

  it('reads every line and stores every synthesized event', () => {
    expect(report.files).toBe(5);
    expect(report.lines).toBe(lines.length);
    expect(report.bytes).toBe(listJsonl(VIEWER).reduce((n, f) => n + fs.statSync(f).size, 0));
    expect(report.quarantined).toBe(0);
    expect(report.inserted).toBe(report.payloads);
    expect(events).toHaveLength(report.payloads);
    expect(events.every((e) => e.source === 'backfill' && e.id.startsWith('bf-'))).toBe(true);
    // The one `summary` line of fe5e1c67 carries no event.
    expect(report.skipped_lines).toBe(lines.filter((l) => l.type !== 'user' && l.type !== 'assistant').length);
    expect(report.skipped_lines).toBe(1);
  });

  it('has one PreToolUse per tool_use block and one Post/Failure per tool_result, per tool name', () => {
    const uses = new Map<string, number>();
    for (const l of lines) for (const b of blocks(l, 'tool_use')) uses.set(b.name, (uses.get(b.name) ?? 0) + 1);
    const pre = new Map<string, number>();
    for (const e of byEvent(events, 'PreToolUse')) pre.set(e.tool_name!, (pre.get(e.tool_name!) ?? 0) + 1);
    expect(pre).toEqual(uses);
    // Names stay as the old CLIs wrote them; the actor carries the current name.
    expect(uses.get('Task')).toBe(8);
    expect(uses.get('KillBash')).toBe(3);
    expect(one(events, (e) => e.event === 'PreToolUse' && e.tool_name === 'KillBash' && e.tool_use_id === firstId(lines, 'KillBash')).actor).toMatchObject({ kind: 'tool', name: 'TaskStop' });
    const results = lines.flatMap((l) => blocks(l, 'tool_result'));
    const post = events.filter((e) => e.event === 'PostToolUse' || e.event === 'PostToolUseFailure');
    expect(post).toHaveLength(results.length);
  });

  it('turns every is_error result into an error outcome', () => {
    const failed = lines.flatMap((l) => blocks(l, 'tool_result')).filter((b) => b.is_error === true);
    expect(failed).toHaveLength(27);
    const failures = byEvent(events, 'PostToolUseFailure');
    expect(failures.map((e) => e.tool_use_id).sort()).toEqual(failed.map((b) => b.tool_use_id).sort());
    expect(failures.every((e) => e.outcome === 'error')).toBe(true);
    expect(byEvent(events, 'PostToolUse').every((e) => e.outcome === 'ok')).toBe(true);
  });

  it('attributes sidechain calls to their subagent, typed by the Task call that launched it', () => {
    const sidechainUses = lines.filter((l) => l.isSidechain === true).flatMap((l) => blocks(l, 'tool_use'));
    const inAgents = byEvent(events, 'PreToolUse').filter((e) => e.agent_id !== null);
    expect(inAgents.map((e) => e.tool_use_id).sort()).toEqual(sidechainUses.map((b) => b.id).sort());
    expect(inAgents.every((e) => e.agent_type === 'general-purpose')).toBe(true);
    // 5c0375b4: the Bash `tree` call inside the second agent failed (lsd: No such file or directory).
    const tree = one(events, (e) => e.tool_use_id === 'toolu_01KDiLyJT1VsszVhG4d3p6jV' && e.event === 'PostToolUseFailure');
    expect(tree).toMatchObject({ agent_type: 'general-purpose', agent_id: 'sidechain-83e2917c-8940-4df6-a5a5-f2514f0d08c5', outcome: 'error' });
    expect(JSON.parse(tree.payload).error).toMatch(/^lsd: 3: No such file or directory/);
    // Seven Task calls launched a subagent (one failed input validation); each is bracketed by Start/Stop.
    expect(byEvent(events, 'SubagentStart').filter((e) => e.agent_type === 'general-purpose')).toHaveLength(7);
    expect(byEvent(events, 'SubagentStop').filter((e) => e.agent_type === 'general-purpose')).toHaveLength(7);
    for (const s of byEvent(events, 'SubagentStop')) {
      const start = one(events, (e) => e.event === 'SubagentStart' && e.agent_id === s.agent_id);
      expect(s.ts_ms).toBeGreaterThanOrEqual(start.ts_ms);
      expect(s.actor).toEqual({ kind: 'subagent', name: s.agent_type, plugin: null, server: null });
    }
  });

  it('gives flat agent-*.jsonl files their agent id (from the name) and the parent session id', () => {
    for (const id of ['test-hash-123', 'test-hash-456']) {
      const start = one(events, (e) => e.event === 'SubagentStart' && e.agent_id === id);
      expect(start).toMatchObject({ session_id: '5c0375b4-57a5-4f26-b12d-d022ee4e51b7', agent_type: 'unknown' });
    }
    // No SessionStart/Stop or prompt from a subagent file: those belong to the parent.
    expect(byEvent(events, 'SessionStart').map((e) => e.session_id).sort()).toEqual([
      '1af7fc5e-8455-4414-9ccd-011d40f70b2a',
      '5c0375b4-57a5-4f26-b12d-d022ee4e51b7',
      'fe5e1c67-53e7-4862-81ae-d0e013e3270b',
    ]);
    expect(byEvent(events, 'Stop')).toHaveLength(3);
  });

  it('keeps typed prompts and slash commands', () => {
    const typed = lines.filter((l) => l.type === 'user' && !l.isSidechain && !l.isMeta && typeof l.message?.content === 'string');
    const commands = typed.filter((l) => l.message.content.includes('<command-name>'));
    expect(commands).toHaveLength(3);
    const expansions = byEvent(events, 'UserPromptExpansion');
    expect(expansions).toHaveLength(3);
    // /init in 1af7fc5e (a built-in that expands into a prompt), /orchestrator in the other two
    const names = commands.map((l) => /<command-name>(\/[^<]+)<\/command-name>/.exec(l.message.content)![1]).sort();
    expect(names).toEqual(['/init', '/orchestrator', '/orchestrator']);
    expect(expansions.map((e) => e.actor?.kind === 'command' && e.actor.name).sort()).toEqual(names);
    expect(JSON.parse(one(expansions, (e) => e.session_id.startsWith('fe5e')).payload).command_args).toBe('create TODO app by Next.js');
    const prompts = byEvent(events, 'UserPromptSubmit');
    expect(prompts).toHaveLength(typed.length - commands.length);
    expect(prompts).toHaveLength(1);
  });

  it('takes timestamps from the transcript, and durations from tool_use to tool_result', () => {
    const pre = one(events, (e) => e.tool_use_id === 'toolu_01KDiLyJT1VsszVhG4d3p6jV' && e.event === 'PreToolUse');
    const post = one(events, (e) => e.tool_use_id === 'toolu_01KDiLyJT1VsszVhG4d3p6jV' && e.event === 'PostToolUseFailure');
    expect(pre.ts).toBe('2025-09-07T09:53:06.416Z');
    expect(post.ts).toBe('2025-09-07T09:53:07.912Z');
    expect(post.duration_ms).toBe(1496);
    // Every event's time is one of the transcript's own line timestamps.
    const stamps = new Set(lines.map((l) => l.timestamp).filter(Boolean));
    expect(events.filter((e) => !stamps.has(e.ts))).toEqual([]);
    const session = store.sessions().find((s) => s.session_id === 'fe5e1c67-53e7-4862-81ae-d0e013e3270b')!;
    const own = lines.filter((l) => l.sessionId === session.session_id && l.timestamp).map((l) => ms(l.timestamp));
    expect(session.first_ms).toBe(Math.min(...own));
    expect(session.last_ms).toBe(Math.max(...own));
  });

  it('is idempotent: a second run stores nothing new', () => {
    const again = backfill({ paths: [VIEWER], store });
    expect(again).toMatchObject({ inserted: 0, duplicates: report.payloads, payloads: report.payloads });
    expect(store.counts().events).toBe(report.payloads);
  });
});

function firstId(lines: Line[], tool: string): string {
  return lines.flatMap((l) => blocks(l, 'tool_use')).find((b) => b.name === tool)!.id;
}

describe('backfill of newer layouts (<session>/subagents/agent-<id>.jsonl)', () => {
  const store = openMemoryStore();
  const report = backfill({ paths: [NEW_LAYOUT], store });
  const events = store.events();

  it('walks the session file first, then its subagent files', () => {
    expect(listTranscripts(NEW_LAYOUT).map((t) => t.rel)).toEqual([
      `-home-dev-proj/${S_NEW}.jsonl`,
      `-home-dev-proj/${S_NEW}/subagents/agent-a1.jsonl`,
      `-home-dev-proj/${S_NEW}/subagents/agent-b2.jsonl`,
      `-home-dev-proj/${S_NEW}/subagents/agent-c3.jsonl`,
    ]);
    // 19 + 6 + 4 + 3 lines; a file-history-snapshot and a progress line carry no event.
    expect(report).toMatchObject({ files: 4, lines: 32, skipped_lines: 2, malformed_lines: 0, quarantined: 0 });
    // parent: SessionStart, 2 prompts, 1 expansion, 4 calls × Pre+Post, Stop = 13; agents: 6 + 4 + 4.
    expect(report.payloads).toBe(27);
    expect(events).toHaveLength(27);
    expect(events.every((e) => e.session_id === S_NEW)).toBe(true);
  });

  it('types each subagent from the parent result (toolUseResult.agentId) or its .meta.json', () => {
    const agentOf = (id: string) => events.filter((e) => e.tool_use_id === id).map((e) => [e.agent_id, e.agent_type]);
    expect(agentOf('toolu_A1R')).toEqual([['a1', 'code-reviewer'], ['a1', 'code-reviewer']]);
    expect(agentOf('toolu_B2G')).toEqual([['b2', 'Explore'], ['b2', 'Explore']]);
    expect(agentOf('toolu_C3G')).toEqual([['c3', 'Plan'], ['c3', 'Plan']]);
    // Main-thread calls carry no agent.
    expect(agentOf('toolu_M1')).toEqual([[null, null], [null, null]]);
    const stop = one(events, (e) => e.event === 'SubagentStop' && e.agent_id === 'a1');
    expect(stop.ts).toBe('2026-03-02T10:00:29.000Z');
    expect(JSON.parse(stop.payload)).toMatchObject({
      agent_transcript_path: path.join(NEW_LAYOUT, '-home-dev-proj', S_NEW, 'subagents', 'agent-a1.jsonl'),
      transcript_path: path.join(NEW_LAYOUT, '-home-dev-proj', `${S_NEW}.jsonl`),
    });
    expect(one(events, (e) => e.event === 'SubagentStart' && e.agent_id === 'a1').ts).toBe('2026-03-02T10:00:02.100Z');
  });

  it('turns a failing Bash result into a failed call whose error starts "Exit code 1", with its test run', () => {
    const fail = one(events, (e) => e.tool_use_id === 'toolu_A1B' && e.event === 'PostToolUseFailure');
    expect(fail.outcome).toBe('error');
    expect(fail.duration_ms).toBe(7250);
    expect(JSON.parse(fail.payload).error).toMatch(/^Exit code 1\n FAIL {2}test\/parser\.test\.ts/);
    expect(fail.bash_kind).toBe('test');
    expect(fail.test).toMatchObject({ runner: 'vitest', passed: false, counts: { failed: 1, passed: 4 } });
    const pass = one(events, (e) => e.tool_use_id === 'toolu_M1' && e.event === 'PostToolUse');
    expect(pass.test).toMatchObject({ runner: 'vitest', passed: true, counts: { passed: 12 } });
  });

  it('marks a call the user interrupted as interrupted, not as an error', () => {
    const killed = one(events, (e) => e.tool_use_id === 'toolu_M2' && e.event === 'PostToolUseFailure');
    expect(killed.outcome).toBe('interrupted');
    expect(JSON.parse(killed.payload).is_interrupt).toBe(true);
  });

  it('keeps prompts (with prompt_id and permission mode) and prompt-type slash commands, not local ones', () => {
    const prompts = byEvent(events, 'UserPromptSubmit');
    expect(prompts.map((e) => JSON.parse(e.payload).prompt)).toEqual(['Review the parser and run the tests', 'what is in this screenshot?']);
    expect(prompts.map((e) => e.prompt_id)).toEqual(['prompt-1', 'prompt-3']);
    expect(JSON.parse(prompts[0]!.payload).permission_mode).toBe('default');
    const exp = one(events, (e) => e.event === 'UserPromptExpansion');
    expect(exp.actor).toEqual({ kind: 'command', name: '/review', plugin: null, server: null });
    expect(JSON.parse(exp.payload)).toMatchObject({ expansion_type: 'slash_command', command_name: 'review', command_args: 'src/parser.ts' });
    expect(one(events, (e) => e.event === 'Stop').ts).toBe('2026-03-02T10:03:00.000Z');
  });

  it('skips calls the hooks already captured (by tool_use_id) and prompts of the period they covered', () => {
    const store2 = openMemoryStore();
    const ctx = { projectOf: () => null, maxFieldChars: 4000 };
    const hook = (id: string, iso: string, value: Record<string, unknown>): EventRecord => {
      const r = normalize({ id, ts_ms: ms(iso), source: 'hook', value: { session_id: S_NEW, cwd: '/home/dev/proj', ...value } }, ctx);
      if (!r.ok) throw new Error(r.reason);
      return r.record;
    };
    store2.insert(
      [
        hook('h1', '2026-03-02T09:59:59.900Z', { hook_event_name: 'SessionStart', source: 'startup' }),
        hook('h2', '2026-03-02T10:00:00.050Z', { hook_event_name: 'UserPromptSubmit', prompt: 'Review the parser and run the tests' }),
        hook('h3', '2026-03-02T10:00:35.600Z', { hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_use_id: 'toolu_M1', tool_input: { command: 'npx vitest run' }, tool_response: { stdout: 'Tests  12 passed (12)', stderr: '' } }),
      ],
      [],
    );
    const r = backfill({ paths: [NEW_LAYOUT], store: store2 });
    expect(r.duplicates).toBe(1); // the PostToolUse of toolu_M1
    // Non-call events within a minute of the hooks' first..last event (09:59:59.9 – 10:00:35.6):
    // SessionStart, the first prompt, the /review expansion (10:01:00), and Start/Stop of agents a1 and b2.
    expect(r.hook_covered).toBe(7);
    expect(r.inserted).toBe(27 - 1 - 7);
    const m1 = store2.events().filter((e) => e.tool_use_id === 'toolu_M1');
    expect(m1.map((e) => [e.event, e.source])).toEqual([
      ['PreToolUse', 'backfill'],
      ['PostToolUse', 'hook'],
    ]);
    expect(byEvent(store2.events(), 'SessionStart').map((e) => e.id)).toEqual(['h1']);
    expect(byEvent(store2.events(), 'UserPromptSubmit').map((e) => e.source)).toEqual(['hook', 'backfill']);
    // and still idempotent
    expect(backfill({ paths: [NEW_LAYOUT], store: store2 }).inserted).toBe(0);
  });
});

describe('backfill into SQLite', () => {
  itWithFixtures('dedups against a hook-captured call and stays idempotent across reopenings', () => {
    const file = path.join(tempDir(), 'agentops.db');
    let store = openSqliteStore({ file });
    const hook = normalize(
      {
        id: 'hook-spool-1',
        ts_ms: ms('2025-09-07T09:53:07.950Z'),
        source: 'hook',
        value: { session_id: '5c0375b4-57a5-4f26-b12d-d022ee4e51b7', hook_event_name: 'PostToolUseFailure', tool_name: 'Bash', tool_use_id: 'toolu_01KDiLyJT1VsszVhG4d3p6jV', tool_input: { command: 'tree' }, error: 'Exit code 2' },
      },
      { projectOf: () => null, maxFieldChars: 4000 },
    );
    if (!hook.ok) throw new Error(hook.reason);
    store.insert([hook.record], []);
    const first = backfill({ paths: [VIEWER], store });
    expect(first.duplicates).toBe(1);
    expect(first.quarantined).toBe(0);
    expect(store.events().filter((e) => e.tool_use_id === 'toolu_01KDiLyJT1VsszVhG4d3p6jV').map((e) => [e.event, e.source])).toEqual([
      ['PreToolUse', 'backfill'],
      ['PostToolUseFailure', 'hook'],
    ]);
    const stored = store.counts().events;
    expect(stored).toBe(1 + first.inserted);
    store.close();
    store = openSqliteStore({ file });
    expect(backfill({ paths: [VIEWER], store })).toMatchObject({ inserted: 0 });
    expect(store.counts().events).toBe(stored);
    store.close();
  });
});

describe('backfill of the older flat layout (agent-<id>.jsonl beside the session)', () => {
  const store = openMemoryStore();
  const report = backfill({ paths: [FLAT_LAYOUT], store });
  const events = store.events();

  it('links the agent file through the Task result, keeps legacy names, and ignores Warmup agents', () => {
    // session: SessionStart, prompt, Task Pre/Post, LS and KillBash Pre/Post, Stop; agent: Start, MultiEdit Pre/Post, Stop.
    expect(report).toMatchObject({ files: 3, lines: 12, payloads: 13, inserted: 13, skipped_lines: 1 });
    expect(events.filter((e) => e.agent_id === 'f00d').map((e) => [e.event, e.agent_type, e.tool_name])).toEqual([
      ['SubagentStart', 'linter', null],
      ['PreToolUse', 'linter', 'MultiEdit'],
      ['PostToolUse', 'linter', 'MultiEdit'],
      ['SubagentStop', 'linter', null],
    ]);
    expect(events.filter((e) => e.agent_id === 'warm')).toEqual([]);
    const task = one(events, (e) => e.tool_use_id === 'toolu_F1' && e.event === 'PreToolUse');
    expect(task.actor).toEqual({ kind: 'subagent', name: 'linter', plugin: null, server: null });
    // Two results on one line: each gets its own block's content, not the line's toolUseResult.
    const kill = one(events, (e) => e.tool_use_id === 'toolu_F3' && e.event === 'PostToolUse');
    expect(kill.actor?.name).toBe('TaskStop');
    expect(JSON.parse(kill.payload).tool_response).toBe('Shell bash_1 killed');
    expect(events.every((e) => e.session_id === S_FLAT)).toBe(true);
  });
});

describe('odd lines', () => {
  it('skips and counts malformed lines, unknown types and orphan results, and keeps the rest', () => {
    const store = openMemoryStore();
    const report = backfill({ paths: [ODD_LINES], store });
    // 10 lines: 3 malformed (cut JSON, not JSON, an array), 2 without events (system, queue-operation).
    expect(report).toMatchObject({ files: 1, lines: 10, malformed_lines: 3, skipped_lines: 5, payloads: 4, quarantined: 0 });
    expect(store.events().map((e) => e.event)).toEqual(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'Stop']);
    expect(store.events()[2]!.actor).toEqual({ kind: 'mcp', name: 'create_issue', plugin: null, server: 'github' });
    expect(store.events().every((e) => e.session_id === S_ODD)).toBe(true);

    const c = createTranscriptConverter('x');
    for (const l of fs.readFileSync(path.join(ODD_LINES, `${S_ODD}.jsonl`), 'utf8').split('\n')) if (l) c.pushText(l);
    c.finish();
    expect(c.stats()).toMatchObject({ lines: 10, malformed: 3, skipped: 2, skipped_types: { system: 1, 'queue-operation': 1 }, orphan_results: 1, unfinished_calls: 1 });
  });

  it('counts a line longer than the limit as malformed without collecting it', () => {
    const dir = tempDir();
    const file = path.join(dir, 's1.jsonl');
    const prompt = (text: string, i: number) => JSON.stringify({ type: 'user', sessionId: 's1', uuid: `u${i}`, timestamp: `2026-01-01T00:00:0${i}.000Z`, message: { role: 'user', content: text } });
    fs.writeFileSync(file, [prompt('short', 1), prompt('x'.repeat(5000), 2), prompt('after', 3)].join('\r\n'));
    const store = openMemoryStore();
    const report = backfill({ paths: [file], store, maxLineBytes: 1000 });
    expect(report).toMatchObject({ lines: 3, malformed_lines: 1 });
    expect(byEvent(store.events(), 'UserPromptSubmit').map((e) => JSON.parse(e.payload).prompt)).toEqual(['short', 'after']);
  });

  it('splits lines exactly, across chunk boundaries and with multi-byte characters', () => {
    const dir = tempDir();
    const file = path.join(dir, 'lines.txt');
    const expected = Array.from({ length: 300 }, (_, i) => `${i}:${'é✓'.repeat((i * 7919) % 9000)}`);
    fs.writeFileSync(file, `${expected.join('\n')}\n`);
    const got: (string | null)[] = [];
    let bytes = 0;
    forEachLine(file, 1 << 30, (l) => got.push(l), (n) => (bytes += n));
    expect(got).toEqual(expected);
    expect(bytes).toBe(fs.statSync(file).size);
  });
});

describe('converter ids', () => {
  itWithFixtures('are deterministic and follow bf-<session>-<tool_use_id|uuid>-<event>', () => {
    const run = (): BackfillPayload[] => {
      const c = createTranscriptConverter('hint');
      const out: BackfillPayload[] = [];
      for (const l of fs.readFileSync(path.join(VIEWER, '1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl'), 'utf8').split('\n')) if (l) out.push(...c.pushText(l));
      return [...out, ...c.finish()];
    };
    const a = run();
    expect(run()).toEqual(a);
    expect(new Set(a.map((p) => p.id)).size).toBe(a.length);
    for (const p of a) {
      const v = p.value;
      const key = typeof v.tool_use_id === 'string' ? v.tool_use_id : '[0-9a-f-]{36}';
      expect(p.id).toMatch(new RegExp(`^bf-1af7fc5e-8455-4414-9ccd-011d40f70b2a-${key}-${v.hook_event_name}$`));
    }
  });
});

describe('internal forks', () => {
  it('get no SubagentStart/Stop (like Warmup agents), and their calls name the fork', () => {
    const c = createTranscriptConverter('s9', { agentId: 'acompact-0123456789abcdef' });
    const line = (extra: Record<string, unknown>) => ({ isSidechain: true, sessionId: 's9', agentId: 'acompact-0123456789abcdef', timestamp: '2026-01-01T00:00:00.000Z', ...extra });
    const out = [
      ...c.push(line({ type: 'user', uuid: 'u1', message: { role: 'user', content: 'Summarize the conversation' } })),
      ...c.push(line({ type: 'assistant', uuid: 'u2', message: { content: [{ type: 'tool_use', id: 'toolu_k1', name: 'Read', input: {} }] } })),
      ...c.finish(),
    ];
    expect(out.map((p) => [p.value.hook_event_name, p.value.agent_type])).toEqual([['PreToolUse', 'compact']]);
  });
});

describe('archive', () => {
  it('copies each transcript (and subagent metadata) keeping the layout, once, and again when it grew', () => {
    const dir = tempDir();
    const src = path.join(dir, 'projects');
    fs.cpSync(NEW_LAYOUT, src, { recursive: true });
    const archive = path.join(src, 'archive'); // inside the walked folder: must not be walked
    const first = backfill({ paths: [src], store: openMemoryStore(), archiveDir: archive });
    expect(first).toMatchObject({ files: 4, archived: 4 });
    for (const rel of [`-home-dev-proj/${S_NEW}.jsonl`, `-home-dev-proj/${S_NEW}/subagents/agent-a1.jsonl`, `-home-dev-proj/${S_NEW}/subagents/agent-c3.meta.json`]) {
      expect(fs.readFileSync(path.join(archive, rel), 'utf8')).toBe(fs.readFileSync(path.join(src, rel), 'utf8'));
    }
    expect(backfill({ paths: [src], store: openMemoryStore(), archiveDir: archive })).toMatchObject({ files: 4, archived: 0 });

    const parent = path.join(src, '-home-dev-proj', `${S_NEW}.jsonl`);
    fs.appendFileSync(parent, `${JSON.stringify({ type: 'user', sessionId: S_NEW, uuid: 'late', timestamp: '2026-03-03T08:00:00.000Z', message: { role: 'user', content: 'one more thing' } })}\n`);
    expect(backfill({ paths: [src], store: openMemoryStore(), archiveDir: archive })).toMatchObject({ archived: 1 });
    expect(fs.readFileSync(path.join(archive, '-home-dev-proj', `${S_NEW}.jsonl`), 'utf8')).toBe(fs.readFileSync(parent, 'utf8'));
    // The archive can be imported later with the same result, subagent types included.
    const fromArchive = openMemoryStore();
    backfill({ paths: [archive], store: fromArchive });
    expect(fromArchive.events().find((e) => e.tool_use_id === 'toolu_C3G')?.agent_type).toBe('Plan');
  });
});

describe('streaming a large transcript', () => {
  it('imports ~50 MB with memory growth far below the file size', () => {
    const dir = tempDir();
    const file = path.join(dir, 'big-session.jsonl');
    const fd = fs.openSync(file, 'w');
    const session = 'dddd1111-2222-4333-8444-555566667777';
    const t0 = ms('2026-01-01T00:00:00.000Z');
    const iso = (i: number) => new Date(t0 + i * 1000).toISOString();
    const body = 'const x = 1; // filler line of a source file\n'.repeat(180); // ~8 KB, like a Read result
    fs.writeSync(fd, `${JSON.stringify({ type: 'user', sessionId: session, uuid: 'u-0', timestamp: iso(0), cwd: '/tmp', message: { role: 'user', content: 'read everything' } })}\n`);
    let calls = 0;
    for (let i = 1; fs.fstatSync(fd).size < 50 * 1024 * 1024; i++) {
      const id = `toolu_big_${i}`;
      // every 1000th call returns a 3 MB output: lines far longer than the reader's 1 MiB chunks
      const content = i % 1000 === 0 ? 'y'.repeat(3 * 1024 * 1024) : body;
      const lines = [
        { type: 'assistant', sessionId: session, uuid: `a-${i}`, timestamp: iso(2 * i), cwd: '/tmp', message: { role: 'assistant', content: [{ type: 'tool_use', id, name: 'Read', input: { file_path: `/tmp/f${i}.ts` } }] } },
        { type: 'user', sessionId: session, uuid: `r-${i}`, timestamp: iso(2 * i + 1), cwd: '/tmp', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content }] }, toolUseResult: { type: 'text', file: { filePath: `/tmp/f${i}.ts`, content, numLines: 180 } } },
      ];
      fs.writeSync(fd, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      calls++;
    }
    fs.closeSync(fd);
    const size = fs.statSync(file).size;

    // A store that only counts, so the figure measures the backfill, not a store holding 50 MB of events.
    const counted = { events: 0 };
    const store: EventStore = {
      ...openMemoryStore(),
      insert(events: readonly EventRecord[]): InsertResult {
        counted.events += events.length;
        return { inserted: events.length, duplicates: 0, quarantined: 0 };
      },
    };
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const started = performance.now();
    const report = backfill({
      paths: [file],
      store,
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    console.log(
      `backfill streaming: ${mb(size)} MB, ${report.lines} lines, ${report.payloads} events in ${seconds.toFixed(2)} s = ${(size / 1024 / 1024 / seconds).toFixed(1)} MB/s; ` +
        `rss ${mb(before)} → peak ${mb(peak)} MB (growth ${mb(peak - before)} MB)`,
    );
    expect(report.bytes).toBe(size);
    expect(report.lines).toBe(1 + 2 * calls);
    expect(counted.events).toBe(2 * calls + 3); // Pre + Post per call, SessionStart, prompt, Stop
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  }, 300_000);
});

describe('backfill command', () => {
  const cli = (store: EventStore) => {
    const out: string[] = [];
    const ctx: CliContext = {
      paths: dataPaths({ AGENTOPS_META_HOME: '/nonexistent-agentops-home' }),
      out: (t) => out.push(t),
      json: (v) => out.push(JSON.stringify(v)),
      withStore: (fn) => fn(store),
    };
    const program = new Command('agentops-meta').exitOverride();
    registerBackfillCommand(program, ctx);
    return { program, out };
  };

  it('imports the given paths and prints a summary or the JSON report', async () => {
    const store = openMemoryStore();
    const { program, out } = cli(store);
    await program.parseAsync(['backfill', FLAT_LAYOUT, ODD_LINES, '--json'], { from: 'user' });
    const report = JSON.parse(out[0]!) as BackfillReport;
    expect(report).toMatchObject({ files: 4, lines: 22, payloads: 17, inserted: 17, malformed_lines: 3 });
    const again = cli(store);
    await again.program.parseAsync(['backfill', FLAT_LAYOUT], { from: 'user' });
    expect(again.out[0]).toMatch(/^backfilled 3 transcripts \(.+, 12 lines\) in \d+ ms: 13 events, 0 stored, 13 already stored/);
  });

  it('rejects a path that does not exist with a usage error', async () => {
    const { program } = cli(openMemoryStore());
    await expect(program.parseAsync(['backfill', '/no/such/transcripts'], { from: 'user' })).rejects.toThrow(UsageError);
  });

  it('draws a one-line progress bar', () => {
    expect(progressBar(0, 200, 10)).toBe('[----------]   0%  0 B / 200 B');
    expect(progressBar(50, 200, 10)).toBe('[###-------]  25%  50 B / 200 B');
    expect(progressBar(200, 200, 10)).toBe('[##########] 100%  200 B / 200 B');
  });
});
