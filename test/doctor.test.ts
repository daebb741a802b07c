import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliContext } from '../src/cli/cli-context.js';
import { CliError } from '../src/cli/errors.js';
import { registerReportCommands } from '../src/cli/report-commands.js';
import { DEFAULT_CONFIG } from '../src/config/schema.js';
import { formatDoctor, runDoctor } from '../src/doctor/doctor.js';
import { checkInstall, shellWords } from '../src/doctor/install-check.js';
import { loadLatency, measureCaptureLatency } from '../src/doctor/latency.js';
import { checkConfig, checkDatabase, checkLearning, checkNode, checkSpool, databaseState, spoolState } from '../src/doctor/state-checks.js';
import type { Check, DoctorReport } from '../src/doctor/types.js';
import { CAPTURE_EVENTS } from '../src/install/hook-spec.js';
import { install } from '../src/install/install.js';
import type { ReportData } from '../src/report/build-report.js';
import { dataPaths, type DataPaths } from '../src/shell/paths.js';
import { openMemoryStore } from '../src/store/memory.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { MIGRATIONS } from '../src/store/schema.js';
import { REPO_ROOT } from './helpers/paths.js';

let root: string;
let home: string;
let project: string;
let paths: DataPaths;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'am-doctor-'));
  home = path.join(root, 'home');
  project = path.join(root, 'project');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(project, { recursive: true });
  paths = dataPaths({ AGENTOPS_META_HOME: path.join(root, 'data') });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const byId = (checks: Check[], id: string) => checks.find((c) => c.id === id);

/** A copy of the package's hooks folder somewhere else: an install root we can break. */
function copyRoot(name: string): string {
  const dir = path.join(root, name);
  fs.cpSync(path.join(REPO_ROOT, 'hooks'), path.join(dir, 'hooks'), { recursive: true });
  return dir;
}

function installAt(scope: 'user' | 'project' | 'local', at: string): void {
  const r = install({ scope, root: at, home, projectDir: project, nodeBin: process.execPath, now: new Date(0) });
  expect(r.ok).toBe(true);
}

function gitInit(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', dir]);
}

describe('shellWords', () => {
  it('splits commands the way sh does for the forms the installer writes', () => {
    expect(shellWords(`'/opt/a b'/hooks/agentops-capture.sh PreToolUse`)).toEqual(['/opt/a b/hooks/agentops-capture.sh', 'PreToolUse']);
    expect(shellWords(`'/usr/bin/no de' '/x/it'\\''s'/hooks/agentops-plan.mjs UserPromptSubmit`)).toEqual(['/usr/bin/no de', "/x/it's/hooks/agentops-plan.mjs", 'UserPromptSubmit']);
    expect(shellWords(`"\${CLAUDE_PLUGIN_ROOT}"/hooks/agentops-capture.sh  Stop`)).toEqual(['${CLAUDE_PLUGIN_ROOT}/hooks/agentops-capture.sh', 'Stop']);
    expect(shellWords(`node /a\\ b/hooks/x.mjs "q\\"q"`)).toEqual(['node', '/a b/hooks/x.mjs', 'q"q']);
  });
});

