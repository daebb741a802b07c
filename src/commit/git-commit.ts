// The learning commit: writes the generated library into git without disturbing the user. I/O.
//
// ## Rules (the user's git state is sacred)
// - Only paths under the allowed prefixes are written (LearningPathError otherwise, before any I/O).
// - Nothing is written, and the outcome is `deferred` with a reason, when: the directory is not the
//   top of a work tree, the repository is bare, a merge / rebase / am / cherry-pick / revert / bisect /
//   sequencer operation is in progress, `index.lock` exists, HEAD is detached, no git identity is
//   configured (and none was passed), or the user has changes of their own (staged, unstaged,
//   untracked or ignored files) at one of the paths this commit would write.
// - Detached HEAD is DEFERRED, not committed onto: a commit there would be lost as soon as the user
//   checks out a branch, and moving a detached HEAD is a surprise.
// - The commit is built in a TEMPORARY index (GIT_INDEX_FILE) from HEAD's tree plus our files, hashed
//   through `update-index --add` against a temporary work tree holding only our files (so attributes and
//   clean filters apply as `git add` would apply them). `commit-tree` makes the commit (no hooks run;
//   `commit.gpgSign` is honoured) and `update-ref <branch> <new> <old>` moves the branch only if nobody
//   moved it meanwhile. No commit when the tree equals HEAD's (`unchanged`).
// - Afterwards the working tree and the user's index are brought up to date for the CHANGED learning
//   paths only (files written atomically, index entries set with `update-index --cacheinfo` to the exact
//   blobs of the commit). Everything else, in the index and in the work tree, is left untouched.
// - `branch` mode (commit on learning/<date>, merge --no-ff) is not implemented.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { cmpStr } from '../core/cmp-str.js';
import { gitEnv, isRepoTop, ourGitEnv } from '../shell/learning-repo.js';
import { writeFileWhole } from '../shell/write-whole.js';

export const DEFAULT_ALLOWED_PREFIXES: readonly string[] = [
  'patterns/',
  'metrics/',
  '.claude/skills/agentops-meta/',
  '.claude/commands/patterns.md',
];

export interface GitIdentity {
  name: string;
  email: string;
}

export interface CommitLearningOptions {
  /** top directory of the work tree to commit into */
  repo: string;
  /** repo-relative path (with `/`) → full new content; `null` deletes the file */
  files: ReadonlyMap<string, string | null>;
  message: string;
  /** a prefix ending in `/` allows a folder, any other entry allows exactly that path */
  allowedPrefixes?: readonly string[];
  /** used only when the repository has no user.name / user.email configured */
  identity?: GitIdentity;
  /**
   * Extra environment for every git call, e.g. `GIT_CONFIG_GLOBAL` / `GIT_CONFIG_NOSYSTEM` / `HOME`
   * to isolate tests from the machine's config. Ambient GIT_* variables are never passed to git.
   */
  env?: Readonly<Record<string, string>>;
}

export type CommitOutcome =
  | {
      status: 'committed';
      sha: string;
      /** paths whose content changed in this commit, sorted */
      changed: string[];
      /** set when the commit was made but the work tree / index could not be fully updated */
      warning?: string;
    }
  | { status: 'unchanged' }
  | { status: 'deferred'; reason: string };

/** A path the learning commit must never write. Thrown before any git call. */
export class LearningPathError extends Error {
  constructor(
    readonly path: string,
    why: string,
  ) {
    super(`refusing learning path ${JSON.stringify(path)}: ${why}`);
    this.name = 'LearningPathError';
  }
}

/** An unexpected git failure while building the commit (nothing of the user's was changed). */
export class LearningCommitError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LearningCommitError';
  }
}

// ---- paths ----------------------------------------------------------------------------------

