// Joins the inventory of installed things with their use in the captured sessions and the learned
// patterns they take part in. Installed-but-never-used items are kept (their use is zero), and
// things used but not found installed are added (Claude Code's built-in subagents, removed plugins,
// commands from a folder we did not scan). Pure.
import type { LearnResult } from '../learn/types.js';
import { usageOf, type UsageIndex } from '../report/usage.js';
import type { Catalog, CatalogKind, CatalogRow, InstalledInventory } from './types.js';

/** Subagent types Claude Code ships with: used without anything installed. */
export const BUILTIN_AGENTS: ReadonlySet<string> = new Set(['general-purpose', 'Explore', 'Plan', 'statusline-setup', 'output-style-setup', 'claude-code-guide']);

/** Slash commands Claude Code ships with (a stable subset; others show as "not found installed"). */
export const BUILTIN_COMMANDS: ReadonlySet<string> = new Set(
  'add-dir agents bug clear compact config context cost doctor exit export help hooks ide init install-github-app login logout mcp memory model output-style permissions plugin pr-comments privacy-settings release-notes resume review rewind sandbox security-review status statusline terminal-setup todos upgrade usage vim'
    .split(' ')
    .map((c) => `/${c}`),
);

const KIND_ORDER: readonly CatalogKind[] = ['plugin', 'agent', 'skill', 'command', 'mcp'];

export type PatternSource = Pick<LearnResult, 'sequential' | 'parallel' | 'anti'>;

/** The catalog kind of an activity name, or null for built-in tools ("Read", "Bash:test"). */
export function kindOfActivity(activity: string): Exclude<CatalogKind, 'plugin'> | null {
  if (activity.startsWith('Agent:')) return 'agent';
  if (activity.startsWith('Skill:')) return 'skill';
  if (activity.startsWith('mcp:')) return 'mcp';
  if (activity.startsWith('/')) return 'command';
  return null;
}

/** "Agent:my-plugin:reviewer" → "my-plugin"; null when the activity is not namespaced by a plugin. */
export function pluginOfActivity(activity: string): string | null {
  const kind = kindOfActivity(activity);
  if (kind === null || kind === 'mcp') return null;
  const bare = kind === 'command' ? activity.slice(1) : activity.slice(activity.indexOf(':') + 1);
  const at = bare.indexOf(':');
  return at > 0 ? bare.slice(0, at) : null;
}

function nameOfActivity(activity: string): string {
  return activity.startsWith('/') ? activity : activity.slice(activity.indexOf(':') + 1);
}

/** "Read → Edit → Bash:test" for sequences, "Glob + Grep" for parallel sets, "avoid: …" for anti-patterns. */
export function patternTitles(patterns: PatternSource | null): { title: string; members: string[] }[] {
  if (!patterns) return [];
  return [
    ...patterns.sequential.map((p) => ({ title: p.steps.join(' → '), members: p.steps })),
    ...patterns.parallel.map((p) => ({ title: p.members.join(' + '), members: p.members })),
    ...patterns.anti.map((p) => ({ title: `avoid: ${p.steps.join(' → ')}`, members: p.steps })),
  ];
}

export function joinCatalog(inventory: InstalledInventory, index: UsageIndex, patterns: PatternSource | null): Catalog {
  const titles = patternTitles(patterns);
  const patternsOf = (activities: ReadonlySet<string>) => [...new Set(titles.filter((t) => t.members.some((m) => activities.has(m))).map((t) => t.title))];

  // A plugin's activities: its components', and any used activity carrying its namespace.
  const pluginActivities = new Map<string, Set<string>>();
  for (const it of inventory.items) {
    if (it.kind === 'plugin') pluginActivities.set(it.name, pluginActivities.get(it.name) ?? new Set());
  }
  for (const it of inventory.items) {
    if (it.plugin && it.activity) pluginActivities.get(it.plugin)?.add(it.activity);
  }
  for (const a of index.byActivity.keys()) {
    const p = pluginOfActivity(a);
    if (p) pluginActivities.get(p)?.add(a);
  }

  const rows: CatalogRow[] = inventory.items.map((it) => {
    const acts = it.kind === 'plugin' ? (pluginActivities.get(it.name) ?? new Set<string>()) : new Set(it.activity ? [it.activity] : []);
    return {
      ...it,
      installed: true,
      builtin: false,
      usage: usageOf(index, acts),
      patterns: patternsOf(acts),
    };
  });

  const installedActivities = new Set(inventory.items.flatMap((it) => (it.activity ? [it.activity] : [])));
  for (const activity of index.byActivity.keys()) {
    const kind = kindOfActivity(activity);
    if (kind === null || installedActivities.has(activity)) continue;
    const name = nameOfActivity(activity);
    const builtin = (kind === 'agent' && BUILTIN_AGENTS.has(name)) || (kind === 'command' && BUILTIN_COMMANDS.has(name));
    rows.push({
      kind,
      name,
      activity,
      description: builtin ? 'built into Claude Code' : null,
      source: null,
      plugin: pluginOfActivity(activity),
      path: null,
      enabled: null,
      version: null,
      installed: false,
      builtin,
      usage: usageOf(index, [activity]),
      patterns: patternsOf(new Set([activity])),
    });
  }

  rows.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      b.usage.calls - a.usage.calls ||
      Number(b.installed) - Number(a.installed) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return { rows, marketplaces: inventory.marketplaces, warnings: inventory.warnings };
}
