import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../src/cli/cli-context.js';
import { loadQuality, registerReportCommands, shippedQualityFile, useColour } from '../src/cli/report-commands.js';
import type { Catalog } from '../src/catalog/types.js';
import { ingestSpool } from '../src/ingest/ingest.js';
import { parallelismSaved } from '../src/learn/parallel.js';
import { buildReport, dayRange, evalPoint, type ReportData, type ReportInput } from '../src/report/build-report.js';
import { DFG_END, DFG_START, directlyFollows } from '../src/report/dfg.js';
import { layoutDfg } from '../src/report/dfg-layout.js';
import { renderHtml } from '../src/report/html.js';
import { ADVICE_SERIES, ADVICE_TITLE, advicePanelData } from '../src/report/advice-panel.js';
import { POWER_SERIES, POWER_TITLE } from '../src/report/power-card.js';
import type { Injection } from '../src/learn/advice-effect.js';
import { powerCurve, readOff, type QualityDoc } from '../src/report/power.js';
import { renderTerminal } from '../src/report/terminal.js';
import { bar, duration, sparkline, textTable, visibleWidth } from '../src/report/text-charts.js';
import { usageIndex, usageOf } from '../src/report/usage.js';
import { dataPaths } from '../src/shell/paths.js';
import { simulateBoth } from '../src/sim/simulate.js';
import { openMemoryStore } from '../src/store/memory.js';
import { trace } from './learn-helpers.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 10);

/** Hand-made metrics/quality.json: default and null worlds at 100/200/400/1000 sessions, two harder kinds. */
const QUALITY_FIXTURE = path.join(import.meta.dirname, 'fixtures', 'quality', 'quality.json');
const quality = JSON.parse(fs.readFileSync(QUALITY_FIXTURE, 'utf8')) as QualityDoc;

const health = { pending_spool: 0, oldest_pending_ms: null, partial_writes: 0, quarantined: 0, last_ingest: null, last_learn: null };

function input(partial: Partial<ReportInput>): ReportInput {
  return { traces: [], testRuns: [], events: 0, learned: null, health, latency: null, catalog: null, evaluations: [], now: T0 + 10 * DAY, ...partial };
}

describe('usage', () => {
  it('counts a set of activities over the union of their sessions', () => {
    const traces = [trace('a', ['Read', 'Grep', 'Read', 'pass']), trace('b', ['Grep', 'fail']), trace('c', ['Read'])];
    const index = usageIndex(traces);
    // Read: 2 calls in a (green), 1 in c (no tests).
    expect(usageOf(index, ['Read'])).toMatchObject({ calls: 3, sessions: 2, known_sessions: 1, passed_sessions: 1, pass_rate: 1 });
    // Read or Grep: a, b, c; a green, b red, c unknown. Each session once, however many activities it used.
    expect(usageOf(index, ['Read', 'Grep', 'Read'])).toMatchObject({ calls: 5, sessions: 3, known_sessions: 2, passed_sessions: 1, pass_rate: 0.5 });
    expect(usageOf(index, ['Nothing'])).toMatchObject({ calls: 0, sessions: 0, pass_rate: null, error_rate: null, last_used_ms: null });
  });
});

