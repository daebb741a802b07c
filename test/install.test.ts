import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CAPTURE_EVENTS, hookEntries, isOurCommand } from '../src/install/hook-spec.js';
import { hooksWatch, recordInstall, recordedInstalls } from '../src/install/install-record.js';
import { formatInstallReport, install, uninstall } from '../src/install/install.js';
import { mergeHooks, removeHooks } from '../src/install/settings-merge.js';
import { REPO_ROOT } from './helpers/paths.js';

type Obj = Record<string, unknown>;

/** Handlers of ours in a default install: capture for every event, the SessionStart planner, the prompt/subagent planner. */
const OURS = CAPTURE_EVENTS.length + 3;

function merged(settings: unknown, root = '/opt/agentops-meta') {
  const r = mergeHooks(settings, hookEntries(root));
  if (!r.ok) throw new Error(r.error.message);
  return r;
}

function removed(settings: unknown) {
  const r = removeHooks(settings);
  if (!r.ok) throw new Error(r.error.message);
  return r;
}

/** Every handler command under settings.hooks, with its event. */
function commands(settings: Obj): { event: string; command: string }[] {
  const out: { event: string; command: string }[] = [];
  for (const [event, groups] of Object.entries((settings.hooks ?? {}) as Obj)) {
    for (const g of groups as { hooks: { command?: string }[] }[]) {
      for (const h of g.hooks) if (typeof h.command === 'string') out.push({ event, command: h.command });
    }
  }
  return out;
}

const ours = (s: Obj) => commands(s).filter((c) => isOurCommand(c.command));

/** Settings someone already had: other keys around "hooks", other tools' hooks, an http hook. */
function userSettings(): Obj {
  return {
    $schema: 'https://json.schemastore.org/claude-code-settings.json',
    permissions: { allow: ['Bash(npm test:*)'] },
    hooks: {
      PreToolUse: [
        { matcher: 'Bash', hooks: [{ type: 'command', command: 'guard.sh', timeout: 5 }] },
        { matcher: 'Edit|Write', hooks: [{ type: 'http', url: 'http://localhost:9/h' }] },
      ],
      SessionStart: [{ hooks: [{ type: 'command', command: 'echo hello' }] }],
      ConfigChange: [{ hooks: [{ type: 'command', command: 'log-config.sh' }] }],
    },
    model: 'opus',
  };
}