describe('checkInstall', () => {
  it('finds nothing installed: a problem, with the command that fixes it', () => {
    const { checks } = checkInstall({ home, projectDir: project });
    expect(byId(checks, 'install.user')?.severity).toBe('info');
    expect(byId(checks, 'install.coverage')).toMatchObject({ severity: 'problem', fix: expect.stringContaining('agentops-meta install --scope user') });
  });

  it('accepts a working install and reports every capture event covered', () => {
    installAt('user', REPO_ROOT);
    const { checks, captureScripts } = checkInstall({ home, projectDir: project });
    expect(byId(checks, 'install.user')?.severity).toBe('ok');
    expect(byId(checks, 'install.coverage')).toMatchObject({ severity: 'ok', detail: `all ${CAPTURE_EVENTS.length} capture events have a working hook` });
    expect(captureScripts).toEqual([path.join(REPO_ROOT, 'hooks', 'agentops-capture.sh')]);
  });

  it('flags handlers whose folder is gone or whose script is not executable', () => {
    installAt('user', REPO_ROOT);
    const gone = copyRoot('old-version');
    installAt('project', gone);
    fs.rmSync(gone, { recursive: true });
    const noexec = copyRoot('noexec');
    installAt('local', noexec);
    fs.chmodSync(path.join(noexec, 'hooks', 'agentops-capture.sh'), 0o644);

    const { checks } = checkInstall({ home, projectDir: project });
    expect(byId(checks, 'install.project')).toMatchObject({ severity: 'problem', detail: expect.stringContaining('does not exist'), fix: expect.stringContaining('--scope project') });
    expect(byId(checks, 'install.local')).toMatchObject({ severity: 'problem', detail: expect.stringContaining('is not executable') });
    // The user scope still captures everything; Claude Code merges the scopes.
    expect(byId(checks, 'install.coverage')?.severity).toBe('ok');
  });

  it('reports settings that do not parse, partial coverage, and two installations at once', () => {
    fs.mkdirSync(path.join(project, '.claude'), { recursive: true });
    fs.writeFileSync(path.join(project, '.claude', 'settings.local.json'), '{ "hooks": ');
    const other = copyRoot('other');
    installAt('user', REPO_ROOT);
    installAt('project', other);
    // Leave the project scope with only some events: drop the user install's Stop handler.
    const userSettings = path.join(home, '.claude', 'settings.json');
    const s = JSON.parse(fs.readFileSync(userSettings, 'utf8')) as { hooks: Record<string, unknown> };
    delete s.hooks.Stop;
    fs.writeFileSync(userSettings, JSON.stringify(s));
    fs.rmSync(path.join(project, '.claude', 'settings.json'));
    let r = checkInstall({ home, projectDir: project });
    expect(byId(r.checks, 'install.local')).toMatchObject({ severity: 'problem', detail: expect.stringContaining('not valid JSON') });
    expect(byId(r.checks, 'install.coverage')).toMatchObject({ severity: 'warn', detail: expect.stringContaining('Stop') });

    installAt('project', other);
    r = checkInstall({ home, projectDir: project });
    expect(byId(r.checks, 'install.duplicate')).toMatchObject({ severity: 'warn', detail: expect.stringContaining('2 installations') });
  });

  it('accepts an install as a Claude Code plugin', () => {
    fs.mkdirSync(path.join(home, '.claude', 'plugins'), { recursive: true });
    fs.writeFileSync(path.join(home, '.claude', 'plugins', 'installed_plugins.json'), JSON.stringify({ version: 2, plugins: { 'agentops-meta@m': [{ installPath: REPO_ROOT }] } }));
    const { checks } = checkInstall({ home, projectDir: project });
    expect(byId(checks, 'install.plugin')?.severity).toBe('ok');
    expect(byId(checks, 'install.coverage')).toBeUndefined();
  });
});

describe('capture hook latency', () => {
  it('runs the real hook into a throwaway spool and compares it with node -e 0', () => {
    const m = measureCaptureLatency(path.join(REPO_ROOT, 'hooks', 'agentops-capture.sh'), 3);
    expect(m.error).toBeNull();
    expect(m.stored).toBe(3);
    const f = m.figures!;
    expect(f.capture_ms).toBeGreaterThan(0);
    expect(f.node_ms).toBeGreaterThan(0);
    expect(f.ratio).toBeCloseTo(f.capture_ms / f.node_ms);
  });

  it('reports a hook that fails or writes nothing', () => {
    const broken = path.join(root, 'broken.sh');
    fs.writeFileSync(broken, '#!/bin/sh\ncat >/dev/null\nexit 3\n', { mode: 0o755 });
    expect(measureCaptureLatency(broken, 2).error).toMatch(/exited with an error/);
    const silent = path.join(root, 'silent.sh');
    fs.writeFileSync(silent, '#!/bin/sh\ncat >/dev/null\n', { mode: 0o755 });
    expect(measureCaptureLatency(silent, 2)).toMatchObject({ error: null, stored: 0 });
  });
});

