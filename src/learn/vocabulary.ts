// Activity names: how a tool call becomes one symbol of the learner's alphabet. Pure.
//
// ## Vocabulary (activity names)
//
// | what was used                         | activity                    | example                  |
// |---------------------------------------|-----------------------------|--------------------------|
// | built-in tool                         | its name (legacy names → current: Task→Agent, KillBash→TaskStop, …) | `Read`, `Edit` |
// | Bash / PowerShell                     | `<tool>:<kind>`, kind ∈ test, build, typecheck, lint, format, git, install, run, search, file, other | `Bash:test` |
// | subagent (Agent / legacy Task)        | `Agent:<subagent_type>`; plugin agents keep `plugin:agent` | `Agent:Explore`, `Agent:my-plugin:reviewer` |
// | skill                                 | `Skill:<name>`, plugin skills `Skill:plugin:name` | `Skill:pdf` |
// | MCP tool                              | `mcp:<server>` (option `mcp: 'tool'` → `mcp:<server>:<tool>`) | `mcp:github` |
// | slash command (UserPromptExpansion)   | `/<name>`, plugin commands `/plugin:name` | `/review` |
//
// Options (`VocabularyOptions`, all optional):
// - `drop`: activities to leave out as noise. Each entry is an exact activity or tool name, or a prefix
//   ending in `*` (`"mcp:*"`, `"Bash:other"`, `"TodoWrite"`). Default: drop nothing.
// - `rename`: exact activity renames applied last, e.g. `{"Agent:general-purpose": "Agent"}`. Renaming
//   two activities to the same name merges them.
// - `mcp`: `'server'` (default) or `'tool'` granularity.
// - `bash`: `'kind'` (default) or `'plain'` (every shell command is just `Bash`).
// - `subagent` / `skill`: `'name'` (default) or `'plain'` (just `Agent` / `Skill`).
import type { Actor, BashKind } from '../core/types.js';
import { canonicalToolName, parseMcpToolName } from '../core/actor.js';

export interface VocabularyOptions {
  drop: readonly string[];
  rename: Readonly<Record<string, string>>;
  mcp: 'server' | 'tool';
  bash: 'kind' | 'plain';
  subagent: 'name' | 'plain';
  skill: 'name' | 'plain';
}

export const DEFAULT_VOCABULARY: VocabularyOptions = {
  drop: [],
  rename: {},
  mcp: 'server',
  bash: 'kind',
  subagent: 'name',
  skill: 'name',
};

/** What the vocabulary needs to know about a call. */
export interface Nameable {
  tool_name: string | null;
  actor: Actor | null;
  bash_kind: BashKind | null;
}

/** Maps a call to its activity name, or null when the call is dropped as noise. */
export type Vocabulary = (call: Nameable) => string | null;

const SHELLS: ReadonlySet<string> = new Set(['Bash', 'PowerShell']);

/** Builds a vocabulary once (drop rules compiled) for use on many calls. */
export function makeVocabulary(options: Partial<VocabularyOptions> = {}): Vocabulary {
  const opts: VocabularyOptions = { ...DEFAULT_VOCABULARY, ...options };
  const exactDrops = new Set<string>();
  const prefixDrops: string[] = [];
  for (const d of opts.drop) {
    if (d.endsWith('*')) prefixDrops.push(d.slice(0, -1));
    else exactDrops.add(d);
  }
  const dropped = (name: string): boolean => {
    if (exactDrops.has(name)) return true;
    for (const p of prefixDrops) if (name.startsWith(p)) return true;
    return false;
  };
  const rename = new Map(Object.entries(opts.rename));
  return (call) => {
    const name = rawActivity(call, opts);
    if (dropped(name) || (call.tool_name !== null && dropped(call.tool_name))) return null;
    return safeActivity(rename.get(name) ?? name);
  };
}

const SAFE_NAME = /^[A-Za-z0-9_.\/:@+()-]{1,96}$/;

/**
 * Activity names end up in committed files, so they must be names, not content: a skill, subagent
 * or MCP name the model made up with spaces, quotes, paths or a redacted secret in it becomes
 * `<kind>:other` (or `other`), keeping the step in the sequence without its text.
 */
export function safeActivity(name: string): string {
  if (SAFE_NAME.test(name) && !name.includes('REDACTED') && !name.includes('//')) return name;
  const kind = name.slice(0, name.indexOf(':'));
  return /^(Agent|Skill|mcp|Bash|PowerShell)$/.test(kind) ? `${kind}:other` : 'other';
}

/** Activity name of a slash command ("/review", or "review" with plugin "p" → "/p:review"). */
export function commandActivity(name: string, plugin: string | null): string {
  const bare = name.replace(/^\//, '');
  return plugin && !bare.includes(':') ? `/${plugin}:${bare}` : `/${bare}`;
}

function namespaced(name: string, plugin: string | null): string {
  return plugin && !name.includes(':') ? `${plugin}:${name}` : name;
}

function rawActivity(call: Nameable, opts: VocabularyOptions): string {
  const actor = call.actor;
  const toolName = call.tool_name === null ? null : canonicalToolName(call.tool_name);
  if (actor) {
    switch (actor.kind) {
      case 'subagent':
        return opts.subagent === 'plain' || !actor.name ? 'Agent' : `Agent:${namespaced(actor.name, actor.plugin)}`;
      case 'skill':
        return opts.skill === 'plain' || !actor.name ? 'Skill' : `Skill:${namespaced(actor.name, actor.plugin)}`;
      case 'command':
        return commandActivity(actor.name, actor.plugin);
      case 'mcp': {
        const parsed = toolName ? parseMcpToolName(toolName) : null;
        const server = actor.server ?? parsed?.server ?? '(unknown)';
        return opts.mcp === 'tool' ? `mcp:${server}:${actor.name}` : `mcp:${server}`;
      }
      case 'tool':
        return toolActivity(canonicalToolName(actor.name || toolName || '(unknown)'), call.bash_kind, opts);
    }
  }
  // No actor (should not happen after normalisation): read what the tool name says.
  if (toolName === null) return '(unknown)';
  const mcp = parseMcpToolName(toolName);
  if (mcp) return opts.mcp === 'tool' ? `mcp:${mcp.server}:${mcp.tool}` : `mcp:${mcp.server}`;
  return toolActivity(toolName, call.bash_kind, opts);
}

function toolActivity(name: string, kind: BashKind | null, opts: VocabularyOptions): string {
  if (SHELLS.has(name)) return opts.bash === 'plain' ? name : `${name}:${kind ?? 'other'}`;
  return name;
}
