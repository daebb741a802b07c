// ship: copy this machine's stored (redacted) events to the shared PostgreSQL store; and the
// daemon's shipper, which does the same after each ingest, time-bounded and never throwing.
import type { Command } from 'commander';
import type { Config } from '../config/schema.js';
import { remoteKey, shipEvents, type ShipReport } from '../org/ship.js';
import { machineId } from '../shell/learning-commit.js';
import type { DataPaths } from '../shell/paths.js';
import type { EventStore } from '../store/port.js';
import { openPostgresStore } from '../store/postgres.js';
import { effectiveConfig } from './config-command.js';
import type { CliContext } from './cli-context.js';
import { CliError, UsageError } from './errors.js';

export const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** One shipping run from `local` to `url`, as this machine and team. */
export function shipTo(url: string, local: EventStore, config: Config, paths: DataPaths, deadline: number | null = null, retryForMs?: number): Promise<ShipReport> {
  return shipEvents({
    local,
    // One connection: a shipper sends one batch at a time. A query that hangs (a server gone
    // without a word) is given up after a minute and retried like any failure.
    openRemote: () => openPostgresStore({ url, origin: { machine_id: machineId(paths), team: config.store.team }, maxConnections: 1, queryTimeoutMs: 60_000 }),
    remoteKey: remoteKey(url),
    excludeProjects: config.store.exclude_projects,
    maxFieldChars: config.privacy.max_field_chars,
    deadline,
    retryForMs,
  });
}

/**
 * How long one daemon shipping run may go on, its retries included (a server restart longer than
 * this is ridden out by the next ingest or the minute's sweep): what is left waits for those. The
 * command `ship` has no deadline: a failing batch is retried for up to a minute (shipEvents).
 */
const DAEMON_SHIP_MS = 20_000;
export const SHIP_FAILURES_META = 'ship_failed_runs';

/**
 * The daemon's shipper: ships what ingest stored since the last run, for at most DAEMON_SHIP_MS;
 * logs what it did, counts failed runs in the local meta, and never throws (capture and local
 * learning go on whatever the shared store does).
 */
export function daemonShipper(url: string, local: EventStore, config: Config, paths: DataPaths, log: (line: string) => void): () => Promise<void> {
  return async () => {
    try {
      const r = await shipTo(url, local, config, paths, Date.now() + DAEMON_SHIP_MS);
      if (r.shipped || r.already || r.failed) {
        log(`shipped ${r.shipped} events to ${remoteKey(url)} (${r.already} already there${r.excluded ? `, ${r.excluded} kept local` : ''}${r.failed ? `; ${r.failed} failed: ${r.error}` : ''})`);
      }
      if (r.failed) local.setMeta(SHIP_FAILURES_META, String(Number(local.getMeta(SHIP_FAILURES_META) ?? 0) + 1));
    } catch (e) {
      log(`ship: ${(e as Error).message}`);
    }
  };
}

export function registerShipCommand(program: Command, ctx: CliContext): void {
  program
    .command('ship')
    .description('copy the stored (redacted) events not shipped yet to the shared PostgreSQL store: idempotent, resumable')
    .option('--to <url>', 'the shared store, postgres://user@host:port/database (default: config store.remote)')
    .option('--json', 'print {shipped, already, failed} as JSON')
    .option('--retry-for <seconds>', 'retry a failing batch this long before stopping (rides out a server restart)', parseRetrySeconds, 60)
    .action(async (opts: { to?: string; json?: boolean; retryFor: number }) => {
      // The user's config only: a project's file must not be able to send events elsewhere.
      const { config } = effectiveConfig(ctx, null);
      const url = opts.to ?? config.store.remote;
      if (!url) throw new UsageError('no shared store: pass --to postgres://… or set store.remote in the config');
      if (!POSTGRES_URL.test(url)) throw new UsageError(`--to must be a postgres:// URL, got "${remoteKey(url)}"`);
      const r = await ctx.withStore((store) => shipTo(url, store, config, ctx.paths, null, opts.retryFor * 1000));
      if (opts.json) ctx.json({ shipped: r.shipped, already: r.already, failed: r.failed });
      else ctx.out(`shipped ${r.shipped} events to ${remoteKey(url)}; ${r.already} were there already${r.excluded ? `; ${r.excluded} kept local (store.exclude_projects)` : ''}${r.failed ? `; ${r.failed} failed` : ''}`);
      if (r.failed) throw new CliError(`shipping stopped: ${r.error}`, 1, 'the rest is shipped by the next run (the daemon retries after each ingest)');
    });
}

function parseRetrySeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 3600) throw new UsageError(`--retry-for takes seconds from 0 to 3600, not "${value}"`);
  return n;
}
