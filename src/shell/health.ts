// Capture health, for the one-line warning the SessionStart hook shows the user. Silent death of
// capture is the most common complaint about tools like this one: when ingest cannot write, or
// payloads keep landing in quarantine, the next session says so and how to fix it. The hook itself
// notices a spool nobody drains (a file older than a day) and starts a daemon that is down.
// Learning commits have a notice of their own, shown once: where the first one went when we made
// the repository for it, or why one could not be made (commits appearing somewhere unannounced
// were the complaint there).
import fs from 'node:fs';
import path from 'node:path';
import { describeLearningRepo, type LearningRepo } from './paths.js';
import { writeFileWhole } from './write-whole.js';

export const HEALTH_FILE = 'health.msg';

/** Share of a run's payloads in quarantine above which the user is told (with at least this many). */
const QUARANTINE_SHARE = 0.2;
const QUARANTINE_MIN = 20;

export type HealthProblem = { kind: 'unwritable'; error: string } | { kind: 'quarantine'; quarantined: number; files: number };

/** The message for a problem: one line, with the fix. */
export function healthMessage(problem: HealthProblem): string {
  if (problem.kind === 'unwritable') {
    return `agentops-meta cannot store what it captures (${problem.error.slice(0, 120)}). Nothing is lost yet: run \`agentops-meta doctor\` to see how to fix it.`;
  }
  return `agentops-meta quarantined ${problem.quarantined} of the last ${problem.files} captured payloads. Run \`agentops-meta doctor\` to see why.`;
}

/** Judges one ingest run: null when healthy. */
export function ingestProblem(report: { files: number; quarantined: number }): HealthProblem | null {
  if (report.quarantined >= QUARANTINE_MIN && report.quarantined > report.files * QUARANTINE_SHARE) {
    return { kind: 'quarantine', quarantined: report.quarantined, files: report.files };
  }
  return null;
}

/** Writes (or, when healthy, removes) the message the SessionStart hook reads. Never throws. */
export function recordHealth(contextDir: string, problem: HealthProblem | null): void {
  const file = path.join(contextDir, HEALTH_FILE);
  try {
    if (problem === null) {
      fs.rmSync(file, { force: true });
      return;
    }
    // One line of JSON string: the hook splices it into its output as the systemMessage value.
    writeFileWhole(file, `${JSON.stringify(healthMessage(problem))}\n`, { mkdir: true });
  } catch {
    // the data folder itself is unwritable: the hook's own checks are all that is left
  }
}

/** Runs an ingest and records what it says about capture health; a failure is recorded, then rethrown. */
export function withHealth<T extends { files: number; quarantined: number }>(contextDir: string, run: () => T): T {
  let report: T;
  try {
    report = run();
  } catch (e) {
    recordHealth(contextDir, { kind: 'unwritable', error: (e as Error).message });
    throw e;
  }
  recordHealth(contextDir, ingestProblem(report));
  return report;
}

export const LEARNING_NOTICE_FILE = 'learning.msg';

export interface LearningNoticeInput {
  repo: string;
  why: LearningRepo['why'];
  /** this run made the repository (<data>/library on first use) */
  created: boolean;
  outcome: { status: string; reason?: string };
}

/** The one-line notice for a learning commit, or null when it is not worth interrupting anyone for. */
export function learningNotice(c: LearningNoticeInput): string | null {
  const where = describeLearningRepo({ dir: c.repo, why: c.why });
  if (c.outcome.status === 'committed' && c.created) {
    return `agentops-meta committed what it learned to ${where}; review it with \`git -C ${c.repo} log -p\`. To commit elsewhere: agentops-meta install --learning-repo DIR.`;
  }
  if (c.outcome.status === 'deferred') return `agentops-meta could not commit what it learned to ${where}: ${c.outcome.reason ?? 'unknown reason'}. Run \`agentops-meta doctor\`.`;
  return null;
}

/** Leaves the notice for the SessionStart hook, which shows it once (then moves it aside). Never throws. */
export function recordLearningNotice(contextDir: string, notice: string | null): void {
  if (notice === null) return;
  try {
    writeFileWhole(path.join(contextDir, LEARNING_NOTICE_FILE), `${JSON.stringify(notice)}\n`, { mkdir: true });
  } catch {
    // an unwritable data folder has the capture health message already
  }
}
