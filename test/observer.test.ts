// Observer isolation: sessions of other tools' background analysers are neither captured nor advised.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeCaptureRules, writeContext } from '../src/shell/planner-context-writer.js';
import type { ContextBundle } from '../src/plan/context-bundle.js';
import { REPO_ROOT } from './helpers/paths.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
});

function setup(exclude: string[]): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'am-observer-'));
  homes.push(home);
  const bundle: ContextBundle = {
    session_start: { global: { text: '## Patterns learned\n- Read → Edit', ids: ['sequence:Read>Edit'] } },
    prompt: { budget_chars: 1500, top: 5, min_relevance: 0.5, advice: {}, index: { k1: 1.2, b: 0.75, avg_len: 0, df: {}, docs: [] } },
    subagents: {},
    holdout_percent: 0,
  };
  writeContext({ dir: path.join(home, 'context'), bundle, autostart: null });
  writeCaptureRules(path.join(home, 'context'), exclude);
  return home;
}

function run(hook: string, home: string, env: Record<string, string>, args: string[] = []) {
  const payload = JSON.stringify({ session_id: 'obs-1', hook_event_name: 'SessionStart', source: 'startup', cwd: '/tmp' });
  const { AGENTOPS_META_DISABLE: _a, CLAUDE_CODE_ENTRYPOINT: _b, ...base } = process.env;
  return spawnSync('bash', ['-c', `'${path.join(REPO_ROOT, 'hooks', hook)}' ${args.join(' ')}`], { input: payload, env: { ...base, AGENTOPS_META_HOME: home, ...env }, encoding: 'utf8' });
}

const spooled = (home: string) => (fs.existsSync(path.join(home, 'spool')) ? fs.readdirSync(path.join(home, 'spool')).filter((n) => n.endsWith('.json')) : []);

describe('observer isolation', () => {
  it('does not capture or advise sessions whose entrypoint is excluded', () => {
    const home = setup(['sdk-cli']);
    expect(run('agentops-capture.sh', home, { CLAUDE_CODE_ENTRYPOINT: 'sdk-cli' }, ['SessionStart']).status).toBe(0);
    const advised = run('agentops-session-start.sh', home, { CLAUDE_CODE_ENTRYPOINT: 'sdk-cli' });
    expect(advised.status).toBe(0);
    expect(advised.stdout).toBe('');
    expect(spooled(home)).toEqual([]);
  });

  it('captures and advises other entrypoints as usual', () => {
    const home = setup(['sdk-cli']);
    run('agentops-capture.sh', home, { CLAUDE_CODE_ENTRYPOINT: 'cli' }, ['SessionStart']);
    const advised = run('agentops-session-start.sh', home, { CLAUDE_CODE_ENTRYPOINT: 'cli' });
    expect(JSON.parse(advised.stdout).hookSpecificOutput.additionalContext).toContain('Read → Edit');
    // one captured payload and one injection record
    expect(spooled(home).map((n) => n.replace(/^\d+-\d+-/, ''))).toEqual(expect.arrayContaining(['SessionStart.json', 'AgentopsInjection.json']));
  });

  it('honours AGENTOPS_META_DISABLE set by the tool that starts the session', () => {
    const home = setup([]);
    run('agentops-capture.sh', home, { AGENTOPS_META_DISABLE: '1' }, ['SessionStart']);
    expect(run('agentops-session-start.sh', home, { AGENTOPS_META_DISABLE: '1' }).stdout).toBe('');
    expect(spooled(home)).toEqual([]);
  });

  it('with no exclusion configured, the rules file is absent and everything is captured', () => {
    const home = setup([]);
    expect(fs.existsSync(path.join(home, 'context', 'exclude-entrypoints'))).toBe(false);
    run('agentops-capture.sh', home, { CLAUDE_CODE_ENTRYPOINT: 'sdk-cli' }, ['Stop']);
    expect(spooled(home)).toHaveLength(1);
  });
});
