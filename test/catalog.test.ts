import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFrontmatter } from '../src/catalog/frontmatter.js';
import { joinCatalog, kindOfActivity, pluginOfActivity } from '../src/catalog/join.js';
import { describeMcp, scanInstalled } from '../src/catalog/scan.js';
import type { InstalledInventory, InstalledItem } from '../src/catalog/types.js';
import type { SequentialPattern } from '../src/learn/types.js';
import { usageIndex } from '../src/report/usage.js';
import { trace } from './learn-helpers.js';

describe('parseFrontmatter', () => {
  it('reads plain, quoted and commented scalars and returns the body', () => {
    const fm = parseFrontmatter(`---\nname: code-reviewer\ndescription: "Reviews code: finds \\"bugs\\""\nmodel: sonnet # the fast one\ncolor: 'it''s blue'\n---\n# Title\nBody text\n`);
    expect(fm.data).toEqual({ name: 'code-reviewer', description: 'Reviews code: finds "bugs"', model: 'sonnet', color: "it's blue" });
    expect(fm.body).toBe('# Title\nBody text\n');
  });

  it('folds > blocks, keeps | blocks, and joins continued plain scalars', () => {
    const fm = parseFrontmatter(['---', 'description: >', '  Use this agent', '  after edits.', '', '  Second paragraph.', 'notes: |', '  line one', '  line two', 'summary: starts here', '  and goes on', '---', ''].join('\n'));
    expect(fm.data.description).toBe('Use this agent after edits.\nSecond paragraph.');
    expect(fm.data.notes).toBe('line one\nline two');
    expect(fm.data.summary).toBe('starts here and goes on');
  });

  it('joins lists, and skips nested maps', () => {
    const fm = parseFrontmatter(['---', 'tools: [Read, "Grep", Bash]', 'allowed:', '  - Edit', '  - Write', 'hooks:', '  PreToolUse:', '    - matcher: Bash', 'name: x', '---'].join('\n'));
    expect(fm.data.tools).toBe('Read, Grep, Bash');
    expect(fm.data.allowed).toBe('Edit, Write');
    expect(fm.data).not.toHaveProperty('hooks');
    expect(fm.data.name).toBe('x');
  });

  it('keeps scalars as written, and reads descriptions that are not valid YAML as Claude Code does', () => {
    const fm = parseFrontmatter(['---', 'name: helper', 'version: 3.10', 'enabled: yes', 'empty:', 'description: Use this agent when: the user asks. Examples: <example>Context: x</example>', '  and more.', 'tools: [Read, Grep]', '---', 'Body'].join('\n'));
    expect(fm.data).toEqual({
      name: 'helper',
      version: '3.10',
      enabled: 'yes',
      empty: '',
      description: 'Use this agent when: the user asks. Examples: <example>Context: x</example> and more.',
      tools: 'Read, Grep',
    });
    expect(fm.body).toBe('Body');
  });

  it('handles CRLF and a BOM, and text without frontmatter', () => {
    expect(parseFrontmatter('\uFEFF---\r\nname: a\r\n---\r\nbody').data).toEqual({ name: 'a' });
    expect(parseFrontmatter('# no frontmatter\n')).toEqual({ data: {}, body: '# no frontmatter\n' });
    // An opening line without a closing one is not frontmatter.
    expect(parseFrontmatter('---\nname: a\n').data).toEqual({});
  });
});

