// Where agentops-meta keeps its data. The capture hook computes the same spool path in sh.
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
  };
}
