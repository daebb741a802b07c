import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMcpToolName, toolActor } from '../src/core/actor.js';
import { normalize, type NormalizeContext } from '../src/core/normalize.js';
import { parseSpoolName } from '../src/core/spool-name.js';
import type { EventRecord } from '../src/core/types.js';
import { fixture, itWithFixtures } from './helpers/fixtures.js';

const ctx: NormalizeContext = { projectOf: (cwd) => (cwd.startsWith('/repo') ? '/repo' : null), maxFieldChars: 4000 };

function norm(value: unknown, id = 'e1', ts_ms = 1_700_000_000_123): EventRecord {
  const r = normalize({ id, ts_ms, source: 'hook', value }, ctx);
  if (!r.ok) throw new Error(r.reason);
  return r.record;
}

const base = { session_id: 's1', transcript_path: '/t.jsonl', cwd: '/repo/pkg' };

describe('actors', () => {
  it('tells built-in tools, subagents, skills, slash commands and MCP tools apart', () => {
    expect(toolActor('Read', {}, null)).toEqual({ kind: 'tool', name: 'Read', plugin: null, server: null });
    expect(toolActor('Agent', { subagent_type: 'code-reviewer' }, null)).toEqual({ kind: 'subagent', name: 'code-reviewer', plugin: null, server: null });
    expect(toolActor('Task', { subagent_type: 'pr-tools:reviewer' }, null)).toEqual({ kind: 'subagent', name: 'reviewer', plugin: 'pr-tools', server: null });
    expect(toolActor('Task', { description: 'old payload' }, null).name).toBe('general-purpose');
    expect(toolActor('Skill', { skill: 'pdf' }, null)).toEqual({ kind: 'skill', name: 'pdf', plugin: null, server: null });
    expect(toolActor('Skill', { skill: 'coordinator:pickup' }, null)).toEqual({ kind: 'skill', name: 'pickup', plugin: 'coordinator', server: null });
    expect(toolActor('SlashCommand', { command: '/review 12' }, null)).toEqual({ kind: 'command', name: '/review', plugin: null, server: null });
    expect(toolActor('mcp__context7__get-library-docs', {}, null)).toEqual({ kind: 'mcp', name: 'get-library-docs', plugin: null, server: 'context7' });
    expect(toolActor('mcp__plugin_fabric-skills_FabricIQ__ExecuteQuery', {}, null)).toEqual({ kind: 'mcp', name: 'ExecuteQuery', plugin: 'fabric-skills', server: 'FabricIQ' });
    expect(toolActor('mcp__plugin_discord_discord__reply', {}, { name: 'x' }.name)).toEqual({ kind: 'mcp', name: 'reply', plugin: 'discord', server: 'discord' });
    expect(toolActor('KillBash', {}, null).name).toBe('TaskStop');
  });

  it('rejects names that are not MCP tool names', () => {
    expect(parseMcpToolName('mcp__memory')).toBeNull();
    expect(parseMcpToolName('Read')).toBeNull();
  });
});