describe('scanInstalled', () => {
  let root: string;
  let home: string;
  let project: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  const json = (file: string, value: unknown) => write(file, JSON.stringify(value));

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'am-catalog-'));
    home = path.join(root, 'home');
    project = path.join(root, 'project');
    fs.mkdirSync(home, { recursive: true });
    fs.mkdirSync(project, { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function fullSetup(): string {
    write(path.join(home, '.claude/agents/reviewer.md'), '---\nname: code-reviewer\ndescription: Reviews code after edits.\n---\nYou review.');
    write(path.join(home, '.claude/commands/standup.md'), 'Write my standup notes.\n');
    write(path.join(home, '.claude/skills/pdf/SKILL.md'), '---\ndescription: Fill PDF forms\n---\n');
    write(path.join(project, '.claude/agents/tester.md'), '---\ndescription: Runs the tests\n---\n');
    write(path.join(project, '.claude/commands/frontend/component.md'), '---\ndescription: Make a component\n---\n');
    json(path.join(project, '.mcp.json'), { mcpServers: { github: { command: '/usr/bin/npx', args: ['-y', 'server-github', '--token', 'ghp_SECRET'], env: { GITHUB_TOKEN: 'ghp_SECRET' } } } });
    json(path.join(home, '.claude.json'), {
      mcpServers: { context7: { type: 'http', url: 'https://user:pw@mcp.context7.com/mcp?key=SECRET' } },
      projects: { [project]: { mcpServers: { local_db: { command: 'sqlite-mcp' } } }, '/elsewhere': { mcpServers: { other: { command: 'x' } } } },
    });
    json(path.join(home, '.claude/settings.json'), { enabledPlugins: { 'helper@market': true, 'old@market': false } });
    json(path.join(project, '.claude/settings.local.json'), { enabledPlugins: { 'helper@market': false } });
    const helper = path.join(home, '.claude/plugins/cache/market/helper/1.2.0');
    json(path.join(helper, '.claude-plugin/plugin.json'), { name: 'helper', version: '1.2.0', description: 'Helps.', commands: ['./extra'] });
    write(path.join(helper, 'agents/fixer.md'), '---\nname: fixer\ndescription: Fixes things\n---\n');
    write(path.join(helper, 'skills/sum/SKILL.md'), '---\nname: summarise\ndescription: Summarises\n---\n');
    write(path.join(helper, 'commands/go.md'), '---\ndescription: Go\n---\n');
    write(path.join(helper, 'extra/more.md'), '---\ndescription: More\n---\n');
    json(path.join(helper, '.mcp.json'), { mcpServers: { tracker: { command: 'node', args: ['server.js'] } } });
    json(path.join(home, '.claude/plugins/installed_plugins.json'), {
      version: 2,
      plugins: { 'helper@market': [{ scope: 'user', installPath: helper, version: '1.2.0' }], 'gone@market': [{ scope: 'user', installPath: path.join(root, 'nowhere') }] },
    });
    json(path.join(home, '.claude/plugins/known_marketplaces.json'), { market: { source: { source: 'github', repo: 'acme/market' }, installLocation: path.join(home, '.claude/plugins/marketplaces/market') } });
    json(path.join(home, '.claude/plugins/marketplaces/market/.claude-plugin/marketplace.json'), { name: 'market', plugins: [{ name: 'helper' }, { name: 'other' }] });
    return helper;
  }

  const find = (items: InstalledItem[], kind: string, name: string) => items.find((i) => i.kind === kind && i.name === name);

  it('lists agents, skills, commands, MCP servers and plugins with their descriptions and scopes', () => {
    const helper = fullSetup();
    const inv = scanInstalled({ home, projectDir: project });
    expect(find(inv.items, 'agent', 'code-reviewer')).toMatchObject({ activity: 'Agent:code-reviewer', description: 'Reviews code after edits.', source: 'user' });
    expect(find(inv.items, 'agent', 'tester')).toMatchObject({ activity: 'Agent:tester', source: 'project' }); // name from the file name
    expect(find(inv.items, 'skill', 'pdf')).toMatchObject({ activity: 'Skill:pdf', description: 'Fill PDF forms', source: 'user' });
    // A command without frontmatter is described by its first line; sub-folders are scanned.
    expect(find(inv.items, 'command', '/standup')).toMatchObject({ activity: '/standup', description: 'Write my standup notes.' });
    expect(find(inv.items, 'command', '/component')).toMatchObject({ source: 'project', description: 'Make a component' });
    expect(find(inv.items, 'mcp', 'github')).toMatchObject({ activity: 'mcp:github', source: 'project', description: 'stdio: npx' });
    expect(find(inv.items, 'mcp', 'context7')).toMatchObject({ source: 'user', description: 'http: mcp.context7.com' });
    expect(find(inv.items, 'mcp', 'local_db')).toMatchObject({ source: 'local' });
    expect(find(inv.items, 'mcp', 'other')).toBeUndefined(); // another project's local server

    // The plugin and its components, namespaced as Claude Code names them; the local scope disables it.
    expect(find(inv.items, 'plugin', 'helper')).toMatchObject({ source: 'plugin', version: '1.2.0', enabled: false, description: 'Helps.', path: helper });
    expect(find(inv.items, 'agent', 'helper:fixer')).toMatchObject({ activity: 'Agent:helper:fixer', plugin: 'helper' });
    expect(find(inv.items, 'skill', 'helper:summarise')).toMatchObject({ activity: 'Skill:helper:summarise' });
    expect(find(inv.items, 'command', '/helper:go')).toMatchObject({ activity: '/helper:go' });
    expect(find(inv.items, 'command', '/helper:more')).toBeDefined(); // custom commands path from plugin.json
    expect(find(inv.items, 'mcp', 'tracker')).toMatchObject({ plugin: 'helper', activity: 'mcp:tracker' });

    expect(inv.marketplaces).toEqual([{ name: 'market', source: 'github:acme/market', path: path.join(home, '.claude/plugins/marketplaces/market'), plugins: 2 }]);
    expect(inv.warnings.some((w) => w.includes('gone@market'))).toBe(true);
  });

  it('never copies arguments, environment, credentials or query strings of MCP servers', () => {
    fullSetup();
    const text = JSON.stringify(scanInstalled({ home, projectDir: project }));
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('user:pw');
    expect(describeMcp({ url: 'not a url' })).toBe('http');
    expect(describeMcp({ command: 'uvx --from x y' })).toBe('stdio: uvx');
  });

  it('reads installed_plugins.json version 1 and falls back to the plugin cache without it', () => {
    const dir = path.join(root, 'p1');
    json(path.join(dir, '.claude-plugin/plugin.json'), { name: 'one' });
    json(path.join(home, '.claude/plugins/installed_plugins.json'), { version: 1, plugins: { 'one@m': { version: '0.1.0', installPath: dir } } });
    expect(scanInstalled({ home, projectDir: null }).items).toEqual([expect.objectContaining({ kind: 'plugin', name: 'one', version: '0.1.0', enabled: null })]);

    fs.rmSync(path.join(home, '.claude/plugins/installed_plugins.json'));
    const cached = path.join(home, '.claude/plugins/cache/m/two');
    json(path.join(cached, '0.9.0/.claude-plugin/plugin.json'), { name: 'two' });
    json(path.join(cached, '1.0.0/.claude-plugin/plugin.json'), { name: 'two' });
    const items = scanInstalled({ home, projectDir: null }).items;
    expect(items).toEqual([expect.objectContaining({ kind: 'plugin', name: 'two', version: '1.0.0', path: path.join(cached, '1.0.0') })]);
  });

  it('turns unreadable settings into warnings and an empty home into an empty inventory', () => {
    expect(scanInstalled({ home, projectDir: project })).toEqual({ items: [], marketplaces: [], warnings: [] });
    write(path.join(project, '.mcp.json'), '{ not json');
    const inv = scanInstalled({ home, projectDir: project });
    expect(inv.items).toEqual([]);
    expect(inv.warnings).toEqual([expect.stringContaining('.mcp.json: not valid JSON')]);
  });
});

