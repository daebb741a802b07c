// Pairing Pre/Post tool events into calls: by tool_use_id, and by FIFO for mid-2025 payloads
// without ids (checked on real captured payloads).
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { pairToolCalls } from '../src/core/pairing.js';
import type { EventRecord } from '../src/core/types.js';
import { describeWithFixtures, fixture } from './helpers/fixtures.js';
import { event } from './learn-helpers.js';

const S = 'sess-1';
const pre = (id: string, ts: number, tool = 'Bash', extra: Partial<EventRecord> = {}): EventRecord =>
  event({ id, session_id: S, event: 'PreToolUse', ts_ms: ts, tool_name: tool, ...extra });
const post = (id: string, ts: number, tool = 'Bash', extra: Partial<EventRecord> = {}): EventRecord =>
  event({ id, session_id: S, event: 'PostToolUse', ts_ms: ts, tool_name: tool, ...extra });

describe('pairToolCalls by tool_use_id', () => {
  it('pairs interleaved parallel calls by id, whatever the input order', () => {
    const events = [
      post('e4', 4000, 'Read', { tool_use_id: 'a', duration_ms: 1500 }),
      pre('e1', 1000, 'Read', { tool_use_id: 'a' }),
      pre('e2', 2000, 'Grep', { tool_use_id: 'b' }),
      post('e3', 3000, 'Grep', { tool_use_id: 'b' }),
    ];
    const calls = pairToolCalls(events);
    expect(calls.map((c) => [c.tool_use_id, c.pre_id, c.post_id, c.start_ms, c.end_ms, c.duration_ms, c.outcome])).toEqual([
      ['b', 'e2', 'e3', 2000, 3000, 1000, 'ok'], // no duration_ms: from the Pre's arrival to the Post's
      ['a', 'e1', 'e4', 2500, 4000, 1500, 'ok'], // duration_ms given: it ran the last 1500 ms before its Post
    ]);
  });

  it('a call that waited for permission ran only its duration_ms, so it does not overlap what ran during the wait', () => {
    // Current CLIs (2.1.197, 2.1.332) report duration_ms without the permission prompt. The Bash Pre
    // arrives at 1 s, the user approves at 31 s, it runs 1 s; meanwhile a subagent reads a file.
    const events = [
      pre('p1', 1000, 'Bash', { tool_use_id: 'bash' }),
      pre('p2', 5000, 'Read', { tool_use_id: 'read', agent_id: 'a1', agent_type: 'Explore' }),
      post('q2', 5200, 'Read', { tool_use_id: 'read', agent_id: 'a1', agent_type: 'Explore', duration_ms: 150 }),
      post('q1', 32_000, 'Bash', { tool_use_id: 'bash', duration_ms: 1000 }),
    ];
    expect(pairToolCalls(events).map((c) => [c.tool_use_id, c.start_ms, c.end_ms, c.duration_ms])).toEqual([
      ['read', 5050, 5200, 150],
      ['bash', 31_000, 32_000, 1000],
    ]);
    // The same events from a CLI that does not report durations: the call spans the wait.
    const old = events.map((e) => ({ ...e, duration_ms: null }));
    expect(pairToolCalls(old).map((c) => [c.tool_use_id, c.start_ms, c.end_ms, c.duration_ms])).toEqual([
      ['bash', 1000, 32_000, 31_000],
      ['read', 5000, 5200, 200],
    ]);
  });

  it('never starts a call before its Pre arrived or after its Post, whatever duration_ms says', () => {
    // duration_ms is measured inside the CLI, arrival times by the hook: a few ms may disagree.
    const calls = pairToolCalls([pre('p1', 1000, 'Read', { tool_use_id: 'r' }), post('q1', 1500, 'Read', { tool_use_id: 'r', duration_ms: 800 })]);
    expect(calls.map((c) => [c.start_ms, c.end_ms, c.duration_ms])).toEqual([[1000, 1500, 800]]);
    // nor after it ended: a negative duration stored before normalize refused them
    const negative = pairToolCalls([pre('p2', 2000, 'Read', { tool_use_id: 'n' }), post('q2', 3000, 'Read', { tool_use_id: 'n', duration_ms: -50 })]);
    expect(negative.map((c) => [c.start_ms, c.end_ms])).toEqual([[3000, 3000]]);
  });

  it('derives outcomes: failure, interrupt, denial, and keeps the normalizer outcome when set', () => {
    const events = [
      pre('p1', 1000, 'Bash', { tool_use_id: 't1' }),
      event({ id: 'q1', session_id: S, event: 'PostToolUseFailure', ts_ms: 1100, tool_name: 'Bash', tool_use_id: 't1', payload: '{"error":"Exit code 1"}' }),
      pre('p2', 2000, 'Bash', { tool_use_id: 't2' }),
      event({ id: 'q2', session_id: S, event: 'PostToolUseFailure', ts_ms: 2100, tool_name: 'Bash', tool_use_id: 't2', payload: '{"is_interrupt":true}' }),
      pre('p3', 3000, 'Write', { tool_use_id: 't3' }),
      event({ id: 'q3', session_id: S, event: 'PermissionDenied', ts_ms: 3100, tool_name: 'Write', tool_use_id: 't3' }),
      pre('p4', 4000, 'Bash', { tool_use_id: 't4' }),
      // normalizer already decided; the payload is not consulted
      event({ id: 'q4', session_id: S, event: 'PostToolUseFailure', ts_ms: 4100, tool_name: 'Bash', tool_use_id: 't4', outcome: 'interrupted', payload: 'not json' }),
    ];
    expect(pairToolCalls(events).map((c) => c.outcome)).toEqual(['error', 'interrupted', 'denied', 'interrupted']);
  });

  it('a Pre that never completes is blocked, in the middle of a session and as its last event', () => {
    const events = [
      pre('p1', 1000, 'Bash', { tool_use_id: 'x' }),
      pre('p2', 2000, 'Read', { tool_use_id: 'y' }),
      post('q2', 2500, 'Read', { tool_use_id: 'y' }),
      pre('p3', 3000, 'Edit', { tool_use_id: 'z' }), // last event of the session
    ];
    const calls = pairToolCalls(events);
    expect(calls.map((c) => [c.tool_name, c.outcome, c.post_id, c.end_ms - c.start_ms])).toEqual([
      ['Bash', 'blocked', null, 0],
      ['Read', 'ok', 'q2', 500],
      ['Edit', 'blocked', null, 0],
    ]);
  });

  it('a completion without Pre still yields a call that starts duration_ms before it ends', () => {
    const calls = pairToolCalls([post('q1', 10_000, 'Read', { tool_use_id: 'orphan', duration_ms: 250 })]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ pre_id: null, post_id: 'q1', start_ms: 9750, end_ms: 10_000, duration_ms: 250, outcome: 'ok' });
  });

  it('ignores duplicate deliveries of the same Pre or Post', () => {
    const events = [
      pre('p1', 1000, 'Read', { tool_use_id: 'a' }),
      pre('p1-again', 1000, 'Read', { tool_use_id: 'a' }),
      post('q1', 2000, 'Read', { tool_use_id: 'a' }),
      post('q1-again', 2001, 'Read', { tool_use_id: 'a' }),
    ];
    const calls = pairToolCalls(events);
    expect(calls.map((c) => [c.pre_id, c.post_id])).toEqual([['p1', 'q1']]);
  });

  it('does not pair across sessions', () => {
    const calls = pairToolCalls([
      pre('p1', 1000, 'Read', { tool_use_id: 'same' }),
      event({ id: 'q1', session_id: 'other', event: 'PostToolUse', ts_ms: 2000, tool_name: 'Read', tool_use_id: 'same' }),
    ]);
    expect(calls.map((c) => [c.session_id, c.outcome])).toEqual([
      ['sess-1', 'blocked'],
      ['other', 'ok'],
    ]);
  });
});

