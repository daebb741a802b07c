// Two machines learn separately and commit into one shared repository: each writes its own additive
// evidence file (no conflict), and the per-activity tables count both machines' sessions.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config/schema.js';
import { learn } from '../src/learn/learn.js';
import { orgEvidenceId } from '../src/org/learn-org.js';
import { learningCommit, teamEvidenceFiles } from '../src/shell/learning-commit.js';
import { dataPaths } from '../src/shell/paths.js';
import { simulateTraces } from '../src/sim/simulate.js';
import { tempDirs } from './helpers/temp-dirs.js';

const temp = tempDirs('am-team-');
const git = (repo: string, ...args: string[]) => spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

const machineTraces = (seed: number) => simulateTraces({ seed, sessions: 30, start_ms: Date.UTC(2026, 0, 1), days: 10 });

/** A learning commit of `seeds`' sessions: one machine's (one seed), or the org's (several, with an evidence id). */
async function machineCommits(repo: string, seed: number | number[], evidenceId?: string) {
  const traces = [seed].flat().flatMap(machineTraces);
  const result = learn(traces, { now: Date.UTC(2026, 0, 12), min_sessions: 5 });
  const paths = dataPaths({ AGENTOPS_META_HOME: temp() });
  const report = await learningCommit({ result, evaluation: null, advice: [], later: new Map(), date: '2026-01-12', config: DEFAULT_CONFIG, paths, repo, packageRoot: repo, gitEnv: GIT_ENV, evidenceId });
  return { report, sessions: traces.length, readCount: result.evidence.activities.Read?.support.sessions ?? 0 };
}

/** The sessions column of an activity's row in metrics/success_rates.csv. */
function sessionsOf(repo: string, activity: string): number {
  const [header, ...rows] = fs.readFileSync(path.join(repo, 'metrics', 'success_rates.csv'), 'utf8').trim().split('\n');
  const col = header!.split(',').indexOf('sessions');
  const row = rows.find((r) => r.split(',')[0] === activity)!;
  return Number(row.split(',')[col]);
}

describe('team merge', () => {
  it('two machines commit their evidence side by side, and the tables add both up', async () => {
    const repo = temp();
    expect(spawnSync('git', ['init', '-q', repo]).status).toBe(0);
    const a = await machineCommits(repo, 1);
    expect(a.report.outcome.status).toBe('committed');
    const b = await machineCommits(repo, 2);
    expect(b.report.outcome.status).toBe('committed');
    const evidenceFiles = fs.readdirSync(path.join(repo, 'metrics', 'evidence'));
    expect(evidenceFiles).toHaveLength(2);
    // The second commit added its own evidence file and touched nobody else's.
    const changed = git(repo, 'show', '--name-only', '--format=', 'HEAD').stdout.trim().split('\n');
    expect(changed.filter((f) => f.startsWith('metrics/evidence/'))).toHaveLength(1);
    expect(sessionsOf(repo, 'Read')).toBe(a.readCount + b.readCount);
    expect(git(repo, 'status', '--porcelain').stdout).toBe('');
  }, 60_000);

  it('an org library (learned from the shared store) replaces the machines\' evidence in the tables, in either order', async () => {
    expect(orgEvidenceId({})).toBe('org-all');
    expect(orgEvidenceId({ team: 'web', project: '/home/cy/tools' })).toBe('org-team-web-project-_home_cy_tools');
    const repo = temp();
    expect(spawnSync('git', ['init', '-q', repo]).status).toBe(0);
    const a = await machineCommits(repo, 1);
    // The shared store holds both machines' sessions: the org learns from them all.
    const org = await machineCommits(repo, [1, 2], orgEvidenceId({}));
    expect(org.report.outcome.status).toBe('committed');
    const files = fs.readdirSync(path.join(repo, 'metrics', 'evidence'));
    expect(files).toHaveLength(2);
    expect(files).toContain('org-all.json');
    // Counted once: the org's sessions, not machine A's again on top of them.
    expect(org.readCount).toBeGreaterThan(a.readCount);
    expect(sessionsOf(repo, 'Read')).toBe(org.readCount);
    // A machine committing after it adds its file, and the tables stay the org's.
    await machineCommits(repo, 2);
    expect(fs.readdirSync(path.join(repo, 'metrics', 'evidence'))).toHaveLength(3);
    expect(sessionsOf(repo, 'Read')).toBe(org.readCount);
    expect(teamEvidenceFiles(new Map([['metrics/evidence/0123456789abcdef.json', 'm'], ['metrics/evidence/org-team-web.json', 'w'], ['metrics/evidence/org-team-data.json', 'd']]))).toEqual(
      new Map([['metrics/evidence/org-team-web.json', 'w'], ['metrics/evidence/org-team-data.json', 'd']]),
    );
  }, 60_000);
});
