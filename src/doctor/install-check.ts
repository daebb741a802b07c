// Is agentops-meta installed, in which settings scopes, and does each installed hook command point
// at a script that exists and can run? Shell: reads the settings files and stats the scripts.
//
// Claude Code merges the hooks of every scope (user, project, local) and runs them all, so capture
// works when the union of the scopes covers every capture event. A scope with handlers pointing
// at a folder that is gone (the checkout moved, an old npm version) captures nothing for those
// events: that is a problem, whatever the other scopes hold.
import fs from 'node:fs';
import path from 'node:path';
import { CAPTURE_EVENTS, ourScriptName } from '../install/hook-spec.js';
import { settingsPathFor, type InstallScope } from '../install/install.js';
import type { Check } from './types.js';

export interface InstallCheckOptions {
  home: string;
  projectDir: string;
  /** PATH to resolve a bare "node" in planner hook commands */
  pathEnv?: string;
}

export interface OurHandler {
  event: string;
  script: string;
  command: string;
  /** the script's path, resolved from the command */
  scriptPath: string | null;
  /** the program that runs it when not the script itself ("node", an absolute node path) */
  runner: string | null;
}

export interface ScopeState {
  scope: InstallScope;
  settingsPath: string;
  exists: boolean;
  /** null when the file does not parse */
  handlers: OurHandler[] | null;
  error: string | null;
}

