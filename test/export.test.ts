// `agentops-meta export`: XES validated against the IEEE 1849 schema with xmllint and read back,
// OCEL 2.0 JSON shape and references, CSV quoting (RFC 4180), JSON Lines; and the CLI path
// store → events → buildTraces → export, to stdout and to --out FILE.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError, UsageError } from '../src/cli/errors.js';
import { normalize } from '../src/core/normalize.js';
import type { Actor, EventRecord, SessionTrace, Step } from '../src/core/types.js';
import { csvField } from '../src/export/csv.js';
import { renderExport, type ExportFormat } from '../src/export/formats.js';
import { simulateBoth, type SimPayload } from '../src/sim/simulate.js';
import { openMemoryStore } from '../src/store/memory.js';
import type { EventStore } from '../src/store/port.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { event, testRun } from './learn-helpers.js';
import { REPO_ROOT } from './helpers/paths.js';
import { exportCli } from './helpers/export-cli.js';

const XSD = path.join(REPO_ROOT, 'src', 'export', 'schema', 'xes.xsd');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-export-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));
let tmpCount = 0;
const tmpFile = (name: string) => path.join(TMP, `${tmpCount++}-${name}`);
const iso = (ms: number) => new Date(ms).toISOString();

// ---- xmllint ------------------------------------------------------------------------------

/** Runs xmllint; a missing xmllint FAILS the test (the XES export must be validated, not skipped). */
function xmllint(args: string[]): { ok: boolean; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync('xmllint', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, stdout, stderr: '' };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { status?: number; stdout?: string; stderr?: string };
    if (err.code === 'ENOENT') {
      throw new Error('xmllint is not installed, so the XES export cannot be validated: run `apt-get install -y libxml2-utils` (Debian package libxml2-utils)');
    }
    return { ok: false, stdout: String(err.stdout ?? ''), stderr: String(err.stderr ?? '') };
  }
}

function validateXes(xml: string): { ok: boolean; stderr: string } {
  const file = tmpFile('log.xes');
  fs.writeFileSync(file, xml);
  return xmllint(['--noout', '--schema', XSD, file]);
}

function xpathCount(file: string, expr: string): number {
  const r = xmllint(['--xpath', `count(${expr})`, file]);
  expect(r.ok, r.stderr).toBe(true);
  return Number(r.stdout.trim());
}

// ---- a small XML reader for the round trip (independent of the writer) ----------------------

interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
}

function decodeXml(raw: string): string {
  // Attribute-value normalisation as an XML parser does it: literal whitespace becomes a space,
  // character references keep the character.
  return raw
    .replace(/[\t\n\r]/g, ' ')
    .replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, ent: string) => {
      if (ent === 'lt') return '<';
      if (ent === 'gt') return '>';
      if (ent === 'amp') return '&';
      if (ent === 'quot') return '"';
      if (ent === 'apos') return "'";
      return String.fromCodePoint(ent.startsWith('#x') ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10));
    });
}

