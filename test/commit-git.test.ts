// The learning commit against real temporary repositories. Every repo is isolated from the machine's
// git config (GIT_CONFIG_GLOBAL=/dev/null, no system config, HOME in the temp dir).
import { execFileSync } from 'node:child_process';
import { promises as fs, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LearningPathError,
  commitLearning,
  ensureLearningRepo,
  type CommitOutcome,
} from '../src/commit/git-commit.js';

let tmp: string;
let ISO: Record<string, string>;

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'commit-git-test-'));
  ISO = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_SYSTEM: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', HOME: tmp };
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs git in `cwd` with the isolated environment; returns stdout. */
function git(cwd: string, args: string[], opts: { allowFail?: boolean } = {}): string {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GIT_')) env[k] = v;
  Object.assign(env, ISO, { GIT_EDITOR: 'true', GIT_MERGE_AUTOEDIT: 'no' });
  try {
    return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if (opts.allowFail) return '';
    throw err;
  }
}

async function makeRepo(name = 'repo', identity = true): Promise<string> {
  const dir = path.join(tmp, name);
  await fs.mkdir(dir, { recursive: true });
  git(dir, ['init', '-q', '--initial-branch=main']);
  if (identity) {
    git(dir, ['config', 'user.name', 'Repo User']);
    git(dir, ['config', 'user.email', 'repo@example.test']);
  }
  return dir;
}

async function write(repo: string, rel: string, content: string): Promise<void> {
  await fs.mkdir(path.dirname(path.join(repo, rel)), { recursive: true });
  await fs.writeFile(path.join(repo, rel), content);
}

/** A repo with one user commit (src/app.ts, README.md) on main. */
async function repoWithHistory(name = 'repo'): Promise<string> {
  const dir = await makeRepo(name);
  await write(dir, 'src/app.ts', 'export const a = 1;\n');
  await write(dir, 'README.md', '# project\n');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'user: initial']);
  return dir;
}

const FILES = new Map<string, string | null>([
  ['patterns/README.md', '# Patterns\n'],
  ['patterns/validated/read-edit-bash-test.md', '# Read > Edit > Bash:test\n'],
  ['metrics/success_rates.csv', 'activity,count\nRead,3\n'],
]);

function commit(repo: string, files: ReadonlyMap<string, string | null> = FILES, extra: Partial<Parameters<typeof commitLearning>[0]> = {}) {
  return commitLearning({ repo, files, message: 'learning: 2026-01-02', env: ISO, ...extra });
}

const head = (repo: string) => git(repo, ['rev-parse', '-q', '--verify', 'HEAD'], { allowFail: true }).trim();
const status = (repo: string) => git(repo, ['status', '--porcelain=v2', '--untracked-files=all']);

function expectCommitted(o: CommitOutcome): Extract<CommitOutcome, { status: 'committed' }> {
  expect(o.status).toBe('committed');
  if (o.status !== 'committed') throw new Error('unreachable');
  expect(o.warning).toBeUndefined();
  return o;
}

function expectDeferred(o: CommitOutcome, reason: RegExp): void {
  expect(o.status).toBe('deferred');
  if (o.status === 'deferred') expect(o.reason).toMatch(reason);
}