/** Throws LearningPathError unless `p` is a clean relative path under one of the prefixes. */
export function checkLearningPath(p: string, prefixes: readonly string[] = DEFAULT_ALLOWED_PREFIXES): void {
  if (p.length === 0) throw new LearningPathError(p, 'empty path');
  if (p.includes('\0')) throw new LearningPathError(p, 'contains NUL');
  if (p.includes('\\')) throw new LearningPathError(p, 'contains a backslash');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) throw new LearningPathError(p, 'absolute path');
  const segments = p.split('/');
  for (const s of segments) {
    if (s === '') throw new LearningPathError(p, 'empty segment or trailing slash');
    if (s === '.' || s === '..') throw new LearningPathError(p, `"${s}" segment`);
    if (s.toLowerCase() === '.git') throw new LearningPathError(p, '.git segment');
  }
  const allowed = prefixes.some((pre) => (pre.endsWith('/') ? p.startsWith(pre) : p === pre));
  if (!allowed) throw new LearningPathError(p, `outside the allowed prefixes (${prefixes.join(', ')})`);
}

// ---- git access -----------------------------------------------------------------------------

/** simple-git with the environment of shell/learning-repo.ts (simple-git guards the keys it drops; ours must be allowed). */
function makeGit(baseDir: string, extra: Readonly<Record<string, string>>): SimpleGit {
  return simpleGit({
    baseDir,
    allowEnvironment: Object.keys(ourGitEnv(extra)),
    // The caller's env (tests: GIT_CONFIG_GLOBAL) is trusted; nothing here comes from user data.
    unsafe: { allowUnsafeConfigPaths: true },
    // A signing prompt or a stuck process must not hang a nightly job forever.
    timeout: { block: 120_000 },
  }).env(gitEnv(extra));
}

async function raw(git: SimpleGit, args: string[]): Promise<string> {
  try {
    return await git.raw(args);
  } catch (err) {
    throw new LearningCommitError(`git ${args[0] ?? ''} failed: ${(err as Error).message.trim()}`, { cause: err });
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Parses `ls-tree -z` / `ls-files -s -z` style records "<mode> <type|sha> ...\t<path>". */
function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s.length > 0);
}

interface Entry {
  mode: string;
  sha: string;
  stage: string;
}

/** path → entry from `git ls-tree -r -z <tree> -- paths` */
async function treeEntries(git: SimpleGit, tree: string, paths: string[]): Promise<Map<string, Entry>> {
  const out = await raw(git, ['ls-tree', '-r', '-z', '--full-tree', tree, '--', ...paths]);
  const map = new Map<string, Entry>();
  for (const rec of splitZ(out)) {
    const tab = rec.indexOf('\t');
    const [mode = '', , sha = ''] = rec.slice(0, tab).split(' ');
    map.set(rec.slice(tab + 1), { mode, sha, stage: '0' });
  }
  return map;
}

/** path → entries from `git ls-files -s -z -- paths` (several when unmerged) */
async function indexEntries(git: SimpleGit, paths: string[]): Promise<Map<string, Entry[]>> {
  const out = await raw(git, ['ls-files', '-s', '-z', '--', ...paths]);
  const map = new Map<string, Entry[]>();
  for (const rec of splitZ(out)) {
    const tab = rec.indexOf('\t');
    const [mode = '', sha = '', stage = ''] = rec.slice(0, tab).split(' ');
    const p = rec.slice(tab + 1);
    map.set(p, [...(map.get(p) ?? []), { mode, sha, stage }]);
  }
  return map;
}

// ---- repository state -----------------------------------------------------------------------

interface RepoState {
  top: string;
  gitDir: string;
  /** e.g. refs/heads/main */
  branchRef: string;
  /** null on an unborn branch */
  head: string | null;
}

