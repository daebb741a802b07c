// Who did the work: a built-in tool, a subagent, a skill, a slash command or an MCP tool,
// and which plugin or MCP server provides it. Pure.
import type { Actor } from './types.js';

/** Old tool names and the names current CLIs use (SDK LEGACY_TOOL_NAME_ALIASES). */
const LEGACY_TOOL_NAMES: Record<string, string> = {
  Task: 'Agent',
  KillShell: 'TaskStop',
  KillBash: 'TaskStop',
  ListPeers: 'ListAgents',
  Brief: 'SendUserMessage',
  ListMcpResources: 'ListMcpResourcesTool',
  ReadMcpResource: 'ReadMcpResourceTool',
};

export function canonicalToolName(name: string): string {
  return LEGACY_TOOL_NAMES[name] ?? name;
}

/** "plugin:name" → {plugin, name}; a bare name has no plugin. */
export function splitNamespaced(value: string): { plugin: string | null; name: string } {
  const i = value.indexOf(':');
  if (i <= 0 || i === value.length - 1) return { plugin: null, name: value };
  return { plugin: value.slice(0, i), name: value.slice(i + 1) };
}

/**
 * MCP tool names: "mcp__<server>__<tool>", and for plugin-provided servers
 * "mcp__plugin_<plugin>_<server>__<tool>" (plugin names are kebab-case, so the first "_" ends them).
 */
export function parseMcpToolName(toolName: string): { server: string; tool: string; plugin: string | null } | null {
  if (!toolName.startsWith('mcp__')) return null;
  const rest = toolName.slice(5);
  const sep = rest.indexOf('__');
  if (sep <= 0) return null;
  let server = rest.slice(0, sep);
  const tool = rest.slice(sep + 2) || '(unknown)';
  let plugin: string | null = null;
  if (server.startsWith('plugin_')) {
    const inner = server.slice(7);
    const us = inner.indexOf('_');
    if (us > 0 && us < inner.length - 1) {
      plugin = inner.slice(0, us);
      server = inner.slice(us + 1);
    }
  }
  return { server, tool, plugin };
}

function stringField(input: unknown, key: string): string | null {
  if (input === null || typeof input !== 'object') return null;
  const v = (input as Record<string, unknown>)[key];
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** The actor of a tool event. `mcpServerName` is the payload's `mcp_server.name` when present. */
export function toolActor(rawToolName: string, toolInput: unknown, mcpServerName: string | null): Actor {
  const toolName = canonicalToolName(rawToolName);
  if (toolName === 'Agent') {
    // Very old payloads omit subagent_type; the CLI then ran its default agent.
    const { plugin, name } = splitNamespaced(stringField(toolInput, 'subagent_type') ?? 'general-purpose');
    return { kind: 'subagent', name, plugin, server: null };
  }
  if (toolName === 'Skill') {
    const { plugin, name } = splitNamespaced(stringField(toolInput, 'skill') ?? '(unknown)');
    return { kind: 'skill', name, plugin, server: null };
  }
  if (toolName === 'SlashCommand') {
    // 2.0.x CLIs let the model run slash commands through this tool: "/name args".
    const command = (stringField(toolInput, 'command') ?? '/(unknown)').trim().split(/\s+/)[0] ?? '/(unknown)';
    const { plugin, name } = splitNamespaced(command.replace(/^\//, ''));
    return { kind: 'command', name: `/${name}`, plugin, server: null };
  }
  const mcp = parseMcpToolName(toolName);
  if (mcp) {
    return { kind: 'mcp', name: mcp.tool, plugin: mcp.plugin, server: mcpServerName && !mcp.plugin ? mcpServerName : mcp.server };
  }
  return { kind: 'tool', name: toolName, plugin: null, server: null };
}

/** The actor of a slash-command expansion ("/review", "/plugin:cmd"). */
export function commandActor(commandName: string): Actor {
  const { plugin, name } = splitNamespaced(commandName.replace(/^\//, ''));
  return { kind: 'command', name: `/${name}`, plugin, server: null };
}

/** The actor of SubagentStart/SubagentStop. */
export function subagentActor(agentType: string): Actor {
  const { plugin, name } = splitNamespaced(agentType);
  return { kind: 'subagent', name, plugin, server: null };
}