function parseXml(text: string): XNode {
  const root: XNode = { name: '#document', attrs: {}, children: [] };
  const stack: XNode[] = [root];
  const tag = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(text); m !== null; m = tag.exec(text)) {
    if (text.slice(last, m.index).trim() !== '') throw new Error(`unexpected text before offset ${m.index}`);
    last = tag.lastIndex;
    if (m[0].startsWith('<!--') || m[0].startsWith('<?')) continue;
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      const top = stack.pop();
      if (top?.name !== name) throw new Error(`</${name}> closes <${top?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (attrText ?? '').matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1]!] = decodeXml(a[2]!);
    const node: XNode = { name: name!, attrs, children: [] };
    stack[stack.length - 1]!.children.push(node);
    if (!selfClose) stack.push(node);
  }
  if (stack.length !== 1 || text.slice(last).trim() !== '') throw new Error('unbalanced document');
  return root;
}

/** key → value of the attribute children of an XES element (string, date, int, boolean). */
function xesAttrs(node: XNode): Map<string, { type: string; value: string }> {
  const m = new Map<string, { type: string; value: string }>();
  for (const c of node.children) if (c.name !== 'event' && c.name !== 'trace') m.set(c.attrs['key']!, { type: c.name, value: c.attrs['value']! });
  return m;
}

// ---- a small RFC 4180 reader ---------------------------------------------------------------

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      if (c === '\n' || c === '\r' || c === '"') throw new Error(`bare ${JSON.stringify(c)} outside quotes at ${i}`);
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('last record not terminated by CRLF');
  return rows;
}

// ---- corpora ------------------------------------------------------------------------------

const SIM = simulateBoth({ seed: 4242, sessions: 40, start_ms: Date.UTC(2026, 0, 5) });
const SIM_TRACES: SessionTrace[] = SIM.traces;
const simulated = (traces: SessionTrace[] = SIM_TRACES) => traces.map((trace) => ({ trace }));

function step(activity: string, start: number, end: number, over: Partial<Step> = {}): Step {
  return { activity, start_ms: start, end_ms: end, outcome: 'ok', tool_use_id: null, agent: null, test: null, ...over };
}

function handTrace(session_id: string, steps: Step[], over: Partial<SessionTrace> = {}): SessionTrace {
  return {
    session_id,
    project: '/repo',
    start_ms: Math.min(...steps.map((s) => s.start_ms)),
    end_ms: Math.max(...steps.map((s) => s.end_ms)),
    steps,
    stop_failures: 0,
    interrupts: 0,
    prompts: [],
    ...over,
  };
}

/** Simulated hook payloads through the real normalizer into a store, as ingest would store them. */
function storeOf(payloads: readonly SimPayload[], store: EventStore): EventStore {
  const records: EventRecord[] = [];
  payloads.forEach((p, i) => {
    const r = normalize({ id: `e${String(i).padStart(8, '0')}`, ts_ms: p.ts_ms, source: 'hook', value: p.payload }, { projectOf: (cwd) => cwd, maxFieldChars: 4000 });
    if (!r.ok) throw new Error(r.reason);
    records.push(r.record);
  });
  store.insert(records, []);
  return store;
}

const cli = (store: EventStore) => exportCli(store);

// ---- XES ------------------------------------------------------------------------------------

describe('XES export', () => {
  it('validates against the IEEE 1849 XES schema (simulated corpus)', () => {
    const xml = renderExport('xes', simulated());
    const r = validateXes(xml);
    expect(r.ok, r.stderr).toBe(true);
  });

  it('the schema check can fail: broken documents are rejected', () => {
    const xml = renderExport('xes', simulated(SIM_TRACES.slice(0, 2)));
    expect(validateXes(xml).ok).toBe(true);
    // xes.version is required
    expect(validateXes(xml.replace('<log xes.version="2.0">', '<log>')).ok).toBe(false);
    // an int attribute must hold an integer
    expect(validateXes(xml.replace(/<int key="duration_ms" value="\d+"\/>/, '<int key="duration_ms" value="12.5ms"/>')).ok).toBe(false);
    // a trace's attributes come before its events
    expect(validateXes(xml.replace('  </trace>', '    <string key="late" value="x"/>\n  </trace>')).ok).toBe(false);
    // a namespaced log is not the IEEE schema's (which has no namespace)
    expect(validateXes(xml.replace('<log xes.version="2.0">', '<log xes.version="2.0" xmlns="http://www.xes-standard.org/">')).ok).toBe(false);
  });

  it('declares the standard extensions, event globals for every classifier key, and classifiers', () => {
    const log = parseXml(renderExport('xes', simulated(SIM_TRACES.slice(0, 1)))).children[0]!;
    expect(log.name).toBe('log');
    const ext = log.children.filter((c) => c.name === 'extension').map((c) => [c.attrs['prefix'], c.attrs['uri']]);
    expect(ext).toEqual([
      ['concept', 'http://www.xes-standard.org/concept.xesext'],
      ['time', 'http://www.xes-standard.org/time.xesext'],
      ['lifecycle', 'http://www.xes-standard.org/lifecycle.xesext'],
      ['org', 'http://www.xes-standard.org/org.xesext'],
    ]);
    const globals = new Map(log.children.filter((c) => c.name === 'global').map((g) => [g.attrs['scope'], new Set(g.children.map((a) => a.attrs['key']))]));
    expect([...globals.get('trace')!]).toEqual(['concept:name']);
    const classifiers = log.children.filter((c) => c.name === 'classifier');
    expect(classifiers.map((c) => c.attrs['name'])).toEqual(['Activity', 'ActivityLifecycle', 'Resource']);
    for (const c of classifiers) for (const key of c.attrs['keys']!.split(' ')) expect(globals.get('event')!.has(key), key).toBe(true);
  });

  it('reads back: one trace per session, a start and a complete per step, times and attributes', () => {
    const file = tmpFile('sim.xes');
    fs.writeFileSync(file, renderExport('xes', simulated()));
    const totalSteps = SIM_TRACES.reduce((n, t) => n + t.steps.length, 0);
    // counted by xmllint, independently of the reader below
    expect(xpathCount(file, '/log/trace')).toBe(SIM_TRACES.length);
    expect(xpathCount(file, '/log/trace/event')).toBe(2 * totalSteps);
    expect(xpathCount(file, "/log/trace/event[string[@key='lifecycle:transition' and @value='start']]")).toBe(totalSteps);

    const traces = parseXml(fs.readFileSync(file, 'utf8')).children[0]!.children.filter((c) => c.name === 'trace');
    expect(traces).toHaveLength(SIM_TRACES.length);
    let concurrentSessions = 0;
    traces.forEach((node, t) => {
      const trace = SIM_TRACES[t]!;
      expect(xesAttrs(node).get('concept:name')!.value).toBe(trace.session_id);
      const events = node.children.filter((c) => c.name === 'event').map(xesAttrs);
      expect(events).toHaveLength(2 * trace.steps.length);
      // chronological
      const times = events.map((e) => Date.parse(e.get('time:timestamp')!.value));
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
      // pairing by concept:instance
      const seen = new Map<string, { start?: number; complete?: number }>();
      events.forEach((e, pos) => {
        const inst = e.get('concept:instance')!.value;
        const s = trace.steps[Number(inst)]!;
        expect(e.get('concept:name')!.value).toBe(s.activity);
        expect(e.get('org:resource')!.value).toBe(s.agent ?? 'main');
        expect(e.get('outcome')!.value).toBe(s.outcome);
        const transition = e.get('lifecycle:transition')!.value as 'start' | 'complete';
        expect(e.get('time:timestamp')).toEqual({ type: 'date', value: iso(transition === 'start' ? s.start_ms : s.end_ms) });
        const isTestRun = s.test !== null && s.outcome !== 'interrupted';
        expect(e.get('test_passed')?.value).toBe(isTestRun ? String(s.test!.passed) : undefined);
        if (transition === 'complete') expect(e.get('duration_ms')).toEqual({ type: 'int', value: String(s.end_ms - s.start_ms) });
        const rec = seen.get(inst) ?? {};
        expect(rec[transition], `duplicate ${transition} of instance ${inst}`).toBeUndefined();
        rec[transition] = pos;
        seen.set(inst, rec);
      });
      expect(seen.size).toBe(trace.steps.length);
      for (const [inst, rec] of seen) expect(rec.start!, `instance ${inst}`).toBeLessThan(rec.complete!);
      // overlap survives: some step starts before an earlier one completes (Grep ‖ Glob, parallel subagents)
      const open = new Set<string>();
      let overlapped = false;
      for (const e of events) {
        const inst = e.get('concept:instance')!.value;
        if (e.get('lifecycle:transition')!.value === 'start') {
          if (open.size > 0) overlapped = true;
          open.add(inst);
        } else open.delete(inst);
      }
      if (overlapped) concurrentSessions++;
    });
    // the simulator plants concurrent batches and parallel subagents in a share of the sessions
    expect(concurrentSessions).toBeGreaterThan(0);
  });

  it('orders events at equal times: completions first, a zero-length step stays a pair', () => {
    const t = 1_700_000_000_000;
    const trace = handTrace('order', [step('A', t, t + 10), step('B', t + 10, t + 20), step('/review', t + 10, t + 10), step('C', t + 20, t + 20)]);
    const events = parseXml(renderExport('xes', [{ trace }])).children[0]!.children.find((c) => c.name === 'trace')!.children.filter((c) => c.name === 'event').map(xesAttrs);
    const seq = events.map((e) => `${e.get('concept:name')!.value}.${e.get('lifecycle:transition')!.value === 'start' ? 's' : 'c'}`);
    // A ends when B starts: A's completion comes first, so A and B do not look concurrent;
    // the zero-length /review (at B's start) and C (at B's end) keep start and completion together.
    expect(seq).toEqual(['A.s', 'A.c', 'B.s', '/review.s', '/review.c', 'B.c', 'C.s', 'C.c']);
  });

  it('escapes markup, quotes, whitespace and characters XML cannot hold', () => {
    const nasty = 'sess <a href="x">&amp;</a>\t"tab"\nline\r]]>';
    const trace = handTrace(
      nasty,
      [step('mcp:we<ird>&"srv"', 1000, 2000, { agent: 'plug:in\u0001"agent"' }), step('Bash:test', 2000, 3000, { test: testRun(true) })],
      { project: "/home/o'neil/my & co/\u0000p" },
    );
    const xml = renderExport('xes', [{ trace }]);
    const r = validateXes(xml);
    expect(r.ok, r.stderr).toBe(true);
    const node = parseXml(xml).children[0]!.children.find((c) => c.name === 'trace')!;
    const attrs = xesAttrs(node);
    expect(attrs.get('concept:name')!.value).toBe(nasty);
    expect(attrs.get('project')!.value).toBe("/home/o'neil/my & co/\uFFFDp");
    expect(attrs.get('tests_passed')).toEqual({ type: 'boolean', value: 'true' });
    const first = xesAttrs(node.children.find((c) => c.name === 'event')!);
    expect(first.get('concept:name')!.value).toBe('mcp:we<ird>&"srv"');
    expect(first.get('org:resource')!.value).toBe('plug:in\uFFFD"agent"');
  });
});

// ---- OCEL -----------------------------------------------------------------------------------

interface Ocel {
  objectTypes: { name: string; attributes: { name: string; type: string }[] }[];
  eventTypes: { name: string; attributes: { name: string; type: string }[] }[];
  objects: { id: string; type: string; attributes: { name: string; value: unknown; time: string }[]; relationships: { objectId: string; qualifier: string }[] }[];
  events: { id: string; type: string; time: string; attributes: { name: string; value: unknown }[]; relationships: { objectId: string; qualifier: string }[] }[];
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function valueHasType(value: unknown, type: string): boolean {
  if (type === 'string') return typeof value === 'string';
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'float') return typeof value === 'number';
  if (type === 'boolean') return typeof value === 'boolean';
  if (type === 'time') return typeof value === 'string' && ISO_MS.test(value);
  return false;
}

/** The OCEL 2.0 JSON rules a reader relies on; returns the log for further checks. */
function checkOcel(text: string): Ocel {
  const log = JSON.parse(text) as Ocel;
  expect(Object.keys(log).sort()).toEqual(['eventTypes', 'events', 'objectTypes', 'objects']);
  const objectTypes = new Map(log.objectTypes.map((t) => [t.name, new Map(t.attributes.map((a) => [a.name, a.type]))]));
  const eventTypes = new Map(log.eventTypes.map((t) => [t.name, new Map(t.attributes.map((a) => [a.name, a.type]))]));
  expect(objectTypes.size).toBe(log.objectTypes.length);
  expect(eventTypes.size).toBe(log.eventTypes.length);
  const objectIds = new Set<string>();
  for (const o of log.objects) {
    expect(objectIds.has(o.id), `duplicate object ${o.id}`).toBe(false);
    objectIds.add(o.id);
    const declared = objectTypes.get(o.type);
    expect(declared, `object type ${o.type}`).toBeDefined();
    for (const a of o.attributes) {
      expect(valueHasType(a.value, declared!.get(a.name)!), `${o.id}.${a.name}`).toBe(true);
      expect(a.time).toMatch(ISO_MS);
    }
  }
  for (const o of log.objects) for (const r of o.relationships) expect(objectIds.has(r.objectId), r.objectId).toBe(true);
  const eventIds = new Set<string>();
  for (const e of log.events) {
    expect(eventIds.has(e.id), `duplicate event ${e.id}`).toBe(false);
    eventIds.add(e.id);
    expect(e.time).toMatch(ISO_MS);
    const declared = eventTypes.get(e.type);
    expect(declared, `event type ${e.type}`).toBeDefined();
    for (const a of e.attributes) expect(valueHasType(a.value, declared!.get(a.name)!), `${e.id}.${a.name}`).toBe(true);
    for (const r of e.relationships) {
      expect(objectIds.has(r.objectId), `${e.id} → ${r.objectId}`).toBe(true);
      expect(r.qualifier.length).toBeGreaterThan(0);
    }
  }
  return log;
}

const attrOf = (e: { attributes: { name: string; value: unknown }[] }, name: string) => e.attributes.find((a) => a.name === name)?.value;
const related = (e: Ocel['events'][number], qualifier: string) => e.relationships.filter((r) => r.qualifier === qualifier).map((r) => r.objectId);

describe('OCEL 2.0 export', () => {
  it('has the OCEL 2.0 JSON shape, typed attributes and only references to existing objects', () => {
    const log = checkOcel(renderExport('ocel', simulated()));
    expect(log.objectTypes.map((t) => t.name)).toEqual(['session', 'subagent', 'tool', 'file']);
    const activities = new Set(SIM_TRACES.flatMap((t) => t.steps.map((s) => s.activity)));
    expect(log.eventTypes.map((t) => t.name).sort()).toEqual([...activities].sort());
  });

  it('round-trips counts: one event per step, sessions, subagents, tools; events relate as documented', () => {
    const log = checkOcel(renderExport('ocel', simulated()));
    const steps = SIM_TRACES.flatMap((t) => t.steps.map((s, i) => ({ t, s, i })));
    expect(log.events).toHaveLength(steps.length);
    const byType = (type: string) => log.objects.filter((o) => o.type === type);
    expect(byType('session')).toHaveLength(SIM_TRACES.length);
    const agents = new Set<string>();
    for (const { t, s } of steps) {
      if (s.agent) agents.add(`${t.session_id}#${s.agent}`);
      if (s.activity.startsWith('Agent:')) agents.add(`${t.session_id}#${s.activity.slice(6)}`);
    }
    expect(byType('subagent').map((o) => o.id.replace(/^subagent:/, '')).sort()).toEqual([...agents].sort());
    const tools = new Set(steps.map(({ s }) => (s.activity.startsWith('mcp:') ? s.activity : s.activity.split(':')[0]!)));
    expect(byType('tool').map((o) => o.id.replace(/^tool:/, '')).sort()).toEqual([...tools].sort());
    expect(byType('file')).toHaveLength(0); // simulated traces carry no payloads

    const events = new Map(log.events.map((e) => [e.id, e]));
    for (const { t, s, i } of steps) {
      const e = events.get(`${t.session_id}#${i}`)!;
      expect(e.type).toBe(s.activity);
      expect(e.time).toBe(iso(s.start_ms));
      expect(attrOf(e, 'end_time')).toBe(iso(s.end_ms));
      expect(attrOf(e, 'duration_ms')).toBe(s.end_ms - s.start_ms);
      expect(attrOf(e, 'outcome')).toBe(s.outcome);
      expect(attrOf(e, 'agent')).toBe(s.agent ?? 'main');
      expect(related(e, 'in session')).toEqual([`session:${t.session_id}`]);
      expect(related(e, 'runs in')).toEqual(s.agent ? [`subagent:${t.session_id}#${s.agent}`] : []);
      expect(related(e, 'starts')).toEqual(s.activity.startsWith('Agent:') ? [`subagent:${t.session_id}#${s.activity.slice(6)}`] : []);
    }
    for (const o of byType('subagent')) expect(o.relationships).toEqual([{ objectId: `session:${o.id.slice('subagent:'.length).split('#')[0]}`, qualifier: 'part of' }]);
  });

  it('session objects carry the learner outcome (last test run)', () => {
    const pass = handTrace('p', [step('Bash:test', 0, 10, { test: testRun(false), outcome: 'error' }), step('Bash:test', 20, 30, { test: testRun(true) })]);
    const none = handTrace('n', [step('Read', 0, 10)], { project: null });
    const log = checkOcel(renderExport('ocel', [{ trace: pass }, { trace: none }]));
    const session = (id: string) => log.objects.find((o) => o.id === `session:${id}`)!;
    expect(attrOf(session('p'), 'tests_passed')).toBe(true);
    expect(attrOf(session('p'), 'project')).toBe('/repo');
    expect(attrOf(session('n'), 'tests_passed')).toBeUndefined();
    expect(attrOf(session('n'), 'project')).toBeUndefined();
    expect(log.events.filter((e) => e.type === 'Bash:test').map((e) => attrOf(e, 'test_passed'))).toEqual([false, true]);
  });
});

