// The learning repository, read-only: its last learning commit and the history of metrics/eval.json.
// Which folder it is comes from the one resolver, learningRepo() in shell/paths.ts; nothing here
// creates it. Shell: runs git.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

function git(dir: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch {
    return null;
  }
}

export function gitAvailable(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function isRepoTop(dir: string): boolean {
  const top = git(dir, ['rev-parse', '--show-toplevel'])?.trim();
  if (!top) return false;
  try {
    return fs.realpathSync(top) === fs.realpathSync(dir);
  } catch {
    return false;
  }
}

export interface LastCommit {
  sha: string;
  at: string;
  subject: string;
}

/** The newest commit that touched the pattern library, or null. */
export function lastLearningCommit(dir: string): LastCommit | null {
  const line = git(dir, ['log', '-1', '--format=%H%x09%cI%x09%s', '--', 'metrics/patterns.json'])?.trim();
  if (!line) return null;
  const [sha, at, ...subject] = line.split('\t');
  return sha && at ? { sha, at, subject: subject.join('\t') } : null;
}

export interface EvalVersion {
  sha: string;
  at: string;
  json: unknown;
}

/** Every committed version of metrics/eval.json, oldest first (at most `max`, the newest ones). */
export function evalHistory(dir: string, max = 60): EvalVersion[] {
  if (!fs.existsSync(dir)) return [];
  const log = git(dir, ['log', `-n${max}`, '--format=%H%x09%cI', '--', 'metrics/eval.json']);
  if (!log) return [];
  const out: EvalVersion[] = [];
  for (const line of log.trim().split('\n').reverse()) {
    const [sha, at] = line.split('\t');
    if (!sha || !at) continue;
    const text = git(dir, ['show', `${sha}:metrics/eval.json`]);
    if (text === null) continue; // deleted in this commit
    try {
      out.push({ sha, at, json: JSON.parse(text) as unknown });
    } catch {
      // a version we cannot read is left out of the trend
    }
  }
  return out;
}
