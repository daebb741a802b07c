// Backfill throughput and memory on one large transcript, against a bare line-by-line read + JSON.parse
// of the same file. Targets: >= 30 MB/s, peak memory <= 300 MB whatever the file size.
// The transcript is made by repeating real public transcripts with fresh ids: third-party data kept
// outside the checkout, at $AGENTOPS_META_FIXTURES or ../shared/fixtures (as for the tests).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backfill, openSqliteStore } from '../dist/lib.js';
import { fmt, report } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = process.env.AGENTOPS_META_FIXTURES ? path.resolve(process.env.AGENTOPS_META_FIXTURES) : path.resolve(root, '..', 'shared', 'fixtures');
const fixtures = path.join(fixturesDir, 'transcripts', 'claude-code-viewer');

function makeTranscript(file, targetBytes) {
  const sources = fs.readdirSync(fixtures).filter((n) => n.endsWith('.jsonl') && !n.startsWith('agent-'));
  const lines = sources.flatMap((n) => fs.readFileSync(path.join(fixtures, n), 'utf8').split('\n').filter(Boolean));
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  for (let copy = 0; bytes < targetBytes; copy++) {
    // Fresh ids per copy so every call is new to the deduplication.
    const chunk = `${lines.map((l) => l.replace(/"(toolu_[A-Za-z0-9]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/g, (_m, id) => `"${id}-${copy}"`)).join('\n')}\n`;
    fs.writeSync(fd, chunk);
    bytes += Buffer.byteLength(chunk);
  }
  fs.closeSync(fd);
  return bytes;
}

function bareRead(file) {
  const t = performance.now();
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let rest = '';
  let n = 0;
  for (;;) {
    const got = fs.readSync(fd, buf, 0, buf.length, null);
    if (got === 0) break;
    const parts = (rest + buf.toString('utf8', 0, got)).split('\n');
    rest = parts.pop();
    for (const l of parts) if (l) n += JSON.parse(l) ? 1 : 0;
  }
  fs.closeSync(fd);
  return { ms: performance.now() - t, lines: n };
}

export function benchBackfill(megabytes = 200) {
  if (!fs.existsSync(fixtures)) {
    // Nothing measured is not a result: say why, and fail so no one reads a missing figure as met.
    report('backfill', [['NOT RUN', `real-payload fixtures not found at ${fixtures} (set AGENTOPS_META_FIXTURES or place them at ../shared/fixtures)`]]);
    process.exitCode = 1;
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-bench-bf-'));
  const file = path.join(dir, 'projects', '-bench', 'c0ffee00-0000-4000-8000-000000000000.jsonl');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const bytes = makeTranscript(file, megabytes * 1024 * 1024);
  const bare = bareRead(file);
  const store = openSqliteStore({ file: path.join(dir, 'agentops.db') });
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const r = backfill({ paths: [path.join(dir, 'projects')], store, onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)) });
  peak = Math.max(peak, process.memoryUsage().rss);
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const mbs = bytes / 1024 / 1024 / (r.ms / 1000);
  report('backfill (one large transcript -> payloads -> normalize + redact -> SQLite)', [
    ['transcript', `${fmt(bytes / 1024 / 1024, 0)} MB, ${bare.lines} lines`],
    ['baseline: read lines + JSON.parse', `${fmt(bare.ms, 0)} ms (${fmt(bytes / 1024 / 1024 / (bare.ms / 1000), 1)} MB/s, 1.00x)`],
    ['agentops-meta backfill', `${fmt(r.ms, 0)} ms (${fmt(mbs, 1)} MB/s, ${fmt(r.ms / bare.ms, 2)}x; target >= 30 MB/s: ${mbs >= 30 ? 'met' : 'NOT met'})`],
    ['stored', `${r.inserted} events from ${r.payloads} payloads`],
    ['peak RSS', `${fmt(peak / 1024 / 1024, 0)} MB (target <= 300 MB: ${peak <= 300 * 1024 * 1024 ? 'met' : 'NOT met'})`],
  ]);
}
