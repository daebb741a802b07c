// Runs the real Claude Code CLI (each tested version is a pinned devDependency) in print mode
// against a fake API. The environment is built from scratch, not inherited, so the developer's own
// HOME, API key, settings and hooks can never leak into (or be touched by) a test run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/paths.js';

/** One installed Claude Code version: the devDependency that pins it and its native binary. */
export interface ClaudeVersion {
  /** the devDependency's name (its folder in node_modules) */
  dependency: string;
  version: string;
  bin: string;
}

/**
 * The tested versions, read from package.json: the oldest supported one under its own name, the newest
 * under an npm alias, so `npm ci` installs both side by side. Each package's postinstall puts its
 * native binary at bin/claude.exe; node_modules/.bin/claude would name only one of them.
 */
export const CLAUDE_VERSIONS: readonly ClaudeVersion[] = (() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  return ['@anthropic-ai/claude-code', 'claude-code-latest'].map((dependency) => {
    const spec = pkg.devDependencies[dependency] ?? '';
    const version = /^(?:npm:@anthropic-ai\/claude-code@)?(\d+\.\d+\.\d+)$/.exec(spec)?.[1];
    if (version === undefined) throw new Error(`package.json must pin ${dependency} to an exact Claude Code version, not "${spec}"`);
    return { dependency, version, bin: path.join(REPO_ROOT, 'node_modules', dependency, 'bin', 'claude.exe') };
  });
})();

export interface RunClaudeOptions {
  /** the CLI binary to run (a ClaudeVersion's bin) */
  bin: string;
  projectDir: string;
  home: string;
  baseUrl: string;
  prompt: string;
  /** Extra environment (e.g. AGENTOPS_META_HOME); wins over the defaults. */
  env?: Record<string, string>;
  /** Extra CLI arguments, appended after the defaults. */
  args?: string[];
  timeoutMs: number;
}

export interface RunClaudeResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (the `--output-format json` result), or undefined if it is not JSON. */
  json: unknown;
}

/** Marks the project trusted in the fresh HOME, so print mode skips the trust dialog. */
export function trustProject(home: string, projectDir: string): void {
  const file = path.join(home, '.claude.json');
  const config = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const projects = (config.projects ?? {}) as Record<string, unknown>;
  projects[path.resolve(projectDir)] = { hasTrustDialogAccepted: true };
  config.projects = projects;
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
}

export function runClaude(opts: RunClaudeOptions): Promise<RunClaudeResult> {
  trustProject(opts.home, opts.projectDir);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: opts.home,
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    LANG: 'C.UTF-8',
    ANTHROPIC_BASE_URL: opts.baseUrl,
    ANTHROPIC_API_KEY: 'sk-ant-e2e-fake-key',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    // --dangerously-skip-permissions refuses to run as root outside a declared sandbox.
    IS_SANDBOX: '1',
    ...opts.env,
  };
  const args = [
    '-p',
    opts.prompt,
    '--output-format',
    'json',
    '--dangerously-skip-permissions',
    ...(opts.args ?? []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(opts.bin, args, { cwd: opts.projectDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, timedOut, stdout, stderr, json: parseJson(stdout) });
    });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
