// XES (IEEE Std 1849-2016) event log of the sessions, for ProM, PM4Py, Disco, Celonis. Pure.
//
// Layout (valid against src/export/schema/xes.xsd):
// - one <trace> per session: concept:name = session id; project, tests_passed (the session's last
//   test run, omitted when it ran none), stop_failures, interrupts;
// - two <event>s per step, lifecycle:transition "start" at start_ms and "complete" at end_ms, sharing
//   concept:name (the activity, e.g. "Bash:test") and concept:instance (the step's index in the
//   session), so tools can pair them and see durations and overlap (concurrent Grep + Glob, parallel
//   subagents). org:resource = the subagent type the step ran in, or "main".
// - both events carry outcome (ok | error | interrupted | blocked | denied) and, on test runs,
//   test_passed and test_runner; the complete event adds duration_ms. Blocked and zero-length steps
//   (slash commands) still get a start/complete pair, at the same instant.
// - Events in a trace are in time order. At equal timestamps: completions of steps that took time
//   first, then starts (each zero-length step's completion right after its start), so a step that
//   ends when the next begins is not shown as overlapping it.
// - No XML namespace (the IEEE schema has none); xes.version is the decimal "2.0" the schema allows.
// Custom attribute keys carry no prefix: a prefix would claim an extension we do not declare.
import type { Step } from '../core/types.js';
import { durationMs, isoTime, resourceOf, sessionTestsPassed, testPassedOf, type ExportWriter } from './common.js';

const EXTENSIONS: readonly { name: string; prefix: string; uri: string }[] = [
  { name: 'Concept', prefix: 'concept', uri: 'http://www.xes-standard.org/concept.xesext' },
  { name: 'Time', prefix: 'time', uri: 'http://www.xes-standard.org/time.xesext' },
  { name: 'Lifecycle', prefix: 'lifecycle', uri: 'http://www.xes-standard.org/lifecycle.xesext' },
  { name: 'Organizational', prefix: 'org', uri: 'http://www.xes-standard.org/org.xesext' },
];

const HEADER = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<!-- agentops-meta export: Claude Code sessions as an XES event log (IEEE Std 1849-2016).',
  '     One trace per session, a start and a complete event per step. -->',
  '<log xes.version="2.0">',
  ...EXTENSIONS.map((e) => `  <extension name="${e.name}" prefix="${e.prefix}" uri="${e.uri}"/>`),
  // Globals: attributes every trace / event has, with their defaults. Classifier keys must be among them.
  '  <global scope="trace">',
  '    <string key="concept:name" value="UNKNOWN"/>',
  '  </global>',
  '  <global scope="event">',
  '    <string key="concept:name" value="UNKNOWN"/>',
  '    <string key="concept:instance" value="0"/>',
  '    <string key="lifecycle:transition" value="complete"/>',
  '    <date key="time:timestamp" value="1970-01-01T00:00:00.000Z"/>',
  '    <string key="org:resource" value="main"/>',
  '    <string key="outcome" value="ok"/>',
  '  </global>',
  '  <classifier name="Activity" scope="event" keys="concept:name"/>',
  '  <classifier name="ActivityLifecycle" scope="event" keys="concept:name lifecycle:transition"/>',
  '  <classifier name="Resource" scope="event" keys="org:resource"/>',
  '  <string key="concept:name" value="agentops-meta sessions"/>',
  '',
].join('\n');

export function xesWriter(): ExportWriter {
  return {
    header: () => HEADER,
    session: ({ trace }) => {
      const lines: string[] = ['  <trace>', attr('    ', 'string', 'concept:name', trace.session_id)];
      if (trace.project !== null) lines.push(attr('    ', 'string', 'project', trace.project));
      const passed = sessionTestsPassed(trace);
      if (passed !== null) lines.push(attr('    ', 'boolean', 'tests_passed', String(passed)));
      lines.push(attr('    ', 'int', 'stop_failures', String(trace.stop_failures)));
      lines.push(attr('    ', 'int', 'interrupts', String(trace.interrupts)));
      for (const e of lifecycleEvents(trace.steps)) lines.push(...eventLines(trace.steps[e.step]!, e));
      lines.push('  </trace>', '');
      return lines.join('\n');
    },
    footer: () => '</log>\n',
  };
}

interface LifecycleEvent {
  step: number;
  transition: 'start' | 'complete';
  ms: number;
}

/**
 * The start and complete event of every step, in time order; ties by step index, then start before
 * complete. Steps are in start order (a SessionTrace invariant), so at one instant a step that took
 * time and ends there has a lower index than any step starting there: completions come first, and a
 * zero-length step's start and completion stay adjacent.
 */
export function lifecycleEvents(steps: readonly Step[]): LifecycleEvent[] {
  const out: LifecycleEvent[] = [];
  steps.forEach((s, i) => {
    out.push({ step: i, transition: 'start', ms: s.start_ms });
    out.push({ step: i, transition: 'complete', ms: s.end_ms });
  });
  return out.sort((a, b) => a.ms - b.ms || a.step - b.step || (a.transition === 'start' ? -1 : 1));
}

function eventLines(step: Step, e: LifecycleEvent): string[] {
  const ind = '      ';
  const lines = [
    '    <event>',
    attr(ind, 'string', 'concept:name', step.activity),
    attr(ind, 'string', 'concept:instance', String(e.step)),
    attr(ind, 'string', 'lifecycle:transition', e.transition),
    attr(ind, 'date', 'time:timestamp', isoTime(e.ms)),
    attr(ind, 'string', 'org:resource', resourceOf(step)),
    attr(ind, 'string', 'outcome', step.outcome),
  ];
  const passed = testPassedOf(step);
  if (passed !== null) lines.push(attr(ind, 'boolean', 'test_passed', String(passed)));
  if (step.test) lines.push(attr(ind, 'string', 'test_runner', step.test.runner));
  if (e.transition === 'complete') lines.push(attr(ind, 'int', 'duration_ms', String(durationMs(step))));
  lines.push('    </event>');
  return lines;
}

function attr(indent: string, type: 'string' | 'date' | 'int' | 'boolean', key: string, value: string): string {
  return `${indent}<${type} key="${key}" value="${xmlAttr(value)}"/>`;
}

// Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, unpaired
// surrogates): replaced by U+FFFD so one odd byte in a stored value cannot make the whole log unreadable.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for a double-quoted XML attribute; tab, LF and CR as character references so they survive attribute-value normalisation. */
export function xmlAttr(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/[&<>"\t\n\r]/g, (c) => XML_ESCAPES[c]!);
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
