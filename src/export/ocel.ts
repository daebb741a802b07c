// OCEL 2.0 JSON (object-centric event log) of the sessions, for PM4Py (read_ocel2_json), OCPM and
// the Rust `process_mining` / `ocel` crates. Pure.
//
// One event per step: type = the activity ("Read", "Bash:test", "Agent:Explore"), time = its start;
// attributes outcome, end_time, duration_ms, agent (subagent type or "main"), and on test runs
// test_passed and test_runner. Attribute values are typed JSON (string, number, boolean, ISO time),
// as the OCEL 2.0 JSON format and its readers take them.
//
// Object types and the event-to-object qualifiers:
//   session   "in session"  every event; attributes project, tests_passed (the last test run),
//                           stop_failures, interrupts, started, ended
//   subagent  "runs in"     events inside a subagent; one object per (session, agent type), since a
//                           step knows only its agent's type (same grouping as subagentTraces());
//             "starts"      the Agent:<type> call that launched it
//             object-to-object: subagent "part of" its session
//   tool      "uses"        the tool behind the activity: "Read", "Bash" (for Bash:test), "Agent",
//                           "Skill", "mcp:<server>"; slash commands use none
//   file      "reads" / "writes" / "edits" / "touches"   files in the step's tool_input (step-files.ts),
//                           when the caller passes them. Ids hold the stored path: exports are local
//                           files for the user, never committed, and stored payloads are redacted.
// Static object attributes carry the time 1970-01-01T00:00:00Z, the OCEL 2.0 convention for a value
// that holds from the start.
//
// Streaming: the object types are known up front, so they come first; events follow session by
// session; objects and event types (which depend on what was seen) close the document. JSON key
// order does not matter to readers. Each event is on its own line, separated by a leading comma.
import type { Step } from '../core/types.js';
import { durationMs, isoTime, resourceOf, sessionTestsPassed, testPassedOf, type ExportSession, type ExportWriter } from './common.js';

const EPOCH = '1970-01-01T00:00:00Z';

type AttrType = 'string' | 'integer' | 'float' | 'boolean' | 'time';
interface TypeDecl {
  name: string;
  attributes: { name: string; type: AttrType }[];
}

export const OCEL_OBJECT_TYPES: readonly TypeDecl[] = [
  {
    name: 'session',
    attributes: [
      { name: 'project', type: 'string' },
      { name: 'tests_passed', type: 'boolean' },
      { name: 'stop_failures', type: 'integer' },
      { name: 'interrupts', type: 'integer' },
      { name: 'started', type: 'time' },
      { name: 'ended', type: 'time' },
    ],
  },
  { name: 'subagent', attributes: [{ name: 'agent_type', type: 'string' }] },
  { name: 'tool', attributes: [{ name: 'name', type: 'string' }] },
  { name: 'file', attributes: [{ name: 'path', type: 'string' }] },
];

/** Attributes every event type declares (each event has the ones that apply to it). */
export const OCEL_EVENT_ATTRIBUTES: TypeDecl['attributes'] = [
  { name: 'outcome', type: 'string' },
  { name: 'end_time', type: 'time' },
  { name: 'duration_ms', type: 'integer' },
  { name: 'agent', type: 'string' },
  { name: 'test_passed', type: 'boolean' },
  { name: 'test_runner', type: 'string' },
];

interface Relationship {
  objectId: string;
  qualifier: string;
}
interface ObjectAttr {
  name: string;
  value: string | number | boolean;
  time: string;
}
interface OcelObject {
  id: string;
  type: string;
  attributes: ObjectAttr[];
  relationships: Relationship[];
}

export const sessionObjectId = (sessionId: string): string => `session:${sessionId}`;
export const subagentObjectId = (sessionId: string, agentType: string): string => `subagent:${sessionId}#${agentType}`;
export const toolObjectId = (tool: string): string => `tool:${tool}`;
export const fileObjectId = (path: string): string => `file:${path}`;

