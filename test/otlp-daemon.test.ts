// The daemon's OTLP sender (config export.otlp_endpoint): quiet sessions go to the collector once,
// in order, behind a cursor in the local meta; the history before it was turned on stays for
// `export --format otlp`; a refused request is logged and counted, and its sessions go at the next run.
// Against the receiver of test/helpers/otlp-decode.ts, which decodes as a collector would.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { daemonOtlpSender, OTLP_CURSOR_PREFIX, OTLP_FAILURES_META } from '../src/cli/otlp-daemon.js';
import { DEFAULT_CONFIG, configSchema } from '../src/config/schema.js';
import type { Actor, EventRecord } from '../src/core/types.js';
import { otlpDue, otlpLogsUrl, otlpStartCursor } from '../src/export/otlp.js';
import { openMemoryStore } from '../src/store/memory.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { removeDataFolders, waitFor } from './helpers/daemon.js';
import { decodeLogsJson, flattenLogs, receiver } from './helpers/otlp-decode.js';
import { REPO_ROOT } from './helpers/paths.js';
import { event } from './learn-helpers.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const read: Actor = { kind: 'tool', name: 'Read', plugin: null, server: null };

/** A session of `steps` Read calls, one a second from `start`. */
function session(id: string, start: number, steps = 2): EventRecord[] {
  return Array.from({ length: steps }, (_, i) => [
    event({ id: `${id}-${i}a`, session_id: id, event: 'PreToolUse', ts_ms: start + i * 1000, tool_name: 'Read', tool_use_id: `${id}t${i}`, actor: read }),
    event({ id: `${id}-${i}b`, session_id: id, event: 'PostToolUse', ts_ms: start + i * 1000 + 500, tool_name: 'Read', tool_use_id: `${id}t${i}`, actor: read, outcome: 'ok' }),
  ]).flat();
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe('the daemon sends quiet sessions over OTLP', () => {
  it('picks quiet sessions past the cursor, in order; a start cursor passes the history', () => {
    const s = (session_id: string, last_ms: number) => ({ session_id, last_ms });
    const all = [s('b', 50), s('a', 50), s('c', 10), s('d', 95)];
    expect(otlpDue(all, { last_ms: 10, session_id: 'c' }, 90).map((x) => x.session_id)).toEqual(['a', 'b']);
    expect(otlpDue(all, { last_ms: 50, session_id: 'a' }, 100).map((x) => x.session_id)).toEqual(['b', 'd']);
    expect(otlpDue(all, otlpStartCursor(all), 1000)).toEqual([]);
    expect(otlpStartCursor([])).toMatchObject({ last_ms: 0 });
  });

  it('sends each new session once, after it went quiet; a refused request is logged, counted and sent later', async () => {
    let refuse = false;
    const refused = new Set<number>();
    const rx = await receiver((n) => (refuse ? (refused.add(n), { status: 400 }) : { status: 200 }));
    closers.push(rx.close);
    const store = openMemoryStore();
    store.insert(session('history', T0), []);
    const log: string[] = [];
    let now = T0 + 60 * MIN;
    const exp = { ...DEFAULT_CONFIG.export, otlp_endpoint: rx.url, otlp_protocol: 'http/json' as const };
    const send = daemonOtlpSender(exp, store, (l) => void log.push(l), { now: () => now, minIntervalMs: 0 })!;
    // What the collector took (a refused request's records are not delivered).
    const sentSessions = () =>
      rx.received
        .filter((_, n) => !refused.has(n))
        .flatMap((r) => flattenLogs(decodeLogsJson(r.body.toString('utf8'))))
        .filter((l) => l.event_name === 'agentops.session')
        .map((l) => l.attributes['session.id']);

    await send(); // turned on: the history is not sent
    expect(rx.received).toHaveLength(0);
    store.insert([...session('s1', now), ...session('s2', now + 2 * MIN)], []);
    now += 5 * MIN;
    await send(); // s1 is 5 minutes quiet, s2 3: neither is finished yet (10 minutes by default)
    expect(rx.received).toHaveLength(0);
    now += 8 * MIN;
    await send(); // s1 13, s2 11 minutes quiet
    expect(sentSessions()).toEqual(['s1', 's2']);
    expect(rx.received.every((r) => r.path === '/v1/logs')).toBe(true);
    await send();
    expect(sentSessions()).toEqual(['s1', 's2']); // nothing twice
    expect(log).toEqual([`otlp: sent 2 sessions (4 steps) to ${rx.url}/v1/logs`]);

    refuse = true;
    store.insert(session('s3', now, 3), []);
    now += 11 * MIN;
    await send();
    expect(log.at(-1)).toMatch(/^otlp: the OTLP endpoint .* did not accept .*; the rest is sent by a later run$/);
    expect(store.getMeta(OTLP_FAILURES_META)).toBe('1');
    refuse = false;
    await send();
    expect(sentSessions()).toEqual(['s1', 's2', 's3']);
    expect(JSON.parse(store.getMeta(`${OTLP_CURSOR_PREFIX}${rx.url}/v1/logs`)!)).toMatchObject({ session_id: 's3' });
  });

  it('a run is bounded: it starts no chunk after its time, and the next run goes on', async () => {
    const rx = await receiver();
    closers.push(rx.close);
    const store = openMemoryStore();
    let now = T0;
    const exp = { ...DEFAULT_CONFIG.export, otlp_endpoint: rx.url };
    // Each clock reading is 4 s later: with 14 s a run, a run sends two one-session chunks.
    const send = daemonOtlpSender(exp, store, () => undefined, { now: () => (now += 4000), minIntervalMs: 0, runMs: 14_000, chunk: 1 })!;
    await send();
    store.insert(['a', 'b', 'c', 'd', 'e'].flatMap((id, i) => session(id, T0 + 10_000 + i * 1000, 1)), []);
    now += 20 * MIN;
    await send();
    expect(rx.received).toHaveLength(2);
    await send();
    expect(rx.received).toHaveLength(4);
    await send();
    expect(rx.received).toHaveLength(5);
  });

  it('is off without an endpoint; the config takes http(s) URLs and the two protocols only', () => {
    expect(daemonOtlpSender(DEFAULT_CONFIG.export, openMemoryStore(), () => undefined)).toBeUndefined();
    expect(DEFAULT_CONFIG.export).toEqual({ otlp_endpoint: null, otlp_protocol: 'http/protobuf', otlp_quiet_minutes: 10 });
    expect(configSchema.safeParse({ export: { otlp_endpoint: 'grpc://collector:4317' } }).success).toBe(false);
    expect(configSchema.safeParse({ export: { otlp_endpoint: 'http://collector:4318', otlp_protocol: 'grpc' } }).success).toBe(false);
    expect(configSchema.safeParse({ export: { otlp_endpoint: 'https://otel.example.com/v1/logs', otlp_protocol: 'http/json' } }).success).toBe(true);
  });
});

describe('the daemon process sends over OTLP when the config says so', () => {
  const homes: string[] = [];
  afterEach(() => removeDataFolders(homes));

  it('a session captured by the hook, ingested and quiet, reaches the collector once, across a daemon restart', async () => {
    const rx = await receiver();
    closers.push(rx.close);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'am-otlp-daemon-'));
    homes.push(home);
    const env = { ...process.env, AGENTOPS_META_HOME: home };
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ daemon: { debounce_ms: 100 }, nightly: { commit: false }, export: { otlp_endpoint: rx.url, otlp_quiet_minutes: 1 } }));
    // The setting was on before these sessions: the cursor starts before them (turned on with
    // sessions stored, a daemon starts past them; that rule is tested above).
    const store = openSqliteStore({ file: path.join(home, 'agentops.db') });
    store.setMeta(OTLP_CURSOR_PREFIX + otlpLogsUrl(rx.url), JSON.stringify({ last_ms: 0, session_id: '' }));
    store.close();
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'agentops-meta.js'), ...args], { env, encoding: 'utf8' });
    // Two tool calls, captured by the real hook with times `minutesAgo` back (quiet for longer than a minute).
    const capture = (sessionId: string, minutesAgo: number) => {
      const at = Date.now() - minutesAgo * MIN;
      ['PreToolUse', 'PostToolUse'].forEach((hook, i) => {
        const payload = JSON.stringify({ session_id: sessionId, hook_event_name: hook, cwd: '/tmp', tool_name: 'Read', tool_use_id: `${sessionId}-t`, tool_input: { file_path: '/tmp/x' }, tool_response: {} });
        const ns = String(BigInt(at + i * 1000) * 1_000_000n);
        expect(spawnSync(path.join(REPO_ROOT, 'hooks', 'agentops-capture.sh'), [hook], { input: payload, env: { ...env, AGENTOPS_META_CLOCK_NS: ns } }).status).toBe(0);
      });
    };
    // What the collector took (protobuf, the default protocol), decoded with the OpenTelemetry types.
    const sessionsSent = () =>
      rx
        .decoded()
        .filter((l) => l.event_name === 'agentops.session')
        .map((l) => l.attributes['session.id']);

    capture('o1', 10);
    expect(cli('daemon', 'start').status).toBe(0);
    await waitFor(() => sessionsSent().includes('o1'), 20_000, 'o1 at the collector');
    expect(rx.received.every((r) => r.path === '/v1/logs' && r.contentType === 'application/x-protobuf')).toBe(true);
    expect(cli('daemon', 'stop').status).toBe(0);

    capture('o2', 5);
    expect(cli('daemon', 'start').status).toBe(0);
    await waitFor(() => sessionsSent().includes('o2'), 20_000, 'o2 at the collector');
    expect(cli('daemon', 'stop').status).toBe(0);
    expect(sessionsSent()).toEqual(['o1', 'o2']);
    expect(fs.readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8')).toMatch(/otlp: sent 1 sessions \(1 steps\) to .*\/v1\/logs/);
  }, 60_000);
});
