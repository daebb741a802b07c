// The state of the data folder: daemon, spool, database, learning repository, configuration. Shell.
// Nothing here writes: the database is opened read-only (opening it through the store would run
// migrations), so doctor can look at a broken install without changing it.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../config/load.js';
import { DEFAULT_CONFIG, type Config } from '../config/schema.js';
import { parseSpoolName } from '../core/spool-name.js';
import { runningPid } from '../daemon/daemon.js';
import { describeLearningRepo, learningRepo, type DataPaths } from '../shell/paths.js';
import { MIGRATIONS } from '../store/schema.js';
import { gitAvailable, isRepoTop, lastLearningCommit } from '../shell/learning-repo.js';
import type { Check } from './types.js';

const HOUR = 3_600_000;

function hoursAgo(ms: number, now: number): string {
  const h = (now - ms) / HOUR;
  return h < 1 ? `${Math.max(0, Math.round(h * 60))} min ago` : h < 48 ? `${h.toFixed(1)} h ago` : `${Math.round(h / 24)} days ago`;
}

export function checkConfig(paths: DataPaths, projectDir: string | null): { check: Check; config: Config } {
  const r = loadConfig(paths.config, projectDir);
  if (!r.ok) {
    return {
      config: DEFAULT_CONFIG,
      check: { id: 'config', title: 'configuration', severity: 'problem', detail: r.errors.join('; '), fix: 'fix the file named above; `agentops-meta config` lists every key and its default' },
    };
  }
  const custom = Object.values(r.sources).filter((s) => s !== 'default').length;
  return { config: r.config, check: { id: 'config', title: 'configuration', severity: 'ok', detail: custom ? `valid; ${custom} values set in config files` : 'valid; all defaults' } };
}

export function checkNode(version = process.versions.node): Check {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return ok
    ? { id: 'node', title: 'Node.js', severity: 'ok', detail: `v${version}` }
    : { id: 'node', title: 'Node.js', severity: 'problem', detail: `v${version} is older than the 20.19 agentops-meta needs`, fix: 'install Node.js 20.19 or newer' };
}