describe('joinCatalog', () => {
  const item = (partial: Partial<InstalledItem> & Pick<InstalledItem, 'kind' | 'name' | 'activity'>): InstalledItem => ({
    description: null,
    source: 'user',
    plugin: null,
    path: null,
    enabled: null,
    version: null,
    ...partial,
  });

  const inventory: InstalledInventory = {
    items: [
      item({ kind: 'plugin', name: 'helper', activity: null, source: 'plugin', plugin: 'helper' }),
      item({ kind: 'agent', name: 'helper:fixer', activity: 'Agent:helper:fixer', source: 'plugin', plugin: 'helper' }),
      item({ kind: 'mcp', name: 'tracker', activity: 'mcp:tracker', source: 'plugin', plugin: 'helper' }),
      item({ kind: 'agent', name: 'reviewer', activity: 'Agent:reviewer' }),
      item({ kind: 'skill', name: 'pdf', activity: 'Skill:pdf' }),
    ],
    marketplaces: [],
    warnings: [],
  };

  // s1 passes (last test), s2 fails, s3 has no test run; steps 1 s apart.
  const traces = [
    trace('s1', ['Read', 'Agent:reviewer', 'Agent:helper:fixer', 'mcp:tracker', 'pass']),
    trace('s2', ['Agent:reviewer', 'Agent:reviewer', 'Agent:Explore', 'Skill:gone', 'fail']),
    trace('s3', ['mcp:tracker', '/review', 'Agent:helper:other']),
  ];
  // s2's second Agent:reviewer call failed.
  traces[1]!.steps[1]!.outcome = 'error';

  const seq = (steps: string[]): SequentialPattern => ({ steps, sessions: 9 }) as SequentialPattern;

  it('joins usage: calls, sessions, errors, pass rate of sessions with tests, last use', () => {
    const c = joinCatalog(inventory, usageIndex(traces), null);
    const row = (name: string) => c.rows.find((r) => r.name === name)!;
    // reviewer: once in s1 (green), twice in s2 (red, one call failed).
    expect(row('reviewer').usage).toEqual({
      calls: 3,
      sessions: 2,
      errors: 1,
      error_rate: 1 / 3,
      known_sessions: 2,
      passed_sessions: 1,
      pass_rate: 0.5,
      last_used_ms: traces[1]!.steps[1]!.end_ms,
    });
    // Installed, never used: zero use, still listed.
    expect(row('pdf')).toMatchObject({ installed: true, usage: { calls: 0, sessions: 0, pass_rate: null, last_used_ms: null } });
  });

  it("sums a plugin's components over the union of their sessions, including namespaced activities not found installed", () => {
    const c = joinCatalog(inventory, usageIndex(traces), null);
    const plugin = c.rows.find((r) => r.kind === 'plugin')!;
    // fixer (s1), tracker (s1, s3), helper:other (s3): 4 calls in 2 sessions; only s1 ran tests.
    expect(plugin.usage).toMatchObject({ calls: 4, sessions: 2, known_sessions: 1, passed_sessions: 1, pass_rate: 1 });
  });

  it('adds what was used but is not installed, marking built-ins, and leaves built-in tools out', () => {
    const c = joinCatalog(inventory, usageIndex(traces), null);
    const extra = c.rows.filter((r) => !r.installed).map((r) => [r.kind, r.name, r.builtin, r.plugin]);
    expect(extra).toEqual(
      expect.arrayContaining([
        ['agent', 'Explore', true, null],
        ['agent', 'helper:other', false, 'helper'],
        ['skill', 'gone', false, null],
        ['command', '/review', true, null],
      ]),
    );
    expect(extra).toHaveLength(4);
    expect(c.rows.some((r) => r.name === 'Read' || r.name === 'Bash:test')).toBe(false);
    // Order: plugins, agents, skills, commands, MCP; most called first within a kind.
    expect(c.rows.map((r) => r.kind)).toEqual(['plugin', 'agent', 'agent', 'agent', 'agent', 'skill', 'skill', 'command', 'mcp']);
    expect(c.rows[1]!.name).toBe('reviewer');
  });

  it('lists the learned patterns each item takes part in', () => {
    const patterns = { sequential: [seq(['Read', 'Agent:reviewer'])], parallel: [{ members: ['Agent:helper:fixer', 'mcp:tracker'] } as never], anti: [seq(['Skill:pdf', 'Edit'])] };
    const c = joinCatalog(inventory, usageIndex(traces), patterns);
    const row = (name: string) => c.rows.find((r) => r.name === name)!;
    expect(row('reviewer').patterns).toEqual(['Read → Agent:reviewer']);
    expect(row('pdf').patterns).toEqual(['avoid: Skill:pdf → Edit']);
    expect(row('helper').patterns).toEqual(['Agent:helper:fixer + mcp:tracker']);
  });

  it('names kinds and plugins of activities', () => {
    expect(['Agent:x', 'Skill:y', 'mcp:z', '/c', 'Read', 'Bash:test'].map(kindOfActivity)).toEqual(['agent', 'skill', 'mcp', 'command', null, null]);
    expect(['Agent:p:x', 'Skill:p:y', '/p:c', 'Agent:x', 'mcp:p', '/c'].map(pluginOfActivity)).toEqual(['p', 'p', 'p', null, null, null]);
  });
});
