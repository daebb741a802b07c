// Where learning commits go (issue 12). Installed from a git checkout of agentops-meta, the tool
// must never commit into that checkout by itself: its library is <data>/library unless the user
// names another repository, nothing is committed before anything was learned, and a new data
// folder's daemon waits for the nightly schedule instead of committing the minute it starts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runningPid } from '../src/daemon/daemon.js';
import { replay, type ReplayPayload } from '../src/demo/replay.js';
import { dataPaths } from '../src/shell/paths.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { alive, testedSession, waitFor } from './helpers/daemon.js';
import { REPO_ROOT } from './helpers/paths.js';
import { tempDirs } from './helpers/temp-dirs.js';

const temp = tempDirs('am-learning-repo-');
const daemons: number[] = [];
afterEach(() => {
  for (const pid of daemons.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

/** git isolated from the machine's config; never takes optional locks (so looking changes nothing). */
const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_OPTIONAL_LOCKS: '0' };
function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-C', dir, ...args], { env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * A git repository that looks like a clone of agentops-meta (our package.json, the built CLI, the
 * hooks, the committed library), with one commit. node_modules is linked, not copied.
 */
function makeCheckout(): string {
  const clone = path.join(temp(), 'agentops-meta');
  fs.mkdirSync(clone);
  for (const entry of ['package.json', 'bin', 'dist', 'hooks', 'patterns', 'metrics']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(clone, entry), { recursive: true });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(clone, 'node_modules'));
  git(clone, 'init', '-q', '--initial-branch=main');
  fs.appendFileSync(path.join(clone, '.git', 'info', 'exclude'), 'node_modules\n');
  git(clone, 'add', '.');
  git(clone, '-c', 'user.name=dev', '-c', 'user.email=dev@example.test', 'commit', '-q', '-m', 'agentops-meta');
  expect(JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf8')).name).toBe('agentops-meta');
  return clone;
}

function fileHashes(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = path.join(rel, entry.name);
    if (p === '.git' || p === 'node_modules') continue;
    if (entry.isDirectory()) Object.assign(out, fileHashes(dir, p));
    else out[p] = createHash('sha256').update(fs.readFileSync(path.join(dir, p))).digest('hex');
  }
  return out;
}

/** Everything of the checkout's git state a learning commit could change. */
function gitState(clone: string) {
  return {
    head: git(clone, 'rev-parse', 'HEAD'),
    log: git(clone, 'log', '--all', '--format=%H %s'),
    index: createHash('sha256').update(fs.readFileSync(path.join(clone, '.git', 'index'))).digest('hex'),
    status: git(clone, 'status', '--porcelain=v1', '--untracked-files=all'),
    files: fileHashes(clone),
  };
}

function setup() {
  const root = temp();
  const data = path.join(root, 'data');
  const project = path.join(root, 'project');
  const home = path.join(root, 'user');
  for (const d of [data, project, home]) fs.mkdirSync(d);
  const env = { ...process.env, AGENTOPS_META_HOME: data, HOME: home };
  return { data, project, home, env };
}

const cliIn = (root: string, env: NodeJS.ProcessEnv) => (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'agentops-meta.js'), ...args], { env, encoding: 'utf8' });

/** Sessions that ran a passing test, as hook payloads a few minutes apart. */
function sessions(prefix: string, n: number, cwd: string): ReplayPayload[] {
  const start = Date.now() - n * 300_000;
  return Array.from({ length: n }, (_, s) => testedSession(`${prefix}-${s}`, cwd).map((p, i) => ({ ...p, ts_ms: start + s * 300_000 + i * 1000 }))).flat();
}

const logOf = (data: string) => {
  try {
    return fs.readFileSync(path.join(data, 'logs', 'daemon.log'), 'utf8');
  } catch {
    return '';
  }
};