describe('buildReport', () => {
  it('fills every day, counts sessions by start day, and pools the rolling rate', () => {
    const traces = [trace('s1', ['Read', 'pass'], T0), trace('s2', ['Edit', 'fail'], T0 + 3_600_000), trace('s3', ['Read', 'pass'], T0 + 2 * DAY), trace('s4', ['Grep'], T0 + 2 * DAY + 60_000)];
    const testRuns = [
      { ts_ms: T0, passed: true },
      { ts_ms: T0 + DAY + 5, passed: false },
      { ts_ms: T0 + DAY + 9, passed: true },
    ];
    const r = buildReport(input({ traces, testRuns, events: 99 }));
    expect(r.daily.map((d) => d.day)).toEqual(['2026-01-05', '2026-01-06', '2026-01-07']);
    expect(r.daily.map((d) => [d.sessions, d.known, d.passed, d.pass_rate])).toEqual([
      [2, 2, 1, 0.5],
      [0, 0, 0, null],
      [2, 1, 1, 1],
    ]);
    // Rolling: day 2 has no sessions of its own and keeps day 1's rate; day 3 pools 2 of 3.
    expect(r.daily.map((d) => d.pass_rate_7d)).toEqual([0.5, 0.5, 2 / 3]);
    expect(r.daily.map((d) => [d.test_runs, d.test_runs_passed])).toEqual([
      [1, 1],
      [2, 1],
      [0, 0],
    ]);
    expect(r.totals).toEqual({ events: 99, sessions: 4, steps: 7, activities: 4, test_runs: 3, test_runs_passed: 2, known_sessions: 3, passed_sessions: 2, pass_rate: 2 / 3 });
    expect(r.period).toEqual({ first_day: '2026-01-05', last_day: '2026-01-07' });
    expect(r.activity_daily.series.find((s) => s.activity === 'Read')!.counts).toEqual([1, 0, 1]);
  });

  it('uses the day function it is given, and caps the number of days', () => {
    expect(dayRange(T0, T0 + 4 * DAY, (ms) => new Date(ms).toISOString().slice(0, 10), 3)).toEqual(['2026-01-07', '2026-01-08', '2026-01-09']);
    // A day function 12 h ahead of UTC moves 10:00 and 20:00 UTC onto different days.
    const ahead = (ms: number) => new Date(ms + 12 * 3_600_000).toISOString().slice(0, 10);
    expect(dayRange(T0, T0 + 10 * 3_600_000, ahead, 90)).toEqual(['2026-01-05', '2026-01-06']);
  });

  it('reports an empty store without failing', () => {
    const r = buildReport(input({}));
    expect(r.totals.sessions).toBe(0);
    expect(r.daily).toEqual([]);
    expect(r.period).toBeNull();
    expect(renderTerminal(r, { colour: false, width: 80 })).toContain('No captured sessions yet');
    expect(renderHtml(r)).toContain('No sessions yet.');
  });

  it('reads committed evaluations and rejects other shapes', () => {
    const acc = { top1: 0.4, top3: 0.7 };
    const json = { train_sessions: 30, test_sessions: 10, next_activity: { prefixes: 50, model: acc, markov1: acc, most_frequent: acc }, patterns: [{ holds: true }, { holds: false }] };
    expect(evalPoint(json, '2026-01-01T00:00:00Z', 'abc')).toMatchObject({ sha: 'abc', test_sessions: 10, patterns_checked: 2, patterns_held: 1, model: acc });
    expect(evalPoint({ holdout: { sessions: 3 } }, 'x', null)).toBeNull();
  });
});

describe('directlyFollows', () => {
  const traces = [trace('a', ['Read', 'Edit', 'pass']), trace('b', ['Read', 'Edit', 'Edit', 'fail']), trace('c', ['Grep'])];
  // A subagent's own call is inside its Agent step: not on the main thread.
  traces[0]!.steps.push({ ...traces[0]!.steps[0]!, activity: 'Glob', agent: 'Explore' });

  it('counts consecutive main-thread steps, with start and end', () => {
    const g = directlyFollows(traces);
    const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to)?.count;
    expect(edge(DFG_START, 'Read')).toBe(2);
    expect(edge('Read', 'Edit')).toBe(2);
    expect(edge('Edit', 'Edit')).toBe(1);
    expect(edge('Edit', 'Bash:test')).toBe(2);
    expect(edge('Bash:test', DFG_END)).toBe(2);
    expect(edge('Grep', DFG_END)).toBe(1);
    expect(g.nodes.find((n) => n.id === 'Edit')?.count).toBe(3);
    expect(g.nodes.some((n) => n.id === 'Glob')).toBe(false);
    expect(g.total_edges).toBe(7);
  });

  it('cuts to the most frequent activities but keeps each kept node connected', () => {
    const g = directlyFollows(traces, { maxNodes: 3, maxEdges: 2 });
    expect(g.nodes.map((n) => n.id)).toEqual([DFG_START, 'Edit', 'Bash:test', 'Read', DFG_END]);
    // Two heaviest edges, plus the heaviest in- and out-edge of every kept node: the four count-2 edges.
    expect(g.edges.map((e) => `${e.from}>${e.to}:${e.count}`).sort()).toEqual(['Bash:test>■ end:2', 'Edit>Bash:test:2', 'Read>Edit:2', '▶ start>Read:2']);
  });
});