/** In-progress operations, by the git-path that marks them. */
const IN_PROGRESS: readonly [string, string][] = [
  ['MERGE_HEAD', 'a merge is in progress'],
  ['rebase-merge', 'a rebase is in progress'],
  ['rebase-apply', 'a rebase or am is in progress'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick is in progress'],
  ['REVERT_HEAD', 'a revert is in progress'],
  ['sequencer', 'a cherry-pick or revert sequence is in progress'],
  ['BISECT_LOG', 'a bisect is in progress'],
  ['index.lock', 'index.lock exists (another git process is running, or one crashed)'],
];

type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

async function inspectRepo(repo: string, env: Readonly<Record<string, string>>): Promise<Checked<RepoState>> {
  let real: string;
  try {
    real = await fs.realpath(repo);
    if (!(await fs.stat(real)).isDirectory()) return { ok: false, reason: `${repo} is not a directory` };
  } catch {
    return { ok: false, reason: `${repo} does not exist` };
  }
  const git = makeGit(real, env);
  let bare: string;
  try {
    bare = (await git.raw(['rev-parse', '--is-bare-repository'])).trim();
  } catch {
    return { ok: false, reason: `${repo} is not a git repository` };
  }
  if (bare === 'true') return { ok: false, reason: `${repo} is a bare repository` };
  let top: string;
  let gitDir: string;
  try {
    [top = '', gitDir = ''] = (await git.raw(['rev-parse', '--show-toplevel', '--absolute-git-dir'])).split('\n');
  } catch {
    return { ok: false, reason: `${repo} is not inside a git work tree` };
  }
  // A data dir that merely sits inside another repository (a dotfiles repo in $HOME, say) is not ours.
  if ((await fs.realpath(top)) !== real) return { ok: false, reason: `${repo} is not the top of a git work tree` };

  const markers = IN_PROGRESS.map(([name]) => name);
  const gitPaths = (await raw(git, ['rev-parse', ...markers.flatMap((m) => ['--git-path', m])])).split('\n');
  for (let i = 0; i < IN_PROGRESS.length; i++) {
    const p = gitPaths[i];
    if (p && (await exists(path.resolve(real, p)))) return { ok: false, reason: IN_PROGRESS[i]![1] };
  }

  const branchRef = (await raw(git, ['symbolic-ref', '-q', 'HEAD'])).trim();
  if (branchRef === '') return { ok: false, reason: 'HEAD is detached; learning commits are only made on a branch' };
  const head = (await raw(git, ['rev-parse', '-q', '--verify', 'HEAD^{commit}'])).trim();
  return { ok: true, value: { top: real, gitDir, branchRef, head: head === '' ? null : head } };
}

/** True when user.name and user.email are configured (any scope). Auto-detected identities do not count. */
async function hasIdentity(git: SimpleGit): Promise<boolean> {
  const get = async (key: string) => (await raw(git, ['config', '--get', key])).trim();
  return (await get('user.name')) !== '' && (await get('user.email')) !== '';
}

/** Reason why writing `paths` would clobber something of the user's, or null. */
async function findUserChanges(git: SimpleGit, st: RepoState, paths: string[]): Promise<string | null> {
  // The file system first: never write through a symlink or over something that is not a file.
  for (const p of paths) {
    const segs = p.split('/');
    for (let i = 1; i <= segs.length; i++) {
      const rel = segs.slice(0, i).join('/');
      let stat;
      try {
        stat = await fs.lstat(path.join(st.top, rel));
      } catch {
        break;
      }
      const last = i === segs.length;
      if (last ? !stat.isFile() : !stat.isDirectory()) {
        return `${rel} is ${stat.isSymbolicLink() ? 'a symlink' : last ? 'not a regular file' : 'not a directory'}`;
      }
    }
  }
  const head = st.head ? await treeEntries(git, st.head, paths) : new Map<string, Entry>();
  for (const [p, e] of head) {
    if (e.mode !== '100644' && e.mode !== '100755') return `${p} is not a regular file in HEAD (mode ${e.mode})`;
  }
  const index = await indexEntries(git, paths);
  for (const p of paths) {
    const h = head.get(p);
    const i = index.get(p) ?? [];
    const only = i.length === 1 ? i[0] : undefined;
    if (i.length > 1 || (only && only.stage !== '0')) return `unresolved conflict in ${p}`;
    const staged = (h?.sha ?? null) !== (only?.sha ?? null) || (h !== undefined && only !== undefined && h.mode !== only.mode);
    if (staged) return `uncommitted changes in ${p} (staged)`;
  }
  const unstaged = splitZ(await raw(git, ['diff', '--no-ext-diff', '--no-textconv', '--no-renames', '--name-only', '-z', '--', ...paths]));
  if (unstaged[0] !== undefined) return `uncommitted changes in ${unstaged[0]} (not staged)`;
  const untracked = splitZ(await raw(git, ['ls-files', '-z', '--others', '--', ...paths]));
  if (untracked[0] !== undefined) return `untracked file in the way: ${untracked[0]}`;
  return null;
}

// ---- the commit -----------------------------------------------------------------------------

/** Writes `files` as one commit on the current branch; see the rules at the top of this file. */
export async function commitLearning(opts: CommitLearningOptions): Promise<CommitOutcome> {
  const prefixes = opts.allowedPrefixes ?? DEFAULT_ALLOWED_PREFIXES;
  for (const p of opts.files.keys()) checkLearningPath(p, prefixes);
  if (opts.message.trim() === '') throw new Error('commitLearning: empty commit message');
  const env = opts.env ?? {};

  const inspected = await inspectRepo(opts.repo, env);
  if (!inspected.ok) return { status: 'deferred', reason: inspected.reason };
  const st = inspected.value;
  const git = makeGit(st.top, { ...env, GIT_LITERAL_PATHSPECS: '1' });

  let identityEnv: Record<string, string> = {};
  if (!(await hasIdentity(git))) {
    if (!opts.identity) return { status: 'deferred', reason: 'no git identity: user.name / user.email are not configured' };
    const { name, email } = opts.identity;
    identityEnv = { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
  }

  const paths = [...opts.files.keys()].sort();
  if (paths.length === 0) return { status: 'unchanged' };
  const clash = await findUserChanges(git, st, paths);
  if (clash) return { status: 'deferred', reason: clash };

  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'agentops-commit-'));
  try {
    const work = path.join(tmp, 'work');
    const writes = paths.filter((p) => opts.files.get(p) != null);
    const removes = paths.filter((p) => opts.files.get(p) == null);
    for (const p of writes) {
      const dest = path.join(work, p);
      await fs.mkdir(path.dirname(dest), { recursive: true });
      await fs.writeFile(dest, opts.files.get(p)!);
    }
    await fs.mkdir(work, { recursive: true });
    const plumbing = makeGit(work, {
      ...env,
      ...identityEnv,
      GIT_DIR: st.gitDir,
      GIT_WORK_TREE: work,
      GIT_INDEX_FILE: path.join(tmp, 'index'),
    });
    if (st.head) await raw(plumbing, ['read-tree', st.head]);
    if (writes.length > 0) await raw(plumbing, ['update-index', '--add', '--', ...writes]);
    if (removes.length > 0) await raw(plumbing, ['update-index', '--force-remove', '--', ...removes]);
    const tree = (await raw(plumbing, ['write-tree'])).trim();

    let changed: string[];
    if (st.head) {
      const headTree = (await raw(git, ['rev-parse', `${st.head}^{tree}`])).trim();
      if (headTree === tree) return { status: 'unchanged' };
      changed = splitZ(await raw(git, ['diff-tree', '-r', '-z', '--no-renames', '--name-only', headTree, tree]));
    } else {
      changed = splitZ(await raw(git, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', tree]));
      if (changed.length === 0) return { status: 'unchanged' };
    }
    changed.sort();

    const parents = st.head ? ['-p', st.head] : [];
    const sha = (await raw(plumbing, ['commit-tree', tree, ...parents, '-m', opts.message])).trim();
    try {
      await git.raw(['update-ref', '-m', `agentops-meta: ${firstLine(opts.message)}`, st.branchRef, sha, st.head ?? '']);
    } catch (err) {
      // Someone committed meanwhile. The new commit object stays unreferenced; gc removes it.
      return { status: 'deferred', reason: `the branch moved during the learning commit: ${(err as Error).message.trim()}` };
    }
    const warning = await syncWorkTreeAndIndex(git, st, sha, changed, opts.files);
    return warning ? { status: 'committed', sha, changed, warning } : { status: 'committed', sha, changed };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0]!.trim();
}

/**
 * Makes the work tree and the user's index match commit `sha` for the changed paths. Returns a
 * warning instead of throwing: the commit is already made, and the user must be told, not crashed on.
 */
async function syncWorkTreeAndIndex(
  git: SimpleGit,
  st: RepoState,
  sha: string,
  changed: string[],
  files: ReadonlyMap<string, string | null>,
): Promise<string | undefined> {
  const problems: string[] = [];
  const entries = await treeEntries(git, sha, changed);
  for (const p of changed) {
    const dest = path.join(st.top, p);
    const content = files.get(p);
    try {
      if (content == null) await removeFile(dest, st.top);
      else writeFileWhole(dest, content, { mkdir: true, mode: 0o644 });
    } catch (err) {
      problems.push(`could not write ${p}: ${(err as Error).message}`);
    }
  }
  const cacheinfo = changed.flatMap((p) => {
    const e = entries.get(p);
    return e ? ['--cacheinfo', `${e.mode},${e.sha},${p}`] : [];
  });
  const removed = changed.filter((p) => !entries.has(p));
  const updates: string[][] = [];
  if (cacheinfo.length > 0) updates.push(['update-index', '--add', ...cacheinfo]);
  if (removed.length > 0) updates.push(['update-index', '--force-remove', '--', ...removed]);
  for (const args of updates) {
    const err = await retryOnLock(() => git.raw(args));
    if (err) problems.push(`could not update the index: ${err.message.trim()}`);
  }
  return problems.length > 0 ? `committed, but ${problems.join('; ')}` : undefined;
}

/** Runs `fn`, retrying a few times while another git process holds index.lock. */
async function retryOnLock(fn: () => Promise<unknown>): Promise<Error | null> {
  let last: Error | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await fn();
      return null;
    } catch (err) {
      last = err as Error;
      if (!/index\.lock/.test(last.message)) return last;
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
    }
  }
  return last;
}