describe('learning commits from an install out of a git checkout of agentops-meta', () => {
  it('go to <data>/library, never into the checkout; the first daemon start commits nothing', async () => {
    const clone = makeCheckout();
    const before = gitState(clone);
    const { data, project, env } = setup();
    fs.writeFileSync(path.join(data, 'config.json'), JSON.stringify({ daemon: { debounce_ms: 100, check_ms: 500 }, nightly: { time: '00:00' }, learn: { min_sessions: 2 } }));
    const cli = cliIn(clone, env);
    const installed = cli('install', '--scope', 'project', '--project', project);
    expect(installed.status, installed.stderr).toBe(0);
    expect(installed.stdout).toContain(`learning commits go to ${path.join(data, 'library')} (the default, in the data folder)`);
    const settingsFile = path.join(project, '.claude', 'settings.json');
    expect(fs.readFileSync(settingsFile, 'utf8')).toContain(`'${clone}'/hooks/agentops-capture.sh`);

    // Sessions through the installed hooks, as Claude Code runs them: SessionStart starts the daemon.
    const first = await replay({ payloads: sessions('a', 3, project), settingsFile, projectDir: project, env });
    expect(first.failures).toBe(0);
    const paths = dataPaths({ AGENTOPS_META_HOME: data });
    await waitFor(() => runningPid(paths) !== null, 20_000, 'the daemon the SessionStart hook starts');
    daemons.push(runningPid(paths)!);
    await waitFor(() => /nightly: skipped at the first start/.test(logOf(data)), 20_000, 'the first nightly decision');
    await waitFor(() => /learned and refreshed/.test(logOf(data)), 20_000, 'a learning run');
    expect(gitState(clone)).toEqual(before);
    expect(fs.existsSync(paths.library)).toBe(false);
    expect(cli('daemon', 'stop').status).toBe(0);

    // A later day: the nightly run is due, and commits into <data>/library.
    const store = openSqliteStore({ file: paths.db });
    store.setMeta('last_nightly', '2000-01-01');
    store.close();
    await replay({ payloads: sessions('b', 1, project), settingsFile, projectDir: project, env });
    await waitFor(() => runningPid(paths) !== null, 20_000, 'the daemon, restarted by SessionStart');
    daemons.push(runningPid(paths)!);
    // The library exists (empty) a moment before its first commit.
    const libraryLog = () => spawnSync('git', ['-C', paths.library, 'log', '--format=%s'], { encoding: 'utf8' }).stdout?.trim().split('\n').filter(Boolean) ?? [];
    await waitFor(() => libraryLog().length === 1, 40_000, 'the nightly commit in the library');
    expect(libraryLog()[0]).toMatch(/^learning \d{4}-\d{2}-\d{2}: .* from \d+ sessions$/);
    expect(git(paths.library, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n')).toEqual(expect.arrayContaining(['metrics/patterns.json', 'patterns/README.md']));
    expect(cli('daemon', 'stop').status).toBe(0);
    expect(gitState(clone)).toEqual(before);

    // status says where the library is, and the next session is told once where the commit went.
    expect(JSON.parse(cli('status', '--json').stdout)).toMatchObject({ learning_repo: paths.library, learning_repo_why: 'data folder' });
    const told = await replay({ payloads: sessions('c', 1, project).slice(0, 1), settingsFile, projectDir: project, env });
    const messages = told.outputs.map((o) => (JSON.parse(o.stdout) as { systemMessage?: string }).systemMessage).filter(Boolean);
    expect(messages).toEqual([`agentops-meta committed what it learned to ${paths.library} (the default, in the data folder); review it with \`git -C ${paths.library} log -p\`. To commit elsewhere: agentops-meta install --learning-repo DIR.`]);
    await waitFor(() => runningPid(paths) !== null, 20_000, 'the daemon');
    daemons.push(runningPid(paths)!);
    expect(cli('daemon', 'stop').status).toBe(0);
  }, 150_000);
});

describe('learn --commit', () => {
  it('makes no commit, and no repository, when nothing was learned yet', () => {
    const { data, env } = setup();
    const cli = cliIn(REPO_ROOT, env);
    const r = cli('learn', '--commit');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^no learning commit: nothing learned yet: no pattern and no test outcome in 0 sessions$/m);
    expect(fs.existsSync(path.join(data, 'library'))).toBe(false);
    // Nor into a repository named on the command line.
    const repo = temp();
    git(repo, 'init', '-q');
    expect(cli('learn', '--commit', '--repo', repo).status).toBe(0);
    expect(spawnSync('git', ['-C', repo, 'rev-parse', '-q', '--verify', 'HEAD']).status).not.toBe(0);
  });
});

describe('demo --commit-to', () => {
  it('still commits into the repository it names (how this repository\'s patterns/ and metrics/ are made)', () => {
    const { env } = setup();
    const repo = temp();
    git(repo, 'init', '-q');
    const r = cliIn(REPO_ROOT, env)('demo', '--dir', temp(), '--sessions', '6', '--commit-to', repo, '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).commit).toMatchObject({ repo, why: 'named', outcome: { status: 'committed' } });
    expect(git(repo, 'log', '--format=%s')).toMatch(/^learning \d{4}-\d{2}-\d{2}: /);
    // the demo's sessions are one simulated machine's, whoever runs it: one evidence file, the same
    // name every time (another run elsewhere does not add a second copy to the team tables)
    expect(git(repo, 'ls-files', 'metrics/evidence').trim()).toBe('metrics/evidence/dec0de00dec0de00.json');
  }, 60_000);
});

describe('install --learning-repo', () => {
  it('records the repository as nightly.repo; a folder that is not a repository is a usage error', () => {
    const { data, project, env } = setup();
    const cli = cliIn(REPO_ROOT, env);
    const repo = temp();
    git(repo, 'init', '-q');
    fs.writeFileSync(path.join(data, 'config.json'), JSON.stringify({ learn: { min_sessions: 3 } }));
    const r = cli('install', '--scope', 'project', '--project', project, '--learning-repo', repo);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`learning commits go to ${repo} (nightly.repo in the config)`);
    expect(JSON.parse(fs.readFileSync(path.join(data, 'config.json'), 'utf8'))).toEqual({ learn: { min_sessions: 3 }, nightly: { repo } });
    expect(JSON.parse(cli('status', '--json').stdout)).toMatchObject({ learning_repo: repo, learning_repo_why: 'configured' });

    const notRepo = temp();
    const bad = cli('install', '--scope', 'project', '--project', project, '--learning-repo', notRepo);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`--learning-repo: ${notRepo} is not the top of a git repository`);
    expect(cli('install', '--scope', 'project', '--project', project, '--learning-repo', path.join(notRepo, 'missing')).status).toBe(2);
  });
});
