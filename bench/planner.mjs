// Planner hook latency against `node -e 0`, side by side in one run.
// Targets: SessionStart (sh) <= 0.15x, UserPromptSubmit (node) <= 1.5x.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG, normalize, openMemoryStore, runLearning, simulate, writeContext } from '../dist/lib.js';
import { fmt, interleaved, report, timeSpawn } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A data folder with the context a learning run on 300 simulated sessions precomputes. */
function learnedHome() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'am-bench-plan-'));
  const store = openMemoryStore();
  const { payloads } = simulate({ seed: 9, sessions: 300, start_ms: Date.UTC(2026, 0, 1), days: 30 });
  const ctx = { projectOf: () => '/work/project', maxFieldChars: 4000 };
  store.insert(payloads.flatMap((p, i) => {
    const r = normalize({ id: `p${i}`, ts_ms: p.ts_ms, source: 'hook', value: p.payload }, ctx);
    return r.ok ? [r.record] : [];
  }), []);
  const run = runLearning(store, DEFAULT_CONFIG, Date.UTC(2026, 2, 1));
  writeContext({ dir: path.join(home, 'context'), bundle: { ...run.bundle, holdout_percent: 0 }, autostart: null });
  return { home, advice: Object.keys(run.bundle.session_start).length > 0 };
}

export function benchPlanner(runs = 40) {
  const { home, advice } = learnedHome();
  const env = { ...process.env, AGENTOPS_META_HOME: home, CLAUDE_PROJECT_DIR: '/work/project' };
  const start = (i) => JSON.stringify({ session_id: `bench-${i}`, hook_event_name: 'SessionStart', source: 'startup', cwd: '/work/project' });
  const prompt = (i) => JSON.stringify({ session_id: `bench-p${i}`, hook_event_name: 'UserPromptSubmit', prompt: 'the tests fail after my edit, fix the flaky test', cwd: '/work/project' });
  const medians = interleaved(runs, {
    node: () => timeSpawn(process.execPath, ['-e', '0'], { env }),
    sessionStart: (i) => timeSpawn(path.join(root, 'hooks', 'agentops-session-start.sh'), [], { env, input: start(i) }),
    prompt: (i) => timeSpawn(process.execPath, [path.join(root, 'hooks', 'agentops-plan.mjs'), 'UserPromptSubmit'], { env, input: prompt(i) }),
  });
  fs.rmSync(home, { recursive: true, force: true });
  const s = medians.sessionStart / medians.node;
  const p = medians.prompt / medians.node;
  report('planner hooks (median wall time, interleaved runs, context learned from 300 simulated sessions)', [
    ['runs each', `${runs}${advice ? '' : ' (no advice met the bar: the hooks printed nothing)'}`],
    ['node -e 0', `${fmt(medians.node)} ms  (baseline 1.00x)`],
    ['SessionStart: hooks/agentops-session-start.sh', `${fmt(medians.sessionStart)} ms  (${fmt(s, 3)}x, target <= 0.15x: ${s <= 0.15 ? 'met' : 'NOT met'})`],
    ['UserPromptSubmit: node hooks/agentops-plan.mjs', `${fmt(medians.prompt)} ms  (${fmt(p, 2)}x, target <= 1.5x: ${p <= 1.5 ? 'met' : 'NOT met'})`],
  ]);
}
