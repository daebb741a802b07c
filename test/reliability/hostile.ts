// A seeded generator of hostile hook payloads: what a buggy, newer, older or malicious Claude Code
// (or a full disk, or a killed writer) could put on a hook's stdin. Each payload says what ingest
// must do with it (store or quarantine), reasoned from the contract in src/core/schemas.ts and
// src/ingest/ingest.ts, never from running the product:
//   stored      a JSON object with a non-empty string session_id (<= 512 chars) and hook_event_name
//               (<= 128), the tool fields of tool events well typed; anything else may be anything
//   quarantined empty, not UTF-8, not JSON, not an object, or one of those fields missing/mistyped
// Secrets from the corpus are planted in some payloads (also in unparseable ones); the test then
// looks for them in the database.
import { CAPTURE_EVENTS } from '../../src/install/hook-spec.js';
import { SECRET_SAMPLES, seededRandom, type SecretSample } from '../helpers/secrets-corpus.js';

export type Fate = 'stored' | 'quarantined';

export const HOSTILE_KINDS = [
  'valid-mid2025', // the shape of mid-2025 CLIs: no tool_use_id, permission_mode, prompt_id
  'valid-current', // CLI 2.1.197: prompt_id, effort, duration_ms, tool_use_id, agent_id, permission_mode…
  'unknown-event', // an event name we have never heard of, registered under its own name
  'arg-mismatch', // the payload names one event, the command line another
  'odd-arg', // the command-line event argument is unusable ("", "../x", spaces, non-ASCII)
  'deep-field', // 10,000 nested containers under a field
  'deep-root', // the whole payload is 10,000 nested arrays
  'huge-string', // one string of 10 KB to 2 MB, secrets planted around the 4,000-char cut
  'proto-keys', // __proto__, constructor, prototype keys at the root and nested
  'proto-only-ids', // the required fields exist only inside a __proto__ key
  'missing-field', // session_id / hook_event_name / tool_name missing, empty or too long
  'wrong-type-checked', // a field the schema checks has the wrong type
  'wrong-type-unchecked', // a field the schema does not check has an unexpected type
  'non-object', // valid JSON that is not an object
  'truncated', // a valid payload cut short
  'invalid-utf8', // a valid payload with bytes that are not UTF-8, or UTF-16
  'binary', // random bytes, sometimes none
  'bom', // a UTF-8 byte-order mark before a valid payload
  'json-oddities', // duplicate keys, odd escapes, odd numbers, odd layout: all valid JSON
  'big-50mb-valid', // 50 MB Bash output in a valid PostToolUse
  'big-50mb-truncated', // 50 MB of payload cut short
  'big-50mb-binary', // 50 MB of bytes that are not UTF-8
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

export interface HostileSpec {
  index: number;
  kind: HostileKind;
}

export interface HostilePayload extends HostileSpec {
  /** the argument after the capture script on the command line (the event the installer registered) */
  arg: string;
  bytes: Buffer;
  /** secrets placed in the payload whole; none may reach the database */
  planted: SecretSample[];
  fate: Fate;
}

const BIG_BYTES = 50 * 1024 * 1024;
export const DEEP = 10_000;

/** Relative frequencies of the kinds that are not placed by hand. */
const WEIGHTS: readonly [HostileKind, number][] = [
  ['valid-mid2025', 14],
  ['valid-current', 18],
  ['unknown-event', 4],
  ['arg-mismatch', 3],
  ['odd-arg', 2],
  ['deep-field', 2],
  ['deep-root', 1],
  ['huge-string', 3],
  ['proto-keys', 4],
  ['proto-only-ids', 1],
  ['missing-field', 5],
  ['wrong-type-checked', 6],
  ['wrong-type-unchecked', 5],
  ['non-object', 3],
  ['truncated', 10],
  ['invalid-utf8', 6],
  ['binary', 7],
  ['bom', 2],
  ['json-oddities', 4],
];
const WEIGHT_TOTAL = WEIGHTS.reduce((a, [, w]) => a + w, 0);

/**
 * `count` payload specs: first every capture event in both eras, then every kind once, then
 * weighted random kinds; the three 50 MB bodies sit at fixed places.
 */
export function planHostile(seed: number, count: number): HostileSpec[] {
  const rnd = seededRandom(seed);
  const fixed: HostileKind[] = [
    ...CAPTURE_EVENTS.flatMap((): HostileKind[] => ['valid-mid2025', 'valid-current']),
    ...HOSTILE_KINDS.filter((k) => !k.startsWith('big-')),
  ];
  const specs: HostileSpec[] = [];
  for (let index = 0; index < count; index++) {
    let kind = fixed[index];
    if (kind === undefined) {
      let r = rnd() * WEIGHT_TOTAL;
      kind = WEIGHTS.find(([, w]) => (r -= w) < 0)?.[0] ?? 'valid-current';
    }
    specs.push({ index, kind });
  }
  const bigs: HostileKind[] = ['big-50mb-valid', 'big-50mb-truncated', 'big-50mb-binary'];
  bigs.forEach((kind, k) => {
    const at = Math.floor(((k + 1) * count) / 4);
    if (at >= fixed.length && at < count) specs[at] = { index: at, kind };
  });
  return specs;
}

/** The capture event a spec is registered under (and names in its payload, for most kinds). */
export const eventOf = (spec: HostileSpec): string => CAPTURE_EVENTS[spec.index % CAPTURE_EVENTS.length] ?? 'Stop';

// --- small seeded helpers ------------------------------------------------------------------------

type Rnd = () => number;
const int = (r: Rnd, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rnd, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const chance = (r: Rnd, p: number): boolean => r() < p;
const HEX = '0123456789abcdef';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const chars = (r: Rnd, n: number, alphabet: string): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
};
const uuid = (r: Rnd): string => {
  const h = chars(r, 32, HEX);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
};
/** Text with the characters that break naive code: quotes, backslashes, controls, RTL, emoji, combining marks. */
const WEIRD = ['"', '\\', '\n', '\r\n', '\t', '\u0000', '\u001b[31m', '\u202e', '👩‍💻', 'é', 'ǅ', 'ﬁ', '\u0301', '𝔘𝔫𝔦', '$(id)', '`id`', "'; DROP TABLE events; --", '%s%n', '{{x}}', '</script>'];
const text = (r: Rnd, words: number): string => {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(chance(r, 0.15) ? pick(r, WEIRD) : chars(r, int(r, 1, 9), 'abcdefghijklmnopqrstuvwxyz'));
  return out.join(' ');
};

// --- payload shapes per event ----------------------------------------------------------------------

type Obj = Record<string, unknown>;
type Era = 'mid2025' | 'current';

function toolCall(r: Rnd): { tool_name: string; tool_input: Obj; mcp_server?: Obj } {
  switch (int(r, 0, 7)) {
    case 0:
      return { tool_name: 'Bash', tool_input: { command: pick(r, ['npm test', 'pytest -q', 'git status', 'ls -la', `echo ${text(r, 3)}`, 'cargo test']), description: text(r, 4) } };
    case 1:
      return { tool_name: 'Read', tool_input: { file_path: `/work/p/${chars(r, 6, ALNUM)}.ts` } };
    case 2:
      return { tool_name: 'Edit', tool_input: { file_path: '/work/p/a.ts', old_string: text(r, 5), new_string: text(r, 6) } };
    case 3:
      return { tool_name: 'Grep', tool_input: { pattern: text(r, 2), path: '/work/p' } };
    case 4:
      return { tool_name: 'Agent', tool_input: { subagent_type: pick(r, ['Explore', 'general-purpose', 'my-plugin:reviewer']), prompt: text(r, 12) } };
    case 5:
      return { tool_name: 'Skill', tool_input: { skill: pick(r, ['pdf', 'docs:write']) } };
    case 6:
      return { tool_name: 'mcp__github__create_issue', tool_input: { title: text(r, 4), body: text(r, 10) }, mcp_server: { name: 'github', source: 'user' } };
    default:
      return { tool_name: 'TodoWrite', tool_input: { todos: [{ content: text(r, 4), status: 'pending', activeForm: text(r, 3) }] } };
  }
}

function toolResponse(r: Rnd, call: { tool_name: string }): unknown {
  if (call.tool_name === 'Bash') return { stdout: `${text(r, 8)}\n==== ${int(r, 1, 40)} passed in 0.${int(r, 10, 99)}s ====`, stderr: '', interrupted: chance(r, 0.05), isImage: false };
  if (call.tool_name === 'Read') return { type: 'text', file: { filePath: '/work/p/a.ts', content: text(r, 20), numLines: 3, startLine: 1, totalLines: 3 } };
  return chance(r, 0.3) ? text(r, 6) : { ok: true, result: text(r, 6) };
}

/** A well-formed payload of `event` in the shape of a CLI from `era`. */
export function eventPayload(r: Rnd, event: string, era: Era): Obj {
  const session_id = uuid(r);
  const p: Obj = {
    session_id,
    transcript_path: `/home/dev/.claude/projects/-work-p/${session_id}.jsonl`,
    cwd: pick(r, ['/work/p', '/tmp', '/', '/home/dev/projects/with space', '/nonexistent/deeper/still']),
    hook_event_name: event,
  };
  const current = era === 'current';
  if (current) {
    if (!['SessionStart', 'SessionEnd', 'Notification'].includes(event)) p.permission_mode = pick(r, ['default', 'plan', 'acceptEdits', 'auto', 'bypassPermissions']);
    if (event !== 'SessionStart') p.prompt_id = uuid(r);
    if (chance(r, 0.2)) Object.assign(p, { agent_id: `a${chars(r, 16, HEX)}`, agent_type: pick(r, ['Explore', 'general-purpose']) });
  }
  const call = toolCall(r);
  const toolUseId = `toolu_01${chars(r, 22, ALNUM)}`;
  const toolFields = (withId: boolean): Obj => ({
    ...call,
    ...(current && withId ? { tool_use_id: toolUseId } : {}),
    ...(current ? { effort: { level: pick(r, ['low', 'medium', 'high', 'max']) } } : {}),
  });
  switch (event) {
    case 'SessionStart':
      Object.assign(p, { source: pick(r, ['startup', 'resume', 'clear', 'compact']) });
      if (current) Object.assign(p, { model: 'claude-opus-4-5', session_title: text(r, 3), context_tokens: int(r, 0, 200_000), prompt_cache_likely_expired: chance(r, 0.5) });
      break;
    case 'SessionEnd':
      p.reason = pick(r, ['clear', 'logout', 'prompt_input_exit', 'other']);
      break;
    case 'UserPromptSubmit':
      p.prompt = text(r, int(r, 1, 30));
      if (current) Object.assign(p, { source: 'user', session_title: text(r, 2) });
      break;
    case 'UserPromptExpansion':
      Object.assign(p, { expansion_type: 'slash_command', command_name: pick(r, ['review', 'my-plugin:ship']), command_args: text(r, 3), command_source: 'project', prompt: text(r, 10) });
      break;
    case 'PreToolUse':
    case 'PermissionRequest':
      Object.assign(p, toolFields(event === 'PreToolUse'));
      if (event === 'PermissionRequest') p.permission_suggestions = [{ type: 'addRules', rules: [{ toolName: call.tool_name }], behavior: 'allow', destination: 'localSettings' }];
      break;
    case 'PostToolUse':
      Object.assign(p, toolFields(true), { tool_response: toolResponse(r, call) });
      if (current) p.duration_ms = int(r, 1, 90_000);
      break;
    case 'PostToolUseFailure':
      Object.assign(p, toolFields(true), { error: `Exit code ${int(r, 1, 127)}\n${text(r, 8)}` });
      if (current) Object.assign(p, { duration_ms: int(r, 1, 90_000), is_interrupt: chance(r, 0.1) });
      break;
    case 'PermissionDenied':
      Object.assign(p, toolFields(true), { reason: text(r, 6) });
      break;
    case 'PostToolBatch':
      p.tool_calls = Array.from({ length: int(r, 1, 4) }, () => ({ ...toolCall(r), tool_use_id: `toolu_01${chars(r, 22, ALNUM)}`, tool_response: text(r, 4) }));
      break;
    case 'SubagentStart':
      Object.assign(p, { agent_id: `a${chars(r, 16, HEX)}`, agent_type: pick(r, ['Explore', 'code-reviewer']) });
      break;
    case 'SubagentStop':
      Object.assign(p, { stop_hook_active: false, agent_id: `a${chars(r, 16, HEX)}`, agent_type: 'Explore', agent_transcript_path: `/home/dev/.claude/projects/-work-p/${session_id}/subagents/agent-x.jsonl`, last_assistant_message: text(r, 12) });
      break;
    case 'Stop':
      Object.assign(p, { stop_hook_active: chance(r, 0.1), last_assistant_message: text(r, 15) });
      if (current) p.background_tasks = [];
      break;
    case 'StopFailure':
      Object.assign(p, { error: pick(r, ['rate_limit', 'server_error', 'max_output_tokens', 'unknown']), error_details: text(r, 5), last_assistant_message: text(r, 5) });
      break;
    case 'PreCompact':
      Object.assign(p, { trigger: pick(r, ['manual', 'auto']), custom_instructions: chance(r, 0.5) ? '' : text(r, 6) });
      break;
    case 'PostCompact':
      Object.assign(p, { trigger: 'auto', compact_summary: text(r, 30) });
      break;
    case 'Notification':
      p.message = text(r, 8);
      if (current) Object.assign(p, { title: text(r, 2), notification_type: pick(r, ['permission_prompt', 'idle_prompt']) });
      break;
    case 'TaskCreated':
    case 'TaskCompleted':
      Object.assign(p, { task_id: String(int(r, 1, 999)), task_subject: text(r, 4), task_description: text(r, 12), teammate_name: 'alice' });
      break;
    default:
      p.whatever = text(r, 5);
  }
  return p;
}

// --- planting ------------------------------------------------------------------------------------------

/**
 * Top-level fields that identify an event; secrets go into content, so a payload keeps its fate.
 * Actor names (tool_input.skill, tool_input.subagent_type) are left alone too: a secret there
 * leaks today, which a focused it.fails test in hostile.test.ts pins down.
 */
const ACTOR_KEYS = new Set(['skill', 'subagent_type']);
const IDENTITY = new Set(['session_id', 'hook_event_name', 'transcript_path', 'cwd', 'permission_mode', 'prompt_id', 'agent_id', 'agent_type', 'tool_name', 'tool_use_id', 'command_name', 'expansion_type', 'duration_ms', 'is_interrupt', 'mcp_server']);

const sampleOf = (r: Rnd): SecretSample => pick(r, SECRET_SAMPLES);

/** Appends secrets, each on its own line, to content strings of `p` (a new field if it has none). */
function plantContent(r: Rnd, p: Obj, count: number): SecretSample[] {
  const slots: [Obj | unknown[], string | number][] = [];
  const visit = (v: unknown, top: boolean): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (typeof x === 'string' ? slots.push([v, i]) : visit(x, false)));
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((top && IDENTITY.has(k)) || ACTOR_KEYS.has(k)) continue;
        if (typeof x === 'string') slots.push([v as Obj, k]);
        else visit(x, false);
      }
    }
  };
  visit(p, true);
  const planted: SecretSample[] = [];
  for (let i = 0; i < count; i++) {
    const s = sampleOf(r);
    planted.push(s);
    const slot = slots.length > 0 && chance(r, 0.85) ? pick(r, slots) : undefined;
    if (slot) {
      const [holder, key] = slot as [Record<string | number, unknown>, string | number];
      holder[key] = `${String(holder[key])}\n${s.context}\n`;
    } else p[`note_${i}`] = `${text(r, 3)}\n${s.context}\n`;
  }
  return planted;
}

