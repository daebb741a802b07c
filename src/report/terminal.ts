// The report for a terminal: what a person takes in within ten seconds. Pure: ReportData in, text out.
import type { SequentialPattern } from '../learn/types.js';
import type { ParallelPattern } from '../learn/parallel.js';
import type { ReportData } from './build-report.js';
import { readOffSentence } from './power.js';
import { ago, bar, duration, pct, points, sparkline, style, textTable, type Style } from './text-charts.js';

export interface TerminalOptions {
  /** ANSI colour (off for NO_COLOR and when stdout is not a terminal) */
  colour: boolean;
  /** columns available */
  width: number;
  /** activities shown */
  topActivities?: number;
  /** patterns shown per kind */
  topPatterns?: number;
}

const stamp = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function renderTerminal(data: ReportData, options: TerminalOptions): string {
  const s = style(options.colour);
  const width = Math.max(60, Math.min(options.width, 120));
  const now = Date.parse(data.generated_at);
  const out: string[] = [];
  const t = data.totals;
  const heading = (text: string) => out.push('', s.bold(text));

  const period = data.period ? `${data.period.first_day} → ${data.period.last_day}` : 'no sessions yet';
  out.push(`${s.bold('agentops-meta report')}  ${s.dim(`${t.sessions} sessions · ${period} · generated ${stamp(data.generated_at)} UTC`)}`);

  if (t.sessions === 0) {
    out.push('', 'No captured sessions yet. Install the hooks (`agentops-meta install --scope user`) and work as usual,', 'or try it on sample data: `agentops-meta demo`.');
    health(out, data, s, now);
    return `${out.join('\n')}\n`;
  }

  heading('Summary');
  const passColour = (x: number | null) => (x === null ? '-' : x >= 0.7 ? s.good(pct(x)) : x < 0.5 ? s.bad(pct(x)) : s.warn(pct(x)));
  const par = data.parallelism;
  out.push(
    textTable(
      ['', ''],
      [
        ['sessions', `${t.sessions}; ${t.known_sessions} ran tests, ${t.passed_sessions} ended green (${passColour(t.pass_rate)})`],
        ['steps', `${t.steps} tool calls of ${t.activities} activities; ${t.events} hook events stored`],
        ['test runs', `${t.test_runs}, ${t.test_runs_passed} passed (${pct(t.test_runs ? t.test_runs_passed / t.test_runs : null)})`],
        ['parallelism', par.saved_ms > 0 ? `saved ${duration(par.saved_ms)} of ${duration(par.busy_ms)} tool time (${pct(par.saved_share, 1)}) by running calls concurrently` : 'no concurrent calls seen'],
        ...history(data, s),
      ],
    )
      .split('\n')
      .slice(1)
      .join('\n'),
  );

  if (data.daily.length > 1) {
    heading('Sessions ending green, per day (7-day rolling)');
    const spark = sparkline(
      data.daily.map((d) => d.pass_rate_7d),
      Math.min(data.daily.length, width - 30),
    );
    const half = Math.floor(data.daily.length / 2);
    const pooled = (rows: typeof data.daily) => {
      const known = rows.reduce((a, r) => a + r.known, 0);
      return known ? rows.reduce((a, r) => a + r.passed, 0) / known : null;
    };
    const before = pooled(data.daily.slice(0, half));
    const after = pooled(data.daily.slice(half));
    const trend = before !== null && after !== null ? `first half ${pct(before)} → second half ${pct(after)}` : '';
    out.push(`  ${s.accent(spark)}  ${trend}`);
    const first = data.daily[0]!.day;
    const last = data.daily[data.daily.length - 1]!.day;
    out.push(s.dim(`  ${first}${' '.repeat(Math.max(1, spark.length - first.length - last.length))}${last}`));
    const runs = sparkline(
      data.daily.map((d) => d.test_pass_rate_7d),
      spark.length,
    );
    out.push(s.dim(`  ${runs}  test runs passing (7-day rolling)`));
  }

  heading('Most used');
  const top = data.activities.slice(0, options.topActivities ?? 10);
  const maxCalls = top[0]?.calls ?? 0;
  const barWidth = Math.max(8, Math.min(30, width - 70));
  out.push(
    textTable(
      ['activity', 'calls', 'sessions', 'errors', 'green', ''],
      top.map((a) => [a.activity, String(a.calls), String(a.sessions), a.errors ? s.warn(pct(a.error_rate)) : '0%', pct(a.pass_rate), s.accent(bar(a.calls, maxCalls, barWidth))]),
      ['left', 'right', 'right', 'right', 'right', 'left'],
    ),
  );
  if (data.activities.length > top.length) out.push(s.dim(`  … and ${data.activities.length - top.length} more (agentops-meta report --json)`));

  patterns(out, data, s, options.topPatterns ?? 5);

  const evalPoint = data.evaluations[data.evaluations.length - 1];
  if (evalPoint) {
    heading('Learning evaluation');
    out.push(
      `  next step predicted right ${pct(evalPoint.model.top1)} of the time (top 3: ${pct(evalPoint.model.top3)}); ` +
        `one-step Markov ${pct(evalPoint.markov1.top1)}, most frequent ${pct(evalPoint.most_frequent.top1)}`,
    );
    const checked = evalPoint.patterns_checked > 0
      ? `${evalPoint.patterns_held} of ${evalPoint.patterns_checked} patterns held on the ${evalPoint.test_sessions} newest sessions`
      : `next-activity prediction on the ${evalPoint.test_sessions} newest sessions (patterns are validated on later sessions)`;
    out.push(`  ${checked} ${s.dim(evalPoint.sha ? `(commit ${evalPoint.sha.slice(0, 8)}, ${stamp(evalPoint.at)})` : '(current data; not committed yet)')}`);
  }

  if (data.catalog) {
    const rows = data.catalog.rows.filter((r) => r.installed);
    if (rows.length) {
      heading('Installed');
      const kinds = ['plugin', 'agent', 'skill', 'command', 'mcp'] as const;
      const label = { plugin: 'plugin', agent: 'agent', skill: 'skill', command: 'command', mcp: 'MCP server' };
      const parts = kinds
        .map((k) => {
          const of = rows.filter((r) => r.kind === k);
          const unused = of.filter((r) => r.usage.calls === 0).length;
          return of.length ? `${of.length} ${label[k]}${of.length === 1 ? '' : 's'}${unused ? s.dim(` (${unused} never used)`) : ''}` : null;
        })
        .filter((x): x is string => x !== null);
      out.push(`  ${parts.join(', ')}  ${s.dim('→ agentops-meta catalog')}`);
    }
  }

  health(out, data, s, now);
  return `${out.join('\n')}\n`;
}

