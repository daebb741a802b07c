// Runs the installed hook commands exactly as Claude Code does: the command string from
// settings.json through `bash -c`, the payload on stdin, CLAUDE_PROJECT_DIR set.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_EVENTS } from '../src/install/hook-spec.js';
import { install } from '../src/install/install.js';
import { fixture, itWithFixtures } from './helpers/fixtures.js';
import { REPO_ROOT } from './helpers/paths.js';

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
  ms: number;
}

function runHook(command: string, stdin: Buffer, env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-c', command], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {}); // a hook may exit before reading everything; the exit code tells
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err), ms: performance.now() - started }),
    );
    child.stdin.end(stdin);
  });
}

/** Runs `jobs` with at most `width` at once, results in job order. */
async function pool<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await (jobs[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

const temps: string[] = [];
function tempDir(prefix = 'agentops-hooks-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}

let project = '';
/** event -> commands registered for it, read back from the settings.json install() wrote */
let commandsByEvent = new Map<string, string[]>();

beforeAll(() => {
  project = tempDir('agentops-hooks-project-');
  const report = install({ scope: 'project', projectDir: project, root: REPO_ROOT, home: tempDir() });
  if (!report.ok) throw new Error(report.error);
  const settings = JSON.parse(fs.readFileSync(report.settingsPath, 'utf8')) as {
    hooks: Record<string, { hooks: { command: string }[] }[]>;
  };
  commandsByEvent = new Map(
    Object.entries(settings.hooks).map(([event, groups]) => [event, groups.flatMap((g) => g.hooks.map((h) => h.command))]),
  );
});

afterAll(() => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function captureCommand(event: string): string {
  const cmd = commandsByEvent.get(event)?.find((c) => c.includes('/hooks/agentops-capture.sh'));
  if (cmd === undefined) throw new Error(`no capture command for ${event}`);
  return cmd;
}

/** The installed capture command with another argument, quoted as bash needs. */
function captureWithArg(arg: string | null): string {
  const base = captureCommand('Stop').replace(/ Stop$/, '');
  return arg === null ? base : `${base} '${arg.replace(/'/g, `'\\''`)}'`;
}

function envFor(dataHome: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: project, CLAUDE_PROJECT_DIR: project, AGENTOPS_META_HOME: dataHome };
}

const NAME = /^(\d+)-(\d+)-([A-Za-z]+)\.json$/;

function spoolNames(dataHome: string): string[] {
  const dir = path.join(dataHome, 'spool');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n !== '.tmp') : [];
}

function tmpLeft(dataHome: string): string[] {
  const dir = path.join(dataHome, 'spool', '.tmp');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

/** Runs one capture in a fresh data dir and checks everything a single capture must do. */
async function captureOnce(command: string, payload: Buffer, event: string): Promise<Run> {
  const dataHome = tempDir();
  const before = BigInt(Date.now()) * 1_000_000n;
  const run = await runHook(command, payload, envFor(dataHome), project);
  const after = BigInt(Date.now()) * 1_000_000n;
  expect(run.code).toBe(0);
  expect(run.stdout.length).toBe(0);
  const names = spoolNames(dataHome);
  expect(names).toHaveLength(1);
  const match = NAME.exec(names[0] ?? '');
  expect(match?.[3]).toBe(event);
  // the name's timestamp is the arrival time in ns (±1 s for clock granularity)
  const ts = BigInt(match?.[1] ?? '0');
  expect(ts >= before - 1_000_000_000n && ts <= after + 1_000_000_000n).toBe(true);
  expect(fs.readFileSync(path.join(dataHome, 'spool', names[0] ?? '')).equals(payload)).toBe(true);
  expect(tmpLeft(dataHome)).toEqual([]);
  return run;
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('installed capture hook, run through bash -c', () => {
  it('is registered for every capture event', () => {
    for (const event of CAPTURE_EVENTS) expect(captureCommand(event)).toMatch(new RegExp(`agentops-capture\\.sh ${event}$`));
  });

  it('spools each event payload byte for byte, silently', async () => {
    for (const event of CAPTURE_EVENTS) {
      const payload = json({ session_id: 's1', hook_event_name: event, cwd: project, prompt: 'héllo "wörld" ✓' });
      await captureOnce(captureCommand(event), payload, event);
    }
  });

  it('keeps bad input exactly: malformed JSON, empty stdin, invalid UTF-8', async () => {
    await captureOnce(captureCommand('PreToolUse'), Buffer.from('{"session_id": "s", "tool_input": {'), 'PreToolUse');
    await captureOnce(captureCommand('Stop'), Buffer.alloc(0), 'Stop');
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x0a, 0x00, 0x80]);
    await captureOnce(captureCommand('PostToolUse'), binary, 'PostToolUse');
  });

  it('keeps a 50 MB payload whole', async () => {
    const big = Buffer.concat([
      Buffer.from('{"hook_event_name":"PostToolUse","tool_response":"'),
      Buffer.alloc(50 * 1024 * 1024, 'x'),
      Buffer.from('"}'),
    ]);
    await captureOnce(captureCommand('PostToolUse'), big, 'PostToolUse');
  });

  it('names unknown events by their argument, and unusable arguments "Unknown"', async () => {
    const payload = json({ hook_event_name: 'BrandNewEvent', session_id: 's' });
    await captureOnce(captureWithArg('BrandNewEvent'), payload, 'BrandNewEvent');
    await captureOnce(captureWithArg('../../etc/x; rm -rf'), payload, 'Unknown');
    await captureOnce(captureWithArg(''), payload, 'Unknown');
    await captureOnce(captureWithArg(null), payload, 'Unknown');
  });

  itWithFixtures('keeps real mid-2025 payloads (no tool_use_id) exactly', async () => {
    const dir = fixture('hook-payloads', 'quantstats');
    const payloads = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { hook_event_name: string }[]);
    expect(payloads.length).toBeGreaterThan(0);
    await pool(
      payloads.map((p, i) => async () => {
        // compact and pretty forms: the hook must not care about layout
        const bytes = Buffer.from(i % 2 === 0 ? JSON.stringify(p) : JSON.stringify(p, null, 2));
        return captureOnce(captureCommand(p.hook_event_name), bytes, p.hook_event_name);
      }),
      4,
    );
  });

  it('64 invocations at 16-way concurrency give 64 distinct, intact files', async () => {
    const dataHome = tempDir();
    const payloads = Array.from({ length: 64 }, (_, i) =>
      json({ session_id: 'par', hook_event_name: 'PreToolUse', n: i, pad: 'p'.repeat(i * 997) }),
    );
    const runs = await pool(
      payloads.map((p) => () => runHook(captureCommand('PreToolUse'), p, envFor(dataHome), project)),
      16,
    );
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout.length).toBe(0);
    }
    const names = spoolNames(dataHome);
    expect(new Set(names).size).toBe(64);
    for (const name of names) expect(name).toMatch(NAME);
    const contents = names.map((n) => fs.readFileSync(path.join(dataHome, 'spool', n)).toString('latin1'));
    expect(contents.sort()).toEqual(payloads.map((p) => p.toString('latin1')).sort());
    expect(tmpLeft(dataHome)).toEqual([]);
  });

  it('exits 0 without output when the data dir cannot be created', async () => {
    const file = path.join(tempDir(), 'a-regular-file');
    fs.writeFileSync(file, 'keep');
    const run = await runHook(captureCommand('Stop'), json({ hook_event_name: 'Stop' }), envFor(path.join(file, 'x')), project);
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep');
  });

  // dash reports a failed redirection on stderr before any 2>/dev/null on the same command applies;
  // the script silences stderr as a whole, which this guards.
  it('prints nothing on stderr either when the data dir cannot be created', async () => {
    const file = path.join(tempDir(), 'a-regular-file');
    fs.writeFileSync(file, '');
    const run = await runHook(captureCommand('Stop'), json({}), envFor(path.join(file, 'x')), project);
    expect(run.stderr.toString()).toBe('');
  });

  it('without AGENTOPS_META_HOME uses $HOME/.agentops-meta, without HOME too the temp dir', async () => {
    const home = tempDir();
    const payload = json({ hook_event_name: 'Stop' });
    const withHome = await runHook(
      captureCommand('Stop'),
      payload,
      { PATH: process.env.PATH, HOME: home, CLAUDE_PROJECT_DIR: project },
      project,
    );
    expect(withHome.code).toBe(0);
    expect(withHome.stdout.length).toBe(0);
    expect(spoolNames(path.join(home, '.agentops-meta'))).toHaveLength(1);

    const tmp = tempDir();
    const noHome = await runHook(
      captureCommand('Stop'),
      payload,
      { PATH: process.env.PATH, TMPDIR: tmp, CLAUDE_PROJECT_DIR: project },
      project,
    );
    expect(noHome.code).toBe(0);
    expect(noHome.stdout.length).toBe(0);
    const fallback = path.join(tmp, `agentops-meta-${process.getuid?.() ?? 0}`);
    const names = spoolNames(fallback);
    expect(names).toHaveLength(1);
    expect(fs.readFileSync(path.join(fallback, 'spool', names[0] ?? '')).equals(payload)).toBe(true);
  });

  it('runs from an install root whose path has spaces and quotes', async () => {
    const root = path.join(tempDir(), `it's my "agent" root`);
    fs.mkdirSync(path.join(root, 'hooks'), { recursive: true });
    for (const f of ['agentops-capture.sh', 'agentops-session-start.sh']) {
      fs.copyFileSync(path.join(REPO_ROOT, 'hooks', f), path.join(root, 'hooks', f));
      fs.chmodSync(path.join(root, 'hooks', f), 0o755);
    }
    const proj = tempDir();
    const report = install({ scope: 'local', projectDir: proj, root, home: tempDir() });
    if (!report.ok) throw new Error(report.error);
    const settings = JSON.parse(fs.readFileSync(report.settingsPath, 'utf8')) as {
      hooks: { Stop: { hooks: { command: string }[] }[] };
    };
    const command = settings.hooks.Stop[0]?.hooks[0]?.command ?? '';
    await captureOnce(command, json({ hook_event_name: 'Stop' }), 'Stop');
  });
});

describe('installed planner hooks, before anything was learned', () => {
  // Behaviour with learned context is tested in test/plan-hooks.test.ts; here: the installed
  // commands run, and with no context they say nothing (exit 0, no stdout, no stderr).
  const planners: [string, string, Record<string, unknown>][] = [
    ['SessionStart', 'agentops-session-start.sh', { hook_event_name: 'SessionStart', source: 'startup', session_id: 's1' }],
    ['UserPromptSubmit', 'agentops-plan.mjs UserPromptSubmit', { hook_event_name: 'UserPromptSubmit', session_id: 's1', prompt: 'fix the flaky test' }],
    ['SubagentStart', 'agentops-plan.mjs SubagentStart', { hook_event_name: 'SubagentStart', session_id: 's1', agent_id: 'a1', agent_type: 'Explore' }],
  ];

  it('are registered next to the capture hook, and the gate is not (opt-in)', () => {
    for (const [event, script] of planners) {
      const cmds = commandsByEvent.get(event) ?? [];
      expect(cmds.filter((c) => c.endsWith(`/hooks/${script}`))).toHaveLength(1);
      expect(cmds.filter((c) => c.includes('/hooks/agentops-'))).toHaveLength(2);
    }
    expect([...commandsByEvent.values()].flat().filter((c) => c.includes('agentops-gate'))).toEqual([]);
  });

  it.each(planners)('%s: exits 0 and prints nothing', async (event, script, payload) => {
    const command = commandsByEvent.get(event)?.find((c) => c.endsWith(`/hooks/${script}`)) ?? '';
    const dataHome = tempDir();
    const run = await runHook(command, json(payload), envFor(dataHome), project);
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toBe('');
    expect(run.stderr.toString()).toBe('');
    // nothing injected, so nothing recorded
    expect(spoolNames(dataHome)).toEqual([]);
  });
});

describe('plugin form (hooks/hooks.json)', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'hooks', 'hooks.json'), 'utf8')) as {
    hooks: Record<string, { hooks: { command: string }[] }[]>;
  };
  const command = doc.hooks.PreToolUse?.[0]?.hooks[0]?.command ?? '';

  it('works when Claude Code substitutes ${CLAUDE_PLUGIN_ROOT} in the command', async () => {
    expect(command).toContain('${CLAUDE_PLUGIN_ROOT}');
    await captureOnce(command.replaceAll('${CLAUDE_PLUGIN_ROOT}', REPO_ROOT), json({ n: 1 }), 'PreToolUse');
  });

  it('works when only the CLAUDE_PLUGIN_ROOT environment variable is set', async () => {
    const dataHome = tempDir();
    const payload = json({ n: 2 });
    const run = await runHook(command, payload, { ...envFor(dataHome), CLAUDE_PLUGIN_ROOT: REPO_ROOT }, project);
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBe(0);
    expect(spoolNames(dataHome)).toHaveLength(1);
  });
});
