// What the catalog lists: things installed for Claude Code, and their use. Pure types.

export type CatalogKind = 'plugin' | 'agent' | 'skill' | 'command' | 'mcp';

/** Where an item is configured: Claude Code's settings scopes, or a plugin. */
export type CatalogSource = 'user' | 'project' | 'local' | 'plugin';

export interface InstalledItem {
  kind: CatalogKind;
  /** as a person calls it: agent type, skill name, "/command", MCP server, plugin name */
  name: string;
  /**
   * the learner's activity name ("Agent:reviewer", "Skill:pdf", "/review", "mcp:github");
   * null for plugins, whose use is the use of their components
   */
  activity: string | null;
  description: string | null;
  source: CatalogSource;
  /** the plugin that provides it */
  plugin: string | null;
  /** file or folder it was read from */
  path: string | null;
  /** plugins only: enabledPlugins in settings (null when no settings file says) */
  enabled: boolean | null;
  version: string | null;
}

export interface Marketplace {
  name: string;
  /** "github:owner/repo", a URL or a folder; never credentials */
  source: string | null;
  path: string | null;
  /** plugins the marketplace offers, when its manifest could be read */
  plugins: number | null;
}

export interface InstalledInventory {
  items: InstalledItem[];
  marketplaces: Marketplace[];
  /** files that exist but could not be read, so the inventory may be incomplete */
  warnings: string[];
}

/** Use of one activity, or of a set of activities (a plugin), over the captured sessions. */
export interface UsageSummary {
  calls: number;
  sessions: number;
  errors: number;
  /** errors / calls; null when never called */
  error_rate: number | null;
  /** sessions that used it and ran tests */
  known_sessions: number;
  /** of those, sessions whose last test run passed */
  passed_sessions: number;
  pass_rate: number | null;
  last_used_ms: number | null;
}

export interface CatalogRow {
  kind: CatalogKind;
  name: string;
  activity: string | null;
  description: string | null;
  source: CatalogSource | null;
  plugin: string | null;
  path: string | null;
  enabled: boolean | null;
  version: string | null;
  /** false: seen in the captured sessions but not found installed (built-in, removed, or elsewhere) */
  installed: boolean;
  /** true for Claude Code's own subagents (Explore, Plan, general-purpose, ...) */
  builtin: boolean;
  usage: UsageSummary;
  /** titles of learned patterns it takes part in, e.g. "Read → Edit → Bash:test" */
  patterns: string[];
}

export interface Catalog {
  rows: CatalogRow[];
  marketplaces: Marketplace[];
  warnings: string[];
}
