// Reliability item 1: 10,000 capture-hook runs at 16-way concurrency while the daemon ingests,
// while `agentops-meta ingest` processes are SIGKILLed at seeded random moments, and while the
// daemon itself is SIGKILLed and restarted. Afterwards every event is stored exactly once.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runningPid } from '../../src/daemon/daemon.js';
import { dataPaths } from '../../src/shell/paths.js';
import { seededRandom } from '../helpers/secrets-corpus.js';
import { integrity, query } from './db.js';
import { captureCommand, CLI, hasOpen, HOOK_BUDGET_MS, hookEnv, percentile, pool, run, runCli, runHook, sleep } from './spawn.js';

const SEED = Number(process.env.AGENTOPS_RELIABILITY_SEED ?? 20_250_701);
const TOTAL = 10_000;
const WIDTH = 16;
const MIN_INGEST_KILLS = 10;
const DAEMON_KILLS_AT = [0.3, 0.65]; // fractions of the hook runs done

const temps: string[] = [];
const tempDir = (prefix: string): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
};

let home = '';
afterAll(() => {
  // Only the daemon this file started (its pid file is in our temp folder).
  const pid = home ? runningPid(dataPaths({ AGENTOPS_META_HOME: home })) : null;
  if (pid && isOurDaemon(pid)) process.kill(pid, 'SIGKILL');
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const TOOL_EVENTS = ['PreToolUse', 'PostToolUse', 'PostToolUseFailure'] as const;

/** Payload i: a tool event with its own tool_use_id, in one of a few sessions. */
function payload(i: number): { event: string; body: string; toolUseId: string } {
  const event = TOOL_EVENTS[i % TOOL_EVENTS.length] ?? 'PreToolUse';
  const toolUseId = `toolu_rel_${String(i).padStart(5, '0')}`;
  const base = { session_id: `rel-session-${i % 23}`, transcript_path: '/tmp/t.jsonl', cwd: '/tmp', hook_event_name: event, tool_name: 'Read', tool_use_id: toolUseId, tool_input: { file_path: `/tmp/f${i}.ts` } };
  const extra = event === 'PostToolUse' ? { tool_response: { type: 'text', file: { content: 'x'.repeat(i % 700) } }, duration_ms: i % 97 } : event === 'PostToolUseFailure' ? { error: `File does not exist: /tmp/f${i}.ts` } : {};
  return { event, body: JSON.stringify({ ...base, ...extra }), toolUseId };
}

/** Whether `pid` runs `agentops-meta daemon run` (Linux /proc; elsewhere assumed). */
function isOurDaemon(pid: number): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((a) => a.endsWith(`${path.sep}bin${path.sep}agentops-meta.js`)) && argv.includes('daemon') && argv.includes('run');
  } catch {
    return !fs.existsSync('/proc/self/cmdline');
  }
}

const spoolLeft = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.json')) : []);

