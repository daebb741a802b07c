// `agentops-meta export --format otlp`: the pure mapping (otlp.ts), and the sender (otlp-send.ts)
// through the CLI against a receiver in the test that decodes each request as a collector would
// (helpers/otlp-decode.ts: the OpenTelemetry package's request types and protobuf reader), in both
// encodings; retries on 503; clear errors for a bad URL and an unreachable or failing endpoint.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { CliContext } from '../src/cli/cli-context.js';
import { CliError, UsageError } from '../src/cli/errors.js';
import { registerExportCommand } from '../src/cli/export-command.js';
import { main } from '../src/cli/main.js';
import type { Actor, EventRecord, SessionTrace } from '../src/core/types.js';
import { otlpLogsUrl, sessionLogRecords } from '../src/export/otlp.js';
import { sendSessionsOtlp } from '../src/export/otlp-send.js';
import { buildTraces } from '../src/learn/traces.js';
import { dataPaths } from '../src/shell/paths.js';
import { simulateBoth } from '../src/sim/simulate.js';
import { openMemoryStore } from '../src/store/memory.js';
import type { EventStore } from '../src/store/port.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { exportCli } from './helpers/export-cli.js';
import { decodeLogsProtobuf, flattenLogs, receiver, type DecodedLog } from './helpers/otlp-decode.js';
import { event, testRun } from './learn-helpers.js';

const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const ns = (ms: number) => BigInt(ms) * 1_000_000n;
const tool = (name: string): Actor => ({ kind: 'tool', name, plugin: null, server: null });
const explore: Actor = { kind: 'subagent', name: 'Explore', plugin: null, server: null };
const SECRET_PROMPT = 'fix the bug in the billing code';
const SECRET_COMMAND = 'npx vitest run --reporter=dot';

/** Two sessions with steps (one with a subagent and two test runs) and one with a prompt only. */
function handEvents(): EventRecord[] {
  let n = 0;
  const e = (over: Partial<EventRecord> & Pick<EventRecord, 'event' | 'ts_ms'>) => event({ id: `h${String(n++).padStart(3, '0')}`, session_id: 'sess-one', project: '/home/alice/work/shop', ...over });
  const bash = JSON.stringify({ tool_input: { command: SECRET_COMMAND } });
  return [
    e({ event: 'UserPromptSubmit', ts_ms: T0, payload: JSON.stringify({ prompt: SECRET_PROMPT }) }),
    e({ event: 'PreToolUse', ts_ms: T0 + 100, tool_name: 'Read', tool_use_id: 't1', actor: tool('Read') }),
    e({ event: 'PostToolUse', ts_ms: T0 + 150, tool_name: 'Read', tool_use_id: 't1', actor: tool('Read'), outcome: 'ok' }),
    e({ event: 'PreToolUse', ts_ms: T0 + 200, tool_name: 'Bash', tool_use_id: 't2', actor: tool('Bash'), bash_kind: 'test', payload: bash }),
    e({ event: 'PostToolUseFailure', ts_ms: T0 + 1200, tool_name: 'Bash', tool_use_id: 't2', actor: tool('Bash'), bash_kind: 'test', outcome: 'error', test: testRun(false), payload: bash }),
    e({ event: 'PreToolUse', ts_ms: T0 + 1300, tool_name: 'Agent', tool_use_id: 't3', actor: explore }),
    e({ event: 'PreToolUse', ts_ms: T0 + 1400, tool_name: 'Grep', tool_use_id: 't4', actor: tool('Grep'), agent_id: 'ag1', agent_type: 'Explore' }),
    e({ event: 'PostToolUse', ts_ms: T0 + 1500, tool_name: 'Grep', tool_use_id: 't4', actor: tool('Grep'), agent_id: 'ag1', agent_type: 'Explore', outcome: 'ok' }),
    e({ event: 'PostToolUse', ts_ms: T0 + 2000, tool_name: 'Agent', tool_use_id: 't3', actor: explore, outcome: 'ok' }),
    e({ event: 'PreToolUse', ts_ms: T0 + 2200, tool_name: 'Bash', tool_use_id: 't6', actor: tool('Bash'), bash_kind: 'test', payload: bash }),
    e({ event: 'PostToolUse', ts_ms: T0 + 3000, tool_name: 'Bash', tool_use_id: 't6', actor: tool('Bash'), bash_kind: 'test', outcome: 'ok', test: testRun(true), payload: bash }),
    e({ event: 'UserPromptSubmit', ts_ms: T0 + 5000, session_id: 'quiet', payload: JSON.stringify({ prompt: 'hello' }) }),
    e({ event: 'PreToolUse', ts_ms: T0 + 10_000, session_id: 'later', tool_name: 'Write', tool_use_id: 't7', actor: tool('Write') }),
    e({ event: 'PostToolUse', ts_ms: T0 + 10_040, session_id: 'later', tool_name: 'Write', tool_use_id: 't7', actor: tool('Write'), outcome: 'ok' }),
  ];
}

