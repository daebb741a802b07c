// Ingest throughput into SQLite against a bare read+parse of the same spool files. Target: >= 20,000 events/s.
// The payloads come from the seeded simulator, so the mix of tools and test output is realistic.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataPaths, ingestSpool, openSqliteStore, simulate } from '../dist/lib.js';
import { fmt, median, report } from './lib.mjs';

/**
 * Spool files as the capture hook names them, holding realistic hook payloads: the simulator's
 * sessions (tool mix, Bash test runs with real runner output, subagents, MCP), first n payloads.
 */
export function writeSpool(dir, n) {
  fs.mkdirSync(dir, { recursive: true });
  const sessions = Math.ceil(n / 40);
  const { payloads } = simulate({ seed: 1, sessions, start_ms: Date.UTC(2026, 0, 1), days: 30 });
  for (let i = 0; i < n; i++) {
    const p = payloads[i % payloads.length];
    const ns = BigInt(Math.round(p.ts_ms)) * 1_000_000n + BigInt(i % 1_000_000);
    fs.writeFileSync(path.join(dir, `${ns}-${1000 + (i % 97)}-${p.event}.json`), JSON.stringify(p.payload));
  }
}

/** One run: a fresh spool of n files, read+parsed bare (the baseline), then ingested by agentops-meta. */
function ingestOnce(n) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'am-bench-ing-'));
  const paths = dataPaths({ AGENTOPS_META_HOME: home });
  writeSpool(paths.spool, n);
  const bytes = fs.readdirSync(paths.spool).reduce((s, f) => s + fs.statSync(path.join(paths.spool, f)).size, 0);

  const t0 = performance.now();
  let parsed = 0;
  for (const f of fs.readdirSync(paths.spool).sort()) parsed += JSON.parse(fs.readFileSync(path.join(paths.spool, f), 'utf8')) ? 1 : 0;
  const bareMs = performance.now() - t0;

  const store = openSqliteStore({ file: paths.db });
  const r = ingestSpool({ paths, store });
  const stored = store.counts().events;
  store.close();
  fs.rmSync(home, { recursive: true, force: true });
  return { bytes, bareMs, ms: r.ms, stored, workers: r.workers };
}

/**
 * Median of several runs, each on a fresh spool: one run on this noisy machine can be 30% off
 * either way. Every run is printed.
 */
export function benchIngest(n = 20_000, runs = 5) {
  const all = Array.from({ length: runs }, () => ingestOnce(n));
  const rates = all.map((r) => (n / r.ms) * 1000);
  const rate = median(rates);
  const ratio = median(all.map((r) => r.ms / r.bareMs));
  const bareMs = median(all.map((r) => r.bareMs));
  report('ingest (spool files -> SQLite, validate + normalize + redact + delete)', [
    ['events', `${n} (${fmt(all[0].bytes / 1e6, 1)} MB), ${runs} runs on fresh spools, medians`],
    ['baseline: read + JSON.parse the same files', `${fmt(bareMs, 0)} ms (${fmt((n / bareMs) * 1000, 0)} events/s, 1.00x)`],
    ['agentops-meta ingest', `${fmt(rate, 0)} events/s, ${fmt(ratio, 2)}x the baseline; target >= 20000/s: ${rate >= 20000 ? 'met' : 'NOT met'}`],
    ['each run (events/s)', rates.map((x) => fmt(x, 0)).join(', ')],
    ['spool worker', all.every((r) => r.workers === 1) ? 'used in every run' : `used in ${all.filter((r) => r.workers === 1).length} of ${runs} runs`],
    ['stored', all.every((r) => r.stored === n) ? `${n} of ${n} in every run` : `NOT all: ${all.map((r) => r.stored).join(', ')}`],
  ]);
  return { rate };
}