// ---- CSV and JSON Lines ------------------------------------------------------------------------

describe('CSV export', () => {
  it('quotes fields per RFC 4180 and guards spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(null)).toBe('');
    expect(csvField(-5)).toBe('-5');
    expect(csvField(false)).toBe('false');
  });

  it('one row per step with the documented columns, read back by an RFC 4180 reader', () => {
    const text = renderExport('csv', simulated());
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['session_id', 'activity', 'start', 'end', 'duration_ms', 'outcome', 'agent', 'test_passed']);
    const steps = SIM_TRACES.flatMap((t) => t.steps.map((s) => ({ t, s })));
    expect(rows).toHaveLength(steps.length + 1);
    steps.forEach(({ t, s }, i) => {
      const isTestRun = (s.test !== null || s.activity === 'Bash:test') && !['interrupted', 'blocked', 'denied'].includes(s.outcome);
      const passed = s.test ? s.test.passed : s.outcome === 'ok';
      expect(rows[i + 1]).toEqual([t.session_id, s.activity, iso(s.start_ms), iso(s.end_ms), String(s.end_ms - s.start_ms), s.outcome, s.agent ?? 'main', isTestRun ? String(passed) : '']);
    });
  });

  it('survives commas, quotes and newlines in values', () => {
    const trace = handTrace('id,with "quotes"\nand a newline', [step('mcp:a,b', 0, 5, { agent: 'x"y' })]);
    const rows = parseCsv(renderExport('csv', [{ trace }]));
    expect(rows[1]!.slice(0, 2)).toEqual(['id,with "quotes"\nand a newline', 'mcp:a,b']);
    expect(rows[1]![6]).toBe('x"y');
  });
});

