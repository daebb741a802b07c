// What the shipping tests and the shipping benchmark's checks share: stored events, a data folder
// (a simulated machine) whose store holds some, and the CLI run on it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { EventRecord } from '../../src/core/types.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { REPO_ROOT } from './paths.js';

export const CLI = path.join(REPO_ROOT, 'bin', 'agentops-meta.js');

/** The i-th event of a machine: 40 to a session, one a second. */
export function storedEvent(i: number, over: Partial<EventRecord> = {}): EventRecord {
  const ts_ms = Date.UTC(2026, 0, 1) + i * 1000;
  return {
    id: `e${String(i).padStart(7, '0')}`,
    session_id: `s${Math.floor(i / 40)}`,
    event: 'PostToolUse',
    ts: new Date(ts_ms).toISOString(),
    ts_ms,
    tool_name: 'Read',
    tool_use_id: `toolu_${i}`,
    actor: { kind: 'tool', name: 'Read', plugin: null, server: null },
    outcome: 'ok',
    duration_ms: 3,
    agent_id: null,
    agent_type: null,
    prompt_id: null,
    cwd: '/home/ann/code/shop',
    project: '/home/ann/code/shop',
    bash_kind: null,
    test: null,
    source: 'hook',
    payload: '{"tool_input":{"file_path":"/x.ts"}}',
    ...over,
  };
}

/** A data folder whose store holds `n` events, and its config. */
export function machineFolder(root: string, name: string, n: number, config: object = {}): string {
  const home = path.join(root, name);
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify(config));
  const store = openSqliteStore({ file: path.join(home, 'agentops.db') });
  const events = Array.from({ length: n }, (_, i) => storedEvent(i, { id: `${name}-${i}`, session_id: `${name}-s${Math.floor(i / 40)}` }));
  for (let i = 0; i < events.length; i += 5000) store.insert(events.slice(i, i + 5000), []);
  store.close();
  return home;
}

export function cli(home: string, args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, AGENTOPS_META_HOME: home }, timeout: 120_000 });
}

