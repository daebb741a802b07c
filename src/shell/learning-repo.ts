// The learning repository, read-only and synchronous: is a folder the top of a git work tree, its last
// learning commit, the history of metrics/eval.json. Which folder it is comes from the one resolver,
// learningRepo() in paths.ts; nothing here creates it (commit/git-commit.ts makes and commits to it).
// The doctor, install --learning-repo, report and the learning commit all ask here. Every git failure
// (no git, no repository, a broken one) is an answer (false, null, []), never a throw: the doctor must
// work on a broken setup. Shell: runs git.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Env keys that steer git (GIT_DIR, GIT_INDEX_FILE, ...) or open something (EDITOR, PAGER, ...). */
const GUARDED_PLAIN = new Set(['editor', 'pager', 'prefix', 'ssh_askpass', 'visual']);
export function isGuardedEnvKey(key: string): boolean {
  const k = key.toLowerCase().trim();
  return k.startsWith('git') || GUARDED_PLAIN.has(k);
}

/** What our git calls set on top of the ambient environment. */
export function ourGitEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  // Read-only calls must not refresh (rewrite) the user's index behind their back.
  return { GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', ...extra };
}

/**
 * The environment git runs with: the ambient one without the keys that steer git (a GIT_DIR from a
 * git hook must not point us at another repository), plus ours and `extra` (tests: GIT_CONFIG_GLOBAL).
 */
export function gitEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !isGuardedEnvKey(k)) env[k] = v;
  return Object.assign(env, ourGitEnv(extra));
}

function git(dir: string, args: string[], env?: Readonly<Record<string, string>>): string | null {
  try {
    return execFileSync('git', args, { cwd: dir, env: gitEnv(env), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
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

/**
 * True when `dir` is the top of a git work tree: not merely inside another repository (a dotfiles
 * repository in $HOME, say), which is not ours to commit to.
 */
export function isRepoTop(dir: string, env?: Readonly<Record<string, string>>): boolean {
  const top = git(dir, ['rev-parse', '--show-toplevel'], env)?.trim();
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
