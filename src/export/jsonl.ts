// JSON Lines: one step per line, for jq, pandas (read_json(lines=True)) and DuckDB. Pure.
// Fields: session_id, activity, start, end (ISO 8601 UTC with ms), start_ms, end_ms, duration_ms,
// outcome, agent (subagent type, null on the main thread), tool_use_id, test_passed (null when the
// step ran no tests), test ({runner, passed, counts} as recognised in the output, or null).
import { durationMs, isoTime, testPassedOf, type ExportWriter } from './common.js';

export function jsonlWriter(): ExportWriter {
  return {
    header: () => '',
    session: ({ trace }) =>
      trace.steps
        .map(
          (s) =>
            `${JSON.stringify({
              session_id: trace.session_id,
              activity: s.activity,
              start: isoTime(s.start_ms),
              end: isoTime(s.end_ms),
              start_ms: s.start_ms,
              end_ms: s.end_ms,
              duration_ms: durationMs(s),
              outcome: s.outcome,
              agent: s.agent,
              tool_use_id: s.tool_use_id,
              test_passed: testPassedOf(s),
              test: s.test,
            })}\n`,
        )
        .join(''),
    footer: () => '',
  };
}