/** Deletes a file and the folders it leaves empty, never above the work tree's top. */
async function removeFile(dest: string, top: string): Promise<void> {
  await fs.rm(dest, { force: true });
  let dir = path.dirname(dest);
  while (dir.startsWith(top + path.sep)) {
    try {
      await fs.rmdir(dir);
    } catch {
      return;
    }
    dir = path.dirname(dir);
  }
}

// ---- reading the last library -----------------------------------------------------------------

/**
 * The files under `prefixes` as committed in HEAD (not as in the work tree): the `previous` input of
 * renderLibrary. Empty when `repo` is not the top of a work tree or its branch has no commit yet.
 */
export async function readCommittedFiles(
  repo: string,
  opts: { prefixes?: readonly string[]; env?: Readonly<Record<string, string>> } = {},
): Promise<Map<string, string>> {
  const prefixes = opts.prefixes ?? ['patterns/', 'metrics/'];
  const files = new Map<string, string>();
  let real: string;
  try {
    real = await fs.realpath(repo);
  } catch {
    return files;
  }
  if (!isRepoTop(real, opts.env)) return files;
  const git = makeGit(real, { ...(opts.env ?? {}), GIT_LITERAL_PATHSPECS: '1' });
  const head = (await raw(git, ['rev-parse', '-q', '--verify', 'HEAD^{commit}'])).trim();
  if (head === '') return files;
  const specs = prefixes.map((p) => p.replace(/\/+$/, ''));
  const entries = await treeEntries(git, head, specs);
  for (const [p, e] of [...entries].sort(([a], [b]) => cmpStr(a, b))) {
    if (e.mode !== '100644' && e.mode !== '100755') continue;
    if (!prefixes.some((pre) => (pre.endsWith('/') ? p.startsWith(pre) : p === pre))) continue;
    files.set(p, await raw(git, ['cat-file', 'blob', e.sha]));
  }
  return files;
}

// ---- setup ----------------------------------------------------------------------------------

/**
 * Makes `dir` the top of a git work tree (git init, branch main) unless it already is one. Used for a
 * learning repository under the data dir when the project itself is not to be committed into.
 */
export async function ensureLearningRepo(
  dir: string,
  env: Readonly<Record<string, string>> = {},
): Promise<{ created: boolean }> {
  await fs.mkdir(dir, { recursive: true });
  const real = await fs.realpath(dir);
  // not a repository (or only inside another one): init
  if (isRepoTop(real, env)) return { created: false };
  await raw(makeGit(real, env), ['init', '-q', '--initial-branch=main']);
  return { created: true };
}
