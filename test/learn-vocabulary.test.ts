// Activity names, and events → session traces.
import { describe, expect, it } from 'vitest';
import { makeVocabulary, type Nameable } from '../src/learn/vocabulary.js';
import { buildTraces, subagentTraces } from '../src/learn/traces.js';
import type { Actor, EventRecord } from '../src/core/types.js';
import { event, testRun } from './learn-helpers.js';

const tool = (name: string): Actor => ({ kind: 'tool', name, plugin: null, server: null });
const call = (tool_name: string | null, actor: Actor | null, bash_kind: Nameable['bash_kind'] = null): Nameable => ({ tool_name, actor, bash_kind });

describe('vocabulary', () => {
  const v = makeVocabulary();

  it('names each kind of actor', () => {
    expect(v(call('Read', tool('Read')))).toBe('Read');
    expect(v(call('Bash', tool('Bash'), 'test'))).toBe('Bash:test');
    expect(v(call('Bash', tool('Bash'), null))).toBe('Bash:other');
    expect(v(call('Agent', { kind: 'subagent', name: 'Explore', plugin: null, server: null }))).toBe('Agent:Explore');
    expect(v(call('Task', { kind: 'subagent', name: 'reviewer', plugin: 'my-plugin', server: null }))).toBe('Agent:my-plugin:reviewer');
    expect(v(call('Skill', { kind: 'skill', name: 'pdf', plugin: null, server: null }))).toBe('Skill:pdf');
    expect(v(call('Skill', { kind: 'skill', name: 'pickup', plugin: 'coordinator', server: null }))).toBe('Skill:coordinator:pickup');
    expect(v(call('mcp__github__create_issue', { kind: 'mcp', name: 'create_issue', plugin: null, server: 'github' }))).toBe('mcp:github');
    expect(v(call(null, { kind: 'command', name: '/review', plugin: null, server: null }))).toBe('/review');
    expect(v(call(null, { kind: 'command', name: '/deploy', plugin: 'ops', server: null }))).toBe('/ops:deploy');
  });

  it('normalises legacy tool names and reads the tool name when there is no actor', () => {
    expect(v(call('Task', null))).toBe('Agent');
    expect(v(call('KillBash', tool('KillBash')))).toBe('TaskStop');
    expect(v(call('mcp__plugin_discord_discord__reply', null))).toBe('mcp:discord');
    expect(v(call('Bash', null, 'git'))).toBe('Bash:git');
  });

  it('applies options: drop (exact and prefix*), rename, MCP tool granularity, plain Bash/agents', () => {
    const custom = makeVocabulary({
      drop: ['TodoWrite', 'mcp:*'],
      rename: { 'Agent:general-purpose': 'Agent' },
      bash: 'plain',
    });
    expect(custom(call('TodoWrite', tool('TodoWrite')))).toBeNull();
    expect(custom(call('mcp__x__y', { kind: 'mcp', name: 'y', plugin: null, server: 'x' }))).toBeNull();
    expect(custom(call('Agent', { kind: 'subagent', name: 'general-purpose', plugin: null, server: null }))).toBe('Agent');
    expect(custom(call('Bash', tool('Bash'), 'test'))).toBe('Bash');
    const fine = makeVocabulary({ mcp: 'tool', subagent: 'plain' });
    expect(fine(call('mcp__github__create_issue', { kind: 'mcp', name: 'create_issue', plugin: null, server: 'github' }))).toBe('mcp:github:create_issue');
    expect(fine(call('Agent', { kind: 'subagent', name: 'Explore', plugin: null, server: null }))).toBe('Agent');
    // the default keeps TodoWrite
    expect(v(call('TodoWrite', tool('TodoWrite')))).toBe('TodoWrite');
  });
});

