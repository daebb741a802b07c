// Ingest throughput into SQLite against a bare read+parse of the same spool files. Target: >= 20,000 events/s.
// The payloads come from the seeded simulator, so the mix of tools and test output is realistic.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataPaths, ingestSpool, openSqliteStore, simulate } from '../dist/lib.js';
import { fmt, report } from './lib.mjs';

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

export function benchIngest(n = 20_000) {
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
  const rate = (n / r.ms) * 1000;
  report('ingest (spool files -> SQLite, validate + normalize + redact + delete)', [
    ['events', `${n} (${fmt(bytes / 1e6, 1)} MB)`],
    ['baseline: read + JSON.parse the same files', `${fmt(bareMs, 0)} ms (${fmt((n / bareMs) * 1000, 0)} events/s, 1.00x)`],
    ['agentops-meta ingest', `${fmt(r.ms, 0)} ms (${fmt(rate, 0)} events/s, ${fmt(r.ms / bareMs, 2)}x; target >= 20000/s: ${rate >= 20000 ? 'met' : 'NOT met'})`],
    ['stored', `${stored} of ${n}`],
  ]);
  return { rate };
}
