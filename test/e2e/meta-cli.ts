// Runs the product CLI (`bin/agentops-meta.js`, the bundle in dist/) the way a user would, with a
// sandbox HOME and data folder, so the real ~/.claude and ~/.agentops-meta are never touched.
// Build first: `node build.mjs`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/paths.js';
import type { EventRecord, TestRun } from '../../src/core/types.js';
import type { SessionSummary } from '../../src/store/port.js';

export const META_BIN = path.join(REPO_ROOT, 'bin', 'agentops-meta.js');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface MetaEnv {
  /** the sandbox home: install --scope user would write here, and nothing else reads the real one */
  home: string;
  /** AGENTOPS_META_HOME */
  metaHome: string;
}

export interface MetaResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runMeta(args: string[], env: MetaEnv, cwd = env.home): MetaResult {
  if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`node build.mjs\` before the e2e tests`);
  const result = spawnSync(process.execPath, [META_BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: env.home,
      TMPDIR: process.env.TMPDIR ?? '/tmp',
      LANG: 'C.UTF-8',
      AGENTOPS_META_HOME: env.metaHome,
    },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a `--json` verb, fails with the CLI's own words when it exits non-zero, returns the parsed output. */
export function metaJson<T = unknown>(args: string[], env: MetaEnv, cwd?: string): T {
  const r = runMeta(args, env, cwd);
  if (r.status !== 0) throw new Error(`agentops-meta ${args.join(' ')} exited ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`agentops-meta ${args.join(' ')} printed no JSON:\n${r.stdout}\nstderr: ${r.stderr}`);
  }
}

/** `events --json`: an EventRecord without its payload. */
export type EventJson = Omit<EventRecord, 'payload'>;

export type TestRunJson = TestRun;

/** `tests --json` rows. */
export interface TestRowJson extends TestRunJson {
  session_id: string;
  tool_use_id: string | null;
  ts: string;
}

/** `sessions --json` rows. */
export type SessionJson = SessionSummary;

export interface IngestJson {
  files: number;
  inserted: number;
  duplicates: number;
  quarantined: number;
  partial_writes: number;
}

export interface InstallJson {
  ok: boolean;
  settingsPath: string;
  added?: string[];
  error?: string;
}

export interface PlanJson {
  event: string;
  source: string;
  text: string;
  ids: string[];
  why: string[];
}