describe('JSON Lines export', () => {
  it('one JSON object per step', () => {
    const lines = renderExport('jsonl', simulated()).split('\n');
    expect(lines.pop()).toBe('');
    const steps = SIM_TRACES.flatMap((t) => t.steps.map((s) => ({ t, s })));
    expect(lines).toHaveLength(steps.length);
    lines.forEach((line, i) => {
      const { t, s } = steps[i]!;
      expect(JSON.parse(line)).toMatchObject({ session_id: t.session_id, activity: s.activity, start: iso(s.start_ms), end: iso(s.end_ms), start_ms: s.start_ms, end_ms: s.end_ms, outcome: s.outcome, agent: s.agent, tool_use_id: s.tool_use_id, test: s.test });
    });
  });
});

// ---- the CLI path: store → events → buildTraces → export ---------------------------------------

const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const HAND_SESSION = 'sess,"one"';
const tool = (name: string): Actor => ({ kind: 'tool', name, plugin: null, server: null });
const explore: Actor = { kind: 'subagent', name: 'Explore', plugin: null, server: null };
const input = (tool_input: Record<string, unknown>) => JSON.stringify({ tool_input });

/** Two sessions with steps and one with a prompt only, written as the normalizer stores them. */
function handStore(): EventStore {
  const S = HAND_SESSION;
  let n = 0;
  const e = (over: Partial<EventRecord> & Pick<EventRecord, 'event' | 'ts_ms'>) => event({ id: `h${String(n++).padStart(3, '0')}`, session_id: S, project: '/repo', ...over });
  const events: EventRecord[] = [
    e({ event: 'UserPromptSubmit', ts_ms: T0, payload: JSON.stringify({ prompt: 'fix the bug' }) }),
    e({ event: 'PreToolUse', ts_ms: T0 + 100, tool_name: 'Read', tool_use_id: 't1', actor: tool('Read'), payload: input({ file_path: '/repo/src/a.ts' }) }),
    e({ event: 'PostToolUse', ts_ms: T0 + 150, tool_name: 'Read', tool_use_id: 't1', actor: tool('Read'), outcome: 'ok', payload: input({ file_path: '/repo/src/a.ts' }) }),
    e({ event: 'PreToolUse', ts_ms: T0 + 200, tool_name: 'Bash', tool_use_id: 't2', actor: tool('Bash'), bash_kind: 'test' }),
    e({ event: 'PostToolUseFailure', ts_ms: T0 + 1200, tool_name: 'Bash', tool_use_id: 't2', actor: tool('Bash'), bash_kind: 'test', outcome: 'error', test: testRun(false) }),
    e({ event: 'PreToolUse', ts_ms: T0 + 1300, tool_name: 'Agent', tool_use_id: 't3', actor: explore }),
    e({ event: 'PreToolUse', ts_ms: T0 + 1400, tool_name: 'Grep', tool_use_id: 't4', actor: tool('Grep'), agent_id: 'ag1', agent_type: 'Explore' }),
    e({ event: 'PostToolUse', ts_ms: T0 + 1500, tool_name: 'Grep', tool_use_id: 't4', actor: tool('Grep'), agent_id: 'ag1', agent_type: 'Explore', outcome: 'ok' }),
    e({ event: 'PostToolUse', ts_ms: T0 + 2000, tool_name: 'Agent', tool_use_id: 't3', actor: explore, outcome: 'ok' }),
    // never completed: blocked
    e({ event: 'PreToolUse', ts_ms: T0 + 2100, tool_name: 'Edit', tool_use_id: 't5', actor: tool('Edit'), payload: input({ file_path: '/repo/src/a.ts', old_string: 'a', new_string: 'b' }) }),
    e({ event: 'PreToolUse', ts_ms: T0 + 2200, tool_name: 'Bash', tool_use_id: 't6', actor: tool('Bash'), bash_kind: 'test' }),
    e({ event: 'PostToolUse', ts_ms: T0 + 3000, tool_name: 'Bash', tool_use_id: 't6', actor: tool('Bash'), bash_kind: 'test', outcome: 'ok', test: testRun(true) }),
    e({ event: 'UserPromptSubmit', ts_ms: T0 + 5000, session_id: 'quiet', payload: JSON.stringify({ prompt: 'hello' }) }),
    e({ event: 'PreToolUse', ts_ms: T0 + 10_000, session_id: 'later', tool_name: 'Write', tool_use_id: 't7', actor: tool('Write'), payload: input({ file_path: '/repo/new,file.ts', content: 'x' }) }),
    e({ event: 'PostToolUse', ts_ms: T0 + 10_040, session_id: 'later', tool_name: 'Write', tool_use_id: 't7', actor: tool('Write'), outcome: 'ok' }),
  ];
  const store = openMemoryStore();
  store.insert(events, []);
  return store;
}