describe('buildTraces', () => {
  const S = 'sess';
  const ev = (p: Partial<EventRecord> & Pick<EventRecord, 'id' | 'event' | 'ts_ms'>): EventRecord => event({ session_id: S, ...p });
  const events: EventRecord[] = [
    ev({ id: '01', event: 'SessionStart', ts_ms: 0, project: '/repo' }),
    ev({ id: '02', event: 'UserPromptSubmit', ts_ms: 100, payload: JSON.stringify({ prompt: 'fix the flaky test' }) }),
    ev({ id: '03', event: 'UserPromptExpansion', ts_ms: 150, actor: { kind: 'command', name: '/review', plugin: null, server: null } }),
    ev({ id: '04', event: 'PreToolUse', ts_ms: 200, tool_name: 'Agent', tool_use_id: 'ag', actor: { kind: 'subagent', name: 'Explore', plugin: null, server: null } }),
    ev({ id: '05', event: 'PreToolUse', ts_ms: 300, tool_name: 'Grep', tool_use_id: 'g', actor: tool('Grep'), agent_id: 'a1', agent_type: 'Explore' }),
    ev({ id: '06', event: 'PostToolUse', ts_ms: 400, tool_name: 'Grep', tool_use_id: 'g', actor: tool('Grep'), agent_id: 'a1', agent_type: 'Explore', outcome: 'ok' }),
    ev({ id: '07', event: 'PostToolUse', ts_ms: 900, tool_name: 'Agent', tool_use_id: 'ag', actor: { kind: 'subagent', name: 'Explore', plugin: null, server: null }, outcome: 'ok' }),
    ev({ id: '08', event: 'PreToolUse', ts_ms: 1000, tool_name: 'TodoWrite', tool_use_id: 'td', actor: tool('TodoWrite') }),
    ev({ id: '09', event: 'PostToolUse', ts_ms: 1010, tool_name: 'TodoWrite', tool_use_id: 'td', actor: tool('TodoWrite'), outcome: 'ok' }),
    ev({ id: '10', event: 'PreToolUse', ts_ms: 1100, tool_name: 'Bash', tool_use_id: 'b1', actor: tool('Bash'), bash_kind: 'test' }),
    ev({ id: '11', event: 'PostToolUseFailure', ts_ms: 1500, tool_name: 'Bash', tool_use_id: 'b1', actor: tool('Bash'), bash_kind: 'test', outcome: 'interrupted' }),
    ev({ id: '12', event: 'PreToolUse', ts_ms: 1600, tool_name: 'Bash', tool_use_id: 'b2', actor: tool('Bash'), bash_kind: 'test' }),
    ev({ id: '13', event: 'PostToolUse', ts_ms: 2600, tool_name: 'Bash', tool_use_id: 'b2', actor: tool('Bash'), bash_kind: 'test', outcome: 'ok', test: testRun(true) }),
    ev({ id: '14', event: 'StopFailure', ts_ms: 2700 }),
    // an expansion without actor (normalizer could not tell): read from the payload
    ev({ id: '15', event: 'UserPromptExpansion', ts_ms: 2800, payload: JSON.stringify({ expansion_type: 'slash_command', command_name: 'compact' }) }),
    event({ id: '16', session_id: 'other', event: 'PreToolUse', ts_ms: 50, tool_name: 'Read', tool_use_id: 'r', actor: tool('Read') }),
  ];

  it('builds one trace per session with steps by start time, agents, commands, prompts and signals', () => {
    const traces = buildTraces([...events].reverse(), { vocabulary: { drop: ['TodoWrite'] } });
    expect(traces.map((t) => t.session_id)).toEqual(['sess', 'other']); // by start time
    const t = traces[0]!;
    expect(t.project).toBe('/repo');
    expect(t.prompts).toEqual(['fix the flaky test']);
    expect(t.stop_failures).toBe(1);
    expect(t.interrupts).toBe(1);
    expect(t.start_ms).toBe(0);
    expect(t.end_ms).toBe(2800);
    expect(t.steps.map((s) => [s.activity, s.agent, s.outcome])).toEqual([
      ['/review', null, 'ok'],
      ['Agent:Explore', null, 'ok'],
      ['Grep', 'Explore', 'ok'],
      ['Bash:test', null, 'interrupted'],
      ['Bash:test', null, 'ok'],
      ['/compact', null, 'ok'],
    ]);
    expect(t.steps[4]!.test).toEqual(testRun(true));
    expect(traces[1]!.steps.map((s) => [s.activity, s.outcome])).toEqual([['Read', 'blocked']]);
  });

  it('subagentTraces splits the main thread from each agent type', () => {
    const [main, explore, ...rest] = subagentTraces(buildTraces(events)[0]!);
    expect(rest).toEqual([]);
    expect(main!.session_id).toBe('sess');
    expect(main!.steps.map((s) => s.activity)).toEqual(['/review', 'Agent:Explore', 'TodoWrite', 'Bash:test', 'Bash:test', '/compact']);
    expect(explore!.session_id).toBe('sess/agent:Explore');
    expect(explore!.steps.map((s) => s.activity)).toEqual(['Grep']);
    expect([explore!.start_ms, explore!.end_ms]).toEqual([300, 400]);
  });
});
