import { describe, expect, it } from 'vitest';
import { Rng, deriveSeed } from '../src/sim/rng.js';
import { simulate, simulateBoth, simulateTraces, type SimPayload } from '../src/sim/simulate.js';
import { sessionPassed } from '../src/learn/parallel.js';
import type { SessionTrace } from '../src/core/types.js';

const START = Date.UTC(2026, 8, 1);
const DAY = 86_400_000;

type P = Record<string, unknown>;
const str = (p: P, k: string): string => p[k] as string;

function bySession(payloads: SimPayload[]): Map<string, SimPayload[]> {
  const m = new Map<string, SimPayload[]>();
  for (const p of payloads) {
    const id = str(p.payload, 'session_id');
    let list = m.get(id);
    if (!list) m.set(id, (list = []));
    list.push(p);
  }
  return m;
}

/** Does the main thread contain `pattern` as a contiguous run? */
function containsRun(t: SessionTrace, pattern: string[]): boolean {
  const seq = t.steps.filter((s) => s.agent === null).map((s) => s.activity);
  outer: for (let i = 0; i + pattern.length <= seq.length; i++) {
    for (let k = 0; k < pattern.length; k++) if (seq[i + k] !== pattern[k]) continue outer;
    return true;
  }
  return false;
}

describe('rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 20 }, () => a.u32());
    expect(Array.from({ length: 20 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c.u32())).not.toEqual(xs);
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(1, 1));
    expect(deriveSeed(1, 5)).toBe(deriveSeed(1, 5));
  });

  it('draws uniformly within bounds', () => {
    const r = new Rng(7);
    const n = 20_000;
    let sum = 0;
    const hist = new Array<number>(10).fill(0);
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      sum += x;
      const k = r.range(3, 12);
      hist[k - 3]!++; // out of range would give NaN counts below
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(hist.reduce((a, b) => a + b, 0)).toBe(n);
    expect(sum / n).toBeCloseTo(0.5, 1);
    // each of the 10 values expected 2000 times; 5 sigma ≈ 212
    for (const h of hist) expect(Math.abs(h - n / 10)).toBeLessThan(250);
    expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('simulate', () => {
  const options = { seed: 11, sessions: 60, start_ms: START, days: 30 };

  it('is byte-identical for the same seed and different for another', () => {
    const a = JSON.stringify(simulate(options));
    expect(JSON.stringify(simulate(options))).toBe(a);
    expect(JSON.stringify(simulate({ ...options, seed: 12 }))).not.toBe(a);
    expect(JSON.stringify(simulateTraces(options))).toBe(JSON.stringify(simulateTraces(options)));
  });

  it('simulate() and simulateTraces() describe the same sessions', () => {
    const both = simulateBoth(options);
    expect(JSON.stringify(simulateTraces(options))).toBe(JSON.stringify(both.traces));
    expect(JSON.stringify(simulate(options))).toBe(JSON.stringify({ payloads: both.payloads, truth: both.truth }));
  });

  it('produces well-formed hook payloads in time order', () => {
    const { payloads } = simulate(options);
    expect(payloads.length).toBeGreaterThan(options.sessions * 20);
    for (let i = 1; i < payloads.length; i++) expect(payloads[i]!.ts_ms).toBeGreaterThanOrEqual(payloads[i - 1]!.ts_ms);
    const events = new Set(payloads.map((p) => p.event));
    for (const e of ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'PostToolUseFailure',
      'SubagentStart', 'SubagentStop', 'Stop', 'SessionEnd']) expect(events).toContain(e);

    for (const [, list] of bySession(payloads)) {
      expect(list[0]!.event).toBe('SessionStart');
      expect(list[list.length - 1]!.event).toBe('SessionEnd');
      for (let i = 1; i < list.length; i++) expect(list[i]!.ts_ms).toBeGreaterThan(list[i - 1]!.ts_ms);
      const pre = new Map<string, SimPayload>();
      const post = new Map<string, SimPayload>();
      const agents = new Map<string, { start: number; stop: number | null; type: string }>();
      for (const p of list) {
        const pl = p.payload;
        expect(pl.hook_event_name).toBe(p.event);
        expect(str(pl, 'transcript_path')).toMatch(/^\/home\/dev\/\.claude\/projects\/.+\.jsonl$/);
        expect(str(pl, 'cwd')).toMatch(/^\/home\/dev\/projects\//);
        if (p.event === 'UserPromptSubmit') expect(str(pl, 'prompt').length).toBeGreaterThan(5);
        if (p.event === 'SubagentStart') agents.set(str(pl, 'agent_id'), { start: p.ts_ms, stop: null, type: str(pl, 'agent_type') });
        if (p.event === 'SubagentStop') agents.get(str(pl, 'agent_id'))!.stop = p.ts_ms;
        if (p.event === 'PreToolUse') {
          expect(str(pl, 'tool_use_id')).toMatch(/^toolu_01[A-Za-z0-9]{22}$/);
          expect(pre.has(str(pl, 'tool_use_id'))).toBe(false);
          pre.set(str(pl, 'tool_use_id'), p);
        }
        if (p.event === 'PostToolUse' || p.event === 'PostToolUseFailure') {
          expect(post.has(str(pl, 'tool_use_id'))).toBe(false);
          post.set(str(pl, 'tool_use_id'), p);
        }
      }
      // every Pre has exactly one Post, later, same tool, duration = the time between them
      expect([...post.keys()].sort()).toEqual([...pre.keys()].sort());
      for (const [id, p] of pre) {
        const q = post.get(id)!;
        expect(q.payload.tool_name).toBe(p.payload.tool_name);
        expect(q.payload.tool_input).toEqual(p.payload.tool_input);
        expect(q.payload.duration_ms).toBe(q.ts_ms - p.ts_ms);
        expect(q.payload.agent_id).toBe(p.payload.agent_id);
        if (q.event === 'PostToolUse') expect(q.payload.tool_response).toBeDefined();
        else expect(typeof q.payload.error).toBe('string');
        const agentId = p.payload.agent_id as string | undefined;
        if (agentId !== undefined) {
          // a call inside a subagent runs between its SubagentStart and SubagentStop
          const a = agents.get(agentId)!;
          expect(p.payload.agent_type).toBe(a.type);
          expect(p.ts_ms).toBeGreaterThan(a.start);
          expect(q.ts_ms).toBeLessThan(a.stop!);
        }
      }
      // every subagent is enclosed by an Agent call of its type
      for (const [, a] of agents) {
        const launcher = [...pre.values()].find((p) => p.payload.tool_name === 'Agent' &&
          (p.payload.tool_input as P).subagent_type === a.type && p.ts_ms < a.start &&
          post.get(str(p.payload, 'tool_use_id'))!.ts_ms > a.stop!);
        expect(launcher).toBeDefined();
      }
    }
  });

  it('writes Bash test runs as vitest output, failures as Exit code 1', () => {
    const { payloads } = simulate({ ...options, sessions: 100 });
    const runs = payloads.filter((p) => p.event !== 'PreToolUse' && p.payload.tool_name === 'Bash' &&
      /vitest/.test(str(p.payload.tool_input as P, 'command')));
    const ok = runs.filter((p) => p.event === 'PostToolUse');
    const bad = runs.filter((p) => p.event === 'PostToolUseFailure');
    expect(ok.length).toBeGreaterThan(10);
    expect(bad.length).toBeGreaterThan(10);
    for (const p of ok) expect(str(p.payload.tool_response as P, 'stdout')).toMatch(/\n {6}Tests {2}(\d+) passed \(\1\)\n/);
    for (const p of bad) {
      const m = /^Exit code 1\n[\s\S]*\n {6}Tests {2}(\d+) failed \| (\d+) passed \((\d+)\)\n/.exec(str(p.payload, 'error'));
      expect(m).not.toBeNull();
      expect(Number(m![1]) + Number(m![2])).toBe(Number(m![3]));
    }
    const names = new Set(payloads.map((p) => p.payload.tool_name));
    expect(names).toContain('mcp__github__create_issue');
    const skill = payloads.find((p) => p.payload.tool_name === 'Skill');
    expect((skill!.payload.tool_input as P).skill).toBe('webapp-testing');
  });

  it('builds traces whose steps are exactly the paired tool calls', () => {
    const { payloads, traces } = simulateBoth(options);
    const sessions = bySession(payloads);
    for (const t of traces) {
      const list = sessions.get(t.session_id)!;
      expect(t.start_ms).toBe(list[0]!.ts_ms);
      expect(t.end_ms).toBe(list[list.length - 1]!.ts_ms);
      const pre = new Map(list.filter((p) => p.event === 'PreToolUse').map((p) => [str(p.payload, 'tool_use_id'), p]));
      expect(t.steps.length).toBe(pre.size);
      for (let i = 1; i < t.steps.length; i++) expect(t.steps[i]!.start_ms).toBeGreaterThan(t.steps[i - 1]!.start_ms);
      for (const s of t.steps) {
        const p = pre.get(s.tool_use_id!)!;
        expect(s.start_ms).toBe(p.ts_ms);
        expect(s.agent).toBe((p.payload.agent_type as string | undefined) ?? null);
        const tool = str(p.payload, 'tool_name');
        if (tool === 'Bash') expect(s.activity).toMatch(/^Bash:(test|lint|typecheck|build|git|format)$/);
        else if (tool === 'Agent') expect(s.activity).toBe(`Agent:${str(p.payload.tool_input as P, 'subagent_type')}`);
        else if (tool.startsWith('mcp__')) expect(s.activity).toBe('mcp:github');
        else if (tool === 'Skill') expect(s.activity).toBe(`Skill:${str(p.payload.tool_input as P, 'skill')}`);
        else expect(s.activity).toBe(tool);
      }
      expect(t.prompts).toEqual(list.filter((p) => p.event === 'UserPromptSubmit').map((p) => p.payload.prompt));
      expect(t.stop_failures).toBe(list.filter((p) => p.event === 'StopFailure').length);
      expect(t.interrupts).toBe(list.filter((p) => p.payload.is_interrupt === true).length);
    }
  });

  it('spreads sessions over the period in start order', () => {
    const { truth } = simulate({ ...options, sessions: 200 });
    const starts = truth.sessions.map((s) => s.start_ms);
    for (let i = 1; i < starts.length; i++) expect(starts[i]!).toBeGreaterThanOrEqual(starts[i - 1]!);
    expect(starts[0]!).toBeGreaterThanOrEqual(START);
    expect(starts[starts.length - 1]! - starts[0]!).toBeGreaterThan(28 * DAY);
    expect(starts[starts.length - 1]!).toBeLessThan(START + 30 * DAY);
  });

  it('plants what the truth says, at about the intended rates', () => {
    const { traces, truth } = simulateBoth({ seed: 5, sessions: 4000, start_ms: START });
    const styles = truth.sessions.map((s) => s.style);
    const share = (style: string): number => styles.filter((s) => s === style).length / styles.length;
    // 4000 sessions: standard error of a share ≤ 0.008, of a pass rate at n ≈ 800–1400 ≤ 0.018
    expect(share('good')).toBeCloseTo(truth.planted.good_share, 1);
    expect(share('anti')).toBeCloseTo(truth.planted.anti_share, 1);
    expect(share('no-test')).toBeCloseTo(truth.planted.no_test_share, 1);

    const rate = (style: string): number => {
      const idx = styles.flatMap((s, i) => (s === style ? [i] : []));
      return idx.filter((i) => sessionPassed(traces[i]!) === true).length / idx.length;
    };
    expect(Math.abs(rate('good') - truth.planted.good_pass_rate)).toBeLessThan(0.06);
    expect(Math.abs(rate('anti') - truth.planted.anti_pass_rate)).toBeLessThan(0.06);
    expect(Math.abs(rate('neutral') - truth.planted.neutral_pass_rate)).toBeLessThan(0.06);

    const wrong: string[] = [];
    traces.forEach((t, i) => {
      const s = truth.sessions[i]!;
      if (t.session_id !== s.session_id) wrong.push(`${i}: id`);
      // the outcome is the last test run, and no-test sessions have none
      if (sessionPassed(t) !== s.passed) wrong.push(`${i}: outcome`);
      // contiguous planted sequences occur exactly in their sessions
      if (containsRun(t, truth.good_sequence.steps) !== (s.style === 'good')) wrong.push(`${i}: good run`);
      if (containsRun(t, truth.anti_pattern.steps) !== (s.style === 'anti')) wrong.push(`${i}: anti run`);
      if (s.style === 'anti' && t.steps.some((x) => x.agent === null && x.activity === 'Read')) wrong.push(`${i}: anti reads`);
    });
    expect(wrong).toEqual([]);
    // intended contrast of the good sequence: with vs without among tested sessions
    expect(truth.good_sequence.pass_rate).toBeGreaterThan(truth.good_sequence.baseline);
    expect(truth.good_sequence.baseline).toBeCloseTo((0.2 * 0.3 + 0.35 * 0.6) / 0.55, 6);
    expect(truth.anti_pattern.pass_rate).toBeLessThan(truth.anti_pattern.baseline);
  });

  it('prints throughput for 1M simulated events', () => {
    const t0 = performance.now();
    const { payloads } = simulate({ seed: 1, sessions: 11_000, start_ms: START });
    const ms = performance.now() - t0;
    expect(payloads.length).toBeGreaterThan(1_000_000);
    console.log(`simulate: ${payloads.length} events (11000 sessions) in ${ms.toFixed(0)} ms = ` +
      `${((payloads.length / ms) * 1000 / 1e6).toFixed(2)} M events/s`);
  }, 120_000);
});