const maybePlant = (r: Rnd, p: Obj, chanceOf = 0.35): SecretSample[] => (chance(r, chanceOf) ? plantContent(r, p, int(r, 1, 2)) : []);

/** JSON text of `p` where string values equal to a key of `raw` are replaced by that raw JSON text. */
function stringifyWith(p: unknown, raw: Record<string, string> = {}, indent?: string): string {
  let out = JSON.stringify(p, null, indent);
  for (const [placeholder, json] of Object.entries(raw)) out = out.split(JSON.stringify(placeholder)).join(json);
  return out;
}

const deepText = (r: Rnd, depth: number, secret?: string): string => {
  const open = chance(r, 0.5) ? '[' : '{"d":';
  const close = open === '[' ? ']' : '}';
  return open.repeat(depth) + (secret === undefined ? '1' : JSON.stringify(secret)) + close.repeat(depth);
};

const WRONG = [42, -1.5, true, [], {}, ['a'], { nested: 'x' }];

// --- the generator ----------------------------------------------------------------------------------------

/** Builds the payload of one spec. Deterministic in (seed, spec). */
export function buildHostile(seed: number, spec: HostileSpec): HostilePayload {
  const r = seededRandom((seed ^ Math.imul(spec.index + 1, 0x9e3779b1)) >>> 0);
  const event = eventOf(spec);
  const era: Era = chance(r, 0.5) ? 'mid2025' : 'current';
  const base = eventPayload(r, event, spec.kind === 'valid-mid2025' ? 'mid2025' : spec.kind === 'valid-current' ? 'current' : era);
  const done = (bytes: Buffer | string, fate: Fate, planted: SecretSample[] = [], arg = event): HostilePayload => ({
    ...spec,
    arg,
    bytes: typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
    planted,
    fate,
  });

  switch (spec.kind) {
    case 'valid-mid2025':
    case 'valid-current': {
      const planted = maybePlant(r, base);
      return done(JSON.stringify(base), 'stored', planted);
    }
    case 'unknown-event': {
      const name = pick(r, ['BrandNewEvent', 'PreModelSwitch', 'Setup', 'MessageDisplay', 'DirectoryAdded', 'X', `Future${chars(r, 8, 'abcdefghij')}`]);
      base.hook_event_name = name;
      Object.assign(base, { novel_field: text(r, 4), novel_object: { a: [1, { b: text(r, 2) }] } });
      const planted = maybePlant(r, base);
      return done(JSON.stringify(base), 'stored', planted, name);
    }
    case 'arg-mismatch': {
      const other = pick(r, CAPTURE_EVENTS.filter((e) => e !== event));
      return done(JSON.stringify(base), 'stored', maybePlant(r, base), other);
    }
    case 'odd-arg': {
      const arg = pick(r, ['', '../../etc/passwd', 'Pre Tool Use', 'Über', '$(touch /tmp/pwned)', 'Stop;rm', 'A'.repeat(200), '123', 'Pre-Tool']);
      return done(JSON.stringify(base), 'stored', maybePlant(r, base), arg);
    }
    case 'deep-field': {
      // A secret below depth 64 is cut away with the rest (DEPTH_MARKER); one at the surface must be redacted.
      const planted = maybePlant(r, base, 0.5);
      const deepSecret = chance(r, 0.3) ? sampleOf(r) : undefined;
      if (deepSecret) planted.push(deepSecret);
      const holder = TOOL_FIELDS_EVENT.has(event) ? 'tool_input' : 'extra';
      base[holder] = '@@DEEP@@';
      return done(stringifyWith(base, { '@@DEEP@@': deepText(r, DEEP, deepSecret && `\n${deepSecret.context}\n`) }), 'stored', planted);
    }
    case 'deep-root':
      return done(deepText(r, DEEP), 'quarantined');
    case 'huge-string': {
      const size = Math.round(10_000 * Math.pow(200, r())); // 10 KB .. 2 MB, log-uniform
      const chunk = text(r, 400);
      let big = chunk.repeat(Math.ceil(size / chunk.length)).slice(0, size);
      const planted: SecretSample[] = [];
      // Secrets right before, across and after the 4,000-char cut of stored fields, and far beyond it.
      for (const at of [3_950, 3_990, 4_000, 4_020, Math.floor(size / 2)]) {
        if (!chance(r, 0.4) || at >= big.length) continue;
        const s = sampleOf(r);
        planted.push(s);
        big = `${big.slice(0, at)}\n${s.context}\n${big.slice(at)}`;
      }
      const field = pick(r, ['prompt', 'last_assistant_message', 'tool_response', 'big_field']);
      base[field] = field === 'tool_response' ? { stdout: big, stderr: '' } : big;
      return done(JSON.stringify(base), 'stored', planted);
    }
    case 'proto-keys': {
      const planted = maybePlant(r, base);
      const json = JSON.stringify(base).slice(0, -1);
      const extras = [
        '"__proto__":{"session_id":5,"hook_event_name":{},"polluted":true,"isAdmin":true}',
        '"constructor":{"prototype":{"polluted":true}}',
        '"prototype":{"polluted":true}',
        '"toString":"not a function"',
        '"hasOwnProperty":1',
        '"nested":{"__proto__":{"polluted":true},"constructor":{"name":"Evil"}}',
        '"arr":[{"__proto__":[]}]',
      ];
      return done(`${json},${extras.filter(() => chance(r, 0.7)).concat(extras[0] ?? '').join(',')}}`, 'stored', planted);
    }
    case 'proto-only-ids':
      return done(`{"__proto__":{"session_id":"s-proto","hook_event_name":${JSON.stringify(event)}},"cwd":"/tmp"}`, 'quarantined');
    case 'missing-field': {
      const options: (() => void)[] = [
        () => delete base.session_id,
        () => delete base.hook_event_name,
        () => (base.session_id = ''),
        () => (base.hook_event_name = ''),
        () => (base.session_id = 's'.repeat(513)),
        () => (base.hook_event_name = 'E'.repeat(129)),
      ];
      if (TOOL_FIELDS_EVENT.has(event)) options.push(() => delete base.tool_name, () => (base.tool_name = ''));
      pick(r, options)();
      return done(JSON.stringify(base), 'quarantined', maybePlant(r, base));
    }
    case 'wrong-type-checked': {
      const fields = ['session_id', 'hook_event_name', 'cwd', 'transcript_path', 'permission_mode', 'prompt_id', 'agent_id', 'agent_type'];
      if (TOOL_FIELDS_EVENT.has(event)) fields.push('tool_name', 'tool_use_id', 'duration_ms', 'is_interrupt', 'mcp_server');
      if (event === 'UserPromptExpansion') fields.push('command_name', 'expansion_type');
      const field = pick(r, fields);
      const raw: Record<string, string> = {};
      if (field === 'duration_ms') {
        // strings, booleans, and numbers JSON can spell but a double cannot hold (1e400 = Infinity)
        base.duration_ms = '@@NUM@@';
        raw['@@NUM@@'] = pick(r, ['"12"', 'true', '1e400', '-1e999', '{}']);
      } else if (field === 'is_interrupt') base.is_interrupt = pick(r, ['true', 1, 'yes', {}]);
      else if (field === 'mcp_server') base.mcp_server = pick(r, ['github', 7, { name: 5 }, []]);
      else base[field] = pick(r, WRONG); // null is allowed for the optional ones, so WRONG has none
      const planted = maybePlant(r, base);
      return done(stringifyWith(base, raw), 'quarantined', planted);
    }
    case 'wrong-type-unchecked': {
      const changes: (() => void)[] = [
        () => (base.effort = pick(r, ['high', 7, { level: 3 }, null])),
        () => (base.stop_hook_active = 'yes'),
        () => (base.prompt = { text: text(r, 3) }),
        () => (base.source = 5),
        () => (base.extra_numbers = [Number.MAX_SAFE_INTEGER, -0, 1e308, 5e-324]),
        () => (base.permission_suggestions = 'none'),
      ];
      if (TOOL_FIELDS_EVENT.has(event)) {
        changes.push(
          () => (base.tool_input = pick(r, ['a string', 42, null, [], [1, 'x'], { command: 42 }])),
          () => (base.tool_response = pick(r, [12, null, [], 'plain', { stdout: 5, stderr: [] }])),
          () => (base.error = { code: 1, message: text(r, 3) }),
          () => (base.duration_ms = null),
          () => (base.tool_use_id = null),
        );
      }
      pick(r, changes)();
      return done(JSON.stringify(base), 'stored', maybePlant(r, base));
    }
    case 'non-object': {
      const planted = chance(r, 0.35) ? [sampleOf(r)] : [];
      const secret = planted[0] ? `\n${planted[0].context}\n` : text(r, 3);
      const bodies = [
        '[]',
        'null',
        'true',
        '42',
        '-0.5e10',
        JSON.stringify(secret),
        JSON.stringify([base]),
        JSON.stringify([secret, 1, null]),
        ' \n\t ',
      ];
      const body = pick(r, bodies);
      return done(body, 'quarantined', body.includes(JSON.stringify(secret).slice(1, -1)) ? planted : []);
    }
    case 'truncated': {
      const planted = maybePlant(r, base, 0.5);
      const json = JSON.stringify(base);
      // Cut outside the planted secrets: a payload cut inside a secret keeps only part of it, and no
      // redactor can know that a prefix was meant to be a credential (see the focused tests).
      let cut = int(r, 1, json.length - 1);
      const spans = planted.map((s) => {
        const from = json.indexOf(JSON.stringify(s.context).slice(1, -1));
        return [from, from + JSON.stringify(s.context).length] as const;
      });
      const inside = spans.find(([a, b]) => a >= 0 && cut > a && cut < b);
      if (inside) cut = inside[0]; // spans are disjoint: a span's start is inside none
      const kept = planted.filter((s) => json.slice(0, cut).includes(JSON.stringify(s.context).slice(1, -1)));
      return done(json.slice(0, cut), 'quarantined', kept);
    }
    case 'invalid-utf8': {
      const planted = maybePlant(r, base, 0.5);
      const json = JSON.stringify(base);
      if (chance(r, 0.15)) {
        // UTF-16LE with a byte-order mark: what a Windows tool might write
        return done(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]), 'quarantined', planted);
      }
      const bad = pick(r, [[0xff], [0xc3, 0x28], [0xe2, 0x28, 0xa1], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf], [0x80], [0xf4, 0x90, 0x80, 0x80]]);
      const bytes = Buffer.from(json);
      // Inside a string value (after the first '":"'), so the text is JSON apart from the bad bytes.
      const at = Math.max(bytes.indexOf('":"') + 3, 1);
      return done(Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]), 'quarantined', planted);
    }
    case 'binary': {
      const n = chance(r, 0.1) ? 0 : int(r, 1, 8192);
      const noise = Buffer.alloc(n);
      for (let i = 0; i < n; i++) noise[i] = Math.floor(r() * 256);
      if (n > 0 && chance(r, 0.35)) {
        const s = sampleOf(r);
        const at = int(r, 0, n);
        return done(Buffer.concat([noise.subarray(0, at), Buffer.from(`\n${s.context}\n`), noise.subarray(at)]), 'quarantined', [s]);
      }
      return done(noise, 'quarantined');
    }
    case 'bom':
      // The WHATWG UTF-8 decoder ingest uses (TextDecoder, ignoreBOM false) drops a leading BOM,
      // so what follows is parsed as the valid payload it is.
      return done(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(base))]), 'stored', maybePlant(r, base));
    case 'json-oddities': {
      const planted = maybePlant(r, base);
      const variants = [
        // duplicate keys: the last one wins, and it is valid too
        () => `{"session_id":5,"hook_event_name":[],${JSON.stringify(base).slice(1)}`,
        // pretty-printed with CRLF and tabs, surrounded by whitespace
        () => `\r\n\t ${JSON.stringify(base, null, '\t').replace(/\n/g, '\r\n')}\r\n\n`,
        // escapes: NUL, lone surrogates, escaped slashes, every escape JSON has
        () => `${JSON.stringify(base).slice(0, -1)},"esc":"\\u0000\\ud800\\udfff\\/\\b\\f\\n\\r\\t\\"\\\\\\u00e9\\ud83d\\ude00"}`,
        // numbers at the edges, in fields nobody checks
        () => `${JSON.stringify(base).slice(0, -1)},"nums":[1e400,-1e400,1e-400,-0,12345678901234567890123,0.1e-5]}`,
        // keys that are empty, huge, or secret-shaped (keys of 8+ chars are redacted too)
        () => `${JSON.stringify(base).slice(0, -1)},"":1,${JSON.stringify('k'.repeat(5000))}:2,"\\u0000":3}`,
      ];
      return done(pick(r, variants)(), 'stored', planted);
    }
    case 'big-50mb-valid': {
      const s = sampleOf(r);
      const line = `${text(r, 12)}\n`;
      const stdout = `${s.context}\n${line.repeat(Math.ceil(BIG_BYTES / line.length))}==== 7 passed in 1.00s ====\n`;
      const p = { ...eventPayload(r, 'PostToolUse', 'current'), tool_name: 'Bash', tool_input: { command: 'pytest -q' }, tool_response: { stdout, stderr: '' } };
      return done(JSON.stringify(p), 'stored', [s], 'PostToolUse');
    }
    case 'big-50mb-truncated': {
      const s = sampleOf(r);
      const line = `${text(r, 12)}\n`;
      const p = { ...eventPayload(r, 'PostToolUse', 'current'), tool_name: 'Read', tool_response: { content: `header\n${s.context}\n${line.repeat(Math.ceil(BIG_BYTES / line.length))}` } };
      return done(JSON.stringify(p).slice(0, BIG_BYTES), 'quarantined', [s], 'PostToolUse');
    }
    case 'big-50mb-binary': {
      const s = sampleOf(r);
      const block = Buffer.alloc(65_536);
      for (let i = 0; i < block.length; i++) block[i] = Math.floor(r() * 256);
      block[0] = 0xff; // never valid UTF-8
      const blocks = Array.from({ length: BIG_BYTES / block.length }, () => block);
      return done(Buffer.concat([Buffer.from(`\n${s.context}\n`), ...blocks]), 'quarantined', [s], 'PostToolUse');
    }
  }
}

/** Events whose payloads the schema checks as tool calls (src/core/schemas.ts TOOL_EVENTS). */
const TOOL_FIELDS_EVENT = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PermissionRequest', 'PermissionDenied']);
