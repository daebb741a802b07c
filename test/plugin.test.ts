// The plugin form: manifests and hooks/hooks.json, which must match what the code generates.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURE_EVENTS, hookEntries } from '../src/install/hook-spec.js';
import { formatSettingsJson, pluginHooksDocument } from '../src/install/settings-merge.js';
import { REPO_ROOT } from './helpers/paths.js';

type Obj = Record<string, unknown>;
const readJson = (rel: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8')) as Obj;
const hooksFile = path.join(REPO_ROOT, 'hooks', 'hooks.json');
const pkg = readJson('package.json');

function pluginHookCommands(): { event: string; command: string; timeout: unknown }[] {
  const doc = readJson('hooks/hooks.json') as { hooks: Record<string, { matcher?: string; hooks: Obj[] }[]> };
  return Object.entries(doc.hooks).flatMap(([event, groups]) =>
    groups.flatMap((g) => g.hooks.map((h) => ({ event, command: String(h.command), timeout: h.timeout }))),
  );
}

/** The words bash makes of a command string, without running it. */
function shellWords(command: string): string[] {
  const r = spawnSync('bash', ['-c', `printf '%s\\0' ${command}`], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('hooks/hooks.json', () => {
  it('is exactly what the code generates, so the two never drift', () => {
    // To regenerate: write formatSettingsJson(pluginHooksDocument(hookEntries('${CLAUDE_PLUGIN_ROOT}'))).
    const expected = formatSettingsJson(pluginHooksDocument(hookEntries('${CLAUDE_PLUGIN_ROOT}')));
    expect(fs.readFileSync(hooksFile, 'utf8')).toBe(expected);
  });

  it('registers the capture hook once per event and the planner at SessionStart', () => {
    const cmds = pluginHookCommands();
    for (const event of CAPTURE_EVENTS) {
      expect(cmds.filter((c) => c.event === event && c.command.includes('agentops-capture.sh'))).toEqual([
        { event, command: `"\${CLAUDE_PLUGIN_ROOT}"/hooks/agentops-capture.sh ${event}`, timeout: 10 },
      ]);
    }
    expect(cmds.filter((c) => c.command.includes('agentops-session-start.sh'))).toEqual([
      { event: 'SessionStart', command: '"${CLAUDE_PLUGIN_ROOT}"/hooks/agentops-session-start.sh', timeout: 5 },
    ]);
    expect(cmds).toHaveLength(CAPTURE_EVENTS.length + 1);
    expect(typeof readJson('hooks/hooks.json').description).toBe('string');
  });

  it('points only at executable scripts that exist in the repo', () => {
    for (const { command } of pluginHookCommands()) {
      const words = shellWords(command.replaceAll('${CLAUDE_PLUGIN_ROOT}', REPO_ROOT));
      const script = words[0] ?? '';
      expect(script.startsWith(`${REPO_ROOT}/hooks/`)).toBe(true);
      expect(() => fs.accessSync(script, fs.constants.X_OK)).not.toThrow();
      expect(fs.readFileSync(script, 'utf8').startsWith('#!/bin/sh\n')).toBe(true);
    }
  });
});

describe('.claude-plugin manifests', () => {
  const plugin = readJson('.claude-plugin/plugin.json');
  const market = readJson('.claude-plugin/marketplace.json');

  it('plugin.json names the plugin and matches package.json', () => {
    expect(plugin.name).toBe('agentops-meta');
    expect(plugin.version).toBe(pkg.version);
    expect(plugin.version).toBe('0.1.0');
    expect(typeof plugin.description === 'string' && plugin.description.length > 20).toBe(true);
    expect((plugin.author as Obj | undefined)?.name).toEqual(expect.any(String));
  });

  it('marketplace.json lists the plugin from the repo root', () => {
    expect(market.$schema).toBe('https://json.schemastore.org/claude-code-marketplace.json');
    expect((market.owner as Obj | undefined)?.name).toEqual(expect.any(String));
    const plugins = market.plugins as Obj[];
    expect(plugins).toHaveLength(1);
    expect(plugins[0]).toMatchObject({ name: plugin.name, version: plugin.version, source: './' });
  });

  // The Claude Code CLI (a devDependency) validates both manifests and hooks/hooks.json, event names
  // included. It runs offline; HOME is a temp dir so it cannot touch the real ~/.claude.
  it('passes `claude plugin validate --strict`', () => {
    const cli = path.join(REPO_ROOT, 'node_modules', '.bin', 'claude');
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-plugin-'));
    try {
      for (const target of ['.claude-plugin/plugin.json', '.claude-plugin/marketplace.json']) {
        const r = spawnSync(cli, ['plugin', 'validate', '--strict', target], {
          cwd: REPO_ROOT,
          env: { PATH: process.env.PATH, HOME: home, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(`${r.stdout}${r.stderr}`).toContain('Validation passed');
        expect(r.status).toBe(0);
      }
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
