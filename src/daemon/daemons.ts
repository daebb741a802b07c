// Every agentops-meta daemon running on this machine, with the data folder each one serves (tests,
// demos and several AGENTOPS_META_HOMEs each have their own). Read from the process table: a daemon
// started by `daemon start` carries its data folder as its last argument (`--data-folder DIR`); for
// one started otherwise, Linux's /proc tells its environment. Shell: reads /proc, or runs ps.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { dataPaths } from '../shell/paths.js';

export const DATA_FOLDER_FLAG = '--data-folder';

export interface RunningDaemon {
  pid: number;
  /** null when the process table does not tell */
  data_folder: string | null;
}

/** Is this argv an agentops-meta `daemon run`? */
function isDaemonArgv(argv: readonly string[]): boolean {
  const at = argv.indexOf('daemon');
  return at >= 0 && argv[at + 1] === 'run' && argv.some((a) => a.includes('agentops-meta'));
}

function folderFromArgv(argv: readonly string[]): string | null {
  const at = argv.indexOf(DATA_FOLDER_FLAG);
  return at >= 0 ? (argv[at + 1] ?? null) : null;
}

function folderFromEnviron(pid: number): string | null {
  try {
    const env: NodeJS.ProcessEnv = {};
    for (const entry of fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env.AGENTOPS_META_HOME || env.HOME ? dataPaths(env).home : null;
  } catch {
    return null;
  }
}

function fromProc(): RunningDaemon[] {
  const out: RunningDaemon[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue; // exited meanwhile
    }
    if (!isDaemonArgv(argv)) continue;
    const pid = Number(name);
    out.push({ pid, data_folder: folderFromArgv(argv) ?? folderFromEnviron(pid) });
  }
  return out;
}

/** Without /proc (macOS): `ps` joins argv with spaces, so the data folder is the rest of the line after the flag. */
function fromPs(): RunningDaemon[] {
  let text: string;
  try {
    text = execFileSync('ps', ['-axww', '-o', 'pid=,command='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return [];
  }
  const out: RunningDaemon[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!m || !isDaemonArgv(m[2]!.split(' '))) continue;
    const flag = m[2]!.indexOf(` ${DATA_FOLDER_FLAG} `);
    out.push({ pid: Number(m[1]), data_folder: flag >= 0 ? m[2]!.slice(flag + DATA_FOLDER_FLAG.length + 2) : null });
  }
  return out;
}

export function runningDaemons(): RunningDaemon[] {
  const list = fs.existsSync('/proc/self/cmdline') ? fromProc() : fromPs();
  return list.sort((a, b) => a.pid - b.pid);
}
