// daemon start | stop | status | run
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DaemonRunningError, pidFile, runDaemon, runningPid } from '../daemon/daemon.js';
import { DATA_FOLDER_FLAG, runningDaemons } from '../daemon/daemons.js';
import { ingestSpool } from '../ingest/ingest.js';
import { hooksWatch } from '../install/install-record.js';
import { withHealth } from '../shell/health.js';
import { enforceRetention } from '../shell/retention.js';
import { packageRoot } from '../shell/package-root.js';
import { effectiveConfig } from './config-command.js';
import { defaultContext, type CliContext } from './cli-context.js';
import { CliError, UsageError } from './errors.js';
import { commitNow, describeCommit, learnNow, refreshSharedAdvice } from './learn-commands.js';
import { daemonOtlpSender } from './otlp-daemon.js';
import { daemonShipper } from './ship-command.js';

function logFile(ctx: CliContext): string {
  return path.join(ctx.paths.logs, 'daemon.log');
}

/** Never throws: a daemon whose data folder was removed still logs its exit (to the stderr `daemon start` gave it). */
function logger(ctx: CliContext): (line: string) => void {
  fs.mkdirSync(ctx.paths.logs, { recursive: true, mode: 0o700 });
  return (line) => {
    const text = `${new Date().toISOString()} ${line}\n`;
    try {
      fs.appendFileSync(logFile(ctx), text, { mode: 0o600 });
    } catch {
      process.stderr.write(text);
    }
  };
}

/** The context of the data folder a `daemon run` serves: --data-folder, else the environment's. */
function servedContext(ctx: CliContext, dataFolder: string | undefined): CliContext {
  if (!dataFolder) return ctx;
  return { ...defaultContext({ ...process.env, AGENTOPS_META_HOME: path.resolve(dataFolder) }), out: ctx.out, json: ctx.json };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What runs beside the step chain after ingest: shipping to the shared store and sending to an OTLP collector, each bounded and never throwing. */
function afterIngest(...senders: ((() => Promise<void>) | undefined)[]): (() => Promise<void>) | undefined {
  const set = senders.filter((s) => s !== undefined);
  return set.length ? async () => void (await Promise.all(set.map((s) => s()))) : undefined;
}

export function registerDaemonCommand(program: Command, ctx: CliContext): void {
  const daemon = program.command('daemon').description('the background ingester and learner: start, stop, status, run');

  daemon
    .command('run')
    .description('run in the foreground (what `start` runs in the background)')
    .option(`${DATA_FOLDER_FLAG} <dir>`, 'the data folder to serve (default: $AGENTOPS_META_HOME, else ~/.agentops-meta); `daemon status` shows it')
    .action(async (opts: { dataFolder?: string }) => {
      const served = servedContext(ctx, opts.dataFolder);
      const { config } = effectiveConfig(served, null);
      const log = logger(served);
      try {
        // One store for the daemon's life: reopened per step would cost a migration check each time.
        await served.withStore(async (store) =>
          runDaemon({
            paths: served.paths,
            debounceMs: config.daemon.debounce_ms,
            learnIntervalMs: 60_000,
            nightlyTime: config.nightly.time,
            ingest: () => withHealth(served.paths.context, () => ingestSpool({ paths: served.paths, store, maxFieldChars: config.privacy.max_field_chars })),
            learn: () => void learnNow(served),
            ship: afterIngest(config.store.remote ? daemonShipper(config.store.remote, store, config, served.paths, log) : undefined, daemonOtlpSender(config.export, store, log)),
            nightly: async (date) => {
              const pruned = enforceRetention(store, config.retention, Date.now());
              if (pruned.sessions) log(`retention: deleted ${pruned.sessions} old sessions (${pruned.events} events)`);
              const run = learnNow(served);
              const advice = await refreshSharedAdvice(served);
              if (advice) log(advice);
              if (!config.nightly.commit) return `nightly learn for ${date} (commit off in config)`;
              return `nightly ${date}: ${describeCommit(await commitNow(served, run, new Date()))}`;
            },
            getMeta: (k) => store.getMeta(k),
            setMeta: (k, v) => store.setMeta(k, v),
            log,
            checkMs: config.daemon.check_ms,
            hooksGone: hooksWatch(served.paths.home),
          }),
        );
      } catch (e) {
        if (e instanceof DaemonRunningError) throw new CliError(e.message, 1);
        throw e;
      }
    });

  daemon
    .command('start')
    .description('start the daemon in the background unless it is running')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const say = (started: boolean, pid: number) => (opts.json ? ctx.json({ running: true, started, pid, log: logFile(ctx) }) : ctx.out(started ? `daemon started (pid ${pid}); log: ${logFile(ctx)}` : `the daemon is running (pid ${pid})`));
      const running = runningPid(ctx.paths);
      if (running) return say(false, running);
      fs.mkdirSync(ctx.paths.logs, { recursive: true, mode: 0o700 });
      const out = fs.openSync(logFile(ctx), 'a', 0o600);
      // The data folder goes last on the command line: `daemon status` (and ps) show which one it serves.
      const child = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'agentops-meta.js'), 'daemon', 'run', DATA_FOLDER_FLAG, ctx.paths.home], {
        detached: true,
        stdio: ['ignore', out, out],
        env: process.env,
      });
      child.unref();
      for (let i = 0; i < 50; i++) {
        await sleep(100);
        const pid = runningPid(ctx.paths);
        if (pid) return say(true, pid);
        if (child.exitCode !== null) break;
      }
      throw new CliError('the daemon did not start', 1, `see ${logFile(ctx)}`);
    });

  daemon
    .command('stop')
    .description('stop the daemon (it finishes the step it is on)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const say = (pid: number | null) => (opts.json ? ctx.json({ running: false, stopped: pid }) : ctx.out(pid ? `daemon stopped (pid ${pid})` : 'the daemon is not running'));
      const pid = runningPid(ctx.paths);
      if (!pid) return say(null);
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100; i++) {
        await sleep(100);
        if (!runningPid(ctx.paths)) return say(pid);
      }
      throw new CliError(`the daemon (pid ${pid}) did not stop within 10 s`, 1, `kill -9 ${pid} is safe: nothing is lost`);
    });

  daemon
    .command('status')
    .description('is the daemon of this data folder running, what has it done, and which data folder each running daemon serves')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      const pid = runningPid(ctx.paths);
      const status = ctx.withStore((store) => ({
        running: pid !== null,
        pid,
        data_folder: ctx.paths.home,
        pid_file: pidFile(ctx.paths),
        last_ingest: store.getMeta('last_ingest'),
        last_learn: store.getMeta('last_learn'),
        last_nightly: store.getMeta('last_nightly'),
        log: logFile(ctx),
        /** every agentops-meta daemon on this machine, this one included */
        daemons: runningDaemons(),
      }));
      if (opts.json) return ctx.json(status);
      const others = status.daemons.filter((d) => d.pid !== pid);
      ctx.out(
        [
          `daemon: ${status.running ? `running (pid ${status.pid})` : 'not running'} for the data folder ${status.data_folder}`,
          `last ingest: ${status.last_ingest ?? 'never'}`,
          `last learn: ${status.last_learn ?? 'never'}`,
          `last nightly: ${status.last_nightly ?? 'never'}`,
          `log: ${status.log}`,
          ...(others.length ? ['other daemons:', ...others.map((d) => `  pid ${d.pid}: data folder ${d.data_folder ?? 'unknown'}`)] : []),
        ].join('\n'),
      );
    });

  daemon.action(() => {
    throw new UsageError('say which: agentops-meta daemon start | stop | status | run');
  });
}