describe('layoutDfg', () => {
  const { traces } = simulateBoth({ seed: 7, sessions: 40, start_ms: T0 });

  it('lays out the simulated graph in layers with no overlapping nodes and edges attached to their nodes', () => {
    const dfg = directlyFollows(traces);
    const layout = layoutDfg(dfg);
    expect(layout.nodes.map((n) => n.id)).toEqual(dfg.nodes.map((n) => n.id));
    const start = layout.nodes.find((n) => n.id === DFG_START)!;
    const end = layout.nodes.find((n) => n.id === DFG_END)!;
    expect(start.layer).toBe(0);
    expect(Math.max(...layout.nodes.map((n) => n.layer))).toBe(end.layer);
    expect(layout.nodes.filter((n) => n.layer === end.layer)).toHaveLength(1);
    for (const a of layout.nodes) {
      expect(a.x - a.w / 2).toBeGreaterThanOrEqual(0);
      expect(a.x + a.w / 2).toBeLessThanOrEqual(layout.width);
      expect(a.y + a.h / 2).toBeLessThanOrEqual(layout.height);
      for (const b of layout.nodes) {
        if (a === b || a.layer !== b.layer) continue;
        expect(Math.abs(a.x - b.x)).toBeGreaterThanOrEqual((a.w + b.w) / 2);
      }
    }
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    expect(layout.edges).toHaveLength(dfg.edges.length);
    for (const e of layout.edges) {
      const from = byId.get(e.from)!;
      const to = byId.get(e.to)!;
      const first = e.points[0]!;
      const last = e.points[e.points.length - 1]!;
      if (e.self) continue;
      // Forward edges leave the bottom of the upper node and enter the top of the lower one.
      if (!e.back) {
        expect(first.y).toBeCloseTo(from.y + from.h / 2);
        expect(last.y).toBeCloseTo(to.y - to.h / 2);
        expect(to.layer).toBeGreaterThan(from.layer);
      } else {
        expect(first.y).toBeCloseTo(from.y - from.h / 2);
        expect(last.y).toBeCloseTo(to.y + to.h / 2);
        expect(to.layer).toBeLessThan(from.layer);
      }
      expect(Math.abs(first.x - from.x)).toBeLessThanOrEqual(from.w / 2);
      expect(Math.abs(last.x - to.x)).toBeLessThanOrEqual(to.w / 2);
      // One point per layer crossed.
      expect(e.points).toHaveLength(Math.abs(to.layer - from.layer) + 1);
    }
  });

  it('breaks cycles by drawing the closing edge back up', () => {
    const g = directlyFollows([trace('a', ['Read', 'Edit', 'Read', 'Edit', 'pass'])]);
    const layout = layoutDfg(g);
    const back = layout.edges.filter((e) => e.back).map((e) => `${e.from}>${e.to}`);
    expect(back).toEqual(['Edit>Read']);
  });
});

describe('text charts', () => {
  it('draws sparklines, bars and colour-aware tables', () => {
    expect(sparkline([0, 0.5, 1, null])).toBe('▁▅█ ');
    expect(sparkline([0, 0, 1, 1], 2)).toBe('▁█');
    expect(bar(10, 10, 4)).toBe('████');
    expect(bar(1, 16, 4)).toBe('▎');
    expect(bar(0, 10, 4)).toBe('');
    expect(visibleWidth('\u001b[32mok\u001b[39m')).toBe(2);
    expect(textTable(['a', 'n'], [['\u001b[1mx\u001b[22m', '5'], ['yy', '10']], ['left', 'right'], '')).toBe('a    n\n\u001b[1mx\u001b[22m    5\nyy  10');
    expect([950, 12_300, 119_999, 3_600_000 * 2 + 60_000 * 10].map(duration)).toEqual(['950 ms', '12.3 s', '2 min 00 s', '2 h 10 min']);
  });
});

