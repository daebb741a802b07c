// Small builders shared by the learner's tests (test/learn-*.test.ts). Not a test file itself.
import type { EventRecord, SessionTrace, Step, TestRun } from '../src/core/types.js';

/** A seeded PRNG (mulberry32), so generated corpora are reproducible: the one the secrets corpus uses. */
import { seededRandom as rng } from './helpers/secrets-corpus.js';

export { rng };

export function testRun(passed: boolean): TestRun {
  return { runner: 'vitest', passed, counts: { passed: null, failed: passed ? 0 : 1, skipped: null, total: null } };
}

/**
 * A trace from a compact description: each entry is an activity name, or "pass" / "fail" for a
 * Bash:test step with that result. Steps are 1 s apart from `start`.
 */
export function trace(id: string, entries: readonly string[], start = 1_000_000, extra: Partial<SessionTrace> = {}): SessionTrace {
  const steps: Step[] = entries.map((e, i) => {
    const isTest = e === 'pass' || e === 'fail';
    return {
      activity: isTest ? 'Bash:test' : e,
      start_ms: start + i * 1000,
      end_ms: start + i * 1000 + 500,
      outcome: e === 'fail' ? 'error' : 'ok',
      tool_use_id: `${id}-${i}`,
      agent: null,
      test: isTest ? testRun(e === 'pass') : null,
    };
  });
  return {
    session_id: id,
    project: '/repo',
    start_ms: start,
    end_ms: start + Math.max(0, entries.length - 1) * 1000 + 500,
    steps,
    stop_failures: 0,
    interrupts: 0,
    prompts: [],
    ...extra,
  };
}

/** An EventRecord with defaults; override what the test is about. */
export function event(partial: Partial<EventRecord> & Pick<EventRecord, 'id' | 'session_id' | 'event' | 'ts_ms'>): EventRecord {
  return {
    ts: new Date(partial.ts_ms).toISOString(),
    tool_name: null,
    tool_use_id: null,
    actor: null,
    outcome: null,
    duration_ms: null,
    agent_id: null,
    agent_type: null,
    prompt_id: null,
    cwd: null,
    project: null,
    bash_kind: null,
    test: null,
    source: 'hook',
    payload: '{}',
    ...partial,
  };
}

/**
 * The design note's §6 generator: K activities, next = (prev + 1) mod K with probability 0.6, else
 * uniform; session lengths 10 + 490·U³. Returns flat arrays (what the miners consume) until `events`.
 */
export function denseLog(events: number, k: number, seed: number): { items: Int32Array; offsets: Int32Array; alphabet: number } {
  const r = rng(seed);
  const items = new Int32Array(events);
  const offsets: number[] = [0];
  let pos = 0;
  while (pos < events) {
    const len = Math.min(events - pos, 10 + Math.floor(490 * r() ** 3));
    let prev = Math.floor(r() * k);
    for (let i = 0; i < len; i++) {
      prev = r() < 0.6 ? (prev + 1) % k : Math.floor(r() * k);
      items[pos++] = prev;
    }
    offsets.push(pos);
  }
  return { items, offsets: Int32Array.from(offsets), alphabet: k };
}

export const GOOD = ['Skill:tdd', 'Agent:code-reviewer', 'Bash:typecheck'];
export const BAD = ['mcp:flaky', 'Bash:build'];
export const NOISY = ['Grep', 'Read'];
const NOISE = ['Read', 'Grep', 'Glob', 'Edit', 'TodoWrite', 'Bash:git', 'Write', 'WebFetch'];

/**
 * A corpus with known answers. Every session is noise (8 common tools), and:
 * - 30% contain GOOD (three steps in a row); their final test passes with probability 0.9;
 * - 25% contain BAD; final test passes with probability 0.15;
 * - the rest pass with probability 0.5;
 * - independently, 70% contain NOISY (Grep then Read) — frequent, with no effect on the outcome;
 * - 30% run an early test (pass 50%) before anything planted; 10% run no test at all (unknown).
 */
export function plantedCorpus(n: number, seed: number, start = 1_700_000_000_000): SessionTrace[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const noise = (min: number, max: number): string[] =>
    Array.from({ length: min + Math.floor(r() * (max - min + 1)) }, () => pick(NOISE));
  const traces: SessionTrace[] = [];
  for (let s = 0; s < n; s++) {
    const group = r();
    const planted = group < 0.3 ? GOOD : group < 0.55 ? BAD : [];
    const pPass = group < 0.3 ? 0.9 : group < 0.55 ? 0.15 : 0.5;
    const entries: string[] = [];
    const head = noise(3, 8);
    if (r() < 0.7) head.splice(Math.floor(r() * (head.length + 1)), 0, ...NOISY);
    entries.push(...head);
    if (r() < 0.3) entries.push(r() < 0.5 ? 'pass' : 'fail');
    entries.push(...planted, ...noise(2, 6));
    if (r() >= 0.1) entries.push(r() < pPass ? 'pass' : 'fail');
    traces.push(trace(`s${String(s).padStart(4, '0')}`, entries, start + s * 3_600_000));
  }
  return traces;
}