describe('pairToolCalls without tool_use_id (FIFO fallback)', () => {
  it('pairs the oldest open Pre of the same tool and agent', () => {
    const events = [
      pre('p1', 1000, 'Bash'),
      pre('p2', 1100, 'Bash'),
      pre('p3', 1200, 'Bash', { agent_id: 'ag1', agent_type: 'Explore' }),
      post('q3', 1300, 'Bash', { agent_id: 'ag1' }),
      post('q1', 1400, 'Bash'),
      post('q2', 1500, 'Bash'),
    ];
    const byPost = Object.fromEntries(pairToolCalls(events).map((c) => [c.post_id, c.pre_id]));
    expect(byPost).toEqual({ q1: 'p1', q2: 'p2', q3: 'p3' });
  });

  it('at equal timestamps a Pre is processed before a completion', () => {
    // ids chosen so that sorting by id alone would put the Post first
    const calls = pairToolCalls([post('a-post', 1000, 'Read'), pre('b-pre', 1000, 'Read')]);
    expect(calls.map((c) => [c.pre_id, c.post_id])).toEqual([['b-pre', 'a-post']]);
  });
});

// ---- real mid-2025 payloads (no tool_use_id, no timestamps) -----------------------------------

type Raw = Record<string, unknown> & { session_id: string; hook_event_name: string; tool_name: string; tool_input?: unknown };

