// Org-wide learning: the local learning run (src/shell/learn-run.ts) fed from the shared store.
// Events stream one session at a time through a server-side cursor into the same TraceCollector, so
// memory is the size of the traces whatever the size of the store; the learning itself is the same
// function, so the library a team commits is rendered exactly as a machine's own.
import type { Config } from '../config/schema.js';
import { FIRST_REPORTED_META, learnFromTraces, TraceCollector, type LearnRun } from '../shell/learn-run.js';
import { ORG_EVIDENCE_PREFIX } from '../shell/learning-commit.js';
import type { PostgresEventStore } from '../store/postgres.js';

export interface OrgScope {
  /** only the sessions of this project (a folder, or its last segment) */
  project?: string;
  /** only the events shipped with this team label */
  team?: string;
}

/**
 * The meta key of the first-report times for a scope: each scope learned from the shared store
 * validates its own patterns on its own later sessions.
 */
export function firstReportedKey(scope: OrgScope): string {
  const parts = [scope.team === undefined ? null : `team=${scope.team}`, scope.project === undefined ? null : `project=${scope.project}`].filter(Boolean);
  return parts.length ? `${FIRST_REPORTED_META}|${parts.join('|')}` : FIRST_REPORTED_META;
}

/**
 * The evidence file name of a library learned from the shared store for a scope: `org-all`,
 * `org-team-web`, `org-team-web-project-shop` (characters a file name should not carry become "_").
 * The `org-` prefix makes it replace the machines' own evidence in the team tables (learning-commit.ts).
 */
export function orgEvidenceId(scope: OrgScope): string {
  const parts = [scope.team === undefined ? null : `team-${scope.team}`, scope.project === undefined ? null : `project-${scope.project}`].filter((p) => p !== null);
  const id = `${ORG_EVIDENCE_PREFIX}${parts.length ? parts.join('-') : 'all'}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return id.slice(0, 64);
}

export async function learnFromSharedStore(store: PostgresEventStore, config: Config, scope: OrgScope, fallbackNow: number): Promise<LearnRun> {
  const collector = new TraceCollector();
  await store.forEachEvent((e) => collector.add(e), { lean: true, project: scope.project, team: scope.team });
  const key = firstReportedKey(scope);
  // The learning run reads and writes its first-report times synchronously: it gets them in a map,
  // and what it wrote goes back to the shared store after it.
  const meta = new Map<string, string>();
  const stored = await store.getMeta(key);
  if (stored !== null) meta.set(FIRST_REPORTED_META, stored);
  const run = learnFromTraces(
    collector.finish(),
    { getMeta: (k) => meta.get(k) ?? null, setMeta: (k, v) => void meta.set(k, v) },
    config,
    fallbackNow,
  );
  const written = meta.get(FIRST_REPORTED_META);
  if (written !== undefined && written !== stored) await store.setMeta(key, written);
  return run;
}
