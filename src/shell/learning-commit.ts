// The learning commit: render the pattern library from a learning run and commit it into the
// learning repository, touching nothing of the user's outside the learning paths.
import fs from 'node:fs';
import path from 'node:path';
import { commitLearning, DEFAULT_ALLOWED_PREFIXES, ensureLearningRepo, readCommittedFiles, type CommitOutcome } from '../commit/git-commit.js';
import { stableJson } from '../commit/format.js';
import { planLibraryWrite, renderLibrary } from '../commit/library.js';
import type { AdviceEffect } from '../learn/advice-effect.js';
import type { AdviceDay } from '../report/advice-panel.js';
import type { LaterEvidence } from '../learn/prospective.js';
import { combineMachineEvidence } from '../commit/evidence-merge.js';
import { renderSkillFiles } from '../commit/skill.js';
import type { Config } from '../config/schema.js';
import type { LearnResult } from '../learn/types.js';
import { learningRepo, type DataPaths, type LearningRepo } from './paths.js';

export interface LearningCommitInput {
  result: LearnResult;
  evaluation: unknown | null;
  /** did injected advice help: written to metrics/advice.json */
  advice: readonly AdviceEffect[];
  /** told vs holdout sessions by day, written beside it */
  advice_days?: readonly AdviceDay[];
  /** what the sessions after each pattern's first report say, by prospectiveKey (the learning run's `later`) */
  later: ReadonlyMap<string, LaterEvidence>;
  date: string;
  config: Config;
  paths: DataPaths;
  /** --repo (or demo --commit-to), overriding the configured learning repository */
  repo?: string;
  /**
   * @deprecated ignored: the agentops-meta checkout is never the default learning repository any more
   * (issue 12). Kept only until test/team-merge.test.ts stops passing it.
   */
  packageRoot?: string;
  /**
   * the evidence file's name instead of this machine's id: `org-…` (ORG_EVIDENCE_PREFIX) for a
   * library learned from the shared store, whose evidence supersedes the machines' (teamEvidenceFiles)
   */
  evidenceId?: string;
  /** git environment (tests isolate the machine's git config with it) */
  gitEnv?: Readonly<Record<string, string>>;
}

/** Nothing was learned yet: no commit, and no repository made for it. */
export interface SkippedOutcome {
  status: 'skipped';
  reason: string;
}

export interface LearningCommitReport {
  repo: string;
  /** why this repository: named, configured, or the default in the data folder */
  why: LearningRepo['why'];
  /** this run made the repository (the default, on first use) */
  created: boolean;
  outcome: CommitOutcome | SkippedOutcome;
  files: number;
}

/** Why a learning run has nothing worth committing (no pattern and no test outcome), or null. */
export function nothingLearned(result: LearnResult): string | null {
  const patterns = result.sequential.length + result.parallel.length + result.anti.length;
  if (patterns > 0 || result.stats.known_sessions > 0) return null;
  return `nothing learned yet: no pattern and no test outcome in ${result.stats.sessions} sessions`;
}

/** A stable id for this machine's evidence file: no user or host name in a committed path. */
export function machineId(paths: DataPaths): string {
  const file = path.join(paths.home, 'machine-id');
  try {
    const id = fs.readFileSync(file, 'utf8').trim();
    if (/^[a-f0-9]{16}$/.test(id)) return id;
  } catch {
    // first run: make one
  }
  const id = [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');
  fs.mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${id}\n`, { mode: 0o600 });
  return id;
}

/** Evidence files named so hold a shared store's learning: every shipping machine's sessions at once. */
export const ORG_EVIDENCE_PREFIX = 'org-';

/**
 * The evidence files the team tables add up. A machine's file counts its own sessions; an org file
 * (learned from the shared store) counts every machine that ships there, those same sessions again.
 * So once a repository holds an org file, it replaces the machines' files in the sum (they stay in
 * the repository, ignored, and count again if the org files are removed), in whichever order the
 * machine and the org commits come. Org files of disjoint scopes (one per team) add up; one
 * repository should not hold an all-teams and a per-team org library at once.
 */
export function teamEvidenceFiles(files: ReadonlyMap<string, string>): Map<string, string> {
  const org = [...files].filter(([p]) => p.startsWith(`metrics/evidence/${ORG_EVIDENCE_PREFIX}`));
  return new Map(org.length ? org : files);
}

export async function learningCommit(input: LearningCommitInput): Promise<LearningCommitReport> {
  const { dir: repo, why } = learningRepo(input.config.nightly.repo, input.paths, input.repo);
  const empty = nothingLearned(input.result);
  if (empty) return { repo, why, created: false, outcome: { status: 'skipped', reason: empty }, files: 0 };
  // Only the default is made on first use: a repository the user named must be theirs already.
  const created = why === 'data folder' ? (await ensureLearningRepo(repo, input.gitEnv)).created : false;
  if (!fs.existsSync(repo)) return { repo, why, created, outcome: { status: 'deferred', reason: `the learning repository ${repo} does not exist` }, files: 0 };
  const gitEnv = input.gitEnv ? { ...input.gitEnv } : {};
  const committed = await readCommittedFiles(repo, { env: gitEnv });
  const previous = committed.size ? committed : null;
  // Team merge: other machines' evidence files in the repository, plus this machine's (or the org's) new one.
  const machine = input.evidenceId ?? machineId(input.paths);
  const evidenceFiles = new Map([...(previous ?? new Map<string, string>())].filter(([p]) => p.startsWith('metrics/evidence/') && p !== `metrics/evidence/${machine}.json`));
  evidenceFiles.set(`metrics/evidence/${machine}.json`, JSON.stringify(input.result.evidence));
  const library = renderLibrary({
    result: input.result,
    evaluation: input.evaluation,
    previous,
    date: input.date,
    later: input.later,
    machineId: machine,
    teamEvidence: combineMachineEvidence(teamEvidenceFiles(evidenceFiles)),
  });
  library.set('metrics/advice.json', stableJson({ advice: input.advice, days: input.advice_days ?? [] }, 3));
  for (const [p, content] of renderSkillFiles({ result: input.result, later: input.later })) library.set(p, content);
  const files = planLibraryWrite(library, previous);
  const message = commitMessage(input.result, input.date, library.get(`patterns/learned/${input.date}.md`) ?? null);
  const outcome = await commitLearning({
    repo,
    files,
    message,
    allowedPrefixes: DEFAULT_ALLOWED_PREFIXES,
    identity: { name: input.config.nightly.author_name, email: input.config.nightly.author_email },
    env: gitEnv,
  });
  return { repo, why, created, outcome, files: files.size };
}

/** One summary line, then the day's deltas (the learned/<date>.md file, which holds only abstract facts). */
function commitMessage(result: LearnResult, date: string, learnedToday: string | null): string {
  const s = result.stats;
  const lines = [
    `learning ${date}: ${result.sequential.length} sequential, ${result.parallel.length} parallel, ${result.anti.length} anti-patterns from ${s.sessions} sessions`,
    '',
    `Sessions: ${s.sessions} (${s.known_sessions} with test results); steps: ${s.events}; activities: ${s.activities}.`,
    `Baseline test pass rate: ${s.baseline_pass_rate === null ? 'unknown' : `${Math.round(s.baseline_pass_rate * 100)}%`}.`,
  ];
  if (learnedToday) lines.push('', ...learnedToday.split('\n').filter((l) => !l.startsWith('# ')));
  return `${lines.join('\n').trimEnd()}\n`;
}
