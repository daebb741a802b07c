import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, DaemonRunningError, runningPid } from '../src/daemon/daemon.js';
import { dataPaths } from '../src/shell/paths.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { alive, captureTestedSession, removeDataFolders, waitFor } from './helpers/daemon.js';
import { REPO_ROOT } from './helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'bin', 'agentops-meta.js');
const CAPTURE = path.join(REPO_ROOT, 'hooks', 'agentops-capture.sh');
const homes: string[] = [];
/** daemons whose pid file may be gone by the end of a test (their data folder was removed) */
const daemons: number[] = [];

afterEach(() => {
  removeDataFolders(homes);
  for (const pid of daemons.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
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

/** The daemon of `home`, started by `daemon start`, remembered for cleanup. */
function startDaemon(home: string): number {
  const r = cli(home, 'daemon', 'start');
  expect(r.status, r.stderr).toBe(0);
  const pid = runningPid(dataPaths({ AGENTOPS_META_HOME: home }))!;
  daemons.push(pid);
  return pid;
}

const logOf = (home: string) => {
  try {
    return fs.readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8');
  } catch {
    return '';
  }
};

/** A git repository for learning commits, and its commit subjects. */
function learningRepoIn(home: string): { repo: string; commits: () => string[] } {
  const repo = path.join(home, 'learning-repo');
  fs.mkdirSync(repo);
  expect(spawnSync('git', ['init', '-q', repo]).status).toBe(0);
  return { repo, commits: () => spawnSync('git', ['-C', repo, 'log', '--format=%s'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean) };
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
    const { repo, commits } = learningRepoIn(home);
    // 00:00 has always passed today, and the last run was long ago: the catch-up is due at once.
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ daemon: { debounce_ms: 100 }, nightly: { time: '00:00', commit: true, repo } }));
    const store = openSqliteStore({ file: path.join(home, 'agentops.db') });
    store.setMeta('last_nightly', '2000-01-01');
    store.close();
    // A session that ran a passing test: something was learned (issue 12: nothing learned, no commit).
    captureTestedSession(REPO_ROOT, { ...process.env, AGENTOPS_META_HOME: home }, 'tested-1');
    startDaemon(home);
    await waitFor(() => commits().length === 1, 40_000, 'the nightly commit');
    expect(commits()[0]).toMatch(/^learning \d{4}-\d{2}-\d{2}: /);
    const status = JSON.parse(cli(home, 'daemon', 'status', '--json').stdout);
    expect(status.last_nightly).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // A restart the same day does not commit again.
    expect(cli(home, 'daemon', 'stop').status).toBe(0);
    startDaemon(home);
    await new Promise((r) => setTimeout(r, 1500));
    expect(cli(home, 'daemon', 'stop').status).toBe(0);
    expect(commits()).toHaveLength(1);
    expect(logOf(home)).toMatch(/nightly \d{4}-\d{2}-\d{2}: learning commit/);
  }, 90_000);

  it('does not commit at the first start on a new data folder: the schedule decides, and the log says why', async () => {
    const home = tempHome();
    const { repo, commits } = learningRepoIn(home);
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ daemon: { debounce_ms: 100 }, nightly: { time: '00:00', commit: true, repo } }));
    captureTestedSession(REPO_ROOT, { ...process.env, AGENTOPS_META_HOME: home }, 'tested-2');
    startDaemon(home);
    await waitFor(() => /nightly: skipped at the first start/.test(logOf(home)), 20_000, 'the skip in the log');
    await waitFor(() => stored(home) === 4, 20_000, 'the session to be ingested');
    expect(logOf(home)).toContain(`the first nightly learn-and-commit runs at the next 00:00`);
    expect(cli(home, 'daemon', 'stop').status).toBe(0);
    expect(commits()).toEqual([]);
    expect(JSON.parse(cli(home, 'daemon', 'status', '--json').stdout).last_nightly).toBeNull();
  }, 60_000);

  it('says which data folder each running daemon serves', async () => {
    const [a, b] = [tempHome(), tempHome()];
    const pa = startDaemon(a);
    const pb = startDaemon(b);
    const status = JSON.parse(cli(a, 'daemon', 'status', '--json').stdout);
    expect(status).toMatchObject({ running: true, pid: pa, data_folder: a });
    expect(status.daemons).toEqual(expect.arrayContaining([{ pid: pa, data_folder: a }, { pid: pb, data_folder: b }]));
    const text = cli(a, 'daemon', 'status').stdout;
    expect(text).toContain(`daemon: running (pid ${pa}) for the data folder ${a}`);
    expect(text).toContain(`pid ${pb}: data folder ${b}`);
  }, 60_000);

  it('exits by itself when its data folder is removed', async () => {
    const home = tempHome();
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ daemon: { debounce_ms: 100, check_ms: 200 }, nightly: { commit: false } }));
    const pid = startDaemon(home);
    fs.rmSync(home, { recursive: true, force: true });
    await waitFor(() => !alive(pid), 10_000, 'the daemon to exit');
    // It did not make the folder again on its way out.
    expect(fs.existsSync(home)).toBe(false);
  }, 30_000);

  it('exits by itself when its hooks are uninstalled', async () => {
    const home = tempHome();
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ daemon: { debounce_ms: 100, check_ms: 200, autostart: false }, nightly: { commit: false } }));
    const project = path.join(home, 'project');
    fs.mkdirSync(project);
    const env = { ...process.env, AGENTOPS_META_HOME: home, HOME: path.join(home, 'user') };
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
    expect(run('install', '--scope', 'project', '--project', project).status).toBe(0);
    const pid = startDaemon(home);
    await new Promise((r) => setTimeout(r, 600)); // several checks: installed hooks keep it running
    expect(alive(pid)).toBe(true);
    expect(run('uninstall', '--scope', 'project', '--project', project).status).toBe(0);
    await waitFor(() => !alive(pid), 10_000, 'the daemon to exit');
    expect(logOf(home)).toMatch(/daemon stopped: its hooks are no longer installed/);
  }, 30_000);

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