/** What simulated worlds of the user's size got: one row, or none without the benchmark's file. */
function history(data: ReportData, s: Style): string[][] {
  const sentence = data.power ? readOffSentence(data.power) : null;
  return sentence ? [['history', `${sentence} ${s.dim('(see report --html)')}`]] : [];
}

function evidenceLine(p: Pick<SequentialPattern, 'sessions' | 'known' | 'passed' | 'pass_rate' | 'baseline' | 'bound'>, s: Style, anti: boolean): string {
  const bound = p.bound === null ? '' : anti ? `, uplift at most ${points(p.bound)} (95%)` : `, uplift at least ${points(p.bound)} (95%)`;
  const rate = p.pass_rate === null ? '' : anti ? s.bad(pct(p.pass_rate)) : s.good(pct(p.pass_rate));
  return `in ${p.sessions} sessions: green after it in ${p.passed} of ${p.known} (${rate}) vs ${pct(p.baseline)} without${bound}`;
}

function parallelLine(p: ParallelPattern, s: Style): string {
  const kind = p.kind === 'observed' ? 'run concurrently' : p.kind === 'order-independent' ? 'either order' : 'close together, any order';
  const better = p.pass_rate !== null && p.baseline !== null && p.pass_rate >= p.baseline;
  return `${kind} in ${p.sessions} sessions: ${(better ? s.good : s.bad)(pct(p.pass_rate))} green vs ${pct(p.baseline)}${p.saved_ms > 0 ? `; saved ${duration(p.saved_ms)}` : ''}`;
}

function patterns(out: string[], data: ReportData, s: Style, top: number): void {
  const p = data.patterns;
  out.push('', s.bold('Patterns') + (p?.learned_at ? s.dim(`  (learned ${stamp(p.learned_at)})`) : ''));
  if (!p) {
    out.push('  no learning run yet: run `agentops-meta learn`');
    return;
  }
  if (!p.sequential.length && !p.parallel.length && !p.anti.length) {
    out.push(`  none meets the evidence bar yet${p.stats ? ` (a pattern needs ${p.stats.min_support_used} sessions)` : ''}`);
    return;
  }
  const list = <T>(title: string, items: T[], name: (x: T) => string, line: (x: T) => string) => {
    if (!items.length) return;
    out.push(`  ${s.dim(title)}`);
    items.slice(0, top).forEach((x, i) => out.push(`  ${i + 1}. ${s.bold(name(x))}`, `     ${line(x)}`));
  };
  list('go with passing tests', p.sequential, (x) => x.steps.join(' → '), (x) => evidenceLine(x, s, false));
  list('worth running in parallel', p.parallel, (x) => x.members.join(' + '), (x) => parallelLine(x, s));
  list('anti-patterns: go with failing tests', p.anti, (x) => x.steps.join(' → '), (x) => evidenceLine(x, s, true));
}

function health(out: string[], data: ReportData, s: Style, now: number): void {
  const h = data.health;
  out.push('', s.bold('Capture health'));
  const ok = (good: boolean) => (good ? s.good('✓') : s.warn('!'));
  const oldest = h.oldest_pending_ms === null ? '' : `, oldest ${ago(h.oldest_pending_ms, now)}`;
  out.push(`  ${ok(h.pending_spool === 0 || (h.oldest_pending_ms !== null && now - h.oldest_pending_ms < 3_600_000))} spool: ${h.pending_spool} payloads waiting${oldest}${h.partial_writes ? `, ${h.partial_writes} partial writes` : ''}`);
  out.push(`  ${ok(h.quarantined === 0)} quarantine: ${h.quarantined} payloads could not be read`);
  const when = (iso: string | null) => (iso ? `${stamp(iso)} (${ago(Date.parse(iso), now)})` : 'never');
  out.push(`  ${ok(h.last_ingest !== null)} last ingest ${when(h.last_ingest)}; last learn ${when(h.last_learn)}`);
  const l = data.latency;
  if (l) {
    out.push(
      `  ${ok(l.ratio <= 0.5)} capture hook ${l.capture_ms.toFixed(1)} ms vs ${l.node_ms.toFixed(1)} ms for \`node -e 0\` (${l.ratio.toFixed(2)}×), median of ${l.runs}, measured by ${l.source} ${stamp(l.measured_at)}`,
    );
  }
}