describe('rendering the simulated corpus', () => {
  const { traces, truth } = simulateBoth({ seed: 11, sessions: 30, start_ms: T0, days: 12 });
  const testRuns = traces.flatMap((t) => t.steps.filter((s) => s.test).map((s) => ({ ts_ms: s.start_ms, passed: s.test!.passed })));
  const catalog: Catalog = {
    rows: [
      {
        kind: 'agent',
        name: '<img src=x onerror=alert(1)>',
        activity: 'Agent:<b>',
        description: 'desc with </td> & "quotes"',
        source: 'user',
        plugin: null,
        path: null,
        enabled: null,
        version: null,
        installed: true,
        builtin: false,
        usage: { calls: 0, sessions: 0, errors: 0, error_rate: null, known_sessions: 0, passed_sessions: 0, pass_rate: null, last_used_ms: null },
        patterns: [],
      },
    ],
    marketplaces: [],
    warnings: [],
  };
  const data: ReportData = buildReport(input({ traces, testRuns, events: 1234, catalog, latency: { measured_at: '2026-01-20T00:00:00.000Z', source: 'doctor', runs: 15, capture_ms: 3, node_ms: 40, ratio: 0.075 } }));

  it('agrees with the simulation truth on session outcomes and parallelism', () => {
    const known = truth.sessions.filter((s) => s.passed !== null);
    expect(data.totals.known_sessions).toBe(known.length);
    expect(data.totals.passed_sessions).toBe(known.filter((s) => s.passed).length);
    expect(data.daily.reduce((a, d) => a + d.sessions, 0)).toBe(30);
    expect(data.parallelism.saved_ms).toBe(parallelismSaved(traces).saved_ms);
    expect(data.parallelism.saved_ms).toBeGreaterThan(0); // the simulator plants concurrent calls
  });

  it('prints plain text without colour and coloured text with it', () => {
    const plain = renderTerminal(data, { colour: false, width: 100 });
    expect(plain).not.toContain('\u001b[');
    expect(plain).toContain(`${data.totals.sessions} sessions`);
    expect(plain).toContain('capture hook 3.0 ms vs 40.0 ms');
    expect(plain).toMatch(/Edit\s+\d+/);
    expect(plain).toContain('1 agent (1 never used)');
    expect(renderTerminal(data, { colour: true, width: 100 })).toContain('\u001b[1m');
  });

  it('writes one self-contained HTML page with escaped data', () => {
    const html = renderHtml(data);
    expect(html).toContain('Content-Security-Policy');
    expect(html).toContain("default-src 'none'");
    // Nothing is fetched: no src/href attributes and no url() at all, only the SVG namespace URI.
    expect(html).not.toMatch(/\s(src|href)\s*=\s*["']/i);
    expect(html).not.toMatch(/url\((?!#)/);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('desc with &lt;/td&gt; &amp; &quot;quotes&quot;');
    for (const chart of ['pass-rate', 'activity-heatmap', 'dfg']) expect(html).toContain(`data-chart="${chart}"`);
    // One node group per graph node.
    expect(html.match(/<g class="node"/g)).toHaveLength(data.dfg.nodes.length);
  });
});

describe('the power curve (simulated worlds, metrics/quality.json)', () => {
  /** `n` sessions that each ran one passing test. */
  const sessions = (n: number) => Array.from({ length: n }, (_, i) => trace(`p${i}`, ['Read', 'pass'], T0 + i * 60_000));
  /** The x of the point a series drew at a label, from its hover title. */
  const pointX = (html: string, label: string, series: string) => {
    const m = html.match(new RegExp(`<circle cx="([\\d.]+)"[^>]*><title>${label} · ${series.replace(/[()]/g, '\\$&')}: `));
    expect(m, `${label} · ${series}`).not.toBeNull();
    return Number(m![1]);
  };

  it('takes the default worlds for two lines and the null worlds for the false alarms; the other kinds go to the table', () => {
    const c = powerCurve(quality, 0)!;
    expect(c.sessions).toEqual([100, 200, 400, 1000]);
    expect(c.good_top3).toEqual([0.3, 0.7, 0.9, 1]);
    expect(c.anti_flagged).toEqual([0.2, 0.6, 0.8, 1]);
    // Null worlds' any_report, not the default worlds' (those report something nearly always).
    expect(c.false_alarm).toEqual([0.1, 0.05, 0, 0]);
    expect(c.harder.map((r) => `${r.kind}@${r.sessions}`)).toEqual(['rare recipes (15% / 10% of episodes)@400', 'small effects (75% / 35% vs 55%)@1000']);
    expect(c.worlds).toBe(10);
    expect(c.you).toBeNull(); // no sessions: nothing to mark
    // A size only the null worlds ran is a gap in the default lines.
    const gappy = powerCurve({ ...quality, settings: quality.settings.filter((r) => !(r.kind === 'default' && r.sessions === 1000)) }, 10)!;
    expect(gappy.good_top3).toEqual([0.3, 0.7, 0.9, null]);
    expect(powerCurve({ ...quality, settings: quality.settings.filter((r) => r.kind !== 'default' && r.kind !== 'null') }, 10)).toBeNull();
  });

  it("reads the user's session count off the curve, on log(sessions), and never extrapolates", () => {
    const c = powerCurve(quality, 0)!;
    const at300 = readOff(c, 300);
    const f = Math.log(1.5) / Math.log(2);
    expect(at300).toMatchObject({ where: 'within', sessions: 300 });
    expect(at300.at).toBeCloseTo(1 + f, 10);
    expect(at300.good_top3).toBeCloseTo(0.7 + 0.2 * f, 10);
    expect(at300.false_alarm).toBeCloseTo(0.05 - 0.05 * f, 10);
    expect(readOff(c, 400)).toMatchObject({ where: 'within', at: 2, good_top3: 0.9, anti_flagged: 0.8, false_alarm: 0 });
    expect(readOff(c, 100)).toMatchObject({ where: 'within', at: 0, good_top3: 0.3 });
    expect(readOff(c, 40)).toMatchObject({ where: 'below', at: 0, good_top3: 0.3, anti_flagged: 0.2, false_alarm: 0.1 });
    expect(readOff(c, 5000)).toMatchObject({ where: 'above', at: 3, good_top3: 1, false_alarm: 0 });
  });

  it("draws the panel: three series, the user's marker between 200 and 400 sessions, the harder kinds, a plain caption", () => {
    const data = buildReport(input({ traces: sessions(300), quality }));
    expect(data.power?.you?.sessions).toBe(300);
    const html = renderHtml(data);
    expect(html).toContain(`<section class="card wide" id="power"><h2>${POWER_TITLE}</h2>`);
    expect(html).toContain('data-chart="power-curve"');
    const chart = html.slice(html.indexOf('data-chart="power-curve"'), html.indexOf('</svg>', html.indexOf('data-chart="power-curve"')));
    for (const s of Object.values(POWER_SERIES)) expect(chart).toContain(`<path data-series="${s.name}"`);
    expect(chart.match(/<path data-series=/g)).toHaveLength(3);
    expect(chart).toContain('<title>400 · good recipe named (top 3): 90%</title>');
    expect(chart).toContain('<title>200 · anti recipe flagged: 60%</title>');
    expect(chart).toContain('<title>100 · null worlds with any report (false alarms): 10%</title>');
    expect(chart).toContain('>sessions in the simulated history</text>');
    // The marker: a vertical line where 300 falls, on the same log scale the read-off uses.
    const marker = chart.match(/<g class="marker" data-marker="you: 300 sessions"><line x1="([\d.]+)" x2="([\d.]+)"/);
    expect(marker).not.toBeNull();
    const x200 = pointX(chart, '200', POWER_SERIES.good.name);
    const x400 = pointX(chart, '400', POWER_SERIES.good.name);
    expect(Number(marker![1])).toBeCloseTo(x200 + (x400 - x200) * (Math.log(1.5) / Math.log(2)), 0);
    expect(html).toContain('<b>Your data:</b> with 300 sessions, simulated worlds name the planted recipe in ~82%, flag the anti recipe in ~72%, false alarms ~2%.');
    const harder = html.slice(html.indexOf('data-table="power-harder"'), html.indexOf('</table>', html.indexOf('data-table="power-harder"')));
    expect(harder).toContain('<td>rare recipes<div class="small">15% / 10% of episodes</div></td><td class="num">400</td><td class="num">60%</td><td class="num">40%</td>');
    expect(harder).toContain('<td>small effects<div class="small">75% / 35% vs 55%</div></td><td class="num">1000</td><td class="num">80%</td>');
    expect(html).toContain('Simulated worlds, not your sessions');
    expect(html).toContain('<code>src/sim/worlds.ts</code>');
    expect(html).toContain('<code>npm run bench -- quality</code>');
    expect(html).toContain('the 10 worlds of each size');
  });

  it('marks a user below or above the simulated sizes at the end, and says so', () => {
    const few = renderHtml(buildReport(input({ traces: sessions(24), quality })));
    expect(few).toContain('data-marker="← you: 24 sessions"');
    expect(few).toContain('with 24 sessions, fewer than the smallest simulated worlds (100 sessions, which name the planted recipe in 30%');
    const chart = few.slice(few.indexOf('data-chart="power-curve"'));
    expect(Number(chart.match(/data-marker="[^"]*"><line x1="([\d.]+)"/)![1])).toBeCloseTo(pointX(chart, '100', POWER_SERIES.good.name), 1);
    const many = renderHtml(buildReport(input({ traces: sessions(1500), quality })));
    expect(many).toContain('data-marker="you: 1500 sessions →"');
    expect(many).toContain('with 1500 sessions, more than the largest simulated worlds (1000 sessions, which name the planted recipe in 100%, flag the anti recipe in 100%, false alarms 0%)');
    const right = many.slice(many.indexOf('data-chart="power-curve"'));
    expect(Number(right.match(/data-marker="[^"]*"><line x1="([\d.]+)"/)![1])).toBeCloseTo(pointX(right, '1000', POWER_SERIES.good.name), 1);
  });

  it("leaves the panel out without the benchmark, with the shell's one-line note in the footer", () => {
    const none = renderHtml(buildReport(input({ traces: sessions(5) })));
    expect(none).not.toContain(POWER_TITLE);
    expect(none).not.toContain('data-chart="power-curve"');
    const noted = renderHtml(buildReport(input({ traces: sessions(5), quality_note: 'no power curve in the report: /x/metrics/quality.json is missing' })));
    expect(noted).not.toContain(POWER_TITLE);
    expect(noted).toMatch(/<footer>[^]*no power curve in the report: \/x\/metrics\/quality\.json is missing<\/footer>/);
  });

  it('gives the terminal summary one history line, and none without the benchmark', () => {
    const text = renderTerminal(buildReport(input({ traces: sessions(400), quality })), { colour: false, width: 120 });
    expect(text).toMatch(/\n {2}history +with 400 sessions, simulated worlds name the planted recipe in 90%, flag the anti recipe in 80%, false alarms 0% \(see report --html\)$/m);
    expect(renderTerminal(buildReport(input({ traces: sessions(400) })), { colour: false, width: 120 })).not.toContain('history');
  });
});

describe('the panel "Did the advice help?" (told vs holdout sessions)', () => {
  const inj = (session_id: string, holdout: boolean, ids: string[], ts_ms = T0): Injection => ({ session_id, ts_ms, hook: 'SessionStart', holdout, ids });
  const ID = 'sequence:Read>Edit';

  it('counts told and holdout sessions by start day, pools 7 days, and leaves out sessions told nothing or without tests', () => {
    const traces = [
      trace('t1', ['Read', 'Edit', 'pass'], T0),
      trace('t2', ['Edit', 'fail'], T0 + 60_000),
      trace('h1', ['Grep', 'fail'], T0 + 120_000),
      trace('t3', ['Read', 'Edit', 'pass'], T0 + 2 * DAY),
      trace('h2', ['Grep', 'pass'], T0 + 2 * DAY),
      trace('n1', ['Grep', 'pass'], T0 + 2 * DAY), // no injection: before any advice existed
      trace('t4', ['Read'], T0 + 2 * DAY), // told, but ran no tests: unknown
      trace('e1', ['Grep', 'fail'], T0 + DAY), // a SessionStart record with no ids: nothing was told
    ];
    const injections = [inj('t1', false, [ID]), inj('t2', false, [ID]), inj('h1', true, []), inj('t3', false, [ID]), inj('h2', true, []), inj('t4', false, [ID]), inj('e1', false, [])];
    const days = ['2026-01-05', '2026-01-06', '2026-01-07'];
    const p = advicePanelData(traces, injections, days, (ms) => new Date(ms).toISOString().slice(0, 10))!;
    expect(p.advised.known).toEqual([2, 0, 1]);
    expect(p.advised.passed).toEqual([1, 0, 1]);
    expect(p.holdout.known).toEqual([1, 0, 1]);
    expect(p.holdout.passed).toEqual([0, 0, 1]);
    expect(p.advised.rate_7d).toEqual([0.5, 0.5, 2 / 3]);
    expect(p.holdout.rate_7d).toEqual([0, 0, 0.5]);
    expect(p.totals).toEqual({ advised_known: 3, advised_passed: 2, holdout_known: 2, holdout_passed: 1 });
    expect(p.advice.map((a) => [a.id, a.known, a.passed, a.holdout_known, a.state])).toEqual([[ID, 3, 2, 2, 'active']]);
    expect(advicePanelData(traces, [], days, (ms) => new Date(ms).toISOString().slice(0, 10))).toBeNull();
    // advice the learner stopped on an earlier night shows as stopped, as the planner treats it;
    // an option passed on as undefined keeps its default
    const stopped = advicePanelData(traces, injections, days, (ms) => new Date(ms).toISOString().slice(0, 10), { stopped_before: new Map([[ID, T0]]), max_gap: undefined })!;
    expect(stopped.advice.map((a) => [a.id, a.known, a.state, a.stopped_at])).toEqual([[ID, 3, 'stopped', T0]]);
    const report = buildReport(input({ traces, injections, now: T0 + 3 * DAY, advice_stops: new Map([[ID, T0]]) }));
    expect(report.advice!.advice.map((a) => a.state)).toEqual(['stopped']);
  });

  it('renders the panel beside the power curve: both lines, each advice with its interval and state, names escaped', () => {
    const traces: ReturnType<typeof trace>[] = [];
    const injections: Injection[] = [];
    // 80 told sessions pass 20%, 80 holdout sessions pass 70%: the advice hurts, and is stopped.
    for (let i = 0; i < 80; i++) {
      traces.push(trace(`t${i}`, ['<Grep>', i % 5 === 0 ? 'pass' : 'fail'], T0 + (i % 10) * DAY));
      injections.push(inj(`t${i}`, false, ['sequence:<Grep>>Edit', ID]));
      traces.push(trace(`h${i}`, ['Read', i % 10 < 7 ? 'pass' : 'fail'], T0 + (i % 10) * DAY + 1000));
      injections.push(inj(`h${i}`, true, []));
    }
    const data = buildReport(input({ traces, injections, quality, now: T0 + 11 * DAY }));
    expect(data.advice!.days.length).toBe(10);
    expect(data.advice!.advice.every((a) => a.state === 'stopped')).toBe(true);
    const html = renderHtml(data);
    expect(html).toContain(`<section class="card wide" id="advice"><h2>${ADVICE_TITLE}</h2>`);
    expect(html.indexOf('id="advice"')).toBeLessThan(html.indexOf('id="power"'));
    expect(html).toContain('data-chart="advice-effect"');
    for (const s of Object.values(ADVICE_SERIES)) expect(html).toContain(`data-series="${s.name}"`);
    expect(html).toContain('data-table="advice-effect"');
    expect(html.match(/<tr data-state="stopped" data-judged="together">/g)!.length).toBe(2);
    expect(html).toContain('<td class="num">holdout 80</td>');
    expect(html).toContain('<span class="chip">&lt;Grep&gt;</span>');
    expect(html).not.toContain('<Grep>');
    expect(html).toContain('All days: told 20% of 80 sessions passed, holdout 70% of 80.');
    // without injection records there is no panel, and the rest of the page is unchanged
    expect(renderHtml(buildReport(input({ traces, now: T0 + 11 * DAY })))).not.toContain('id="advice"');
  });
});

describe('loading metrics/quality.json (the shell)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-quality-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it("accepts the benchmark's shape", () => {
    expect(loadQuality(QUALITY_FIXTURE)).toEqual({ doc: quality, note: null });
  });

  it('says in one line why a missing, unparsable or wrongly shaped file is left out', () => {
    const missing = path.join(dir, 'nope.json');
    expect(loadQuality(missing)).toEqual({ doc: null, note: `no power curve in the report: ${missing} is missing (\`npm run bench -- quality\` writes it)` });
    expect(loadQuality(write('cut.json', '{"generated_by": "npm run bench -- qu')).note).toContain('cut.json is not JSON');
    const overOne = { ...quality, settings: [{ ...quality.settings[0]!, good_top3: 1.5 }] };
    expect(loadQuality(write('big.json', JSON.stringify(overOne))).note).toMatch(/big\.json is not a quality benchmark \(settings\.0\.good_top3: /);
    expect(loadQuality(write('empty.json', JSON.stringify({ ...quality, settings: [] }))).note).toContain('is not a quality benchmark (settings:');
    for (const f of ['nope.json', 'cut.json', 'big.json', 'empty.json']) expect(loadQuality(path.join(dir, f)).note).not.toContain('\n');
  });

  it('is shipped with the package: package.json "files" holds it, and the checked-out copy (when there is one) validates', () => {
    const root = path.resolve(import.meta.dirname, '..');
    expect(shippedQualityFile()).toBe(path.join(root, 'metrics', 'quality.json'));
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files.some((f) => f === 'metrics/quality.json' || f === 'metrics' || f === 'metrics/')).toBe(true);
    if (fs.existsSync(shippedQualityFile())) expect(loadQuality(shippedQualityFile()).note).toBeNull();
  });
});

describe('useColour', () => {
  it('colours a terminal unless NO_COLOR is set, and never a pipe', () => {
    expect(useColour({}, { isTTY: true })).toBe(true);
    expect(useColour({ NO_COLOR: '1' }, { isTTY: true })).toBe(false);
    expect(useColour({ NO_COLOR: '' }, { isTTY: true })).toBe(true); // no-color.org: an empty value does not count
    expect(useColour({}, { isTTY: false })).toBe(false);
    expect(useColour({}, {})).toBe(false);
  });
});

describe('report and catalog commands', () => {
  let root: string;
  let out: string[];
  let ctx: CliContext;
  let home: string;
  const { payloads, truth, traces } = simulateBoth({ seed: 3, sessions: 24, start_ms: T0, days: 8 });

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'am-report-'));
    home = path.join(root, 'home');
    fs.mkdirSync(path.join(home, '.claude', 'agents'), { recursive: true });
    fs.writeFileSync(path.join(home, '.claude', 'agents', 'reviewer.md'), '---\nname: code-reviewer\ndescription: Reviews the diff.\n---\n');
    fs.writeFileSync(path.join(home, '.claude', 'agents', 'idle.md'), '---\nname: idle\ndescription: Never asked for.\n---\n');
    const paths = dataPaths({ AGENTOPS_META_HOME: path.join(root, 'data') });
    fs.mkdirSync(paths.spool, { recursive: true });
    fs.writeFileSync(paths.config, JSON.stringify({ learn: { min_sessions: 5 } }));
    payloads.forEach((p, i) => fs.writeFileSync(path.join(paths.spool, `${p.ts_ms}000000-${i}-${p.event}.json`), JSON.stringify(p.payload)));
    const store = openMemoryStore();
    ingestSpool({ paths, store });
    out = [];
    ctx = { paths, out: (t) => out.push(t), json: (v) => out.push(JSON.stringify(v)), withStore: (fn) => fn(store) };
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  let qualityFile = QUALITY_FIXTURE;

  async function run(...args: string[]): Promise<string> {
    out.length = 0;
    const program = new Command().exitOverride();
    registerReportCommands(program, ctx, { home: () => home, qualityFile: () => qualityFile });
    await program.parseAsync(args, { from: 'user' });
    return out.join('\n');
  }

  it('report --json: totals from the store, patterns learned in memory, an evaluation of the current data', async () => {
    const r = JSON.parse(await run('report', '--json', '--project', root, '--repo', root)) as ReportData;
    const known = truth.sessions.filter((s) => s.passed !== null);
    expect(r.totals.sessions).toBe(24);
    expect(r.totals.known_sessions).toBe(known.length);
    expect(r.totals.passed_sessions).toBe(known.filter((s) => s.passed).length);
    expect(r.totals.test_runs).toBe(traces.reduce((a, t) => a + t.steps.filter((s) => s.test).length, 0));
    expect(r.health.pending_spool).toBe(0);
    // No learned.json: learned now, nothing written.
    expect(r.patterns?.learned_at).toBeNull();
    expect(r.patterns!.parallel.length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(root, 'data', 'learned.json'))).toBe(false);
    // No committed eval.json history in --repo: the current data is evaluated.
    expect(r.evaluations).toHaveLength(1);
    expect(r.evaluations[0]!.sha).toBeNull();
    expect(r.evaluations[0]!.test_sessions + r.evaluations[0]!.train_sessions).toBe(24);
  });

  it('report --html writes the dashboard; report prints the terminal summary', async () => {
    const file = path.join(root, 'out', 'dash.html');
    expect(await run('report', '--html', file, '--project', root, '--repo', root)).toContain(`wrote ${file}`);
    expect(fs.readFileSync(file, 'utf8')).toContain('data-chart="dfg"');
    const text = await run('report', '--project', root, '--repo', root);
    expect(text).toContain('agentops-meta report');
    expect(text).toContain('Capture health');
    await expect(run('report', '--html', root, '--repo', root)).rejects.toThrow(/is a folder/);
  });

  it('report --html shows "Did the advice help?" from the planner hooks\' injection records in the store', async () => {
    const file = path.join(root, 'out', 'advice.html');
    const before = await run('report', '--html', file, '--project', root, '--repo', root);
    expect(before).toContain(`wrote ${file}`);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('data-chart="advice-effect"');
    // what the SessionStart hook spools: half the sessions told a piece of advice, the others held out
    const paths = ctx.paths;
    truth.sessions.forEach((t, i) => {
      const record = { session_id: t.session_id, hook_event_name: 'AgentopsInjection', hook: 'SessionStart', holdout: i % 2 === 1, ids: i % 2 === 1 ? [] : ['sequence:Read>Edit'] };
      fs.writeFileSync(path.join(paths.spool, `${t.start_ms + 1}000000-${i}-AgentopsInjection.json`), JSON.stringify(record));
    });
    ctx.withStore((store) => ingestSpool({ paths, store }));
    await run('report', '--html', file, '--project', root, '--repo', root);
    const page = fs.readFileSync(file, 'utf8');
    expect(page).toContain('data-chart="advice-effect"');
    expect(page).toContain('Did the advice help?');
  });

  it('report --html draws the power curve from the quality file, and without one says so in one line', async () => {
    const file = path.join(root, 'out', 'power.html');
    qualityFile = QUALITY_FIXTURE;
    expect(await run('report', '--html', file, '--project', root, '--repo', root)).not.toContain('no power curve');
    const page = fs.readFileSync(file, 'utf8');
    expect(page).toContain('data-chart="power-curve"');
    expect(page).toContain('data-marker="← you: 24 sessions"');
    expect(await run('report', '--project', root, '--repo', root)).toMatch(/\n {2}history +with 24 sessions, fewer than the smallest simulated worlds/);
    try {
      qualityFile = path.join(root, 'missing', 'quality.json');
      const said = await run('report', '--html', file, '--project', root, '--repo', root);
      expect(said.split('\n')).toEqual([expect.stringContaining(`wrote ${file}`), `no power curve in the report: ${qualityFile} is missing (\`npm run bench -- quality\` writes it)`]);
      const without = fs.readFileSync(file, 'utf8');
      expect(without).not.toContain('data-chart="power-curve"');
      expect(without).toContain(`${qualityFile} is missing`);
      // The other charts are all still there.
      for (const chart of ['pass-rate', 'activity-heatmap', 'dfg']) expect(without).toContain(`data-chart="${chart}"`);
      qualityFile = path.join(root, 'out', 'bad-quality.json');
      fs.writeFileSync(qualityFile, JSON.stringify({ generated_by: 'x', settings: 'none' }));
      expect(await run('report', '--html', file, '--project', root, '--repo', root)).toContain(`no power curve in the report: ${qualityFile} is not a quality benchmark`);
      expect(JSON.parse(await run('report', '--json', '--project', root, '--repo', root))).toMatchObject({ power: null, power_note: expect.stringContaining('is not a quality benchmark') });
    } finally {
      qualityFile = QUALITY_FIXTURE;
    }
  });

  it('catalog joins installed agents with their use, and lists never-used ones', async () => {
    const c = JSON.parse(await run('catalog', '--json', '--project', root)) as Catalog;
    const reviewer = c.rows.find((r) => r.name === 'code-reviewer')!;
    const calls = traces.reduce((a, t) => a + t.steps.filter((s) => s.activity === 'Agent:code-reviewer').length, 0);
    const sessions = traces.filter((t) => t.steps.some((s) => s.activity === 'Agent:code-reviewer')).length;
    expect(calls).toBeGreaterThan(0);
    expect(reviewer).toMatchObject({ installed: true, description: 'Reviews the diff.', usage: { calls, sessions } });
    expect(c.rows.find((r) => r.name === 'idle')).toMatchObject({ installed: true, usage: { calls: 0 } });
    expect(c.rows.find((r) => r.name === 'Explore')).toMatchObject({ installed: false, builtin: true });
    const text = await run('catalog', '--project', root);
    expect(text).toMatch(/agent\s+idle\s+user\s+0/);
    expect(text).toContain('never used');
  });
});