describe('export command', () => {
  it('writes CSV to stdout from the store; sessions without steps are left out', async () => {
    const { run, text } = cli(handStore());
    await run('--format', 'csv');
    const t = (ms: number) => iso(T0 + ms);
    // Worked out from handStore() by hand: steps by start time, the Grep inside the Explore subagent,
    // the Edit that never completed is blocked, the failing then passing test runs.
    expect(text()).toBe(
      [
        'session_id,activity,start,end,duration_ms,outcome,agent,test_passed',
        `"sess,""one""",Read,${t(100)},${t(150)},50,ok,main,`,
        `"sess,""one""",Bash:test,${t(200)},${t(1200)},1000,error,main,false`,
        `"sess,""one""",Agent:Explore,${t(1300)},${t(2000)},700,ok,main,`,
        `"sess,""one""",Grep,${t(1400)},${t(1500)},100,ok,Explore,`,
        `"sess,""one""",Edit,${t(2100)},${t(2100)},0,blocked,main,`,
        `"sess,""one""",Bash:test,${t(2200)},${t(3000)},800,ok,main,true`,
        `later,Write,${t(10_000)},${t(10_040)},40,ok,main,`,
        '',
      ].join('\r\n'),
    );
  });

  it('--out FILE writes a valid XES file and reports what it wrote', async () => {
    const { run, text } = cli(handStore());
    const file = tmpFile('hand.xes');
    await run('--format', 'xes', '--out', file);
    expect(text()).toBe(`exported 2 sessions (7 steps) as XES to ${file}\n`);
    const r = xmllint(['--noout', '--schema', XSD, file]);
    expect(r.ok, r.stderr).toBe(true);
    expect(xpathCount(file, '/log/trace')).toBe(2);
    expect(xpathCount(file, '/log/trace/event')).toBe(14);
    expect(xpathCount(file, "//trace[string[@key='concept:name' and @value='sess,\"one\"']]/boolean[@key='tests_passed' and @value='true']")).toBe(1);
    expect(xpathCount(file, "//event[string[@key='org:resource' and @value='Explore']]")).toBe(2);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.includes('.tmp'))).toEqual([]);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('OCEL from the store relates steps to the files in their stored tool_input', async () => {
    const { run, text } = cli(handStore());
    await run('--format', 'ocel');
    const log = checkOcel(text());
    const files = log.objects.filter((o) => o.type === 'file').map((o) => o.id);
    expect(files).toEqual(['file:/repo/new,file.ts', 'file:/repo/src/a.ts']);
    const ev = (type: string) => log.events.filter((e) => e.type === type);
    expect(related(ev('Read')[0]!, 'reads')).toEqual(['file:/repo/src/a.ts']);
    expect(related(ev('Edit')[0]!, 'edits')).toEqual(['file:/repo/src/a.ts']);
    expect(related(ev('Write')[0]!, 'writes')).toEqual(['file:/repo/new,file.ts']);
    expect(related(ev('Agent:Explore')[0]!, 'starts')).toEqual([`subagent:${HAND_SESSION}#Explore`]);
    expect(related(ev('Grep')[0]!, 'runs in')).toEqual([`subagent:${HAND_SESSION}#Explore`]);
    expect(log.objects.filter((o) => o.type === 'session').map((o) => o.id)).toEqual([`session:${HAND_SESSION}`, 'session:later']);
  });

  it('a simulated corpus through SQLite exports the steps the simulator planted, with their files', async () => {
    const dir = fs.mkdtempSync(path.join(TMP, 'db-'));
    const store = storeOf(SIM.payloads, openSqliteStore({ file: path.join(dir, 'events.db') }));
    try {
      // the ingest path derives exactly the simulator's traces, so both renderings agree
      for (const format of ['csv', 'jsonl'] as ExportFormat[]) {
        const { run, text } = cli(store);
        await run('--format', format);
        const expected = renderExport(format, simulated());
        const sortLines = (s: string) => s.split('\n').sort();
        expect(sortLines(text())).toEqual(sortLines(expected));
      }
      // OCEL: every Read / Edit / Write step relates to the file_path its hook payload carried
      const pathByCall = new Map<string, string>();
      for (const p of SIM.payloads) {
        const pl = p.payload as { hook_event_name?: string; tool_use_id?: string; tool_input?: { file_path?: unknown } };
        if (pl.hook_event_name === 'PreToolUse' && typeof pl.tool_input?.file_path === 'string') pathByCall.set(pl.tool_use_id!, pl.tool_input.file_path);
      }
      const { run, text } = cli(store);
      await run('--format', 'ocel');
      const log = checkOcel(text());
      const events = new Map(log.events.map((e) => [e.id, e]));
      let checked = 0;
      for (const t of SIM_TRACES) {
        t.steps.forEach((s, i) => {
          const e = events.get(`${t.session_id}#${i}`)!;
          const fileRels = e.relationships.filter((r) => r.objectId.startsWith('file:'));
          const expected = s.tool_use_id === null ? undefined : pathByCall.get(s.tool_use_id);
          expect(fileRels.map((r) => r.objectId)).toEqual(expected === undefined ? [] : [`file:${expected}`]);
          if (expected !== undefined) {
            expect(fileRels[0]!.qualifier).toBe({ Read: 'reads', Write: 'writes', Edit: 'edits' }[s.activity]);
            checked++;
          }
        });
      }
      expect(checked).toBeGreaterThan(SIM_TRACES.length); // Read/Edit occur in most sessions
    } finally {
      store.close();
    }
  });

  it('rejects an unknown --format with a usage error that lists the formats', async () => {
    const { run } = cli(handStore());
    const err = await run('--format', 'mxml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe('unknown export format "mxml": expected one of xes, ocel, csv, jsonl');
  });

  it('accepts the format in any case, and fails clearly when the output folder is missing', async () => {
    const { run } = cli(handStore());
    const err = await run('--format', 'XES', '--out', path.join(TMP, 'no', 'such', 'dir', 'x.xes')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toMatch(/the folder .*no\/such\/dir does not exist/);
  });
});