describe('mergeHooks', () => {
  it('adds one handler per capture event plus the planner hooks to empty settings', () => {
    const r = merged({});
    // the planner's events are capture events too, so the added events are exactly the capture events
    expect(r.added).toEqual([...CAPTURE_EVENTS]);
    expect(r.kept).toBe(0);
    expect(r.removed).toEqual([]);
    const hooks = r.settings.hooks as Obj;
    expect(Object.keys(hooks)).toEqual([...CAPTURE_EVENTS]);
    for (const event of CAPTURE_EVENTS) {
      const handlers = commands(r.settings).filter((c) => c.event === event);
      expect(handlers.map((h) => h.command)).toContain(`'/opt/agentops-meta'/hooks/agentops-capture.sh ${event}`);
    }
    // capture and planner share one matcher-less group per event, capture first
    expect(hooks.SessionStart).toEqual([
      {
        hooks: [
          { type: 'command', command: `'/opt/agentops-meta'/hooks/agentops-capture.sh SessionStart`, timeout: 10 },
          { type: 'command', command: `'/opt/agentops-meta'/hooks/agentops-session-start.sh`, timeout: 5 },
        ],
      },
    ]);
    for (const event of ['UserPromptSubmit', 'SubagentStart']) {
      expect(hooks[event]).toEqual([
        {
          hooks: [
            { type: 'command', command: `'/opt/agentops-meta'/hooks/agentops-capture.sh ${event}`, timeout: 10 },
            { type: 'command', command: `node '/opt/agentops-meta'/hooks/agentops-plan.mjs ${event}`, timeout: 5 },
          ],
        },
      ]);
    }
    // the TDD gate is opt-in: without {gate: true} Stop has the capture hook only
    expect(hooks.Stop).toEqual([
      { hooks: [{ type: 'command', command: `'/opt/agentops-meta'/hooks/agentops-capture.sh Stop`, timeout: 10 }] },
    ]);
    expect(ours(r.settings)).toHaveLength(OURS);
  });

  it('registers the opt-in TDD gate on Stop, and removes it again when the gate is turned off', () => {
    const root = '/opt/agentops-meta';
    const withGate = mergeHooks(userSettings(), hookEntries(root, 'node', { gate: true }));
    if (!withGate.ok) throw new Error(withGate.error.message);
    const stop = commands(withGate.settings).filter((c) => c.event === 'Stop' && isOurCommand(c.command));
    expect(stop.map((c) => c.command)).toEqual([`'${root}'/hooks/agentops-capture.sh Stop`, `node '${root}'/hooks/agentops-gate.mjs`]);
    expect(((withGate.settings.hooks as Obj).Stop as { hooks: Obj[] }[])[0]?.hooks[1]).toEqual({
      type: 'command',
      command: `node '${root}'/hooks/agentops-gate.mjs`,
      timeout: 30,
    });
    expect(ours(withGate.settings)).toHaveLength(OURS + 1);

    // turning the gate off: only the gate handler goes, Stop keeps its capture handler
    const off = merged(withGate.settings, root);
    expect(off.added).toEqual([]);
    expect(off.removed).toEqual(['Stop']);
    expect(JSON.stringify(off.settings)).toBe(JSON.stringify(merged(userSettings(), root).settings));
    // and on again is the same as installing with the gate directly
    const on = mergeHooks(off.settings, hookEntries(root, 'node', { gate: true }));
    expect(on.ok && on.added).toEqual(['Stop']);
    expect(on.ok && JSON.stringify(on.settings)).toBe(JSON.stringify(withGate.settings));
  });

  it('quotes a node binary path and rewrites the planner in place when it changes', () => {
    const a = mergeHooks({}, hookEntries('/r', "/opt/my node's/bin/node"));
    if (!a.ok) throw new Error(a.error.message);
    const plan = commands(a.settings).filter((c) => c.command.includes('agentops-plan.mjs'));
    expect(plan).toEqual([
      { event: 'UserPromptSubmit', command: `'/opt/my node'\\''s/bin/node' '/r'/hooks/agentops-plan.mjs UserPromptSubmit` },
      { event: 'SubagentStart', command: `'/opt/my node'\\''s/bin/node' '/r'/hooks/agentops-plan.mjs SubagentStart` },
    ]);
    const b = mergeHooks(a.settings, hookEntries('/r', '/usr/bin/node'));
    if (!b.ok) throw new Error(b.error.message);
    expect(b.added).toEqual(['UserPromptSubmit', 'SubagentStart']);
    expect(b.removed).toEqual([]);
    const direct = mergeHooks({}, hookEntries('/r', '/usr/bin/node'));
    if (!direct.ok) throw new Error(direct.error.message);
    expect(JSON.stringify(b.settings)).toBe(JSON.stringify(direct.settings));
    // both run the same script, so they count as one handler of ours, never two
    expect(ours(b.settings)).toHaveLength(OURS);
  });

  it('is idempotent: merging twice equals merging once, and reports nothing added', () => {
    const once = merged(userSettings());
    const twice = merged(once.settings);
    expect(JSON.stringify(twice.settings)).toBe(JSON.stringify(once.settings));
    expect(twice.added).toEqual([]);
    expect(twice.removed).toEqual([]);
  });

  it('keeps other keys, their order, and every foreign hook in place', () => {
    const before = userSettings();
    const r = merged(before);
    expect(Object.keys(r.settings)).toEqual(['$schema', 'permissions', 'hooks', 'model']);
    expect(r.kept).toBe(4);
    const hooks = r.settings.hooks as Record<string, unknown[]>;
    const beforeHooks = before.hooks as Record<string, unknown[]>;
    // existing events keep their position; new events follow
    expect(Object.keys(hooks).slice(0, 3)).toEqual(['PreToolUse', 'SessionStart', 'ConfigChange']);
    expect(hooks.PreToolUse?.slice(0, 2)).toEqual(beforeHooks.PreToolUse);
    expect(hooks.SessionStart?.[0]).toEqual(beforeHooks.SessionStart?.[0]);
    expect(hooks.ConfigChange).toEqual(beforeHooks.ConfigChange);
    // ours never join a group holding someone else's handler
    expect(hooks.SessionStart).toHaveLength(2);
    expect(hooks.PreToolUse).toHaveLength(3);
  });

  it('replaces an install from another root instead of duplicating it', () => {
    const old = merged(userSettings(), '/old/place').settings;
    const r = merged(old, '/new place');
    expect(commands(r.settings).some((c) => c.command.includes('/old/place'))).toBe(false);
    expect(ours(r.settings)).toHaveLength(OURS);
    // same result as installing the new root directly
    expect(JSON.stringify(r.settings)).toBe(JSON.stringify(merged(userSettings(), '/new place').settings));
    expect([...r.added].sort()).toEqual([...CAPTURE_EVENTS].sort());
  });

  it('rewrites a changed handler of ours in place, next to a foreign handler', () => {
    const ourOld = { type: 'command', command: '/x/hooks/agentops-capture.sh Stop', timeout: 60, async: true };
    const foreign = { type: 'command', command: 'notify.sh' };
    const r = merged({ hooks: { Stop: [{ hooks: [foreign, ourOld] }] } });
    expect((r.settings.hooks as Obj).Stop).toEqual([
      {
        hooks: [
          foreign,
          { type: 'command', command: `'/opt/agentops-meta'/hooks/agentops-capture.sh Stop`, timeout: 10 },
        ],
      },
    ]);
    expect(r.added).toContain('Stop');
  });

  it('drops stale handlers of ours and duplicates, with the groups and events they emptied', () => {
    const stale = { type: 'command', command: '/x/hooks/agentops-retired.sh', timeout: 3 };
    const dup = { type: 'command', command: '/y/hooks/agentops-capture.sh Stop', timeout: 10 };
    const r = merged({ hooks: { OldEvent: [{ hooks: [stale] }], Stop: [{ hooks: [dup] }, { hooks: [dup] }] } });
    const hooks = r.settings.hooks as Record<string, unknown[]>;
    expect(hooks.OldEvent).toBeUndefined();
    expect(hooks.Stop).toHaveLength(1);
    expect(r.removed).toEqual(['OldEvent']);
    expect(ours(r.settings)).toHaveLength(OURS);
  });

  it('returns typed errors for settings it cannot edit safely', () => {
    for (const bad of [null, [], 'x', 3]) {
      const r = mergeHooks(bad, hookEntries('/r'));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.kind).toBe('settings-not-object');
    }
    const h = mergeHooks({ hooks: [] }, hookEntries('/r'));
    expect(h.ok || h.error.kind).toBe('hooks-not-object');
    const e = mergeHooks({ hooks: { PreToolUse: { hooks: [] } } }, hookEntries('/r'));
    expect(e.ok || e.error.kind).toBe('event-not-array');
    expect(e.ok || e.error.message).toContain('hooks.PreToolUse');
    // malformed parts that are not on our path are passed through, not judged
    const odd = { hooks: { Custom: 'weird', PreToolUse: ['not a group', { matcher: 'X' }] } };
    const r = merged(odd);
    expect((r.settings.hooks as Obj).Custom).toBe('weird');
    expect(((r.settings.hooks as Obj).PreToolUse as unknown[]).slice(0, 2)).toEqual(odd.hooks.PreToolUse);
  });

  it('does not modify its input', () => {
    const input = userSettings();
    const copy = structuredClone(input);
    merged(input);
    removed(merged(input).settings);
    expect(input).toEqual(copy);
  });
});

