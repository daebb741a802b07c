// Learning at scale: events read from SQLite and learned (traces, sequential + parallel mining,
// ranking), against one bare read of the same events from SQLite. Target at 1M events (~10k
// sessions): <= 5x the bare read, <= 1 GB of memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG, normalize, openSqliteStore, runLearning, simulate } from '../dist/lib.js';
import { fmt, report } from './lib.mjs';

function fill(file, events) {
  const sessions = Math.ceil(events / 40);
  const { payloads } = simulate({ seed: 3, sessions, start_ms: Date.UTC(2026, 0, 1), days: 60 });
  const store = openSqliteStore({ file });
  const ctx = { projectOf: () => null, maxFieldChars: 4000 };
  let batch = [];
  const n = Math.min(events, payloads.length);
  for (let i = 0; i < n; i++) {
    const r = normalize({ id: `b${String(i).padStart(9, '0')}`, ts_ms: payloads[i].ts_ms, source: 'hook', value: payloads[i].payload }, ctx);
    if (r.ok) batch.push(r.record);
    if (batch.length === 5000) {
      store.insert(batch, []);
      batch = [];
    }
  }
  store.insert(batch, []);
  const stored = store.counts();
  store.close();
  return stored;
}

function bareRead(file) {
  const store = openSqliteStore({ file, readonly: true });
  const t = performance.now();
  let n = 0;
  store.forEachEvent(() => n++);
  const ms = performance.now() - t;
  store.close();
  return { ms, n };
}

export function benchLearn(sizes = [10_000, 100_000, 1_000_000]) {
  const rows = [];
  for (const size of sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-bench-learn-'));
    const file = path.join(dir, 'agentops.db');
    // Filled by a child process, so the memory measured here is the learner's alone.
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'fill', file, String(size)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`fill failed: ${child.stderr}`);
    const stored = JSON.parse(child.stdout);
    const bare = bareRead(file);
    const store = openSqliteStore({ file });
    const t = performance.now();
    const run = runLearning(store, DEFAULT_CONFIG, Date.UTC(2026, 3, 1));
    const ms = performance.now() - t;
    // The kernel's high-water mark of this process: the true peak (a timer cannot sample inside the
    // synchronous learner). It covers the smaller sizes before, whose peaks are lower.
    const peak = process.resourceUsage().maxRSS * 1024;
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
    rows.push([
      `${stored.events} events, ${stored.sessions} sessions`,
      `bare read ${fmt(bare.ms, 0)} ms; learn ${fmt(ms, 0)} ms = ${fmt(ms / bare.ms, 2)}x; peak RSS ${fmt(peak / 1024 / 1024, 0)} MB; ${run.result.sequential.length} seq / ${run.result.parallel.length} par / ${run.result.anti.length} anti${run.result.stats.truncated ? ' (miner guard hit)' : ''}`,
    ]);
  }
  report('learning (SQLite -> traces -> mining -> ranking -> planner context) vs one bare read of the same rows; target at 1M: <= 5x, <= 1 GB', rows);
}

if (process.argv[2] === 'fill') process.stdout.write(JSON.stringify(fill(process.argv[3], Number(process.argv[4]))));
