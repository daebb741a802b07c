// Inventory of what is installed for Claude Code: plugins (and their marketplaces), subagents,
// skills, slash commands and MCP servers, in the user's home and in one project. Shell: reads files,
// never writes, never runs anything. A file that cannot be read becomes a warning, not a failure.
//
// Where Claude Code keeps them (home = the user's home, project = the project folder):
//   agents    ~/.claude/agents/*.md, <project>/.claude/agents/*.md, <plugin>/agents/*.md
//   skills    ~/.claude/skills/*/SKILL.md, <project>/.claude/skills/*/SKILL.md, <plugin>/skills/*/SKILL.md
//   commands  ~/.claude/commands/**/*.md, <project>/.claude/commands/**/*.md, <plugin>/commands/**/*.md
//   MCP       <project>/.mcp.json, ~/.claude.json (mcpServers; projects[<project>].mcpServers is the
//             local scope), settings files' mcpServers, <plugin>/.mcp.json or plugin.json mcpServers
//   plugins   ~/.claude/plugins/installed_plugins.json ({version: 2, plugins: {"name@market": [{installPath,
//             version, scope}]}}; version 1 had one object per plugin), else the plugin cache folders;
//             enabled state from enabledPlugins in the settings files; marketplaces from
//             ~/.claude/plugins/known_marketplaces.json and ~/.claude/plugins/marketplaces/*.
// MCP server descriptions say only the transport and program or host: arguments, environment and
// headers often hold tokens, and the catalog is meant to be shown and shared.
import fs from 'node:fs';
import path from 'node:path';
import { cmpStr } from '../core/cmp-str.js';
import { commandActivity } from '../learn/vocabulary.js';
import { parseFrontmatter } from './frontmatter.js';
import type { CatalogSource, InstalledInventory, InstalledItem, Marketplace } from './types.js';

export interface ScanOptions {
  /** the user's home folder (holds ~/.claude and ~/.claude.json) */
  home: string;
  /** the project folder (holds .claude/ and .mcp.json); null: user scope only */
  projectDir: string | null;
}

/** Descriptions longer than this are cut: agent descriptions often carry pages of examples. */
export const MAX_DESCRIPTION = 400;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

class Scanner {
  readonly items: InstalledItem[] = [];
  readonly marketplaces: Marketplace[] = [];
  readonly warnings: string[] = [];

  readJson(file: string): unknown {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') this.warnings.push(`${file}: ${(e as Error).message}`);
      return undefined;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      this.warnings.push(`${file}: not valid JSON (${(e as Error).message})`);
      return undefined;
    }
  }

  readText(file: string): string | null {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (e) {
      this.warnings.push(`${file}: ${(e as Error).message}`);
      return null;
    }
  }

  /** `dir/*.md` (recursive: commands may live in sub-folders), sorted; missing folder = none. */
  markdownFiles(dir: string, recursive: boolean): string[] {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, e.name);
      const isDir = e.isDirectory() || (e.isSymbolicLink() && safeIsDir(full));
      if (isDir && recursive && !e.name.startsWith('.')) out.push(...this.markdownFiles(full, true));
      else if (!isDir && e.name.endsWith('.md')) out.push(full);
    }
    return out;
  }

  agents(dir: string, source: CatalogSource, plugin: string | null): void {
    for (const file of this.markdownFiles(dir, false)) {
      const text = this.readText(file);
      if (text === null) continue;
      const { data } = parseFrontmatter(text);
      const name = data.name || path.basename(file, '.md');
      this.items.push(item({ kind: 'agent', name: plugin ? `${plugin}:${name}` : name, activity: `Agent:${plugin ? `${plugin}:` : ''}${name}`, description: clip(data.description), source, plugin, path: file }));
    }
  }

  skills(dir: string, source: CatalogSource, plugin: string | null): void {
    let entries: string[];
    try {
      entries = fs.readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry, 'SKILL.md');
      if (!fs.existsSync(file)) continue;
      const text = this.readText(file);
      if (text === null) continue;
      const { data } = parseFrontmatter(text);
      const name = data.name || entry;
      this.items.push(item({ kind: 'skill', name: plugin ? `${plugin}:${name}` : name, activity: `Skill:${plugin ? `${plugin}:` : ''}${name}`, description: clip(data.description), source, plugin, path: file }));
    }
  }

  commands(dir: string, source: CatalogSource, plugin: string | null): void {
    for (const file of this.markdownFiles(dir, true)) {
      const text = this.readText(file);
      if (text === null) continue;
      const { data, body } = parseFrontmatter(text);
      const name = path.basename(file, '.md');
      const activity = commandActivity(name, plugin);
      this.items.push(item({ kind: 'command', name: activity, activity, description: clip(data.description || firstLine(body)), source, plugin, path: file }));
    }
  }

  mcpServers(servers: unknown, source: CatalogSource, plugin: string | null, file: string): void {
    if (!isObject(servers)) return;
    for (const [name, config] of Object.entries(servers).sort(([a], [b]) => cmpStr(a, b))) {
      this.items.push(item({ kind: 'mcp', name, activity: `mcp:${name}`, description: describeMcp(config), source, plugin, path: file }));
    }
  }

  /** One installed plugin folder: its manifest and every component it brings. */
  plugin(dir: string, fallbackName: string, version: string | null, enabled: boolean | null): void {
    const manifestFile = path.join(dir, '.claude-plugin', 'plugin.json');
    const manifest = fs.existsSync(manifestFile) ? this.readJson(manifestFile) : undefined;
    const m = isObject(manifest) ? manifest : {};
    const name = typeof m.name === 'string' && m.name ? m.name : fallbackName;
    const ver = version ?? (typeof m.version === 'string' ? m.version : null);
    this.items.push(item({ kind: 'plugin', name, activity: null, description: clip(typeof m.description === 'string' ? m.description : null), source: 'plugin', plugin: name, path: dir, enabled, version: ver }));
    // Custom component paths supplement the default folders.
    const dirs = (field: string, dflt: string) => [dflt, ...stringList(m[field])].map((p) => path.resolve(dir, p));
    for (const d of unique(dirs('agents', 'agents'))) this.agents(d, 'plugin', name);
    for (const d of unique(dirs('skills', 'skills'))) this.skills(d, 'plugin', name);
    for (const d of unique(dirs('commands', 'commands'))) this.commands(d, 'plugin', name);
    const mcpFile = path.join(dir, '.mcp.json');
    const mcp = this.readJson(mcpFile);
    if (isObject(mcp)) this.mcpServers(isObject(mcp.mcpServers) ? mcp.mcpServers : mcp, 'plugin', name, mcpFile);
    if (isObject(m.mcpServers)) this.mcpServers(m.mcpServers, 'plugin', name, manifestFile);
    else if (typeof m.mcpServers === 'string') {
      const f = path.resolve(dir, m.mcpServers);
      const j = this.readJson(f);
      if (isObject(j)) this.mcpServers(isObject(j.mcpServers) ? j.mcpServers : j, 'plugin', name, f);
    }
  }
}

function safeIsDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function item(partial: Omit<InstalledItem, 'enabled' | 'version'> & Partial<Pick<InstalledItem, 'enabled' | 'version'>>): InstalledItem {
  return { enabled: null, version: null, ...partial };
}

function stringList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

export function clip(text: string | null | undefined): string | null {
  if (!text) return null;
  const one = text.replace(/\s+/g, ' ').trim();
  if (!one) return null;
  return one.length > MAX_DESCRIPTION ? `${one.slice(0, MAX_DESCRIPTION - 1)}…` : one;
}

function firstLine(body: string): string | null {
  const line = body.split('\n').find((l) => l.trim() !== '');
  return line ? line.replace(/^#+\s*/, '').trim() : null;
}

/** "stdio: npx", "http: api.example.com": the transport and program or host, nothing that may hold a secret. */
export function describeMcp(config: unknown): string | null {
  if (!isObject(config)) return null;
  const type = typeof config.type === 'string' ? config.type : typeof config.url === 'string' ? 'http' : 'stdio';
  if (typeof config.url === 'string') {
    try {
      return `${type}: ${new URL(config.url).host}`;
    } catch {
      return type;
    }
  }
  if (typeof config.command === 'string') return `${type}: ${path.basename(config.command.split(/\s+/)[0] ?? '')}`;
  return type;
}

/** enabledPlugins of the user, project and local settings; a later scope overrides an earlier one. */
function enabledPlugins(s: Scanner, files: string[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const f of files) {
    const j = s.readJson(f);
    if (!isObject(j) || !isObject(j.enabledPlugins)) continue;
    for (const [k, v] of Object.entries(j.enabledPlugins)) if (typeof v === 'boolean') out.set(k, v);
  }
  return out;
}

interface InstalledPlugin {
  key: string;
  installPath: string;
  version: string | null;
}

/** installed_plugins.json, version 2 (arrays of installs per plugin) or 1 (one object per plugin). */
function installedPlugins(s: Scanner, file: string): InstalledPlugin[] | null {
  const j = s.readJson(file);
  if (!isObject(j) || !isObject(j.plugins)) return j === undefined ? null : [];
  const out: InstalledPlugin[] = [];
  for (const [key, value] of Object.entries(j.plugins)) {
    for (const entry of Array.isArray(value) ? value : [value]) {
      if (!isObject(entry) || typeof entry.installPath !== 'string') continue;
      out.push({ key, installPath: entry.installPath, version: typeof entry.version === 'string' ? entry.version : null });
    }
  }
  return out;
}

/** Without installed_plugins.json: the plugin cache, ~/.claude/plugins/cache/<market>/<plugin>/<version>/. */
function cachedPlugins(cache: string): InstalledPlugin[] {
  const out: InstalledPlugin[] = [];
  const ls = (d: string) => {
    try {
      return fs.readdirSync(d).sort();
    } catch {
      return [];
    }
  };
  for (const market of ls(cache)) {
    for (const plugin of ls(path.join(cache, market))) {
      const versions = ls(path.join(cache, market, plugin));
      const direct = path.join(cache, market, plugin);
      if (fs.existsSync(path.join(direct, '.claude-plugin', 'plugin.json'))) {
        out.push({ key: `${plugin}@${market}`, installPath: direct, version: null });
        continue;
      }
      // Several versions may be cached; the newest by name is the one in use.
      const v = versions.filter((x) => fs.existsSync(path.join(direct, x, '.claude-plugin', 'plugin.json'))).pop();
      if (v) out.push({ key: `${plugin}@${market}`, installPath: path.join(direct, v), version: v });
    }
  }
  return out;
}

function marketplaceSource(v: unknown): string | null {
  if (!isObject(v)) return typeof v === 'string' ? v : null;
  const src = isObject(v.source) ? v.source : v;
  if (typeof src.repo === 'string') return `github:${src.repo}`;
  for (const k of ['url', 'path']) {
    const x = src[k];
    if (typeof x === 'string') {
      try {
        const u = new URL(x);
        return `${u.protocol}//${u.host}${u.pathname}`; // no user:password@ or query tokens
      } catch {
        return x;
      }
    }
  }
  return null;
}

function scanMarketplaces(s: Scanner, pluginsDir: string): void {
  const known = s.readJson(path.join(pluginsDir, 'known_marketplaces.json'));
  const byName = new Map<string, Marketplace>();
  if (isObject(known)) {
    for (const [name, v] of Object.entries(known)) {
      const loc = isObject(v) && typeof v.installLocation === 'string' ? v.installLocation : null;
      byName.set(name, { name, source: marketplaceSource(v), path: loc, plugins: null });
    }
  }
  let dirs: string[] = [];
  try {
    dirs = fs.readdirSync(path.join(pluginsDir, 'marketplaces')).sort();
  } catch {
    // none
  }
  for (const d of dirs) {
    const full = path.join(pluginsDir, 'marketplaces', d);
    const entry = byName.get(d) ?? { name: d, source: null, path: full, plugins: null };
    entry.path ??= full;
    byName.set(d, entry);
  }
  for (const m of byName.values()) {
    if (!m.path) continue;
    const manifestFile = path.join(m.path, '.claude-plugin', 'marketplace.json');
    if (!fs.existsSync(manifestFile)) continue;
    const manifest = s.readJson(manifestFile);
    if (isObject(manifest) && Array.isArray(manifest.plugins)) m.plugins = manifest.plugins.length;
  }
  s.marketplaces.push(...[...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1)));
}