describe('removeHooks', () => {
  it('undoes an install exactly, key order included', () => {
    const before = userSettings();
    const r = removed(merged(before).settings);
    expect(JSON.stringify(r.settings)).toBe(JSON.stringify(before));
    // events are reported in settings order: the user's events came first
    expect(r.removed.slice(0, 2)).toEqual(['PreToolUse', 'SessionStart']);
    expect([...r.removed].sort()).toEqual([...CAPTURE_EVENTS].sort());
  });

  it('drops the hooks object when only ours were in it, keeps empty things that were not ours', () => {
    expect(removed(merged({ a: 1 }).settings).settings).toEqual({ a: 1 });
    const notOurs = { hooks: { Stop: [], PreToolUse: [{ hooks: [] }] } };
    const r = removed(notOurs);
    expect(r.settings).toEqual(notOurs);
    expect(r.removed).toEqual([]);
  });

  it('removes ours from a mixed group and keeps the foreign handler', () => {
    const foreign = { type: 'command', command: 'keep.sh' };
    const r = removed({ hooks: { Stop: [{ hooks: [{ command: '/z/hooks/agentops-capture.sh Stop' }, foreign] }] } });
    expect(r.settings).toEqual({ hooks: { Stop: [{ hooks: [foreign] }] } });
    expect(r.removed).toEqual(['Stop']);
  });

  it('rejects non-object settings', () => {
    const r = removeHooks('nope');
    expect(r.ok).toBe(false);
  });
});

