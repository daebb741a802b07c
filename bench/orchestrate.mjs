// `agentops-meta orchestrate` wall time against `node -e 0`, interleaved in one run, on the context a
// learning run over 100,000 simulated events precomputes. Target: <= 1.5x.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG, normalize, openMemoryStore, runLearning, simulate, writeContext } from '../dist/lib.js';
import { fmt, interleaved, report, timeSpawn } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A data folder holding what a learning run over `events` simulated events writes to context/. */
export function learnedHome(events) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'am-bench-orch-'));
  const { payloads } = simulate({ seed: 5, sessions: Math.ceil(events / 40), start_ms: Date.UTC(2026, 0, 1), days: 60 });
  const store = openMemoryStore();
  // Each simulated project becomes a real folder, so `--project` names one that exists.
  const projectOf = (cwd) => {
    const dir = path.join(home, 'projects', path.basename(cwd));
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };
  const ctx = { projectOf, maxFieldChars: 4000 };
  const n = Math.min(events, payloads.length);
  let batch = [];
  for (let i = 0; i < n; i++) {
    const r = normalize({ id: `o${String(i).padStart(9, '0')}`, ts_ms: payloads[i].ts_ms, source: 'hook', value: payloads[i].payload }, ctx);
    if (r.ok) batch.push(r.record);
    if (batch.length === 5000) {
      store.insert(batch, []);
      batch = [];
    }
  }
  store.insert(batch, []);
  const stored = store.counts().events;
  const run = runLearning(store, DEFAULT_CONFIG, Date.UTC(2026, 3, 1));
  writeContext({ dir: path.join(home, 'context'), bundle: run.bundle, autostart: null });
  return { home, stored, sessions: run.traces.length, project: run.traces.find((t) => t.project)?.project ?? null };
}

export function benchOrchestrate(runs = 30, events = 100_000) {
  const { home, stored, sessions, project } = learnedHome(events);
  const size = fs.statSync(path.join(home, 'context', 'orchestrate.json')).size;
  const env = { ...process.env, AGENTOPS_META_HOME: home };
  const cli = path.join(root, 'bin', 'agentops-meta.js');
  const task = 'the tests fail after my edit, fix the flaky test in the invoice totals';
  const args = ['orchestrate', task, ...(project ? ['--project', project] : [])];
  timeSpawn(process.execPath, [cli, ...args], { env }); // once untimed: the file cache is warm for both
  const medians = interleaved(runs, {
    node: () => timeSpawn(process.execPath, ['-e', '0'], { env }),
    orchestrate: () => timeSpawn(process.execPath, [cli, ...args], { env }),
    json: () => timeSpawn(process.execPath, [cli, ...args, '--json'], { env }),
  });
  fs.rmSync(home, { recursive: true, force: true });
  const r = medians.orchestrate / medians.node;
  const j = medians.json / medians.node;
  report(`orchestrate (median wall time, interleaved runs; context learned from ${stored.toLocaleString('en-US')} simulated events, ${sessions} sessions)`, [
    ['runs each', String(runs)],
    ['context/orchestrate.json', `${(size / 1024).toFixed(0)} KiB`],
    ['node -e 0', `${fmt(medians.node)} ms  (baseline 1.00x)`],
    ['agentops-meta orchestrate TASK', `${fmt(medians.orchestrate)} ms  (${fmt(r, 2)}x, target <= 1.5x: ${r <= 1.5 ? 'met' : 'NOT met'})`],
    ['agentops-meta orchestrate TASK --json', `${fmt(medians.json)} ms  (${fmt(j, 2)}x)`],
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) benchOrchestrate();
