// One e2e sandbox: a fresh HOME, project and data folder with our hooks installed by the real
// `agentops-meta install`, so the developer's ~/.claude and ~/.agentops-meta are never touched.
// Set AGENTOPS_E2E_KEEP=1 to keep the sandboxes (spool, transcripts, database) for inspection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunClaudeResult } from './claude-cli.js';
import { metaJson, type EventJson, type IngestJson, type InstallJson, type MetaEnv, type SessionJson, type TestRowJson } from './meta-cli.js';
import { prepareProject } from './scripts.js';

/** Longest one scripted `claude -p` run may take. */
export const CLI_TIMEOUT_MS = 45_000;
const KEEP = process.env.AGENTOPS_E2E_KEEP === '1';

export interface Sandbox extends MetaEnv {
  root: string;
  projectDir: string;
  /** what `agentops-meta install --json` reported */
  install: InstallJson;
}

/**
 * A fresh HOME, project and data folder, with the project skill and our hooks installed by the real
 * `agentops-meta install --scope project` (HOME is the sandbox's, so the real ~/.claude is untouched).
 * `config` becomes the data folder's config.json.
 */
export function makeSandbox(label: string, config?: unknown): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `agentops-e2e-${label}-`));
  const dirs = { home: path.join(root, 'home'), projectDir: path.join(root, 'project'), metaHome: path.join(root, 'meta') };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir);
  // No daemon: each test ingests itself (install would otherwise let SessionStart start one).
  fs.writeFileSync(path.join(dirs.metaHome, 'config.json'), JSON.stringify(config ?? { daemon: { autostart: false } }));
  prepareProject(dirs.projectDir);
  const install = metaJson<InstallJson>(['install', '--scope', 'project', '--project', dirs.projectDir, '--json'], dirs);
  return { root, ...dirs, install };
}

export function dropSandbox(sandbox: Sandbox | undefined): void {
  if (sandbox === undefined) return;
  if (KEEP) console.log(`agentops e2e: kept ${sandbox.root}`);
  else fs.rmSync(sandbox.root, { recursive: true, force: true });
}

/** Ingests the spool with the product CLI and reads back what it stored. */
export function ingestAndRead(env: MetaEnv): { ingest: IngestJson; events: EventJson[]; tests: TestRowJson[]; sessions: SessionJson[] } {
  const ingest = metaJson<IngestJson>(['ingest', '--json'], env);
  return {
    ingest,
    events: metaJson<EventJson[]>(['events', '--json'], env),
    tests: metaJson<TestRowJson[]>(['tests', '--json'], env),
    sessions: metaJson<SessionJson[]>(['sessions', '--json'], env),
  };
}

/** Why a run failed, for the assertion message: the CLI's own words. */
export function describeRun(run: RunClaudeResult): string {
  return `exit=${run.exitCode} signal=${run.signal} timedOut=${run.timedOut}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`;
}