export function scanInstalled(options: ScanOptions): InstalledInventory {
  const s = new Scanner();
  const userClaude = path.join(options.home, '.claude');
  const project = options.projectDir;
  const projectClaude = project ? path.join(project, '.claude') : null;
  const settings: [CatalogSource, string][] = [['user', path.join(userClaude, 'settings.json')]];
  if (project) settings.push(['project', path.join(project, '.claude', 'settings.json')], ['local', path.join(project, '.claude', 'settings.local.json')]);

  s.agents(path.join(userClaude, 'agents'), 'user', null);
  s.skills(path.join(userClaude, 'skills'), 'user', null);
  s.commands(path.join(userClaude, 'commands'), 'user', null);
  if (projectClaude) {
    s.agents(path.join(projectClaude, 'agents'), 'project', null);
    s.skills(path.join(projectClaude, 'skills'), 'project', null);
    s.commands(path.join(projectClaude, 'commands'), 'project', null);
  }

  const claudeJson = path.join(options.home, '.claude.json');
  const cj = s.readJson(claudeJson);
  if (isObject(cj)) {
    s.mcpServers(cj.mcpServers, 'user', null, claudeJson);
    if (project && isObject(cj.projects)) {
      const p = cj.projects[project];
      if (isObject(p)) s.mcpServers(p.mcpServers, 'local', null, claudeJson);
    }
  }
  if (project) {
    const mcpFile = path.join(project, '.mcp.json');
    const mcp = s.readJson(mcpFile);
    if (isObject(mcp)) s.mcpServers(mcp.mcpServers, 'project', null, mcpFile);
  }
  for (const [scope, file] of settings) {
    const j = s.readJson(file);
    if (isObject(j)) s.mcpServers(j.mcpServers, scope, null, file);
  }

  const pluginsDir = path.join(userClaude, 'plugins');
  const enabled = enabledPlugins(s, settings.map(([, f]) => f));
  const installed = installedPlugins(s, path.join(pluginsDir, 'installed_plugins.json')) ?? cachedPlugins(path.join(pluginsDir, 'cache'));
  const seen = new Set<string>();
  for (const p of installed) {
    if (seen.has(p.installPath)) continue;
    seen.add(p.installPath);
    if (!fs.existsSync(p.installPath)) {
      s.warnings.push(`plugin ${p.key}: its folder ${p.installPath} is missing`);
      continue;
    }
    s.plugin(p.installPath, p.key.split('@')[0] ?? p.key, p.version, enabled.has(p.key) ? enabled.get(p.key)! : null);
  }
  scanMarketplaces(s, pluginsDir);
  return { items: s.items, marketplaces: s.marketplaces, warnings: s.warnings };
}