function handStore(): EventStore {
  const store = openMemoryStore();
  store.insert(handEvents(), []);
  return store;
}

/** The stored sessions as the learner sees them (what the export must carry). */
function storedTraces(store: EventStore): SessionTrace[] {
  return store
    .sessions()
    .flatMap((s) => buildTraces(store.events({ session_id: s.session_id })))
    .filter((t) => t.steps.length > 0);
}

const cli = (store: EventStore) => exportCli(store, ['--format', 'otlp']);

/** What the stored traces say each decoded record must be, in order: steps, then the session. */
function expectMatchesStore(logs: DecodedLog[], traces: SessionTrace[]): void {
  const expected = traces.flatMap((t) => [
    ...t.steps.map((s) => ({ event: 'agentops.step', session: t.session_id, activity: s.activity, time: ns(s.end_ms), duration: Math.round(s.end_ms - s.start_ms) })),
    { event: 'agentops.session', session: t.session_id, activity: null, time: ns(Math.max(...t.steps.map((s) => s.end_ms), t.end_ms)), duration: null },
  ]);
  const got = logs.map((l) => ({
    event: l.event_name,
    session: l.attributes['session.id'],
    activity: l.attributes['agentops.activity'] ?? null,
    time: l.time_ns,
    duration: l.event_name === 'agentops.step' ? l.attributes['duration_ms'] : null,
  }));
  expect(got).toEqual(expected);
}

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-otlp-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

// ---- the mapping (pure) --------------------------------------------------------------------

describe('OTLP log records (pure)', () => {
  const [one] = storedTraces(handStore());
  const records = sessionLogRecords(one!);

  it('one record per step then one per session, with Claude Code and GenAI attribute names', () => {
    expect(records.map((r) => r.event_name)).toEqual([...one!.steps.map(() => 'agentops.step'), 'agentops.session']);
    const failedTest = records.find((r) => r.attributes['tool_use_id'] === 't2')!;
    expect(failedTest).toMatchObject({ time_ms: T0 + 1200, severity_text: 'WARN', body: 'agentops.step' });
    expect(failedTest.attributes).toMatchObject({
      'session.id': 'sess-one',
      'gen_ai.conversation.id': 'sess-one',
      'event.name': 'step',
      'event.timestamp': new Date(T0 + 1200).toISOString(),
      'agentops.activity': 'Bash:test',
      tool_name: 'Bash',
      'gen_ai.tool.name': 'Bash',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.call.id': 't2',
      duration_ms: 1000,
      success: 'false',
      'agentops.outcome': 'error',
      'agentops.test.passed': false,
      'agentops.test.runner': 'vitest',
      'agentops.test.failed_count': 1,
      'agentops.project': 'shop',
    });
    const agent = records.find((r) => r.attributes['tool_use_id'] === 't3')!;
    expect(agent.attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'Explore', 'agentops.agent': 'main', success: 'true' });
    expect(records.find((r) => r.attributes['tool_use_id'] === 't4')!.attributes['agentops.agent']).toBe('Explore');
    const session = records[records.length - 1]!;
    expect(session).toMatchObject({ time_ms: T0 + 3000, severity_text: 'INFO' });
    expect(session.attributes).toMatchObject({ 'agentops.session.steps': 5, 'agentops.session.tests_passed': true, duration_ms: 3000, 'agentops.session.start': new Date(T0).toISOString() });
  });

  it('sends abstract fields only: no prompt, command or project path', () => {
    const text = JSON.stringify(records);
    for (const secret of [SECRET_PROMPT, SECRET_COMMAND, '/home/alice', 'alice']) expect(text).not.toContain(secret);
  });

  it('a session without steps has no records', () => {
    expect(sessionLogRecords({ ...one!, steps: [] })).toEqual([]);
  });

  it('reads --endpoint as the OTEL_EXPORTER_OTLP_* variables do, and rejects what is not http(s)', () => {
    expect(otlpLogsUrl('http://collector:4318')).toBe('http://collector:4318/v1/logs');
    expect(otlpLogsUrl('https://otel.example.com/')).toBe('https://otel.example.com/v1/logs');
    expect(otlpLogsUrl('http://gw:8080/otel/v1/claude')).toBe('http://gw:8080/otel/v1/claude');
    expect(() => otlpLogsUrl('localhost:4318')).toThrow(/not an http\(s\) URL/);
    expect(() => otlpLogsUrl('not a url')).toThrow(/not a URL/);
  });
});

