import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ingestSpool } from '../src/ingest/ingest.js';
import { dataPaths } from '../src/shell/paths.js';
import { openMemoryStore } from '../src/store/memory.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { REPO_ROOT } from './helpers/paths.js';
import { tempDirs } from './helpers/temp-dirs.js';

const CAPTURE = path.join(REPO_ROOT, 'hooks', 'agentops-capture.sh');
const CLI = path.join(REPO_ROOT, 'bin', 'agentops-meta.js');
const tempHome = tempDirs('am-ingest-');

/** Writes a spool file the way the hook names it, without spawning the hook (fast, for volume). */
function spoolFile(home: string, ns: bigint, event: string, body: string | Buffer): void {
  fs.mkdirSync(path.join(home, 'spool'), { recursive: true });
  fs.writeFileSync(path.join(home, 'spool', `${ns}-4242-${event}.json`), body);
}

const payload = (i: number, event = 'PostToolUse') =>
  JSON.stringify({ session_id: `s${i % 7}`, hook_event_name: event, cwd: '/tmp', tool_name: 'Read', tool_use_id: `toolu_${i}`, tool_input: { file_path: `/tmp/f${i}` }, tool_response: {} });

describe('ingest', () => {
  it('moves payloads captured by the real hook into the store and deletes the raw copies', () => {
    const home = tempHome();
    const env = { ...process.env, AGENTOPS_META_HOME: home };
    for (const [event, body] of [
      ['SessionStart', JSON.stringify({ session_id: 'sA', hook_event_name: 'SessionStart', cwd: '/tmp', source: 'startup' })],
      ['PreToolUse', JSON.stringify({ session_id: 'sA', hook_event_name: 'PreToolUse', cwd: '/tmp', tool_name: 'Bash', tool_use_id: 't1', tool_input: { command: 'pytest -q' } })],
      ['PostToolUse', JSON.stringify({ session_id: 'sA', hook_event_name: 'PostToolUse', cwd: '/tmp', tool_name: 'Bash', tool_use_id: 't1', tool_input: { command: 'pytest -q' }, tool_response: { stdout: '==== 3 passed in 0.12s ====', stderr: '' } })],
    ] as const) {
      const r = spawnSync('bash', ['-c', `'${CAPTURE}' ${event}`], { input: body, env });
      expect(r.status).toBe(0);
    }
    const paths = dataPaths({ AGENTOPS_META_HOME: home });
    const store = openMemoryStore();
    const report = ingestSpool({ paths, store });
    expect(report).toMatchObject({ files: 3, inserted: 3, duplicates: 0, quarantined: 0 });
    expect(fs.readdirSync(paths.spool).filter((n) => n.endsWith('.json'))).toEqual([]);
    const events = store.events();
    expect(events.map((e) => e.event)).toEqual(['SessionStart', 'PreToolUse', 'PostToolUse']);
    expect(events[2]!.test).toMatchObject({ runner: 'pytest', passed: true, counts: { passed: 3 } });
    // Arrival times come from the hook's clock: increasing, and close to now.
    expect(events[0]!.ts_ms).toBeLessThanOrEqual(events[2]!.ts_ms);
    expect(Math.abs(events[0]!.ts_ms - Date.now())).toBeLessThan(10 * 60_000);
  });

  it('quarantines bad payloads with their reason, counts them, and carries on', () => {
    const home = tempHome();
    let ns = 1_700_000_000_000_000_000n;
    spoolFile(home, ns++, 'PreToolUse', '{"session_id": "s1", "hook_event_name": "PreTo');
    spoolFile(home, ns++, 'Stop', '');
    spoolFile(home, ns++, 'Stop', Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    spoolFile(home, ns++, 'Stop', JSON.stringify({ hook_event_name: 'Stop' }));
    spoolFile(home, ns++, 'Unknown', JSON.stringify({ session_id: 's1', hook_event_name: 'BrandNewEvent', whatever: [1] }));
    spoolFile(home, ns++, 'PostToolUse', payload(1));
    fs.writeFileSync(path.join(home, 'spool', 'stray.json'), '{}');
    const store = openMemoryStore();
    const report = ingestSpool({ paths: dataPaths({ AGENTOPS_META_HOME: home }), store });
    expect(report).toMatchObject({ files: 7, inserted: 2, quarantined: 5 });
    const reasons = store.quarantine().map((q) => q.reason);
    expect(reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^invalid JSON/), 'empty payload', 'invalid UTF-8', expect.stringMatching(/session_id/), 'unrecognised spool file name']));
    expect(store.counts().quarantined).toBe(5);
  });

  it('keeps a secret in an unparseable payload out of the store', () => {
    const home = tempHome();
    const secret = 'sk-ant-api03-' + 'Zx9'.repeat(30);
    spoolFile(home, 1_700_000_000_000_000_000n, 'UserPromptSubmit', `{"session_id":"s","prompt":"key ${secret}`);
    const store = openMemoryStore();
    ingestSpool({ paths: dataPaths({ AGENTOPS_META_HOME: home }), store });
    expect(JSON.stringify(store.quarantine())).not.toContain(secret);
  });

  it('quarantines a partial write left in spool/.tmp by a hook that died, once it is stale', () => {
    const home = tempHome();
    const paths = dataPaths({ AGENTOPS_META_HOME: home });
    fs.mkdirSync(paths.spoolTmp, { recursive: true });
    fs.writeFileSync(path.join(paths.spoolTmp, '1700000000000000000-77-PreToolUse'), '{"session_id":"s","hook_eve');
    const store = openMemoryStore();
    expect(ingestSpool({ paths, store, now: Date.now() }).partial_writes).toBe(0); // might still be written
    const report = ingestSpool({ paths, store, now: Date.now() + 3_600_000 });
    expect(report.partial_writes).toBe(1);
    expect(store.quarantine()[0]).toMatchObject({ event: 'PreToolUse', reason: expect.stringMatching(/partial write/) });
    expect(fs.readdirSync(paths.spoolTmp)).toEqual([]);
  });

  it('is idempotent when a crash left already-stored files in the spool', () => {
    const home = tempHome();
    for (let i = 0; i < 50; i++) spoolFile(home, 1_700_000_000_000_000_000n + BigInt(i), 'PostToolUse', payload(i));
    const paths = dataPaths({ AGENTOPS_META_HOME: home });
    const kept = path.join(home, 'kept');
    fs.cpSync(paths.spool, kept, { recursive: true });
    const store = openMemoryStore();
    expect(ingestSpool({ paths, store }).inserted).toBe(50);
    // The crash: the batch was committed but the files were never deleted.
    fs.cpSync(kept, paths.spool, { recursive: true });
    expect(ingestSpool({ paths, store })).toMatchObject({ files: 50, inserted: 0, duplicates: 50 });
    expect(store.counts().events).toBe(50);
  });

  it('survives kill -9 of the ingester at random moments: every event stored exactly once', async () => {
    const home = tempHome();
    const total = 6000;
    for (let i = 0; i < total; i++) spoolFile(home, 1_700_000_000_000_000_000n + BigInt(i), 'PostToolUse', payload(i));
    const env = { ...process.env, AGENTOPS_META_HOME: home };
    let kills = 0;
    for (let round = 0; round < 40; round++) {
      const left = fs.readdirSync(path.join(home, 'spool')).filter((n) => n.endsWith('.json')).length;
      if (left === 0) break;
      const child = spawn(process.execPath, [CLI, 'ingest', '--json', '--batch-size', '50'], { env, stdio: 'ignore' });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      // Small batches make a kill land mid-run; the delay spreads kills over start-up, batches and deletes.
      await new Promise((r) => setTimeout(r, 40 + ((round * 37) % 150)));
      if (child.exitCode === null && child.kill('SIGKILL')) kills++;
      await exited;
    }
    const finish = spawnSync(process.execPath, [CLI, 'ingest', '--json'], { env, encoding: 'utf8' });
    expect(finish.status).toBe(0);
    const db = new Database(path.join(home, 'agentops.db'), { readonly: true });
    const count = (db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM events').get() as { n: number; d: number });
    const integrity = db.pragma('integrity_check', { simple: true });
    db.close();
    console.log(`kill -9 test: ${kills} kills, ${count.n} events stored of ${total}, integrity ${integrity}`);
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(count).toEqual({ n: total, d: total });
    expect(integrity).toBe('ok');
    expect(fs.readdirSync(path.join(home, 'spool')).filter((n) => n.endsWith('.json'))).toEqual([]);
  }, 120_000);

  it('stores into SQLite through the CLI and reports status', () => {
    const home = tempHome();
    for (let i = 0; i < 10; i++) spoolFile(home, 1_700_000_000_000_000_000n + BigInt(i), 'PostToolUse', payload(i));
    spoolFile(home, 1_700_000_000_000_000_100n, 'Stop', 'not json');
    const env = { ...process.env, AGENTOPS_META_HOME: home };
    const ingest = spawnSync(process.execPath, [CLI, 'ingest', '--json'], { env, encoding: 'utf8' });
    expect(ingest.status).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ files: 11, inserted: 10, quarantined: 1 });
    const status = JSON.parse(spawnSync(process.execPath, [CLI, 'status', '--json'], { env, encoding: 'utf8' }).stdout);
    expect(status).toMatchObject({ events: 10, sessions: 7, quarantined: 1, pending_spool: 0 });
    expect(status.database_bytes).toBeGreaterThan(0);
    const store = openSqliteStore({ file: path.join(home, 'agentops.db'), readonly: true });
    expect(store.counts().events).toBe(10);
    store.close();
  });
});
