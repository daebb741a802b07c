// Replays recorded hook payloads through the hook commands an install wrote into settings.json,
// exactly as Claude Code runs them: `bash -c <command>`, payload on stdin, CLAUDE_PROJECT_DIR set.
// Sessions replay in parallel (as several Claude Code windows would), each session's events in order.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export interface ReplayPayload {
  ts_ms: number;
  event: string;
  payload: Record<string, unknown>;
}

interface SettingsHooks {
  hooks?: Record<string, { matcher?: string; hooks?: { type?: string; command?: string }[] }[]>;
}

/** Commands registered for each event in a settings file (every matcher group, in order). */
export function commandsByEvent(settingsFile: string): Map<string, string[]> {
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as SettingsHooks;
  const out = new Map<string, string[]>();
  for (const [event, groups] of Object.entries(settings.hooks ?? {})) {
    for (const g of groups) for (const h of g.hooks ?? []) if (h.type === 'command' && h.command) out.set(event, [...(out.get(event) ?? []), h.command]);
  }
  return out;
}

export interface ReplayResult {
  invocations: number;
  failures: number;
  /** what the hooks printed on stdout (injections), by event */
  outputs: { event: string; stdout: string }[];
}

function runHook(command: string, input: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { env, cwd, stdio: ['pipe', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.on('error', () => resolve({ code: null, stdout }));
    child.on('close', (code) => resolve({ code, stdout }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

export async function replay(options: {
  payloads: readonly ReplayPayload[];
  settingsFile: string;
  projectDir: string;
  env: NodeJS.ProcessEnv;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}): Promise<ReplayResult> {
  const commands = commandsByEvent(options.settingsFile);
  const bySession = new Map<string, ReplayPayload[]>();
  for (const p of options.payloads) {
    const sid = String(p.payload.session_id);
    bySession.set(sid, [...(bySession.get(sid) ?? []), p]);
  }
  const sessions = [...bySession.values()];
  const total = options.payloads.length;
  const result: ReplayResult = { invocations: 0, failures: 0, outputs: [] };
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < sessions.length) {
      const events = sessions[next++]!;
      for (const [i, p] of events.entries()) {
        // The recorded arrival time, in ns; the index keeps events of one millisecond in order.
        const env = { ...options.env, CLAUDE_PROJECT_DIR: options.projectDir, AGENTOPS_META_CLOCK_NS: `${BigInt(Math.round(p.ts_ms)) * 1_000_000n + BigInt(i % 1_000_000)}` };
        const input = JSON.stringify(p.payload);
        for (const command of commands.get(p.event) ?? []) {
          const r = await runHook(command, input, env, options.projectDir);
          result.invocations++;
          if (r.code !== 0) result.failures++;
          if (r.stdout.trim()) result.outputs.push({ event: p.event, stdout: r.stdout.trim() });
        }
        options.onProgress?.(++done, total);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 6 }, worker));
  return result;
}
