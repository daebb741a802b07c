// Ingest throughput into SQLite against a bare read+parse of the same spool files. Target: >= 20,000 events/s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataPaths, ingestSpool, openSqliteStore } from '../dist/lib.js';
import { fmt, report } from './lib.mjs';

export function writeSpool(dir, n) {
  fs.mkdirSync(dir, { recursive: true });
  const base = 1_700_000_000_000_000_000n;
  for (let i = 0; i < n; i++) {
    const post = i % 2 === 1;
    const body = {
      session_id: `session-${Math.floor(i / 200)}`, transcript_path: '/home/u/.claude/projects/x/s.jsonl', cwd: '/tmp',
      hook_event_name: post ? 'PostToolUse' : 'PreToolUse', permission_mode: 'default', prompt_id: 'p', tool_name: i % 10 < 4 ? 'Bash' : 'Read',
      tool_use_id: `toolu_${i >> 1}`, tool_input: i % 10 < 4 ? { command: 'npm test -- --reporter dot' } : { file_path: `/tmp/src/file${i % 50}.ts` },
      ...(post ? { duration_ms: 120, tool_response: { stdout: 'line of output\n'.repeat(60) + ' Tests  12 passed (12)\n', stderr: '', interrupted: false } } : {}),
    };
    fs.writeFileSync(path.join(dir, `${base + BigInt(i)}-${1000 + (i % 97)}-${body.hook_event_name}.json`), JSON.stringify(body));
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
