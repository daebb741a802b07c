import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, DaemonRunningError, runningPid } from '../src/daemon/daemon.js';
import { dataPaths } from '../src/shell/paths.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { REPO_ROOT } from './helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'bin', 'agentops-meta.js');
const CAPTURE = path.join(REPO_ROOT, 'hooks', 'agentops-capture.sh');
const homes: string[] = [];

afterEach(() => {
  for (const home of homes.splice(0)) {
    const pid = runningPid(dataPaths({ AGENTOPS_META_HOME: home }));
    if (pid) process.kill(pid, 'SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  }
});

function tempHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'am-daemon-'));
  homes.push(home);
  fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ daemon: { debounce_ms: 100 }, nightly: { commit: false } }));
  return home;
}

const cli = (home: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, AGENTOPS_META_HOME: home }, encoding: 'utf8' });

function capture(home: string, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) {
    const payload = JSON.stringify({ session_id: 'd1', hook_event_name: 'PostToolUse', cwd: '/tmp', tool_name: 'Read', tool_use_id: `t${i}`, tool_input: {}, tool_response: {} });
    expect(spawnSync(CAPTURE, ['PostToolUse'], { input: payload, env: { ...process.env, AGENTOPS_META_HOME: home } }).status).toBe(0);
  }
}

async function waitFor(check: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

const stored = (home: string): number => {
  const file = path.join(home, 'agentops.db');
  if (!fs.existsSync(file)) return 0;
  const store = openSqliteStore({ file, readonly: true });
  try {
    return store.counts().events;
  } catch {
    return 0;
  } finally {
    store.close();
  }
};

describe('daemon', () => {
  it('one instance per data folder; a stale pid file is taken over', () => {
    const home = tempHome();
    const paths = dataPaths({ AGENTOPS_META_HOME: home });
    const release = acquireLock(paths);
    expect(() => acquireLock(paths)).not.toThrow(); // same process: re-entrant
    release();
    // A pid file of another live agentops-meta daemon: refused.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', 'agentops-meta', 'daemon', 'run']);
    fs.writeFileSync(path.join(home, 'daemon.pid'), `${other.pid}\n`);
    expect(() => acquireLock(paths)).toThrow(DaemonRunningError);
    other.kill('SIGKILL');
    // A reused pid: a live process that is not a daemon of ours is a stale pid file, never "running".
    const sleeper = spawn('sleep', ['30']);
    fs.writeFileSync(path.join(home, 'daemon.pid'), `${sleeper.pid}\n`);
    expect(runningPid(paths)).toBeNull();
    acquireLock(paths)();
    sleeper.kill('SIGKILL');
    // A pid file of a dead process: stale, taken over.
    fs.writeFileSync(path.join(home, 'daemon.pid'), '999999\n');
    const again = acquireLock(paths);
    expect(fs.readFileSync(path.join(home, 'daemon.pid'), 'utf8').trim()).toBe(String(process.pid));
    again();
    expect(fs.existsSync(path.join(home, 'daemon.pid'))).toBe(false);
  });

  it('starts, ingests what the hooks spool, refuses a second instance, and stops cleanly', async () => {
    const home = tempHome();
    expect(cli(home, 'daemon', 'start').status).toBe(0);
    const pid = runningPid(dataPaths({ AGENTOPS_META_HOME: home }));
    expect(pid).not.toBeNull();
    const second = cli(home, 'daemon', 'run');
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/already running/);
    capture(home, 20);
    await waitFor(() => stored(home) === 20);
    const status = JSON.parse(cli(home, 'daemon', 'status', '--json').stdout);
    expect(status).toMatchObject({ running: true, pid });
    expect(cli(home, 'daemon', 'stop').status).toBe(0);
    expect(runningPid(dataPaths({ AGENTOPS_META_HOME: home }))).toBeNull();
    expect(fs.readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8')).toMatch(/daemon stopped/);
  }, 60_000);

  it('after install, the first SessionStart starts the daemon when it is not running', async () => {
    const home = tempHome();
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ daemon: { debounce_ms: 100, autostart: true }, nightly: { commit: false } }));
    const project = path.join(home, 'project');
    fs.mkdirSync(project);
    const env = { ...process.env, AGENTOPS_META_HOME: home, HOME: path.join(home, 'user') };
    const install = spawnSync(process.execPath, [CLI, 'install', '--scope', 'project', '--project', project], { env, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    expect(fs.readFileSync(path.join(home, 'context', 'autostart'), 'utf8')).toContain('agentops-meta.js');
    const hook = path.join(REPO_ROOT, 'hooks', 'agentops-session-start.sh');
    const r = spawnSync('bash', ['-c', `'${hook}'`], { input: '{"session_id":"auto-1","hook_event_name":"SessionStart"}', env: { ...env, CLAUDE_PROJECT_DIR: project }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    await waitFor(() => runningPid(dataPaths({ AGENTOPS_META_HOME: home })) !== null);
    expect(cli(home, 'daemon', 'stop').status).toBe(0);
  }, 60_000);

  it('runs the nightly learn-and-commit when its time has passed, once for the day', async () => {
    const home = tempHome();
    const repo = path.join(home, 'learning-repo');
    fs.mkdirSync(repo);
    expect(spawnSync('git', ['init', '-q', repo]).status).toBe(0);
    // 00:00 has always passed today: the slot is due as soon as the daemon starts.
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ daemon: { debounce_ms: 100 }, nightly: { time: '00:00', commit: true, repo }, learn: { min_sessions: 2 } }));
    capture(home, 10);
    expect(cli(home, 'daemon', 'start').status).toBe(0);
    const commits = () => spawnSync('git', ['-C', repo, 'log', '--format=%s'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
    await waitFor(() => commits().length === 1, 40_000);
    expect(commits()[0]).toMatch(/^learning \d{4}-\d{2}-\d{2}: /);
    const status = JSON.parse(cli(home, 'daemon', 'status', '--json').stdout);
    expect(status.last_nightly).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // A restart the same day does not commit again.
    expect(cli(home, 'daemon', 'stop').status).toBe(0);
    expect(cli(home, 'daemon', 'start').status).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(cli(home, 'daemon', 'stop').status).toBe(0);
    expect(commits()).toHaveLength(1);
    expect(fs.readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8')).toMatch(/nightly \d{4}-\d{2}-\d{2}: learning commit/);
  }, 90_000);

  it('survives kill -9: a new daemon picks up where it left off, nothing lost or doubled', async () => {
    const home = tempHome();
    expect(cli(home, 'daemon', 'start').status).toBe(0);
    capture(home, 30);
    await waitFor(() => stored(home) > 0);
    const pid = runningPid(dataPaths({ AGENTOPS_META_HOME: home }))!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => runningPid(dataPaths({ AGENTOPS_META_HOME: home })) === null);
    capture(home, 30, 30);
    expect(cli(home, 'daemon', 'start').status).toBe(0); // stale pid file taken over
    await waitFor(() => stored(home) === 60);
    expect(cli(home, 'daemon', 'stop').status).toBe(0);
    expect(stored(home)).toBe(60);
  }, 60_000);
});
