// Where agentops-meta keeps its data, and where its learning commits go. The capture hook computes
// the same spool path in sh.
import os from 'node:os';
import path from 'node:path';

export interface DataPaths {
  home: string;
  spool: string;
  spoolTmp: string;
  db: string;
  context: string;
  config: string;
  logs: string;
  /** the default learning repository, a git repository made on first use */
  library: string;
}

/** AGENTOPS_META_HOME, else ~/.agentops-meta, else (no HOME) a per-user folder in the temp dir, as the hook does. */
export function dataPaths(env: NodeJS.ProcessEnv = process.env): DataPaths {
  const home =
    env.AGENTOPS_META_HOME ||
    (env.HOME ? path.join(env.HOME, '.agentops-meta') : path.join(env.TMPDIR || '/tmp', `agentops-meta-${os.userInfo().uid}`));
  return {
    home,
    spool: path.join(home, 'spool'),
    spoolTmp: path.join(home, 'spool', '.tmp'),
    db: path.join(home, 'agentops.db'),
    context: path.join(home, 'context'),
    config: path.join(home, 'config.json'),
    logs: path.join(home, 'logs'),
    library: path.join(home, 'library'),
  };
}

export interface LearningRepo {
  dir: string;
  /** named: --repo or --commit-to; configured: nightly.repo (install --learning-repo records it there) */
  why: 'named' | 'configured' | 'data folder';
}

/**
 * The repository learning commits go to: the one named on the command line, else nightly.repo, else
 * <data>/library. Never the agentops-meta checkout unless the user names it: a clone the tool runs
 * from is not the user's pattern library. Resolves only; the learning commit creates the default.
 */
export function learningRepo(nightlyRepo: string | null, paths: DataPaths, named?: string): LearningRepo {
  if (named) return { dir: path.resolve(named), why: 'named' };
  if (nightlyRepo) return { dir: path.resolve(nightlyRepo), why: 'configured' };
  return { dir: paths.library, why: 'data folder' };
}

const WHY: Record<LearningRepo['why'], string> = {
  named: 'named on the command line',
  configured: 'nightly.repo in the config',
  'data folder': 'the default, in the data folder',
};

/** "DIR (why)": how doctor, status and the SessionStart notice name the learning repository. */
export function describeLearningRepo(repo: LearningRepo): string {
  return `${repo.dir} (${WHY[repo.why]})`;
}