describe('commitLearning: commits', () => {
  it('makes the first commit of an empty repository', async () => {
    const repo = await makeRepo();
    const o = expectCommitted(await commit(repo));
    expect(head(repo)).toBe(o.sha);
    expect(o.changed).toEqual([...FILES.keys()].sort());
    expect(git(repo, ['log', '--format=%s']).trim()).toBe('learning: 2026-01-02');
    expect(git(repo, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort()).toEqual(o.changed);
    for (const [p, c] of FILES) {
      expect(await fs.readFile(path.join(repo, p), 'utf8')).toBe(c);
      expect(git(repo, ['show', `HEAD:${p}`])).toBe(c);
    }
    // work tree and index agree with the new commit
    expect(status(repo)).toBe('');
    expect(git(repo, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/main');
  });

  it('commits changes, additions and deletions on top of existing history, touching only those paths', async () => {
    const repo = await repoWithHistory();
    const first = expectCommitted(await commit(repo));
    const files = new Map<string, string | null>([
      ['patterns/README.md', '# Patterns\n\nupdated\n'], // changed
      ['patterns/validated/read-edit-bash-test.md', null], // deleted
      ['patterns/anti/edit-edit.md', '# Edit > Edit\n'], // added
      ['metrics/success_rates.csv', 'activity,count\nRead,3\n'], // same content
    ]);
    const o = expectCommitted(await commit(repo, files, { message: 'learning: 2026-01-03' }));
    expect(git(repo, ['rev-parse', 'HEAD~1']).trim()).toBe(first.sha);
    expect(o.changed).toEqual(['patterns/README.md', 'patterns/anti/edit-edit.md', 'patterns/validated/read-edit-bash-test.md']);
    expect(git(repo, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort()).toEqual(o.changed);
    expect(existsSync(path.join(repo, 'patterns/validated/read-edit-bash-test.md'))).toBe(false);
    expect(existsSync(path.join(repo, 'patterns/validated'))).toBe(false); // emptied folder removed
    expect(await fs.readFile(path.join(repo, 'patterns/anti/edit-edit.md'), 'utf8')).toBe('# Edit > Edit\n');
    // the user's files are still in the tree, unchanged
    expect(git(repo, ['show', 'HEAD:src/app.ts'])).toBe('export const a = 1;\n');
    expect(git(repo, ['ls-tree', '-r', '--name-only', 'HEAD']).trim().split('\n').sort()).toEqual([
      'README.md',
      'metrics/success_rates.csv',
      'patterns/README.md',
      'patterns/anti/edit-edit.md',
      'src/app.ts',
    ]);
    expect(status(repo)).toBe('');
  });

  it('makes no commit when nothing changed', async () => {
    const repo = await repoWithHistory();
    const o = expectCommitted(await commit(repo));
    expect(await commit(repo)).toEqual({ status: 'unchanged' });
    expect(head(repo)).toBe(o.sha);
    expect(await commit(repo, new Map())).toEqual({ status: 'unchanged' });
  });

  it('commits in a linked worktree onto its own branch only', async () => {
    const repo = await repoWithHistory();
    const wt = path.join(tmp, 'wt');
    git(repo, ['worktree', 'add', '-q', '-b', 'side', wt]);
    const mainHead = head(repo);
    const o = expectCommitted(await commit(wt));
    expect(git(repo, ['rev-parse', 'side']).trim()).toBe(o.sha);
    expect(head(repo)).toBe(mainHead);
    expect(status(wt)).toBe('');
    expect(status(repo)).toBe('');
  });

  it("leaves the user's staged, unstaged and untracked work byte-identical", async () => {
    const repo = await repoWithHistory();
    await write(repo, 'lib/extra.ts', 'export const extra = 2;\n');
    git(repo, ['add', 'lib/extra.ts']);
    git(repo, ['commit', '-q', '-m', 'user: extra']);
    // staged edit, then a further unstaged edit of the same file
    await write(repo, 'src/app.ts', 'export const a = 2;\n');
    git(repo, ['add', 'src/app.ts']);
    await write(repo, 'src/app.ts', 'export const a = 3;\n');
    // unstaged edit only
    await write(repo, 'README.md', '# project\n\nwork in progress\n');
    // staged new file, staged deletion, untracked file
    await write(repo, 'src/new.ts', 'export {};\n');
    git(repo, ['add', 'src/new.ts']);
    git(repo, ['rm', '-q', '--cached', 'lib/extra.ts']);
    await write(repo, 'notes.txt', 'scratch\n');

    const snapshot = async () => ({
      cached: git(repo, ['diff', '--cached']),
      diff: git(repo, ['diff']),
      status: status(repo),
      stage: git(repo, ['ls-files', '-s']).split('\n').filter((l) => !/\t(patterns|metrics)\//.test(l)),
      bytes: await Promise.all(
        ['src/app.ts', 'README.md', 'src/new.ts', 'notes.txt', 'lib/extra.ts'].map((p) => fs.readFile(path.join(repo, p), 'utf8')),
      ),
    });
    const before = await snapshot();
    expect(before.cached).not.toBe('');
    expect(before.diff).not.toBe('');

    const o = expectCommitted(await commit(repo));
    expect(await snapshot()).toEqual(before);
    // the commit holds the user's COMMITTED versions, not their staged ones
    expect(git(repo, ['show', 'HEAD:src/app.ts'])).toBe('export const a = 1;\n');
    expect(git(repo, ['show', 'HEAD:lib/extra.ts'])).toBe('export const extra = 2;\n');
    expect(git(repo, ['show', '--name-only', '--format=', o.sha]).trim().split('\n').sort()).toEqual(o.changed);
    // and the learning paths themselves are clean
    expect(git(repo, ['status', '--porcelain', '--', 'patterns', 'metrics'])).toBe('');
  });
});

describe('commitLearning: deferred, nothing written', () => {
  /** Runs the commit expecting a deferral; checks that HEAD and the learning paths were not touched. */
  async function expectUntouched(repo: string, reason: RegExp, extra: Partial<Parameters<typeof commitLearning>[0]> = {}) {
    const h = head(repo);
    const st = status(repo);
    expectDeferred(await commit(repo, FILES, extra), reason);
    expect(head(repo)).toBe(h);
    expect(status(repo)).toBe(st);
    expect(existsSync(path.join(repo, 'metrics/success_rates.csv'))).toBe(false);
  }

  /** main and side both change conflict.txt. */
  async function divergedRepo(): Promise<string> {
    const repo = await repoWithHistory();
    await write(repo, 'conflict.txt', 'base\n');
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'base']);
    git(repo, ['checkout', '-q', '-b', 'side']);
    await write(repo, 'conflict.txt', 'side\n');
    git(repo, ['commit', '-q', '-am', 'side']);
    git(repo, ['checkout', '-q', 'main']);
    await write(repo, 'conflict.txt', 'main\n');
    git(repo, ['commit', '-q', '-am', 'main']);
    return repo;
  }

  it('during a merge', async () => {
    const repo = await divergedRepo();
    git(repo, ['merge', 'side'], { allowFail: true });
    expect(existsSync(path.join(repo, '.git/MERGE_HEAD'))).toBe(true);
    await expectUntouched(repo, /merge is in progress/);
  });

  it('during a rebase', async () => {
    const repo = await divergedRepo();
    git(repo, ['rebase', 'side'], { allowFail: true });
    expect(existsSync(path.join(repo, '.git/rebase-merge')) || existsSync(path.join(repo, '.git/rebase-apply'))).toBe(true);
    await expectUntouched(repo, /rebase/);
  });

  it('during a cherry-pick', async () => {
    const repo = await divergedRepo();
    git(repo, ['cherry-pick', 'side'], { allowFail: true });
    expect(existsSync(path.join(repo, '.git/CHERRY_PICK_HEAD'))).toBe(true);
    await expectUntouched(repo, /cherry-pick/);
  });

  it('during a revert', async () => {
    const repo = await divergedRepo();
    git(repo, ['revert', '--no-edit', 'HEAD~1'], { allowFail: true }); // reverting "base" conflicts with "main"
    expect(existsSync(path.join(repo, '.git/REVERT_HEAD'))).toBe(true);
    await expectUntouched(repo, /revert/);
  });

  it('during a bisect', async () => {
    const repo = await repoWithHistory();
    git(repo, ['bisect', 'start']);
    await expectUntouched(repo, /bisect/);
  });

  it('on a detached HEAD', async () => {
    const repo = await repoWithHistory();
    git(repo, ['checkout', '-q', '--detach']);
    await expectUntouched(repo, /detached/);
  });

  it('while index.lock exists, and leaves the lock alone', async () => {
    const repo = await repoWithHistory();
    await fs.writeFile(path.join(repo, '.git/index.lock'), '');
    const h = head(repo);
    expectDeferred(await commit(repo), /index\.lock/);
    expect(head(repo)).toBe(h);
    expect(existsSync(path.join(repo, '.git/index.lock'))).toBe(true);
    expect(existsSync(path.join(repo, 'patterns'))).toBe(false);
  });

  it('without a git identity', async () => {
    const repo = await makeRepo('anon', false);
    await expectUntouched(repo, /no git identity/);
    expect(head(repo)).toBe('');
  });

  it('when the user has changes of their own in a learning path', async () => {
    const repo = await repoWithHistory();
    expectCommitted(await commit(repo));
    const next = new Map(FILES).set('patterns/README.md', '# Patterns v2\n');

    await write(repo, 'patterns/README.md', '# my notes\n'); // unstaged
    expectDeferred(await commit(repo, next), /uncommitted changes in patterns\/README\.md \(not staged\)/);
    expect(await fs.readFile(path.join(repo, 'patterns/README.md'), 'utf8')).toBe('# my notes\n');

    git(repo, ['add', 'patterns/README.md']); // staged
    expectDeferred(await commit(repo, next), /uncommitted changes in patterns\/README\.md \(staged\)/);
    git(repo, ['reset', '-q', '--hard']);

    await write(repo, 'patterns/anti/mine.md', 'mine\n'); // untracked at a path we would write
    expectDeferred(await commit(repo, new Map(next).set('patterns/anti/mine.md', 'generated\n')), /untracked file in the way/);
    expect(await fs.readFile(path.join(repo, 'patterns/anti/mine.md'), 'utf8')).toBe('mine\n');

    // an untracked file elsewhere under patterns/ is not in the way
    expectCommitted(await commit(repo, next));
    expect(await fs.readFile(path.join(repo, 'patterns/anti/mine.md'), 'utf8')).toBe('mine\n');
  });

  it('when a learning folder is a symlink (never writes through it)', async () => {
    const repo = await repoWithHistory();
    const outside = path.join(tmp, 'outside');
    await fs.mkdir(outside);
    await fs.symlink(outside, path.join(repo, 'metrics'));
    expectDeferred(await commit(repo), /metrics is a symlink/);
    expect(await fs.readdir(outside)).toEqual([]);
  });

  it('when the directory is not a repository, or not the top of one', async () => {
    const plain = path.join(tmp, 'plain');
    await fs.mkdir(plain);
    expectDeferred(await commit(plain), /not a git repository/);
    expectDeferred(await commit(path.join(tmp, 'missing')), /does not exist/);
    const repo = await repoWithHistory();
    expectDeferred(await commit(path.join(repo, 'src')), /not the top of a git work tree/);
    expect(existsSync(path.join(repo, 'src/patterns'))).toBe(false);
  });
});

describe('commitLearning: identity and setup', () => {
  it('commits with the configured identity when the repo has none, without writing it to the config', async () => {
    const repo = await makeRepo('anon', false);
    const identity = { name: 'agentops-meta', email: 'agentops@localhost' };
    const o = expectCommitted(await commit(repo, FILES, { identity }));
    expect(git(repo, ['log', '-1', '--format=%an <%ae>|%cn <%ce>', o.sha]).trim()).toBe(
      'agentops-meta <agentops@localhost>|agentops-meta <agentops@localhost>',
    );
    expect(git(repo, ['config', '--get', 'user.name'], { allowFail: true })).toBe('');
  });

  it("prefers the repository's own identity over the fallback", async () => {
    const repo = await makeRepo();
    const o = expectCommitted(await commit(repo, FILES, { identity: { name: 'fallback', email: 'f@x.test' } }));
    expect(git(repo, ['log', '-1', '--format=%an <%ae>', o.sha]).trim()).toBe('Repo User <repo@example.test>');
  });

  it('ensureLearningRepo initialises a repository once, even inside another work tree', async () => {
    const outer = await repoWithHistory('outer');
    const dir = path.join(outer, 'data', 'learning');
    expectDeferred(await commit(dir), /does not exist/);
    expect(await ensureLearningRepo(dir, ISO)).toEqual({ created: true });
    expect(await ensureLearningRepo(dir, ISO)).toEqual({ created: false });
    const o = expectCommitted(await commit(dir, FILES, { identity: { name: 'a', email: 'a@b.test' } }));
    expect(git(dir, ['rev-parse', 'HEAD']).trim()).toBe(o.sha);
    // the outer repository got no commit
    expect(git(outer, ['log', '--format=%s']).trim()).toBe('user: initial');
  });
});

describe('commitLearning: paths', () => {
  it.each([
    'src/app.ts',
    '/etc/passwd',
    '../patterns/x.md',
    'patterns/../src/app.ts',
    'patterns/./x.md',
    'patterns//x.md',
    'patterns/.git/config',
    'patterns\\x.md',
    'C:/patterns/x.md',
    '.claude/commands/other.md',
    '.claude/skills/agentops-meta',
    '',
  ])('rejects %j before touching the repository', async (bad) => {
    const repo = await repoWithHistory();
    const h = head(repo);
    await expect(commit(repo, new Map([...FILES, [bad, 'x']]))).rejects.toBeInstanceOf(LearningPathError);
    expect(head(repo)).toBe(h);
    expect(existsSync(path.join(repo, 'patterns'))).toBe(false);
  });

  it('accepts the default prefixes, and custom ones replace them', async () => {
    const repo = await repoWithHistory();
    const ok = new Map<string, string | null>([
      ['.claude/skills/agentops-meta/SKILL.md', 'skill\n'],
      ['.claude/commands/patterns.md', 'cmd\n'],
    ]);
    expectCommitted(await commit(repo, ok));
    await expect(commit(repo, FILES, { allowedPrefixes: ['learn/'] })).rejects.toBeInstanceOf(LearningPathError);
    expectCommitted(await commit(repo, new Map([['learn/x.md', 'x\n']]), { allowedPrefixes: ['learn/'] }));
  });
});