// ---- sending -------------------------------------------------------------------------------

describe('export --format otlp', () => {
  for (const protocol of ['http/json', 'http/protobuf'] as const) {
    it(`${protocol}: the receiver decodes the stored sessions, steps, activities and times`, async () => {
      const rx = await receiver();
      try {
        const store = handStore();
        const { run, text } = cli(store);
        await run('--endpoint', rx.url, '--protocol', protocol);
        expect(rx.received).toHaveLength(1);
        expect(rx.received[0]!.path).toBe('/v1/logs');
        expect(rx.received[0]!.contentType).toBe(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
        const logs = rx.decoded();
        expectMatchesStore(logs, storedTraces(store));
        expect(new Set(logs.map((l) => l.attributes['session.id']))).toEqual(new Set(['sess-one', 'later']));
        expect(logs[0]!.resource['service.name']).toBe('agentops-meta');
        expect(logs[0]!.scope.name).toBe('agentops-meta');
        expect(logs.every((l) => l.observed_ns === l.time_ns && l.body === l.event_name)).toBe(true);
        expect(logs.find((l) => l.attributes['tool_use_id'] === 't2')).toMatchObject({ severity_number: 13, severity_text: 'WARN' });
        expect(logs.find((l) => l.attributes['tool_use_id'] === 't2')!.attributes).toMatchObject({ 'agentops.test.passed': false, success: 'false', duration_ms: 1000 });
        expect(text()).toBe(`sent 2 sessions (6 steps, 8 log records) as OTLP ${protocol} logs to ${rx.url}/v1/logs\n`);
      } finally {
        await rx.close();
      }
    });
  }

  it('both encodings carry the same records', async () => {
    const [a, b] = [await receiver(), await receiver()];
    try {
      await cli(handStore()).run('--endpoint', a.url, '--protocol', 'http/json');
      await cli(handStore()).run('--endpoint', b.url, '--protocol', 'http/protobuf');
      const strip = (logs: DecodedLog[]) => logs.map((l) => ({ ...l, resource: { ...l.resource, 'telemetry.sdk.version': null } }));
      expect(strip(b.decoded())).toEqual(strip(a.decoded()));
      expect(a.decoded()).toHaveLength(8);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a simulated corpus in batches: whole sessions per request, every stored step once', async () => {
    const sim = simulateBoth({ seed: 77, sessions: 30, start_ms: Date.UTC(2026, 0, 5) });
    const traces = sim.traces.filter((t) => t.steps.length > 0);
    const rx = await receiver();
    try {
      const report = await sendSessionsOtlp(traces, { endpoint: `${rx.url}/custom/logs`, protocol: 'http/protobuf', timeoutMs: 5000, version: 'test', batchSize: 40 });
      expect(rx.received.length).toBeGreaterThan(2);
      expect(rx.received.every((r) => r.path === '/custom/logs')).toBe(true);
      expectMatchesStore(rx.decoded(), traces);
      // no session split across requests
      const perRequest = rx.received.map((r) => new Set(flattenLogs(decodeLogsProtobuf(new Uint8Array(r.body))).map((l) => l.attributes['session.id'])));
      for (let i = 1; i < perRequest.length; i++) for (const s of perRequest[i]!) expect(perRequest[i - 1]!.has(s)).toBe(false);
      expect(report).toMatchObject({ sessions: traces.length, steps: traces.reduce((n, t) => n + t.steps.length, 0), requests: rx.received.length });
    } finally {
      await rx.close();
    }
  });

  it('retries a 503 (with and without Retry-After) and delivers once', async () => {
    const rx = await receiver((n) => (n === 0 ? { status: 503, headers: { 'retry-after': '0' } } : n === 1 ? { status: 503 } : { status: 200 }));
    try {
      const { run, text } = cli(handStore());
      await run('--endpoint', rx.url, '--json');
      expect(rx.received).toHaveLength(3);
      expect(rx.received[2]!.body.equals(rx.received[0]!.body)).toBe(true);
      expect(JSON.parse(text())).toMatchObject({ format: 'otlp', sessions: 2, steps: 6, records: 8, requests: 1, protocol: 'http/protobuf' });
    } finally {
      await rx.close();
    }
  });

  it('a collector that keeps failing: a CliError naming the endpoint, after bounded retries', async () => {
    const rx = await receiver(() => ({ status: 400 }));
    try {
      const err = await cli(handStore()).run('--endpoint', rx.url, '--protocol', 'http/json').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(1);
      expect((err as CliError).message).toContain(`${rx.url}/v1/logs did not accept 8 log records`);
      expect(rx.received).toHaveLength(1); // 400 is not retryable
    } finally {
      await rx.close();
    }
  });

  it('usage errors: no --endpoint, a bad URL, --out with otlp, --endpoint with a file format, an unknown protocol', async () => {
    const attempts: string[][] = [[], ['--endpoint', 'not a url'], ['--endpoint', 'ftp://host/x'], ['--endpoint', 'http://h:4318', '--out', 'x.log'], ['--endpoint', 'http://h:4318', '--protocol', 'grpc']];
    for (const args of attempts) {
      const err = await cli(handStore()).run(...args).catch((e: unknown) => e);
      expect(err, args.join(' ')).toBeInstanceOf(UsageError);
    }
    const program = () => {
      const p = new Command('agentops-meta').exitOverride();
      registerExportCommand(p, { paths: dataPaths({}), out: () => {}, json: () => {}, withStore: (fn) => fn(handStore()) } as CliContext);
      return p;
    };
    await expect(program().parseAsync(['export', '--format', 'csv', '--endpoint', 'http://h:4318'], { from: 'user' })).rejects.toThrow(/--endpoint goes with --format otlp/);
    const unknown = await program().parseAsync(['export', '--format', 'mxml'], { from: 'user' }).catch((e: unknown) => e);
    expect((unknown as UsageError).hint).toContain('--format otlp --endpoint URL');
  });

  it('through main(): an unreachable endpoint exits 1 with a message, a bad URL exits 2; nothing crashes', async () => {
    const home = path.join(TMP, 'home');
    fs.mkdirSync(home, { recursive: true });
    const store = openSqliteStore({ file: dataPaths({ AGENTOPS_META_HOME: home }).db });
    store.insert(handEvents(), []);
    store.close();
    // a port that was just free: nothing listens there
    const probe = await receiver();
    await probe.close();
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (stderr.push(String(chunk)), true));
    const saved = process.env.AGENTOPS_META_HOME;
    process.env.AGENTOPS_META_HOME = home;
    try {
      const started = Date.now();
      expect(await main(['export', '--format', 'otlp', '--endpoint', probe.url, '--timeout', '1500'])).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(stderr.join('')).toMatch(new RegExp(`agentops-meta: the OTLP endpoint ${probe.url}/v1/logs did not accept 8 log records: .*ECONNREFUSED`));
      expect(stderr.join('')).toContain('hint: check that an OpenTelemetry collector listens there');
      expect(stderr.join('')).not.toContain('unexpected error');
      stderr.length = 0;
      expect(await main(['export', '--format', 'otlp', '--endpoint', 'http//oops'])).toBe(2);
      expect(stderr.join('')).toContain('--endpoint: "http//oops" is not a URL');
    } finally {
      spy.mockRestore();
      if (saved === undefined) delete process.env.AGENTOPS_META_HOME;
      else process.env.AGENTOPS_META_HOME = saved;
    }
  });
});
