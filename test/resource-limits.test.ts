// Resource limits: a full disk, a read-only data folder, no HOME, an older database, a corrupted
// database. No hook ever fails Claude Code, and nothing already captured is lost.
// The disk tests mount small tmpfs file systems, which needs root (tests and CI run as root here).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/store/schema.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { REPO_ROOT } from './helpers/paths.js';

const CAPTURE = path.join(REPO_ROOT, 'hooks', 'agentops-capture.sh');
const CLI = path.join(REPO_ROOT, 'bin', 'agentops-meta.js');
const mounts: string[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const m of mounts.splice(0)) spawnSync('umount', ['-l', m]);
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'am-limits-'));
  dirs.push(d);
  return d;
}

function tmpfs(sizeKb: number, options = ''): string {
  const dir = tempDir();
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k${options ? `,${options}` : ''}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`these tests mount tmpfs and need root: ${r.stderr}`);
  mounts.push(dir);
  return dir;
}

const payload = (i: number) => JSON.stringify({ session_id: 'lim', hook_event_name: 'PostToolUse', cwd: '/tmp', tool_name: 'Read', tool_use_id: `t${i}`, tool_input: {}, tool_response: { text: 'x'.repeat(200) } });

function hook(home: string | null, input: string, env: NodeJS.ProcessEnv = process.env) {
  const e: NodeJS.ProcessEnv = { ...env };
  if (home === null) delete e.AGENTOPS_META_HOME;
  else e.AGENTOPS_META_HOME = home;
  return spawnSync('bash', ['-c', `'${CAPTURE}' PostToolUse`], { input, env: e });
}

const cli = (home: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, AGENTOPS_META_HOME: home }, encoding: 'utf8' });
const spooled = (home: string) => fs.readdirSync(path.join(home, 'spool')).filter((n) => n.endsWith('.json'));

describe('resource limits', () => {
  it('full disk: the hook exits 0 silently and leaves no partial file; ingest fails clearly and loses nothing', () => {
    // A new database with 16 KiB pages takes about 250 KB with its WAL: room for it once the filler is gone.
    const home = tmpfs(1024);
    for (let i = 0; i < 5; i++) expect(hook(home, payload(i)).status).toBe(0);
    expect(spooled(home)).toHaveLength(5);
    // Fill the disk.
    spawnSync('bash', ['-c', `head -c 10000000 /dev/zero > '${home}/filler' 2>/dev/null`]);
    const full = hook(home, payload(99).padEnd(100_000, ' '));
    expect(full.status).toBe(0);
    expect(full.stdout.length + full.stderr.length).toBe(0);
    expect(fs.readdirSync(path.join(home, 'spool', '.tmp'))).toEqual([]); // the partial write was removed
    const ingest = cli(home, 'ingest');
    expect(ingest.status).toBe(1);
    expect(ingest.stderr).toMatch(/agentops-meta: /);
    expect(spooled(home)).toHaveLength(5); // nothing deleted that was not stored
    // Space again: everything captured before is ingested, exactly once.
    fs.rmSync(path.join(home, 'filler'));
    expect(cli(home, 'ingest').status).toBe(0);
    expect(JSON.parse(cli(home, 'status', '--json').stdout)).toMatchObject({ events: 5, pending_spool: 0 });
  });

  it('read-only data folder: the hook exits 0 silently; the CLI says what is wrong', () => {
    // A new database with 16 KiB pages takes about 250 KB with its WAL: room for it once the filler is gone.
    const home = tmpfs(1024);
    fs.mkdirSync(path.join(home, 'spool'));
    spawnSync('mount', ['-o', 'remount,ro', home]);
    const r = hook(home, payload(1));
    expect(r.status).toBe(0);
    expect(r.stdout.length + r.stderr.length).toBe(0);
    const status = cli(home, 'status');
    expect(status.status).toBe(1);
    expect(status.stderr).toMatch(/cannot open the database/);
  });

  it('no HOME: the hook and the CLI fall back to a private folder in the temp dir', () => {
    const tmp = tempDir();
    const { HOME: _h, AGENTOPS_META_HOME: _a, ...env } = process.env;
    const r = spawnSync('bash', ['-c', `'${CAPTURE}' PostToolUse`], { input: payload(1), env: { ...env, TMPDIR: tmp } });
    expect(r.status).toBe(0);
    const folder = path.join(tmp, `agentops-meta-${os.userInfo().uid}`);
    expect(fs.readdirSync(path.join(folder, 'spool')).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    const status = spawnSync(process.execPath, [CLI, 'ingest', '--json'], { env: { ...env, TMPDIR: tmp }, encoding: 'utf8' });
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout).inserted).toBe(1);
  });

  it('a database from an older schema version is migrated, keeping its data', () => {
    const home = tempDir();
    const file = path.join(home, 'agentops.db');
    // The first schema, as an older agentops-meta left it.
    const old = new Database(file);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO meta (key, value) VALUES ('last_ingest', 'then')").run();
    old.close();
    const store = openSqliteStore({ file });
    expect(store.getMeta('last_ingest')).toBe('then');
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('a corrupted database is moved aside, capture and ingest carry on, nothing in the spool is lost', () => {
    const home = tempDir();
    fs.writeFileSync(path.join(home, 'agentops.db'), Buffer.alloc(8192, 0x5a));
    for (let i = 0; i < 3; i++) expect(hook(home, payload(i)).status).toBe(0);
    const ingest = cli(home, 'ingest', '--json');
    expect(ingest.status).toBe(0);
    expect(JSON.parse(ingest.stdout).inserted).toBe(3);
    expect(ingest.stderr).toMatch(/moved aside to .*agentops\.db\.corrupt-/);
    const aside = fs.readdirSync(home).filter((n) => n.startsWith('agentops.db.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(home, aside[0]!)).equals(Buffer.alloc(8192, 0x5a))).toBe(true);
  });
});
