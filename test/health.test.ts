// The health signal: what ingest learns about capture reaches the user through the SessionStart hook.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { healthMessage, ingestProblem, learningNotice, recordLearningNotice } from '../src/shell/health.js';
import { REPO_ROOT } from './helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'bin', 'agentops-meta.js');
const SESSION_START = path.join(REPO_ROOT, 'hooks', 'agentops-session-start.sh');
const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
});

function home(): string {
  const h = fs.mkdtempSync(path.join(os.tmpdir(), 'am-health-'));
  homes.push(h);
  fs.mkdirSync(path.join(h, 'spool'), { recursive: true });
  return h;
}

const cli = (h: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, AGENTOPS_META_HOME: h }, encoding: 'utf8' });

function systemMessage(h: string): string | null {
  const r = spawnSync('bash', ['-c', `'${SESSION_START}'`], { input: '{"session_id":"h1","hook_event_name":"SessionStart"}', env: { ...process.env, AGENTOPS_META_HOME: h }, encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout ? (JSON.parse(r.stdout) as { systemMessage?: string }).systemMessage ?? null : null;
}

describe('health signal', () => {
  it('judges ingest runs: many quarantined payloads are a problem, a few are not', () => {
    expect(ingestProblem({ files: 100, quarantined: 5 })).toBeNull();
    expect(ingestProblem({ files: 10, quarantined: 10 })).toBeNull(); // too few to say
    expect(ingestProblem({ files: 100, quarantined: 40 })).toEqual({ kind: 'quarantine', quarantined: 40, files: 100 });
    expect(healthMessage({ kind: 'unwritable', error: 'disk full' })).toMatch(/cannot store .*disk full.*agentops-meta doctor/);
  });

  it('an unwritable database is shown to the user at the next session start, and cleared once ingest works', () => {
    const h = home();
    fs.mkdirSync(path.join(h, 'agentops.db')); // a folder where the database file should be
    expect(cli(h, 'ingest').status).toBe(1);
    expect(systemMessage(h)).toMatch(/^agentops-meta cannot store what it captures .*doctor/);
    fs.rmSync(path.join(h, 'agentops.db'), { recursive: true });
    expect(cli(h, 'ingest').status).toBe(0);
    expect(systemMessage(h)).toBeNull();
  });

  it('a run of quarantined payloads is shown to the user', () => {
    const h = home();
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(h, 'spool', `${1_700_000_000_000_000_000n + BigInt(i)}-9-Stop.json`), 'not json');
    expect(cli(h, 'ingest').status).toBe(0);
    expect(systemMessage(h)).toBe('agentops-meta quarantined 30 of the last 30 captured payloads. Run `agentops-meta doctor` to see why.');
  });

  it('names where learning commits went when it made the repository, and why one could not be made; nothing otherwise', () => {
    const base = { repo: '/d/library', why: 'data folder' as const };
    expect(learningNotice({ ...base, created: true, outcome: { status: 'committed' } })).toBe(
      'agentops-meta committed what it learned to /d/library (the default, in the data folder); review it with `git -C /d/library log -p`. To commit elsewhere: agentops-meta install --learning-repo DIR.',
    );
    expect(learningNotice({ ...base, created: false, outcome: { status: 'committed' } })).toBeNull();
    expect(learningNotice({ ...base, created: false, outcome: { status: 'deferred', reason: 'a rebase is in progress' } })).toBe(
      'agentops-meta could not commit what it learned to /d/library (the default, in the data folder): a rebase is in progress. Run `agentops-meta doctor`.',
    );
    expect(learningNotice({ ...base, created: false, outcome: { status: 'skipped', reason: 'nothing learned yet' } })).toBeNull();
    expect(learningNotice({ ...base, created: false, outcome: { status: 'unchanged' } })).toBeNull();
  });

  it('shows a learning notice once, at the next session start without a capture warning', () => {
    const h = home();
    recordLearningNotice(path.join(h, 'context'), 'agentops-meta committed what it learned to /x');
    fs.writeFileSync(path.join(h, 'context', 'health.msg'), `${JSON.stringify('capture is broken')}\n`);
    expect(systemMessage(h)).toBe('capture is broken'); // the warning first; the notice waits
    fs.rmSync(path.join(h, 'context', 'health.msg'));
    expect(systemMessage(h)).toBe('agentops-meta committed what it learned to /x');
    expect(systemMessage(h)).toBeNull();
  });
});