describe('normalize', () => {
  it('reads a current PostToolUse Bash test run (CLI 2.1.197 shape)', () => {
    const e = norm({
      ...base,
      hook_event_name: 'PostToolUse',
      permission_mode: 'bypassPermissions',
      prompt_id: 'p-1',
      effort: { level: 'high' },
      tool_name: 'Bash',
      tool_use_id: 'toolu_1',
      duration_ms: 812,
      tool_input: { command: 'npx vitest run' },
      tool_response: { stdout: ' Test Files  2 passed (2)\n      Tests  7 passed (7)\n', stderr: '', interrupted: false, isImage: false, noOutputExpected: false },
    });
    expect(e).toMatchObject({
      id: 'e1',
      session_id: 's1',
      event: 'PostToolUse',
      ts: '2023-11-14T22:13:20.123Z',
      tool_name: 'Bash',
      tool_use_id: 'toolu_1',
      actor: { kind: 'tool', name: 'Bash' },
      outcome: 'ok',
      duration_ms: 812,
      prompt_id: 'p-1',
      project: '/repo',
      cwd: '/repo/pkg',
      bash_kind: 'test',
      source: 'hook',
    });
    expect(e.test).toMatchObject({ runner: 'vitest', passed: true, counts: { passed: 7 } });
  });

  it('treats a PostToolUseFailure Bash as an error and a failed test run', () => {
    const e = norm({
      ...base,
      hook_event_name: 'PostToolUseFailure',
      tool_name: 'Bash',
      tool_use_id: 'toolu_2',
      tool_input: { command: 'npm test' },
      error: 'Exit code 1\n Tests  2 failed | 3 passed (5)\n',
      is_interrupt: false,
    });
    expect(e.outcome).toBe('error');
    expect(e.test?.passed).toBe(false);
  });

  it('marks interrupts, denials and leaves PreToolUse open for pairing', () => {
    expect(norm({ ...base, hook_event_name: 'PostToolUseFailure', tool_name: 'Bash', tool_input: { command: 'sleep 9' }, error: 'Interrupted', is_interrupt: true }).outcome).toBe('interrupted');
    expect(norm({ ...base, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'sleep 9' }, tool_response: { interrupted: true } }).outcome).toBe('interrupted');
    expect(norm({ ...base, hook_event_name: 'PermissionDenied', tool_name: 'Bash', tool_input: {}, reason: 'auto mode' }).outcome).toBe('denied');
    expect(norm({ ...base, hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_input: {} }).outcome).toBeNull();
  });

  it('attributes subagent calls and slash commands', () => {
    const inside = norm({ ...base, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_use_id: 't', tool_input: { command: 'ls' }, agent_id: 'ae606c428275cad02', agent_type: 'general-purpose' });
    expect(inside).toMatchObject({ agent_id: 'ae606c428275cad02', agent_type: 'general-purpose', bash_kind: 'file' });
    expect(norm({ ...base, hook_event_name: 'SubagentStart', agent_id: 'a1', agent_type: 'plug:rev' }).actor).toEqual({ kind: 'subagent', name: 'rev', plugin: 'plug', server: null });
    expect(
      norm({ ...base, hook_event_name: 'UserPromptExpansion', expansion_type: 'slash_command', command_name: 'hello', command_args: 'world', prompt: '/hello world' }).actor,
    ).toEqual({ kind: 'command', name: '/hello', plugin: null, server: null });
  });

  it('keeps the main thread of a `claude --agent` session on the main thread (agent_type without agent_id)', () => {
    // What 2.1.197 and 2.1.332 send for a call of `claude --agent reviewer` (test/e2e/real-cli.test.ts).
    const payload = { ...base, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_use_id: 't', tool_input: { command: 'ls' }, agent_type: 'reviewer', duration_ms: 58 };
    const main = norm(payload);
    expect(main).toMatchObject({ agent_id: null, agent_type: null, duration_ms: 58 });
    expect(JSON.parse(main.payload).agent_type).toBe('reviewer');
    // The same call inside a subagent of that session carries its agent_id too.
    expect(norm({ ...payload, agent_id: 'a7', agent_type: 'Explore' })).toMatchObject({ agent_id: 'a7', agent_type: 'Explore' });
    // SessionStart of such a session names the type too: still no subagent.
    expect(norm({ ...base, hook_event_name: 'SessionStart', source: 'startup', agent_type: 'reviewer' })).toMatchObject({ agent_id: null, agent_type: null });
  });

  it('reads duration_ms when the CLI reports it, and leaves it open for older payloads and impossible values', () => {
    const post = { ...base, hook_event_name: 'PostToolUseFailure', tool_name: 'Bash', tool_use_id: 't', tool_input: { command: 'false' }, error: 'Exit code 1' };
    expect(norm({ ...post, duration_ms: 36, is_interrupt: false }).duration_ms).toBe(36); // 2.1.197 / 2.1.332
    expect(norm(post).duration_ms).toBeNull(); // mid-2025: no duration_ms
    expect(norm({ ...post, duration_ms: -5 }).duration_ms).toBeNull();
    expect(norm({ ...post, duration_ms: 0 }).duration_ms).toBe(0);
  });

  it('stores the SessionStart of a forked session (2.1.332: source "fork" and its new fields)', () => {
    const fork = norm({ ...base, hook_event_name: 'SessionStart', source: 'fork', seconds_since_last_response: 1, context_tokens: 120, prompt_cache_likely_expired: false, estimated_cache_write_usd: 0.0006 });
    expect(fork).toMatchObject({ event: 'SessionStart', session_id: 's1', agent_id: null, tool_name: null, outcome: null });
    expect(JSON.parse(fork.payload)).toMatchObject({ source: 'fork', context_tokens: 120 });
  });

  it('accepts unknown events and unknown fields, and quarantines what lacks session_id or has wrong types', () => {
    expect(norm({ ...base, hook_event_name: 'SomeFutureEvent', new_field: { a: 1 } }).event).toBe('SomeFutureEvent');
    const missing = normalize({ id: 'x', ts_ms: 1, source: 'hook', value: { hook_event_name: 'Stop' } }, ctx);
    expect(missing).toEqual({ ok: false, reason: expect.stringContaining('session_id') });
    const wrongType = normalize({ id: 'x', ts_ms: 1, source: 'hook', value: { ...base, hook_event_name: 'PreToolUse', tool_name: 42 } }, ctx);
    expect(wrongType).toEqual({ ok: false, reason: expect.stringContaining('tool_name') });
    expect(normalize({ id: 'x', ts_ms: 1, source: 'hook', value: [1, 2] }, ctx).ok).toBe(false);
    expect(normalize({ id: 'x', ts_ms: 1, source: 'hook', value: null }, ctx).ok).toBe(false);
  });

  it('redacts secrets and truncates long fields before storage', () => {
    const secret = 'ghp_' + 'a1B2'.repeat(9);
    const e = norm({ ...base, hook_event_name: 'UserPromptSubmit', prompt: `use token ${secret} please`, blob: 'x'.repeat(10_000) });
    expect(e.payload).not.toContain(secret);
    expect(e.payload).toContain('[REDACTED');
    expect(e.payload).toContain('truncated 10000');
    expect(e.payload.length).toBeLessThan(6000);
  });

  itWithFixtures('normalizes every real mid-2025 payload (no tool_use_id, no permission_mode)', () => {
    const dir = fixture('hook-payloads', 'quantstats');
    for (const file of fs.readdirSync(dir)) {
      const payloads = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>[];
      for (const [i, p] of payloads.entries()) {
        const e = norm(p, `${file}-${i}`);
        expect(e.event).toBe(p.hook_event_name);
        expect(e.tool_use_id).toBeNull();
        expect(e.actor).toEqual({ kind: 'tool', name: p.tool_name, plugin: null, server: null });
        if (e.event === 'PostToolUse') expect(e.outcome).toBe('ok');
        if (p.tool_name === 'Bash') expect(e.bash_kind).not.toBeNull();
      }
    }
  });
});

describe('spool names', () => {
  it('carry the arrival time in ns and the event', () => {
    expect(parseSpoolName('1795966332709085723-2476-PreToolUse.json')).toEqual({ id: '1795966332709085723-2476-PreToolUse', ts_ms: 1795966332709, event: 'PreToolUse' });
    expect(parseSpoolName('1795966332709085723-2476-Unknown.json')?.event).toBeNull();
    expect(parseSpoolName('notes.json')).toBeNull();
    expect(parseSpoolName('1795966332709085723-2476-Pre-Tool.json')).toBeNull();
  });
});