describe('merge and remove, any foreign settings (property)', () => {
  const foreignCommand = fc.string({ maxLength: 30 }).filter((c) => !isOurCommand(c));
  const handler = fc.oneof(
    fc.record({ type: fc.constant('command'), command: foreignCommand }, { requiredKeys: ['type', 'command'] }),
    fc.record({ type: fc.constant('command'), command: foreignCommand, timeout: fc.integer({ min: 1, max: 600 }) }),
    fc.record({ type: fc.constant('http'), url: fc.webUrl() }),
  );
  const group = fc.record(
    { matcher: fc.constantFrom('', '*', 'Bash', 'Edit|Write', 'mcp__.*'), hooks: fc.array(handler, { maxLength: 3 }) },
    { requiredKeys: ['hooks'] },
  );
  const event = fc.constantFrom('PreToolUse', 'SessionStart', 'Stop', 'ConfigChange', 'CwdChanged', 'PostToolUse');
  // An event array that is present is never empty: an empty one filled by us and emptied again is
  // indistinguishable from one we created, and is dropped (documented limitation).
  const hooks = fc.dictionary(event, fc.array(group, { minLength: 1, maxLength: 3 }), { minKeys: 1 });
  const settings = fc.record(
    { env: fc.dictionary(fc.string({ maxLength: 5 }), fc.string()), hooks, zeta: fc.boolean() },
    { requiredKeys: [] },
  );

  it('merge (gate on or off) is idempotent, adds exactly our handlers, and remove restores the original', () => {
    fc.assert(
      fc.property(settings, fc.constantFrom('/a', '/b c', "/d'e"), fc.boolean(), (s, root, gate) => {
        const entries = hookEntries(root, 'node', { gate });
        const mergeOnce = (x: unknown) => {
          const r = mergeHooks(x, entries);
          if (!r.ok) throw new Error(r.error.message);
          return r;
        };
        const once = mergeOnce(s);
        expect(JSON.stringify(mergeOnce(once.settings).settings)).toBe(JSON.stringify(once.settings));
        expect(ours(once.settings)).toHaveLength(OURS + (gate ? 1 : 0));
        expect(commands(once.settings).length - ours(once.settings).length).toBe(commands(s).length);
        expect(JSON.stringify(removed(once.settings).settings)).toBe(JSON.stringify(s));
      }),
      { numRuns: 200 },
    );
  });
});

// ---- file I/O -------------------------------------------------------------------------------

const temps: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-install-'));
  temps.push(d);
  return d;
}
afterEach(() => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const NOW = new Date('2025-01-02T03:04:05.006Z');

function setup() {
  const home = tempDir();
  const project = tempDir();
  return { home, project, opts: { scope: 'project' as const, projectDir: project, root: REPO_ROOT, home, now: NOW } };
}

/** A .claude folder's files besides the commands folder, which install fills (see 'slash commands' below). */
function settingsFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => n !== 'commands');
}

function read(file: string): Obj {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Obj;
}

