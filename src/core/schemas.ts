// zod schemas for hook payloads. They check only what normalization relies on, accept unknown
// fields (new CLI versions add them all the time) and old shapes (mid-2025 payloads lack
// tool_use_id, permission_mode, prompt_id). Unknown fields are accepted but not copied into the
// parsed value (z.object, not looseObject): normalization stores the original payload, and copying
// large tool inputs and responses was a third of the cost of ingesting an event. Pure.
import { z } from 'zod';

const optString = z.string().nullish();
const optNumber = z.number().finite().nullish();

/** Fields every event carries (session_id and the event name are the only hard requirements). */
export const basePayload = z.object({
  session_id: z.string().min(1).max(512),
  hook_event_name: z.string().min(1).max(128),
  transcript_path: optString,
  cwd: optString,
  permission_mode: optString,
  prompt_id: optString,
  agent_id: optString,
  agent_type: optString,
});

const mcpServer = z.object({ name: z.string(), source: optString }).nullish();

/** Tool events: PreToolUse, PostToolUse, PostToolUseFailure, PermissionRequest, PermissionDenied. */
export const toolPayload = basePayload.extend({
  tool_name: z.string().min(1).max(512),
  tool_input: z.unknown().optional(),
  tool_response: z.unknown().optional(),
  tool_use_id: optString,
  duration_ms: optNumber,
  error: z.unknown().optional(),
  is_interrupt: z.boolean().nullish(),
  mcp_server: mcpServer,
});

export const expansionPayload = basePayload.extend({
  command_name: optString,
  expansion_type: optString,
});

export type BasePayload = z.infer<typeof basePayload>;
export type ToolPayload = z.infer<typeof toolPayload>;

export const TOOL_EVENTS = new Set([
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'PermissionRequest',
  'PermissionDenied',
]);

export type ValidPayload =
  | { kind: 'tool'; payload: ToolPayload }
  | { kind: 'expansion'; payload: z.infer<typeof expansionPayload> }
  | { kind: 'other'; payload: BasePayload };

/**
 * Validates a parsed payload; on failure returns a short reason naming the offending fields. The
 * event name picks the one schema to run (tool events are most events: one parse, not two).
 */
export function validatePayload(value: unknown): { ok: true; value: ValidPayload } | { ok: false; reason: string } {
  const event = value !== null && typeof value === 'object' ? (value as { hook_event_name?: unknown }).hook_event_name : undefined;
  if (typeof event === 'string' && TOOL_EVENTS.has(event)) {
    const tool = toolPayload.safeParse(value);
    return tool.success ? { ok: true, value: { kind: 'tool', payload: tool.data } } : { ok: false, reason: describe(tool.error) };
  }
  if (event === 'UserPromptExpansion') {
    const exp = expansionPayload.safeParse(value);
    return exp.success ? { ok: true, value: { kind: 'expansion', payload: exp.data } } : { ok: false, reason: describe(exp.error) };
  }
  const base = basePayload.safeParse(value);
  return base.success ? { ok: true, value: { kind: 'other', payload: base.data } } : { ok: false, reason: describe(base.error) };
}

function describe(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return `invalid payload: ${parts.join('; ')}`;
}