describe('state checks', () => {
  const now = Date.UTC(2026, 5, 1);

  it('spool: a day-old backlog without a daemon is a warning; stale partial writes too', () => {
    fs.mkdirSync(paths.spoolTmp, { recursive: true });
    expect(checkSpool(spoolState(paths), false, now)).toEqual([expect.objectContaining({ severity: 'ok' })]);
    fs.writeFileSync(path.join(paths.spool, `${now - 2 * 3_600_000}000000-1-Stop.json`), '{}');
    expect(checkSpool(spoolState(paths), false, now)[0]).toMatchObject({ severity: 'ok', detail: '1 payloads waiting, oldest 2.0 h ago' });
    // With a daemon running, two hours of backlog means it is not keeping up.
    expect(checkSpool(spoolState(paths), true, now)[0]?.severity).toBe('warn');
    fs.writeFileSync(path.join(paths.spool, `${now - 30 * 3_600_000}000000-2-Stop.json`), '{}');
    const s = spoolState(paths);
    expect(s).toMatchObject({ pending: 2, oldest_ms: now - 30 * 3_600_000 });
    expect(checkSpool(s, false, now)[0]).toMatchObject({ severity: 'warn', fix: expect.stringContaining('agentops-meta ingest') });
    const tmp = path.join(paths.spoolTmp, 'x');
    fs.writeFileSync(tmp, '{"half');
    fs.utimesSync(tmp, (now - 3_600_000) / 1000, (now - 3_600_000) / 1000);
    expect(checkSpool(spoolState(paths), false, now).map((c) => c.id)).toContain('spool.partial');
  });

  it('database: integrity, schema version and quarantine from a read-only look', () => {
    expect(checkDatabase(databaseState(paths), paths)).toEqual([expect.objectContaining({ id: 'database', severity: 'info' })]);
    const store = openSqliteStore({ file: paths.db });
    store.insert([], [{ id: 'q1', ts_ms: 1, event: null, reason: 'not JSON', size: 3, raw: 'abc' }]);
    store.setMeta('last_learn', '2026-05-31T00:00:00.000Z');
    store.close();
    const d = databaseState(paths);
    expect(d).toMatchObject({ schema_version: MIGRATIONS.length, integrity: 'ok', events: 0, quarantined: 1, meta: { last_learn: '2026-05-31T00:00:00.000Z' } });
    const checks = checkDatabase(d, paths);
    expect(checks.map((c) => [c.id, c.severity])).toEqual([
      ['database.integrity', 'ok'],
      ['database.schema', 'ok'],
      ['quarantine', 'warn'],
    ]);
  });

  it('database: a newer schema and a file that is not a database are problems', () => {
    fs.mkdirSync(paths.home, { recursive: true });
    const db = new Database(paths.db);
    db.pragma('user_version = 99');
    db.close();
    expect(byId(checkDatabase(databaseState(paths), paths), 'database.schema')).toMatchObject({ severity: 'problem', fix: 'upgrade agentops-meta' });
    fs.rmSync(paths.db);
    fs.writeFileSync(paths.db, 'this is not a database, just some text long enough to have a header'.repeat(20));
    expect(checkDatabase(databaseState(paths), paths)[0]).toMatchObject({ severity: 'problem' });
  });

  it('config and Node.js version', () => {
    fs.mkdirSync(paths.home, { recursive: true });
    fs.writeFileSync(paths.config, JSON.stringify({ learn: { min_sessions: 0 } }));
    expect(checkConfig(paths, null).check).toMatchObject({ severity: 'problem', detail: expect.stringContaining('learn.min_sessions') });
    fs.writeFileSync(paths.config, '{');
    expect(checkConfig(paths, null).check.severity).toBe('problem');
    expect(checkNode('20.19.0').severity).toBe('ok');
    expect(checkNode('18.20.1').severity).toBe('problem');
  });

  it('learning repository: missing, not a repository, or fine', () => {
    const repo = path.join(root, 'learnings');
    const config = { ...DEFAULT_CONFIG, nightly: { ...DEFAULT_CONFIG.nightly, repo } };
    expect(byId(checkLearning(config, paths, {}, now), 'learning.repo')?.severity).toBe('problem');
    fs.mkdirSync(repo);
    expect(byId(checkLearning(config, paths, {}, now), 'learning.repo')).toMatchObject({ severity: 'problem', detail: expect.stringContaining('not the top of a git repository') });
    gitInit(repo);
    const checks = checkLearning(config, paths, { last_learn: new Date(now - 3_600_000).toISOString() }, now);
    expect(byId(checks, 'learning.repo')).toMatchObject({ severity: 'ok', detail: expect.stringContaining('no learning commit yet') });
    expect(byId(checks, 'learning.last')).toMatchObject({ severity: 'ok', detail: 'last learning run 1.0 h ago' });
  });

  it('learning repository: a broken one is a problem, not a crash, and an ambient GIT_DIR (a git hook sets it) does not count', () => {
    const repo = path.join(root, 'learnings');
    const config = { ...DEFAULT_CONFIG, nightly: { ...DEFAULT_CONFIG.nightly, repo } };
    fs.mkdirSync(repo);
    fs.writeFileSync(path.join(repo, '.git'), 'gitdir: /nowhere/at/all\n'); // a worktree whose repository is gone
    expect(byId(checkLearning(config, paths, {}, now), 'learning.repo')).toMatchObject({ severity: 'problem', detail: expect.stringContaining('not the top of a git repository') });
    fs.rmSync(path.join(repo, '.git'));
    const other = path.join(root, 'other');
    gitInit(other);
    const before = process.env.GIT_DIR;
    process.env.GIT_DIR = path.join(other, '.git');
    try {
      expect(byId(checkLearning(config, paths, {}, now), 'learning.repo')?.severity).toBe('problem');
    } finally {
      if (before === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = before;
    }
  });

  it('learning repository: by default <data>/library, never this checkout, and doctor does not create it', () => {
    // This checkout is a git repository; it used to be the default learning repository (issue 12).
    const check = byId(checkLearning(DEFAULT_CONFIG, paths, {}, now), 'learning.repo');
    expect(check).toMatchObject({ severity: 'info', detail: `${path.join(paths.home, 'library')} (the default, in the data folder) is created by the first learning commit` });
    expect(fs.existsSync(path.join(paths.home, 'library'))).toBe(false);
    gitInit(path.join(paths.home, 'library'));
    expect(byId(checkLearning(DEFAULT_CONFIG, paths, {}, now), 'learning.repo')).toMatchObject({ severity: 'ok', detail: expect.stringMatching(/library \(the default, in the data folder\); no learning commit yet$/) });
  });
});

describe('doctor command', () => {
  function healthySetup(): void {
    installAt('user', REPO_ROOT);
    const repo = path.join(root, 'learnings');
    gitInit(repo);
    fs.mkdirSync(paths.home, { recursive: true });
    fs.writeFileSync(paths.config, JSON.stringify({ nightly: { repo } }));
    openSqliteStore({ file: paths.db }).close();
  }

  it('is healthy on a working install, and keeps the latency figures for report', () => {
    healthySetup();
    const r = runDoctor({ paths, home, projectDir: project, packageRoot: REPO_ROOT, latencyRuns: 3 });
    // The latency check compares two timings: on a loaded machine it may warn, which is not a problem.
    expect(r.checks.filter((c) => (c.severity === 'problem' || c.severity === 'warn') && c.id !== 'hook.latency')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(byId(r.checks, 'hook.latency')?.detail).toMatch(/payload written$/);
    expect(loadLatency(paths)).toEqual(r.latency);
    expect(formatDoctor(r, false)).toMatch(/\nhealthy(, 1 warning)?\n$/);
    expect(formatDoctor(r, false)).not.toContain('\u001b[');
    expect(formatDoctor(r, true)).toContain('\u001b[32m✓');
  });

  it('reports a hook that spools nothing as a problem', () => {
    const fake = copyRoot('fake');
    fs.writeFileSync(path.join(fake, 'hooks', 'agentops-capture.sh'), '#!/bin/sh\ncat >/dev/null\nexit 0\n', { mode: 0o755 });
    installAt('user', fake);
    const r = runDoctor({ paths, home, projectDir: project, packageRoot: REPO_ROOT, latencyRuns: 2 });
    expect(byId(r.checks, 'hook.run')).toMatchObject({ severity: 'problem', detail: expect.stringContaining('spooled 0 payloads') });
    expect(r.ok).toBe(false);
  });

  async function run(ctx: CliContext, ...args: string[]): Promise<void> {
    const program = new Command().exitOverride();
    registerReportCommands(program, ctx, { home: () => home });
    await program.parseAsync(args, { from: 'user' });
  }

  it('exits 1 with the JSON report when a problem is found, and report shows the measured latency', async () => {
    const out: string[] = [];
    const store = openMemoryStore();
    const ctx: CliContext = { paths, out: (t) => out.push(t), json: (v) => out.push(JSON.stringify(v)), withStore: (fn) => fn(store) };
    // Nothing installed: a problem.
    const err = await run(ctx, 'doctor', '--json', '--project', project).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(1);
    const report = JSON.parse(out[0]!) as DoctorReport;
    expect(report.ok).toBe(false);
    expect(report.problems).toBeGreaterThan(0);
    expect(byId(report.checks, 'install.coverage')?.severity).toBe('problem');
    expect(report.latency).not.toBeNull();

    out.length = 0;
    await run(ctx, 'report', '--json', '--project', project, '--repo', root);
    const data = JSON.parse(out[0]!) as ReportData;
    expect(data.latency).toEqual(report.latency);
  });
});