export function ocelWriter(): ExportWriter {
  let events = 0;
  const eventTypes = new Set<string>();
  const objects: OcelObject[] = [];
  const tools = new Set<string>();
  const files = new Set<string>();

  return {
    header: () => `{\n"objectTypes": ${JSON.stringify(OCEL_OBJECT_TYPES)},\n"events": [\n`,

    session: ({ trace, files: stepFiles }: ExportSession) => {
      const sid = sessionObjectId(trace.session_id);
      objects.push(sessionObject(sid, trace));
      const subagents = new Set<string>();
      const subagent = (type: string): string => {
        const id = subagentObjectId(trace.session_id, type);
        if (!subagents.has(type)) {
          subagents.add(type);
          objects.push({ id, type: 'subagent', attributes: [{ name: 'agent_type', value: type, time: EPOCH }], relationships: [{ objectId: sid, qualifier: 'part of' }] });
        }
        return id;
      };

      let out = '';
      trace.steps.forEach((step, i) => {
        eventTypes.add(step.activity);
        const relationships: Relationship[] = [{ objectId: sid, qualifier: 'in session' }];
        if (step.agent !== null) relationships.push({ objectId: subagent(step.agent), qualifier: 'runs in' });
        const spawned = spawnedAgentType(step.activity);
        if (spawned !== null) relationships.push({ objectId: subagent(spawned), qualifier: 'starts' });
        const tool = toolOf(step.activity);
        if (tool !== null) {
          tools.add(tool);
          relationships.push({ objectId: toolObjectId(tool), qualifier: 'uses' });
        }
        for (const path of stepFiles?.[i] ?? []) {
          files.add(path);
          relationships.push({ objectId: fileObjectId(path), qualifier: fileQualifier(tool) });
        }
        const event = { id: `${trace.session_id}#${i}`, type: step.activity, time: isoTime(step.start_ms), attributes: eventAttributes(step), relationships };
        out += `${events++ === 0 ? '' : ','}${JSON.stringify(event)}\n`;
      });
      return out;
    },

    footer: () => {
      const all: OcelObject[] = [
        ...objects,
        ...[...tools].sort().map((t) => ({ id: toolObjectId(t), type: 'tool', attributes: [{ name: 'name', value: t, time: EPOCH }], relationships: [] })),
        ...[...files].sort().map((f) => ({ id: fileObjectId(f), type: 'file', attributes: [{ name: 'path', value: f, time: EPOCH }], relationships: [] })),
      ];
      const types = [...eventTypes].sort().map((name) => ({ name, attributes: OCEL_EVENT_ATTRIBUTES }));
      return `],\n"objects": [\n${all.map((o) => JSON.stringify(o)).join(',\n')}\n],\n"eventTypes": ${JSON.stringify(types)}\n}\n`;
    },
  };
}

function sessionObject(id: string, trace: ExportSession['trace']): OcelObject {
  const attributes: ObjectAttr[] = [];
  if (trace.project !== null) attributes.push({ name: 'project', value: trace.project, time: EPOCH });
  const passed = sessionTestsPassed(trace);
  if (passed !== null) attributes.push({ name: 'tests_passed', value: passed, time: EPOCH });
  attributes.push({ name: 'stop_failures', value: trace.stop_failures, time: EPOCH });
  attributes.push({ name: 'interrupts', value: trace.interrupts, time: EPOCH });
  if (Number.isFinite(trace.start_ms)) attributes.push({ name: 'started', value: isoTime(trace.start_ms), time: EPOCH });
  if (Number.isFinite(trace.end_ms)) attributes.push({ name: 'ended', value: isoTime(trace.end_ms), time: EPOCH });
  return { id, type: 'session', attributes, relationships: [] };
}

function eventAttributes(step: Step): { name: string; value: string | number | boolean }[] {
  const attrs: { name: string; value: string | number | boolean }[] = [
    { name: 'outcome', value: step.outcome },
    { name: 'end_time', value: isoTime(step.end_ms) },
    { name: 'duration_ms', value: durationMs(step) },
    { name: 'agent', value: resourceOf(step) },
  ];
  const passed = testPassedOf(step);
  if (passed !== null) attrs.push({ name: 'test_passed', value: passed });
  if (step.test) attrs.push({ name: 'test_runner', value: step.test.runner });
  return attrs;
}

/** The tool behind an activity (see the table above); null for slash commands. */
export function toolOf(activity: string): string | null {
  if (activity.startsWith('/')) return null;
  if (activity.startsWith('mcp:')) return `mcp:${activity.split(':')[1] ?? ''}`;
  const colon = activity.indexOf(':');
  return colon < 0 ? activity : activity.slice(0, colon);
}

/** "Agent:Explore" → "Explore" (plugin agents keep "plugin:name"); null for other activities. */
export function spawnedAgentType(activity: string): string | null {
  return activity.startsWith('Agent:') && activity.length > 'Agent:'.length ? activity.slice('Agent:'.length) : null;
}

function fileQualifier(tool: string | null): string {
  if (tool === 'Read') return 'reads';
  if (tool === 'Write') return 'writes';
  if (tool === 'Edit' || tool === 'MultiEdit' || tool === 'NotebookEdit') return 'edits';
  return 'touches';
}