export function checkDataFolder(paths: DataPaths): Check {
  if (!fs.existsSync(paths.home)) return { id: 'data', title: 'data folder', severity: 'info', detail: `${paths.home} does not exist yet; the first captured event creates it` };
  try {
    fs.accessSync(paths.home, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    return { id: 'data', title: 'data folder', severity: 'problem', detail: `${paths.home} is not writable: the hooks cannot spool events`, fix: `chmod u+rwx ${paths.home}, or set AGENTOPS_META_HOME to a writable folder` };
  }
  return { id: 'data', title: 'data folder', severity: 'ok', detail: paths.home };
}

export function checkDaemon(paths: DataPaths, config: Config): Check {
  const pid = runningPid(paths);
  if (pid) return { id: 'daemon', title: 'daemon', severity: 'ok', detail: `running (pid ${pid})` };
  return {
    id: 'daemon',
    title: 'daemon',
    severity: 'info',
    detail: config.daemon.autostart ? 'not running; the SessionStart hook starts it with the next session' : 'not running (autostart is off)',
    fix: 'agentops-meta daemon start',
  };
}

export interface SpoolState {
  pending: number;
  oldest_ms: number | null;
  partial: number;
  oldest_partial_ms: number | null;
}

export function spoolState(paths: DataPaths): SpoolState {
  const state: SpoolState = { pending: 0, oldest_ms: null, partial: 0, oldest_partial_ms: null };
  let names: string[] = [];
  try {
    names = fs.readdirSync(paths.spool);
  } catch {
    return state;
  }
  for (const n of names) {
    if (!n.endsWith('.json')) continue;
    state.pending++;
    let ts = parseSpoolName(n)?.ts_ms ?? null;
    if (ts === null) {
      try {
        ts = fs.statSync(path.join(paths.spool, n)).mtimeMs;
      } catch {
        continue;
      }
    }
    state.oldest_ms = state.oldest_ms === null ? ts : Math.min(state.oldest_ms, ts);
  }
  try {
    for (const n of fs.readdirSync(paths.spoolTmp)) {
      state.partial++;
      try {
        const m = fs.statSync(path.join(paths.spoolTmp, n)).mtimeMs;
        state.oldest_partial_ms = state.oldest_partial_ms === null ? m : Math.min(state.oldest_partial_ms, m);
      } catch {
        // gone meanwhile: renamed into place
      }
    }
  } catch {
    // no .tmp yet
  }
  return state;
}

export function checkSpool(s: SpoolState, daemonRunning: boolean, now: number): Check[] {
  const checks: Check[] = [];
  if (s.pending === 0) checks.push({ id: 'spool', title: 'spool backlog', severity: 'ok', detail: 'empty: everything captured is ingested' });
  else {
    const age = s.oldest_ms === null ? 0 : now - s.oldest_ms;
    const stale = age > (daemonRunning ? HOUR : 24 * HOUR);
    checks.push({
      id: 'spool',
      title: 'spool backlog',
      severity: stale ? 'warn' : 'ok',
      detail: `${s.pending} payloads waiting, oldest ${s.oldest_ms === null ? '?' : hoursAgo(s.oldest_ms, now)}${daemonRunning && stale ? ': the daemon is not keeping up' : ''}`,
      ...(stale ? { fix: daemonRunning ? 'see the daemon log (agentops-meta daemon status), then agentops-meta ingest' : 'agentops-meta ingest, or agentops-meta daemon start' } : {}),
    });
  }
  if (s.partial && s.oldest_partial_ms !== null && now - s.oldest_partial_ms > 10 * 60_000) {
    checks.push({ id: 'spool.partial', title: 'partial writes', severity: 'warn', detail: `${s.partial} half-written payloads in spool/.tmp (a hook was killed mid-write, or the disk is full)`, fix: 'agentops-meta ingest quarantines them; check free disk space' });
  }
  return checks;
}

export interface DatabaseState {
  exists: boolean;
  schema_version: number | null;
  integrity: string | null;
  events: number | null;
  quarantined: number | null;
  meta: Record<string, string>;
  error: string | null;
}

export function databaseState(paths: DataPaths): DatabaseState {
  const state: DatabaseState = { exists: fs.existsSync(paths.db), schema_version: null, integrity: null, events: null, quarantined: null, meta: {}, error: null };
  if (!state.exists) return state;
  let db: Database.Database | null = null;
  try {
    db = new Database(paths.db, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    state.schema_version = db.pragma('user_version', { simple: true }) as number;
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    state.integrity = rows.map((r) => r.integrity_check).join('; ');
    // A newer schema may have other tables: only the version is worth reporting then.
    if (state.schema_version >= 1 && state.schema_version <= MIGRATIONS.length) {
      state.events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      state.quarantined = (db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n;
      for (const r of db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]) state.meta[r.key] = r.value;
    }
  } catch (e) {
    state.error = (e as Error).message;
  } finally {
    db?.close();
  }
  return state;
}

export function checkDatabase(d: DatabaseState, paths: DataPaths): Check[] {
  if (!d.exists) return [{ id: 'database', title: 'database', severity: 'info', detail: `no database yet at ${paths.db}; the first ingest creates it` }];
  const fixCorrupt = `the next agentops-meta command moves it aside and starts a new database (the spool keeps what is not ingested yet); agentops-meta backfill re-imports past sessions from their transcripts`;
  if (d.error) return [{ id: 'database', title: 'database', severity: 'problem', detail: `cannot read ${paths.db}: ${d.error}`, fix: fixCorrupt }];
  const checks: Check[] = [];
  if (d.integrity !== 'ok') checks.push({ id: 'database.integrity', title: 'database integrity', severity: 'problem', detail: `PRAGMA integrity_check: ${d.integrity}`, fix: fixCorrupt });
  else checks.push({ id: 'database.integrity', title: 'database integrity', severity: 'ok', detail: `integrity_check ok; ${d.events ?? 0} events` });
  const v = d.schema_version ?? 0;
  if (v > MIGRATIONS.length) checks.push({ id: 'database.schema', title: 'database schema', severity: 'problem', detail: `schema version ${v} is newer than this agentops-meta knows (${MIGRATIONS.length})`, fix: 'upgrade agentops-meta' });
  else if (v < MIGRATIONS.length) checks.push({ id: 'database.schema', title: 'database schema', severity: 'info', detail: `schema version ${v}; the next ingest migrates it to ${MIGRATIONS.length}` });
  else checks.push({ id: 'database.schema', title: 'database schema', severity: 'ok', detail: `version ${v} (current)` });
  // A database SQLite could not read was moved aside (store/sqlite.ts openSqliteStoreRecovering).
  const aside = d.meta.moved_aside;
  if (aside && fs.existsSync(aside)) {
    checks.push({
      id: 'database.moved_aside',
      title: 'earlier database',
      severity: 'warn',
      detail: `a database that could not be read was moved aside to ${aside}; the events in it are not in the current one`,
      fix: `agentops-meta backfill re-imports past sessions from their transcripts; then delete ${aside}`,
    });
  }
  const q = d.quarantined ?? 0;
  checks.push(
    q === 0
      ? { id: 'quarantine', title: 'quarantine', severity: 'ok', detail: 'no unreadable payloads' }
      : { id: 'quarantine', title: 'quarantine', severity: 'warn', detail: `${q} payloads could not be parsed or validated and were set aside`, fix: `look at them: sqlite3 ${paths.db} "SELECT id, reason FROM quarantine"; a new Claude Code payload shape is worth an issue` },
  );
  return checks;
}

export function checkLearning(config: Config, paths: DataPaths, meta: Record<string, string>, now: number): Check[] {
  const checks: Check[] = [];
  const lastLearn = meta.last_learn ? Date.parse(meta.last_learn) : null;
  checks.push(
    lastLearn === null
      ? { id: 'learning.last', title: 'learning', severity: 'info', detail: 'no learning run yet', fix: 'agentops-meta learn' }
      : { id: 'learning.last', title: 'learning', severity: 'ok', detail: `last learning run ${hoursAgo(lastLearn, now)}${meta.last_nightly ? `; last nightly ${meta.last_nightly}` : ''}` },
  );
  if (!gitAvailable()) {
    checks.push({ id: 'learning.repo', title: 'learning repository', severity: config.nightly.commit ? 'warn' : 'info', detail: 'git is not installed: learnings cannot be committed', fix: 'install git' });
    return checks;
  }
  const repo = learningRepo(config.nightly.repo, paths);
  if (!fs.existsSync(repo.dir)) {
    checks.push(
      repo.why === 'configured'
        ? { id: 'learning.repo', title: 'learning repository', severity: 'problem', detail: `nightly.repo is ${repo.dir}, which does not exist: nightly commits are deferred`, fix: `create it (git init ${repo.dir}) or change nightly.repo` }
        : { id: 'learning.repo', title: 'learning repository', severity: 'info', detail: `${describeLearningRepo(repo)} is created by the first learning commit` },
    );
    return checks;
  }
  if (!isRepoTop(repo.dir)) {
    checks.push({ id: 'learning.repo', title: 'learning repository', severity: 'problem', detail: `${describeLearningRepo(repo)} is not the top of a git repository`, fix: `git init ${repo.dir}, or point nightly.repo at a repository` });
    return checks;
  }
  const last = lastLearningCommit(repo.dir);
  checks.push({
    id: 'learning.repo',
    title: 'learning repository',
    severity: 'ok',
    detail: `${describeLearningRepo(repo)}; ${last ? `last learning commit ${last.sha.slice(0, 8)} ${hoursAgo(Date.parse(last.at), now)}: ${last.subject}` : 'no learning commit yet'}`,
  });
  return checks;
}