describe('install / uninstall on disk', () => {
  it('writes each scope to its own file', () => {
    const { home, project } = setup();
    const base = { root: REPO_ROOT, home, projectDir: project, now: NOW };
    const paths = {
      user: path.join(home, '.claude', 'settings.json'),
      project: path.join(project, '.claude', 'settings.json'),
      local: path.join(project, '.claude', 'settings.local.json'),
    };
    for (const scope of ['user', 'project', 'local'] as const) {
      const report = install({ ...base, scope });
      expect(report.ok && report.settingsPath).toBe(paths[scope]);
      expect(ours(read(paths[scope]))).toHaveLength(OURS);
    }
  });

  it('creates .claude/ and a 2-space JSON file with a trailing newline, no backup', () => {
    const { project, opts } = setup();
    const report = install(opts);
    const file = path.join(project, '.claude', 'settings.json');
    expect(report).toMatchObject({ ok: true, changed: true, created: true, backupPath: null });
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(settingsFiles(path.dirname(file))).toEqual(['settings.json']);
    const cmds = ours(read(file)).map((c) => c.command);
    expect(cmds).toContain(`'${REPO_ROOT}'/hooks/agentops-capture.sh PreToolUse`);
  });

  it('passes the node binary and the gate option through to the settings file', () => {
    const { project, opts } = setup();
    expect(install({ ...opts, nodeBin: '/usr/local/bin/node', gate: true }).ok).toBe(true);
    const cmds = ours(read(path.join(project, '.claude', 'settings.json')));
    const node = "'/usr/local/bin/node' ";
    expect(cmds.filter((c) => c.command.startsWith(node)).map((c) => [c.event, c.command.slice(node.length)])).toEqual([
      ['UserPromptSubmit', `'${REPO_ROOT}'/hooks/agentops-plan.mjs UserPromptSubmit`],
      ['SubagentStart', `'${REPO_ROOT}'/hooks/agentops-plan.mjs SubagentStart`],
      ['Stop', `'${REPO_ROOT}'/hooks/agentops-gate.mjs`],
    ]);
    expect(cmds).toHaveLength(OURS + 1);
  });

  it('backs up an existing file, keeps its other content, leaves no temp file', () => {
    const { project, opts } = setup();
    const dir = path.join(project, '.claude');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'settings.json');
    const original = JSON.stringify(userSettings(), null, 4); // someone else's formatting
    fs.writeFileSync(file, original);
    fs.chmodSync(file, 0o600);
    const report = install(opts);
    const backup = `${file}.bak-2025-01-02T03-04-05-006Z`;
    expect(report).toMatchObject({ ok: true, changed: true, created: false, backupPath: backup, kept: 4 });
    expect(fs.readFileSync(backup, 'utf8')).toBe(original);
    expect(settingsFiles(dir).sort()).toEqual(['settings.json', 'settings.json.bak-2025-01-02T03-04-05-006Z']);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const after = read(file);
    expect(after.permissions).toEqual(userSettings().permissions);
    expect(Object.keys(after)).toEqual(Object.keys(userSettings()));

    // a second install changes nothing, not even the bytes, and makes no second backup
    const bytes = fs.readFileSync(file);
    const again = install({ ...opts, now: new Date(NOW.getTime() + 1000) });
    expect(again).toMatchObject({ ok: true, changed: false, added: [], backupPath: null });
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(settingsFiles(dir)).toHaveLength(2);

    // uninstall restores the original data (in our formatting), with its own backup
    const un = uninstall({ ...opts, now: new Date(NOW.getTime() + 2000) });
    expect(un).toMatchObject({ ok: true, changed: true });
    expect(un.ok && un.removed).toHaveLength(CAPTURE_EVENTS.length);
    expect(read(file)).toEqual(userSettings());
    expect(settingsFiles(dir)).toHaveLength(3);
    expect(uninstall(opts)).toMatchObject({ ok: true, changed: false });
  });

  it('never overwrites an earlier backup made at the same instant', () => {
    const { project, opts } = setup();
    install(opts);
    const first = uninstall(opts);
    const second = install(opts);
    expect(first.ok && second.ok && first.backupPath !== second.backupPath).toBe(true);
    expect(settingsFiles(path.join(project, '.claude'))).toHaveLength(3);
  });

  it('dry run reports the change and writes nothing', () => {
    const { project, opts } = setup();
    const report = install({ ...opts, dryRun: true });
    expect(report).toMatchObject({ ok: true, dryRun: true, changed: true, created: true, backupPath: null });
    expect(report.ok && report.added).toHaveLength(CAPTURE_EVENTS.length);
    expect(fs.existsSync(path.join(project, '.claude'))).toBe(false);
    expect(formatInstallReport(report)).toContain('nothing was written');

    install(opts);
    const file = path.join(project, '.claude', 'settings.json');
    const bytes = fs.readFileSync(file);
    const un = uninstall({ ...opts, dryRun: true });
    expect(un).toMatchObject({ ok: true, changed: true, removed: [...CAPTURE_EVENTS], backupPath: null });
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(settingsFiles(path.dirname(file))).toEqual(['settings.json']);
  });

  it('installs the /orchestrate and /catalog slash commands in the scope\'s commands folder, and uninstall removes exactly those', () => {
    const { home, project, opts } = setup();
    const dir = path.join(project, '.claude', 'commands');
    fs.mkdirSync(dir, { recursive: true });
    // someone's own /catalog, and an unrelated command: never touched
    fs.writeFileSync(path.join(dir, 'catalog.md'), '---\ndescription: my own catalog\n---\nmine\n');
    fs.writeFileSync(path.join(dir, 'deploy.md'), 'deploy it\n');
    const dry = install({ ...opts, dryRun: true });
    expect(dry.ok && dry.commands).toEqual({ dir, written: ['orchestrate.md'], removed: [], kept: ['catalog.md'] });
    expect(fs.existsSync(path.join(dir, 'orchestrate.md'))).toBe(false);

    const report = install(opts);
    expect(report.ok && report.commands).toEqual({ dir, written: ['orchestrate.md'], removed: [], kept: ['catalog.md'] });
    expect(fs.readFileSync(path.join(dir, 'orchestrate.md'), 'utf8')).toBe(fs.readFileSync(path.join(REPO_ROOT, '.claude', 'commands', 'orchestrate.md'), 'utf8'));
    expect(fs.readFileSync(path.join(dir, 'catalog.md'), 'utf8')).toContain('mine');
    expect(formatInstallReport(report)).toContain('slash commands written');
    // a second install leaves them as they are
    expect(install(opts)).toMatchObject({ ok: true, commands: { written: [] } });

    const un = uninstall(opts);
    expect(un.ok && un.commands).toEqual({ dir, written: [], removed: ['orchestrate.md'], kept: ['catalog.md'] });
    expect(fs.readdirSync(dir).sort()).toEqual(['catalog.md', 'deploy.md']);

    // user scope: ~/.claude/commands, both commands; uninstall removes the folder they were alone in
    const user = install({ ...opts, scope: 'user' });
    const userDir = path.join(home, '.claude', 'commands');
    expect(user.ok && user.commands).toEqual({ dir: userDir, written: ['orchestrate.md', 'catalog.md'], removed: [], kept: [] });
    expect(uninstall({ ...opts, scope: 'user' })).toMatchObject({ ok: true, commands: { removed: ['orchestrate.md', 'catalog.md'] } });
    expect(fs.existsSync(userDir)).toBe(false);
  });

  it('refuses invalid JSON and non-object settings, leaving the file untouched', () => {
    const { project, opts } = setup();
    fs.mkdirSync(path.join(project, '.claude'));
    const file = path.join(project, '.claude', 'settings.json');
    for (const text of ['{"hooks": {', '[1, 2]', '{"hooks": "none"}']) {
      fs.writeFileSync(file, text);
      for (const report of [install(opts), uninstall(opts)]) {
        expect(report.ok).toBe(false);
        const message = formatInstallReport(report);
        expect(message).toContain(file);
        expect(message).toContain('unchanged');
      }
      expect(fs.readFileSync(file, 'utf8')).toBe(text);
      expect(fs.readdirSync(path.dirname(file))).toEqual(['settings.json']);
    }
  });

  it('treats an empty file as empty settings', () => {
    const { project, opts } = setup();
    fs.mkdirSync(path.join(project, '.claude'));
    fs.writeFileSync(path.join(project, '.claude', 'settings.json'), '');
    expect(install(opts)).toMatchObject({ ok: true, changed: true, created: false });
  });

  it('uninstall without a settings file creates nothing', () => {
    const { project, opts } = setup();
    expect(uninstall(opts)).toMatchObject({ ok: true, changed: false, removed: [] });
    expect(fs.existsSync(path.join(project, '.claude'))).toBe(false);
  });

  it('replaces an install from another package root', () => {
    const { project, opts } = setup();
    const oldRoot = path.join(tempDir(), "old agent's root");
    fs.mkdirSync(path.join(oldRoot, 'hooks'), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'hooks', 'agentops-capture.sh'), path.join(oldRoot, 'hooks', 'agentops-capture.sh'));
    install({ ...opts, root: oldRoot });
    const report = install(opts);
    expect(report).toMatchObject({ ok: true, changed: true });
    const cmds = ours(read(path.join(project, '.claude', 'settings.json')));
    expect(cmds).toHaveLength(OURS);
    // every handler of ours runs a script under the new root, directly or through node
    const newRoot = `'${REPO_ROOT}'/hooks/`;
    expect(cmds.every((c) => c.command.startsWith(newRoot) || c.command.startsWith(`node ${newRoot}`))).toBe(true);
    expect(cmds.filter((c) => c.command.startsWith('node '))).toHaveLength(2);
  });

  it('writes through a symlinked settings file', () => {
    const { project, opts } = setup();
    const dotfiles = tempDir();
    const real = path.join(dotfiles, 'claude-settings.json');
    fs.writeFileSync(real, '{"model": "opus"}\n');
    fs.mkdirSync(path.join(project, '.claude'));
    const link = path.join(project, '.claude', 'settings.json');
    fs.symlinkSync(real, link);
    expect(install(opts).ok).toBe(true);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(read(real).model).toBe('opus');
    expect(ours(read(real))).toHaveLength(OURS);
    expect(fs.readdirSync(dotfiles)).toEqual(['claude-settings.json']);
  });

  it('reports a bad package root or an unwritable location instead of throwing', () => {
    const { opts } = setup();
    for (const root of ['relative/root', tempDir()]) {
      const report = install({ ...opts, root });
      expect(report.ok).toBe(false);
      expect(formatInstallReport(report)).toContain('hooks/agentops-capture.sh');
    }
    const file = path.join(tempDir(), 'plain-file');
    fs.writeFileSync(file, '');
    const report = install({ ...opts, projectDir: path.join(file, 'project') });
    expect(report.ok).toBe(false);
    expect(formatInstallReport(report)).toContain(path.join(file, 'project', '.claude', 'settings.json'));
    // the file reads fine but the write fails (tests run as root, so a read-only directory would
    // not stop us: block the temp file's name instead); the old file stays as it was
    const project = tempDir();
    const settings = path.join(project, '.claude', 'settings.json');
    fs.mkdirSync(`${settings}.tmp-${process.pid}`, { recursive: true });
    fs.writeFileSync(settings, '{"model": "opus"}');
    const denied = install({ ...opts, projectDir: project });
    expect(formatInstallReport(denied)).toContain(`cannot write ${settings}`);
    expect(fs.readFileSync(settings, 'utf8')).toBe('{"model": "opus"}');
    expect(fs.statSync(`${settings}.tmp-${process.pid}`).isDirectory()).toBe(true);
  });

  it('formats a readable summary', () => {
    const { opts } = setup();
    const text = formatInstallReport(install(opts));
    expect(text).toContain('(project scope)');
    expect(text).toContain(`${CAPTURE_EVENTS.length} events`);
    expect(formatInstallReport(install(opts))).toContain('already installed');
    expect(formatInstallReport(uninstall(opts))).toContain(`removed: ${CAPTURE_EVENTS.length} events`);
  });
});

