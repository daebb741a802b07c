// Commands over captured data: ingest, status, events, sessions, tests.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { pairToolCalls } from '../core/pairing.js';
import type { EventRecord } from '../core/types.js';
import { loadConfig } from '../config/load.js';
import { ingestSpool } from '../ingest/ingest.js';
import { withHealth } from '../shell/health.js';
import { describeLearningRepo, learningRepo } from '../shell/paths.js';
import { enforceRetention } from '../shell/retention.js';
import { effectiveConfig } from './config-command.js';
import type { CliContext } from './cli-context.js';
import { UsageError } from './errors.js';
import { formatBytes, table } from './table.js';

export function registerCaptureCommands(program: Command, ctx: CliContext): void {
  program
    .command('ingest')
    .description('move captured hook payloads from the spool into the database (idempotent)')
    .option('--batch-size <n>', 'payloads stored per transaction', parsePositiveInt)
    .option('--json', 'print the report as JSON')
    .action((opts: { json?: boolean; batchSize?: number }) => {
      const report = withHealth(ctx.paths.context, () => ctx.withStore((store) => ingestSpool({ paths: ctx.paths, store, batchSize: opts.batchSize })));
      if (opts.json) return ctx.json(report);
      ctx.out(
        `ingested ${report.files} payloads in ${report.ms.toFixed(0)} ms: ${report.inserted} stored, ` +
          `${report.duplicates} already stored, ${report.quarantined} quarantined` +
          (report.partial_writes ? `, ${report.partial_writes} partial writes quarantined` : ''),
      );
    });

  program
    .command('prune')
    .description('apply the retention limits now (age and database size; the daemon does it nightly)')
    .option('--json', 'print the report as JSON')
    .action((opts: { json?: boolean }) => {
      const { config } = effectiveConfig(ctx, null);
      const report = ctx.withStore((store) => enforceRetention(store, config.retention, Date.now()));
      if (opts.json) return ctx.json(report);
      ctx.out(`pruned ${report.sessions} sessions (${report.events} events, ${report.quarantined} quarantined payloads); database ${formatBytes(report.bytes_before)} → ${formatBytes(report.bytes_after)}`);
    });

  program
    .command('status')
    .description('events captured, pending spool, quarantine, last ingest, database size, where learning commits go')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      // status works with a broken configuration too; doctor explains that one.
      const loaded = loadConfig(ctx.paths.config, null);
      const repo = loaded.ok ? learningRepo(loaded.config.nightly.repo, ctx.paths) : null;
      const status = ctx.withStore((store) => ({
        ...store.counts(),
        pending_spool: countSpool(ctx.paths.spool),
        last_ingest: store.getMeta('last_ingest'),
        database_bytes: fileSize(ctx.paths.db) + fileSize(`${ctx.paths.db}-wal`),
        data_dir: ctx.paths.home,
        learning_repo: repo?.dir ?? null,
        learning_repo_why: repo?.why ?? null,
      }));
      if (opts.json) return ctx.json(status);
      ctx.out(
        table(
          ['what', 'value'],
          [
            ['events captured', status.events],
            ['sessions', status.sessions],
            ['test runs', status.test_runs],
            ['pending in spool', status.pending_spool],
            ['quarantined', status.quarantined],
            ['last ingest', status.last_ingest ?? 'never'],
            ['database size', formatBytes(status.database_bytes)],
            ['data folder', status.data_dir],
            ['learning commits go to', repo ? describeLearningRepo(repo) : 'unknown: the configuration is invalid (see agentops-meta doctor)'],
          ],
        ),
      );
    });

  program
    .command('events')
    .description('captured events, oldest first')
    .option('--session <id>', 'only this session')
    .option('--limit <n>', 'only the newest N', parsePositiveInt)
    .option('--json', 'print as JSON')
    .action((opts: { session?: string; limit?: number; json?: boolean }) => {
      const events = withCallOutcomes(ctx.withStore((store) => store.events({ session_id: opts.session, limit: opts.limit })));
      if (opts.json) return ctx.json(events.map(({ payload: _payload, ...e }) => e));
      ctx.out(
        table(
          ['ts', 'session', 'event', 'actor', 'outcome', 'ms'],
          events.map((e) => [
            e.ts,
            e.session_id.slice(0, 8),
            e.event,
            e.actor ? `${e.actor.kind}:${e.actor.plugin ? `${e.actor.plugin}:` : ''}${e.actor.server ? `${e.actor.server}/` : ''}${e.actor.name}` : null,
            e.outcome,
            e.duration_ms === null ? null : Math.round(e.duration_ms),
          ]),
        ),
      );
    });

  program
    .command('sessions')
    .description('captured sessions with their tool calls, errors and test results')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      const sessions = ctx.withStore((store) => store.sessions());
      if (opts.json) return ctx.json(sessions);
      ctx.out(
        table(
          ['session', 'started', 'events', 'calls', 'errors', 'tests', 'last test'],
          sessions.map((s) => [
            s.session_id.slice(0, 8),
            new Date(s.first_ms).toISOString().slice(0, 16).replace('T', ' '),
            s.events,
            s.tool_calls,
            s.errors,
            s.test_runs,
            s.last_test_passed === null ? null : s.last_test_passed ? 'pass' : 'FAIL',
          ]),
        ),
      );
    });

  program
    .command('tests')
    .description('test runs recognised in Bash calls, with pass/fail and counts')
    .option('--session <id>', 'only this session')
    .option('--json', 'print as JSON')
    .action((opts: { session?: string; json?: boolean }) => {
      const runs = ctx.withStore((store) => store.testRuns({ session_id: opts.session }));
      if (opts.json) {
        return ctx.json(
          runs.map((r) => ({ session_id: r.session_id, tool_use_id: r.tool_use_id, runner: r.runner, passed: r.passed, counts: r.counts, ts: new Date(r.ts_ms).toISOString() })),
        );
      }
      ctx.out(
        table(
          ['ts', 'session', 'runner', 'result', 'passed', 'failed', 'skipped', 'total'],
          runs.map((r) => [new Date(r.ts_ms).toISOString(), r.session_id.slice(0, 8), r.runner, r.passed ? 'pass' : 'FAIL', r.counts.passed, r.counts.failed, r.counts.skipped, r.counts.total]),
        ),
      );
    });
}

/**
 * A PreToolUse learns its outcome from what followed it (the paired completion, or none: blocked),
 * and the call's duration. Completions already carry their own.
 */
export function withCallOutcomes(events: EventRecord[]): EventRecord[] {
  const byPre = new Map(pairToolCalls(events).flatMap((c) => (c.pre_id ? [[c.pre_id, c] as const] : [])));
  return events.map((e) => {
    const call = e.event === 'PreToolUse' ? byPre.get(e.id) : undefined;
    return call ? { ...e, outcome: call.outcome, duration_ms: call.duration_ms } : e;
  });
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`expected a positive whole number, got "${value}"`);
  return n;
}

function countSpool(dir: string): number {
  try {
    return fs.readdirSync(dir).filter((n) => n.endsWith('.json')).length;
  } catch {
    return 0;
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(path.resolve(file)).size;
  } catch {
    return 0;
  }
}