describe('capture under load, with kill -9 of ingesters and of the daemon', () => {
  it(`${TOTAL} hook runs at ${WIDTH}-way: every event stored exactly once`, async () => {
    const started = performance.now();
    home = tempDir('am-rel-conc-');
    const env = hookEnv(home, tempDir('am-rel-user-'));
    const paths = dataPaths({ AGENTOPS_META_HOME: home });
    fs.writeFileSync(paths.config, JSON.stringify({ daemon: { debounce_ms: 100 }, nightly: { commit: false } }));
    const rnd = seededRandom(SEED);

    const start = await runCli(env, 'daemon', 'start');
    expect(start.code, start.stderr.toString()).toBe(0);

    // --- the hooks -------------------------------------------------------------------------------
    let done = 0;
    let hooksDone = false;
    const durations: number[] = [];
    const failures: string[] = [];
    const hooks = pool(TOTAL, WIDTH, async (i) => {
      const { event, body } = payload(i);
      const r = await runHook(captureCommand(event), body, env);
      durations.push(r.ms);
      if (r.code !== 0 || r.stdout.length > 0 || r.stderr.length > 0) failures.push(`#${i}: exit ${r.code} ${r.signal ?? ''} stdout ${r.stdout.length} B, stderr ${JSON.stringify(r.stderr.toString().slice(0, 200))}`);
      done++;
    }).then(() => {
      hooksDone = true;
    });

    // --- ingesters killed at random moments ------------------------------------------------------
    // Each is killed at a seeded random time after it opened the database (before that, a kill only
    // tests Node's start-up); some finish first. Kills that land mid-work are counted.
    let ingestKills = 0;
    let ingestRuns = 0;
    let ingestCompleted = 0;
    let ingestFailures = 0;
    const ingesters = (async () => {
      while (!hooksDone || ingestKills < MIN_INGEST_KILLS) {
        ingestRuns++;
        let child: ChildProcess | null = null;
        // Small batches, so a kill lands between, inside and after transactions.
        const exited = run(process.execPath, [CLI, 'ingest', '--json', '--batch-size', String(20 + Math.floor(rnd() * 200))], { env, onSpawn: (c) => (child = c) });
        const delay = Math.floor(rnd() * 400);
        const killer = (async () => {
          const c = child as ChildProcess | null;
          if (!c?.pid) return false;
          for (let waited = 0; c.exitCode === null && waited < 15_000; waited += 5) {
            const open = hasOpen(c.pid, paths.db);
            if (open !== false) break; // open, or no /proc: fall back to a plain timer
            await sleep(5);
          }
          await sleep(delay);
          return c.exitCode === null && c.signalCode === null && c.kill('SIGKILL');
        })();
        const [r, killed] = await Promise.all([exited, killer]);
        if (killed && r.signal === 'SIGKILL') ingestKills++;
        else if (r.code === 0) ingestCompleted++;
        else ingestFailures++;
        await sleep(100 + Math.floor(rnd() * 600));
      }
    })();

    // --- the daemon killed and restarted -------------------------------------------------------------
    let daemonKills = 0;
    const daemonKiller = (async () => {
      for (const at of DAEMON_KILLS_AT) {
        while (done < at * TOTAL) await sleep(50);
        const pid = runningPid(paths);
        expect(pid, 'the daemon should be running').not.toBeNull();
        // pid_max can be small (32768): make sure the pid file still names our daemon before killing.
        expect(isOurDaemon(pid as number), `pid ${pid} is not an agentops-meta daemon`).toBe(true);
        process.kill(pid as number, 'SIGKILL');
        daemonKills++;
        for (let waited = 0; runningPid(paths) !== null && waited < 10_000; waited += 50) await sleep(50);
        expect(runningPid(paths), 'the killed daemon should be gone').toBeNull();
        const again = await runCli(env, 'daemon', 'start');
        expect(again.code, again.stderr.toString()).toBe(0);
        const restarted = runningPid(paths);
        expect(restarted !== null && restarted !== pid && isOurDaemon(restarted), `restarted daemon pid ${restarted}`).toBe(true);
      }
    })();

    await Promise.all([hooks, ingesters, daemonKiller]);
    const hooksMs = performance.now() - started;

    // --- wind down and count ------------------------------------------------------------------------------
    const stop = await runCli(env, 'daemon', 'stop');
    expect(stop.code, stop.stderr.toString()).toBe(0);
    const final = await runCli(env, 'ingest', '--json');
    expect(final.code, final.stderr.toString()).toBe(0);
    const finalReport = JSON.parse(final.stdout.toString()) as { files: number; inserted: number; duplicates: number; quarantined: number };

    const rows = query<{ tool_use_id: string | null; n: number }>(home, 'SELECT tool_use_id, COUNT(*) AS n FROM events GROUP BY tool_use_id');
    const stored = rows.reduce((a, r) => a + r.n, 0);
    const duplicates = rows.reduce((a, r) => a + Math.max(0, r.n - 1), 0);
    const quarantined = query<{ n: number }>(home, 'SELECT COUNT(*) AS n FROM quarantine')[0]?.n ?? -1;
    const check = integrity(home);
    const log = fs.readFileSync(path.join(paths.logs, 'daemon.log'), 'utf8');
    const daemonErrors = log.split('\n').filter((l) => / error: /.test(l));
    const daemonIngests = log.split('\n').filter((l) => / ingested \d+ events/.test(l)).length;
    const sorted = [...durations].sort((a, b) => a - b);

    console.log(
      [
        `concurrency: ${TOTAL} hook runs at ${WIDTH}-way in ${(hooksMs / 1000).toFixed(1)} s (${(TOTAL / (hooksMs / 1000)).toFixed(0)}/s), ` +
          `per run p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
        `  ingest processes: ${ingestRuns} run, ${ingestKills} SIGKILLed while working, ${ingestCompleted} completed, ${ingestFailures} failed; daemon: ${daemonKills} SIGKILLed and restarted, ${daemonIngests} ingest steps logged, ${daemonErrors.length} errors`,
        `  final ingest: ${finalReport.files} files, ${finalReport.inserted} inserted, ${finalReport.duplicates} already stored`,
        `  stored ${stored} of ${TOTAL}, distinct tool_use_ids ${rows.length}, duplicates ${duplicates}, quarantined ${quarantined}, integrity ${check}`,
        `  elapsed ${((performance.now() - started) / 1000).toFixed(1)} s`,
      ].join('\n'),
    );

    expect(failures).toEqual([]);
    expect(sorted.at(-1) ?? Infinity).toBeLessThan(HOOK_BUDGET_MS);
    expect(ingestKills).toBeGreaterThanOrEqual(MIN_INGEST_KILLS);
    expect(ingestFailures).toBe(0);
    expect(daemonKills).toBe(DAEMON_KILLS_AT.length);
    expect(daemonErrors).toEqual([]);

    const expected = new Set(Array.from({ length: TOTAL }, (_, i) => payload(i).toolUseId));
    const got = new Set(rows.map((r) => r.tool_use_id));
    expect([...expected].filter((id) => !got.has(id)).slice(0, 10)).toEqual([]); // lost
    expect([...got].filter((id) => id === null || !expected.has(id)).slice(0, 10)).toEqual([]); // strangers
    expect({ stored, distinct: rows.length, duplicates, quarantined }).toEqual({ stored: TOTAL, distinct: TOTAL, duplicates: 0, quarantined: 0 });
    expect(check).toBe('ok');
    expect(spoolLeft(paths.spool)).toEqual([]);
    expect(fs.existsSync(paths.spoolTmp) ? fs.readdirSync(paths.spoolTmp) : []).toEqual([]);
  }, 420_000);
});