describe('the install record (installs.json in the data folder)', () => {
  it('keeps the settings files holding our hooks; the daemon\'s watch says when none has them any more', () => {
    const { opts } = setup();
    const data = tempDir();
    const watch = hooksWatch(data);
    expect(watch()).toBeNull(); // nothing installed yet: not a reason to leave
    const report = install(opts);
    recordInstall(data, report.settingsPath, true);
    recordInstall(data, report.settingsPath, true); // idempotent
    expect(recordedInstalls(data)).toEqual([report.settingsPath]);
    expect(watch()).toBeNull();
    uninstall(opts);
    expect(watch()).toMatch(/hooks are no longer installed/);
    recordInstall(data, report.settingsPath, false);
    expect(recordedInstalls(data)).toEqual([]);
    expect(watch()).toMatch(/hooks are no longer installed/);
  });

  it('counts hooks whose scripts were removed (the checkout was deleted) as gone', () => {
    const root = path.join(tempDir(), 'agentops-meta');
    fs.cpSync(path.join(REPO_ROOT, 'hooks'), path.join(root, 'hooks'), { recursive: true });
    const { opts } = setup();
    const data = tempDir();
    const report = install({ ...opts, root });
    recordInstall(data, report.settingsPath, true);
    const watch = hooksWatch(data);
    expect(watch()).toBeNull();
    fs.rmSync(root, { recursive: true });
    expect(watch()).toMatch(/hooks are no longer installed/);
  });
});
