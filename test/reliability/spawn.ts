// Running our hooks and CLI the way Claude Code and a user do, from tests that need many of them
// at once: everything is asynchronous, so a pool of hooks, a daemon and killed ingesters can all
// be in flight together.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/paths.js';

export const CAPTURE_HOOK = path.join(REPO_ROOT, 'hooks', 'agentops-capture.sh');
export const SESSION_START_HOOK = path.join(REPO_ROOT, 'hooks', 'agentops-session-start.sh');
export const CLI = path.join(REPO_ROOT, 'bin', 'agentops-meta.js');

/** Claude Code's timeout for the capture hook is 10 s; we demand half of it. */
export const HOOK_BUDGET_MS = 5_000;

export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The command string the installer writes into settings.json for the capture hook. */
export const captureCommand = (event: string): string => `${shellQuote(CAPTURE_HOOK)} ${event}`;
export const sessionStartCommand = (): string => shellQuote(SESSION_START_HOOK);

/**
 * The environment a hook sees: the caller's, with the data folder set and the opt-outs removed.
 * HOME points at an empty folder because Node gives a child's stdin as a socket, and bash then
 * believes sshd started it and sources ~/.bashrc (when SHLVL is unset): that measures the
 * machine's shell profile, not our hook.
 */
export function hookEnv(dataHome: string, userHome: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AGENTOPS_META_DISABLE;
  delete env.CLAUDE_CODE_ENTRYPOINT;
  delete env.AGENTOPS_META_CLOCK_NS;
  return { ...env, HOME: userHome, AGENTOPS_META_HOME: dataHome, ...extra };
}

export interface ProcRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  ms: number;
}

/**
 * Spawns a process, feeds it `stdin`, collects everything. `killAfterMs` SIGKILLs it when it runs
 * longer (a hook stuck past Claude Code's timeout would be killed the same way).
 */
export function run(
  file: string,
  args: string[],
  options: { stdin?: Buffer | string; env: NodeJS.ProcessEnv; killAfterMs?: number; cwd?: string; onSpawn?: (child: ChildProcess) => void },
): Promise<ProcRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    options.onSpawn?.(child);
    const timer = options.killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {}); // a process may exit before reading all of its stdin
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), ms: performance.now() - started });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** A hook command run as Claude Code runs it: `bash -c <command>`, the payload on stdin. */
export const runHook = (command: string, stdin: Buffer | string, env: NodeJS.ProcessEnv, killAfterMs?: number): Promise<ProcRun> =>
  run('bash', ['-c', command], { stdin, env, killAfterMs });

/** `node bin/agentops-meta.js <args>` */
export const runCli = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<ProcRun> => run(process.execPath, [CLI, ...args], { env });

/** Runs job(0..count-1) with at most `width` in flight. */
export async function pool(count: number, width: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Small statistics for the figures the tests print. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * True once process `pid` has `file` open (Linux /proc); null where /proc cannot tell. Lets a test
 * kill an ingester while it works on the database rather than while Node is still starting.
 */
export function hasOpen(pid: number, file: string): boolean | null {
  const dir = `/proc/${pid}/fd`;
  let fds: string[];
  try {
    fds = fs.readdirSync(dir);
  } catch {
    return fs.existsSync('/proc/self/fd') ? false : null;
  }
  return fds.some((fd) => {
    try {
      return fs.readlinkSync(`${dir}/${fd}`) === file;
    } catch {
      return false;
    }
  });
}
