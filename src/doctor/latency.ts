// Runs the installed capture hook with a sample payload into a throwaway data folder and times it
// against `node -e 0`, the cheapest hook a Node tool could have. Interleaved runs, medians: the
// machine's noise hits both alike. Shell. The figures are kept in <data>/doctor.json for `report`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../learn/stats.js';
import type { LatencyFigures } from '../report/build-report.js';
import type { DataPaths } from '../shell/paths.js';

export interface LatencyRun {
  figures: LatencyFigures | null;
  /** payloads the hook left in the throwaway spool (should equal the runs) */
  stored: number;
  error: string | null;
}

const SAMPLE = JSON.stringify({
  session_id: 'agentops-meta-doctor',
  transcript_path: '/dev/null',
  cwd: os.tmpdir(),
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_use_id: 'toolu_doctor',
  tool_input: { command: 'npm test', description: 'run the tests' },
});


function timeOnce(cmd: string, args: string[], env: NodeJS.ProcessEnv, input: string): { ms: number; ok: boolean; error?: string } {
  for (let attempt = 0; ; attempt++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env, input, stdio: ['pipe', 'ignore', 'ignore'], timeout: 10_000 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
    // ETXTBSY: the script was being written a moment ago (an install in progress); try again.
    if (code === 'ETXTBSY' && attempt < 3) continue;
    // EPIPE: the program exited without reading its input; its exit status still says how it went.
    if (r.error && code !== 'EPIPE') return { ms, ok: false, error: r.error.message };
    return { ms, ok: r.status === 0 };
  }
}

export function measureCaptureLatency(hook: string, runs = 15, now: () => Date = () => new Date()): LatencyRun {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-meta-doctor-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, AGENTOPS_META_HOME: home };
    delete env.AGENTOPS_META_CLOCK_NS;
    delete env.AGENTOPS_META_DISABLE;
    const capture: number[] = [];
    const node: number[] = [];
    for (let i = 0; i < runs; i++) {
      const c = timeOnce(hook, ['PreToolUse'], env, SAMPLE);
      if (!c.ok) return { figures: null, stored: 0, error: c.error ?? `${hook} exited with an error` };
      capture.push(c.ms);
      node.push(timeOnce(process.execPath, ['-e', '0'], env, '').ms);
    }
    let stored = 0;
    try {
      stored = fs.readdirSync(path.join(home, 'spool')).filter((n) => n.endsWith('.json')).length;
    } catch {
      stored = 0;
    }
    const c = median(capture);
    const n = median(node);
    return { figures: { measured_at: now().toISOString(), source: 'doctor', runs, capture_ms: c, node_ms: n, ratio: n > 0 ? c / n : 0 }, stored, error: null };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

export function latencyFile(paths: DataPaths): string {
  return path.join(paths.home, 'doctor.json');
}

export function saveLatency(paths: DataPaths, figures: LatencyFigures): void {
  fs.mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  fs.writeFileSync(latencyFile(paths), `${JSON.stringify({ latency: figures }, null, 2)}\n`, { mode: 0o600 });
}

export function loadLatency(paths: DataPaths): LatencyFigures | null {
  try {
    const j = JSON.parse(fs.readFileSync(latencyFile(paths), 'utf8')) as { latency?: LatencyFigures };
    const l = j.latency;
    return l && typeof l.capture_ms === 'number' && typeof l.node_ms === 'number' && typeof l.ratio === 'number' ? l : null;
  } catch {
    return null;
  }
}