/** Minimal stand-in for the normalizer: just what pairing reads. */
function adapt(raw: Raw, id: string, ts: number): EventRecord {
  return event({
    id,
    session_id: raw.session_id,
    event: raw.hook_event_name,
    ts_ms: ts,
    tool_name: raw.tool_name,
    actor: { kind: 'tool', name: raw.tool_name, plugin: null, server: null },
    outcome: raw.hook_event_name === 'PostToolUse' ? 'ok' : null,
    payload: JSON.stringify(raw),
  });
}

const readQuantstats = (file: string): Raw[] => JSON.parse(readFileSync(fixture('hook-payloads', 'quantstats', file), 'utf8')) as Raw[];

describeWithFixtures('pairToolCalls on the quantstats payloads', () => {
  // The files hold 20 Pres and 14 Posts of one session, no ids, no times. Every Pre arrives first,
  // then every Post, in file order: the adversarial case for FIFO. Read before the tests, not while
  // they are collected: without the fixtures the tests are skipped and nothing is read.
  let pres: Raw[] = [];
  let posts: Raw[] = [];
  let preEvents: EventRecord[] = [];
  let postEvents: EventRecord[] = [];
  beforeAll(() => {
    pres = readQuantstats('pre_tool_use.json');
    posts = readQuantstats('post_tool_use.json');
    preEvents = pres.map((r, i) => adapt(r, `pre-${String(i).padStart(2, '0')}`, 1000 + i));
    postEvents = posts.map((r, i) => adapt(r, `post-${String(i).padStart(2, '0')}`, 100_000 + i));
  });

  it('the fixture is what this test assumes', () => {
    expect(pres).toHaveLength(20);
    expect(posts).toHaveLength(14);
    expect(pres.every((r) => !('tool_use_id' in r))).toBe(true);
    expect(new Set([...pres, ...posts].map((r) => r.session_id)).size).toBe(1);
  });

  it('pairs every Post with the Pre whose tool_input is equal, and leaves the other Pres blocked', () => {
    const calls = pairToolCalls([...postEvents, ...preEvents].reverse());
    const completed = calls.filter((c) => c.post_id !== null);
    expect(completed).toHaveLength(14);
    for (const c of completed) {
      const p = pres[Number(c.pre_id!.slice(4))]!;
      const q = posts[Number(c.post_id!.slice(5))]!;
      expect(p.tool_name).toBe(q.tool_name);
      expect(isDeepStrictEqual(p.tool_input, q.tool_input)).toBe(true);
    }
    // Expected blocked Pres: those whose input no Post repeats (decided here by deep equality)
    const unmatched = pres.flatMap((p, i) => (posts.some((q) => q.tool_name === p.tool_name && isDeepStrictEqual(p.tool_input, q.tool_input)) ? [] : [i]));
    const blocked = calls.filter((c) => c.outcome === 'blocked').map((c) => Number(c.pre_id!.slice(4)));
    expect(blocked).toEqual(unmatched);
    expect(blocked).toHaveLength(6);
  });

  it('without tool_input on the Posts, falls back to plain FIFO per tool', () => {
    const bare = posts.map((r, i) => {
      const { tool_input: _dropped, ...rest } = r;
      return adapt(rest as Raw, `post-${String(i).padStart(2, '0')}`, 100_000 + i);
    });
    const calls = pairToolCalls([...preEvents, ...bare]);
    // the k-th Post of a tool takes the k-th Pre of that tool
    const nthOf = (list: Raw[], i: number): number => list.slice(0, i).filter((r) => r.tool_name === list[i]!.tool_name).length;
    for (const c of calls.filter((x) => x.post_id !== null)) {
      const pi = Number(c.pre_id!.slice(4));
      const qi = Number(c.post_id!.slice(5));
      expect(pres[pi]!.tool_name).toBe(posts[qi]!.tool_name);
      expect(nthOf(pres, pi)).toBe(nthOf(posts, qi));
    }
    // so the first TodoWrite Post (status in_progress) now takes the first TodoWrite Pre (pending)
    const firstTodo = calls.find((c) => c.post_id === 'post-00')!;
    expect(firstTodo.pre_id).toBe('pre-02');
  });
});