/**
 * Splits a shell command into words the way sh would for the simple commands we write:
 * 'single', "double" and backslash quoting, adjacent pieces joined ('/a b'/hooks/x.sh is one word).
 */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      cur += command.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? command.length : end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < command.length && command[j] !== '"'; j++) {
        if (command[j] === '\\' && j + 1 < command.length && '"\\$`'.includes(command[j + 1]!)) j++;
        cur += command[j];
      }
      i = j;
      inWord = true;
    } else if (c === '\\' && i + 1 < command.length) {
      cur += command[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Our handlers in one settings object. */
export function ourHandlers(settings: unknown): OurHandler[] {
  const out: OurHandler[] = [];
  if (!isObject(settings) || !isObject(settings.hooks)) return out;
  for (const [event, groups] of Object.entries(settings.hooks)) {
    if (!Array.isArray(groups)) continue;
    for (const g of groups) {
      if (!isObject(g) || !Array.isArray(g.hooks)) continue;
      for (const h of g.hooks) {
        if (!isObject(h) || typeof h.command !== 'string') continue;
        const script = ourScriptName(h.command);
        if (!script) continue;
        const words = shellWords(h.command);
        const at = words.findIndex((w) => w.endsWith(`/hooks/${script}`));
        out.push({ event, script, command: h.command, scriptPath: at >= 0 ? words[at]! : null, runner: at > 0 ? words[0]! : null });
      }
    }
  }
  return out;
}

export function readScope(scope: InstallScope, home: string, projectDir: string): ScopeState {
  const settingsPath = settingsPathFor(scope, home, projectDir);
  let text: string;
  try {
    text = fs.readFileSync(settingsPath, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return { scope, settingsPath, exists: !missing, handlers: missing ? [] : null, error: missing ? null : (e as Error).message };
  }
  try {
    return { scope, settingsPath, exists: true, handlers: ourHandlers(JSON.parse(text)), error: null };
  } catch (e) {
    return { scope, settingsPath, exists: true, handlers: null, error: `not valid JSON: ${(e as Error).message}` };
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(program: string, pathEnv: string): boolean {
  if (program.includes('/')) return isExecutable(program);
  return pathEnv.split(path.delimiter).some((d) => d && isExecutable(path.join(d, program)));
}

/** What is wrong with one handler, or null. */
export function handlerFault(h: OurHandler, pathEnv: string): string | null {
  if (!h.scriptPath) return `cannot find the script in "${h.command}"`;
  if (h.scriptPath.includes('${')) return null; // plugin form: Claude Code substitutes the root
  if (!fs.existsSync(h.scriptPath)) return `${h.scriptPath} does not exist`;
  if (h.runner) {
    if (!onPath(h.runner, pathEnv)) return `${h.runner} (which runs ${h.script}) is not an executable program`;
    return null;
  }
  if (!isExecutable(h.scriptPath)) return `${h.scriptPath} is not executable`;
  return null;
}

/** The key ("agentops-meta@market") of an installed agentops-meta plugin, or null. */
function pluginInstalled(home: string): string | null {
  try {
    const j = JSON.parse(fs.readFileSync(path.join(home, '.claude', 'plugins', 'installed_plugins.json'), 'utf8')) as unknown;
    if (!isObject(j) || !isObject(j.plugins)) return null;
    return Object.keys(j.plugins).find((k) => k.split('@')[0] === 'agentops-meta') ?? null;
  } catch {
    return null;
  }
}

const scopeHint = (scope: InstallScope) => `agentops-meta install --scope ${scope}${scope === 'user' ? '' : ' (from the project folder)'}`;

export function checkInstall(options: InstallCheckOptions): { checks: Check[]; scopes: ScopeState[]; captureScripts: string[] } {
  const pathEnv = options.pathEnv ?? process.env.PATH ?? '';
  const scopes = (['user', 'project', 'local'] as const).map((s) => readScope(s, options.home, options.projectDir));
  const checks: Check[] = [];
  const covered = new Set<string>();
  const captureScripts = new Set<string>();
  for (const st of scopes) {
    const id = `install.${st.scope}`;
    const title = `hooks in ${st.scope} settings`;
    if (st.handlers === null) {
      checks.push({ id, title, severity: 'problem', detail: `${st.settingsPath}: ${st.error}`, fix: `fix or remove ${st.settingsPath}; Claude Code cannot read it either` });
      continue;
    }
    if (st.handlers.length === 0) {
      checks.push({ id, title, severity: 'info', detail: st.exists ? `none in ${st.settingsPath}` : `${st.settingsPath} does not exist` });
      continue;
    }
    const faults = [...new Set(st.handlers.map((h) => handlerFault(h, pathEnv)).filter((f): f is string => f !== null))];
    for (const h of st.handlers) {
      if (h.script !== 'agentops-capture.sh') continue;
      if (handlerFault(h, pathEnv) === null) covered.add(h.event);
      if (h.scriptPath && !h.scriptPath.includes('${')) captureScripts.add(h.scriptPath);
    }
    const events = new Set(st.handlers.filter((h) => h.script === 'agentops-capture.sh').map((h) => h.event));
    if (faults.length) {
      checks.push({ id, title, severity: 'problem', detail: `${st.settingsPath}: ${faults.join('; ')}`, fix: `reinstall so the hooks point at this installation: ${scopeHint(st.scope)}` });
    } else {
      checks.push({ id, title, severity: 'ok', detail: `${st.handlers.length} handlers (capture on ${events.size} events) in ${st.settingsPath}; every script present and runnable` });
    }
  }
  const missing = CAPTURE_EVENTS.filter((e) => !covered.has(e));
  const installedAnywhere = scopes.some((s) => (s.handlers?.length ?? 0) > 0);
  const plugin = pluginInstalled(options.home);
  if (plugin) {
    checks.push({
      id: 'install.plugin',
      title: 'plugin',
      severity: installedAnywhere ? 'warn' : 'ok',
      detail: installedAnywhere ? `installed as the plugin ${plugin} AND in settings: every event is captured twice` : `installed as the plugin ${plugin}; its hooks come from the plugin`,
      ...(installedAnywhere ? { fix: 'keep one: agentops-meta uninstall --scope <scope>, or uninstall the plugin' } : {}),
    });
    return { checks, scopes, captureScripts: [...captureScripts] };
  }
  if (!installedAnywhere) {
    checks.push({ id: 'install.coverage', title: 'capture', severity: 'problem', detail: 'agentops-meta hooks are in no settings scope: nothing is being captured', fix: 'agentops-meta install --scope user (or --scope project in a project folder)' });
  } else if (missing.length) {
    checks.push({ id: 'install.coverage', title: 'capture', severity: 'warn', detail: `no working capture hook for ${missing.length} events: ${missing.join(', ')}`, fix: 'rerun agentops-meta install in the scope you use; it adds the missing events' });
  } else {
    checks.push({ id: 'install.coverage', title: 'capture', severity: 'ok', detail: `all ${CAPTURE_EVENTS.length} capture events have a working hook` });
  }
  // Two installs from different folders both capture every event: each payload is stored twice.
  const roots = new Set([...captureScripts].map((p) => path.dirname(path.dirname(p))));
  if (roots.size > 1) {
    checks.push({ id: 'install.duplicate', title: 'one installation', severity: 'warn', detail: `capture hooks from ${roots.size} installations (${[...roots].join(', ')}): every event is captured more than once`, fix: 'agentops-meta uninstall --scope <the scope you do not want>' });
  }
  return { checks, scopes, captureScripts: [...captureScripts] };
}
