// Renders the HTML dashboard in a real browser (headless Debian chromium, driven directly: no
// extra npm dependency) and checks that every chart was laid out with real geometry, that the page
// logged nothing to the console (no script error, no blocked network request), and that a
// screenshot can be taken. Chromium is required: CI installs it (.ci/run); without it this FAILS.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinCatalog } from '../src/catalog/join.js';
import type { InstalledInventory } from '../src/catalog/types.js';
import { DEFAULT_CONFIG, type Config } from '../src/config/schema.js';
import { buildReport, evalPoint, type EvalPoint } from '../src/report/build-report.js';
import { renderHtml, type HtmlInput } from '../src/report/html.js';
import { ADVICE_SERIES } from '../src/report/advice-panel.js';
import { PLAN_SERIES, planPanelData } from '../src/report/plan-panel.js';
import { POWER_SERIES } from '../src/report/power-card.js';
import type { Injection } from '../src/learn/advice-effect.js';
import type { QualityDoc } from '../src/report/power.js';
import { usageIndex } from '../src/report/usage.js';
import { evaluateLearning } from '../src/shell/evaluate-run.js';
import { learnAll } from '../src/shell/learn-run.js';
import { simulateBoth } from '../src/sim/simulate.js';

function findChromium(): string {
  const candidates = [process.env.CHROMIUM_BIN, 'chromium', 'chromium-browser', 'google-chrome'].filter((c): c is string => !!c);
  for (const c of candidates) {
    const r = spawnSync(c, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0) return c;
  }
  throw new Error('chromium is not installed: the dashboard browser test needs it. Install it with `apt-get install -y chromium` (CI does, in .ci/run), or set CHROMIUM_BIN.');
}

let work: string;
let chromium: string;

interface BrowserRun {
  stdout: string;
  /** lines the page logged to its console (chromium prints them as INFO:CONSOLE) */
  console: string[];
}

function browse(file: string, extra: string[]): BrowserRun {
  const profile = fs.mkdtempSync(path.join(work, 'profile-'));
  const r = spawnSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--enable-logging=stderr',
      '--v=0',
      '--window-size=1280,2000',
      ...extra,
      `file://${file}`,
    ],
    { encoding: 'utf8', timeout: 90_000, env: { ...process.env, HOME: work } },
  );
  if (r.error) throw r.error;
  expect(r.status, `chromium failed:\n${r.stderr}`).toBe(0);
  return { stdout: r.stdout, console: r.stderr.split('\n').filter((l) => /:CONSOLE/.test(l) || /Uncaught/.test(l)) };
}

function demoReport(): HtmlInput {
  const start = Date.UTC(2026, 9, 1);
  const { traces } = simulateBoth({ seed: 20261129, sessions: 60, start_ms: start, days: 21, planted: { noise_mean: 6 } });
  const config: Config = { ...DEFAULT_CONFIG, learn: { ...DEFAULT_CONFIG.learn, min_sessions: 6 } };
  const asOf = Math.max(...traces.map((t) => t.end_ms));
  const learned = learnAll(traces, config, asOf);
  // An evaluation history: what two nightly commits would have recorded.
  const evaluated = [traces.slice(0, 40), traces].map((ts) => evaluateLearning(ts, config, asOf).evaluation);
  const evaluations: EvalPoint[] = evaluated.map((e, i) => evalPoint(e, new Date(start + (14 + 7 * i) * 86_400_000).toISOString(), `${i}`.repeat(40))!);
  // The newest commit's plan evaluation: the "Are the drafted workflows any good?" panel.
  const plan_eval = planPanelData(evaluated[1], evaluations[1]!.at, evaluations[1]!.sha);
  const inventory: InstalledInventory = {
    items: [{ kind: 'agent', name: 'code-reviewer', activity: 'Agent:code-reviewer', description: 'Reviews the diff.', source: 'user', plugin: null, path: null, enabled: null, version: null }],
    marketplaces: [],
    warnings: [],
  };
  const patterns = { ...learned, learned_at: new Date(asOf).toISOString(), stats: learned.stats };
  // What the planner hooks would have recorded from the second week on: every fifth session held
  // out, the others told the simulator's planted sequence and anti-pattern: the "Did the advice help?" panel.
  const told = ['sequence:Read>Edit', 'avoid:Edit>Edit>Edit'];
  const injections: Injection[] = traces
    .filter((t) => t.start_ms >= start + 7 * 86_400_000)
    .map((t, i) => ({ session_id: t.session_id, ts_ms: t.start_ms, hook: 'SessionStart', holdout: i % 5 === 0, ids: i % 5 === 0 ? [] : told }));
  const report = buildReport({
    injections,
    traces,
    testRuns: traces.flatMap((t) => t.steps.filter((s) => s.test).map((s) => ({ ts_ms: s.start_ms, passed: s.test!.passed }))),
    events: 5000,
    learned: patterns,
    health: { pending_spool: 2, oldest_pending_ms: asOf - 60_000, partial_writes: 0, quarantined: 0, last_ingest: new Date(asOf).toISOString(), last_learn: new Date(asOf).toISOString() },
    latency: { measured_at: new Date(asOf).toISOString(), source: 'doctor', runs: 15, capture_ms: 3.1, node_ms: 41.5, ratio: 3.1 / 41.5 },
    catalog: joinCatalog(inventory, usageIndex(traces), learned),
    evaluations,
    now: asOf + 3_600_000,
    // A hand-made metrics/quality.json: the power curve panel.
    quality: JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'quality', 'quality.json'), 'utf8')) as QualityDoc,
  });
  return { ...report, plan_eval };
}

describe('the HTML dashboard in a browser', () => {
  let data: HtmlInput;
  let file: string;

  beforeAll(() => {
    chromium = findChromium();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'am-dashboard-'));
    data = demoReport();
    file = path.join(work, 'report.html');
    fs.writeFileSync(file, renderHtml(data));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('draws every chart with real geometry and logs nothing to the console', () => {
    const html = fs.readFileSync(file, 'utf8');
    const { stdout: dom, console: logged } = browse(file, ['--dump-dom']);
    expect(logged).toEqual([]);

    const charts = [...html.matchAll(/<svg[^>]* data-chart="/g)].length;
    expect(charts).toBeGreaterThan(5);
    // The page's own script counted what the browser laid out.
    expect(dom).toMatch(new RegExp(`<body[^>]* data-charts="${charts}"`));
    expect(dom).toMatch(new RegExp(`<body[^>]* data-charts-drawn="${charts}"`));
    const drawn = new Map<string, { elements: number; w: number; h: number }>();
    for (const m of dom.matchAll(/<svg data-chart="([^"]+)"[^>]*? data-drawn="(\d+)" data-size="(\d+)x(\d+)"/g)) {
      if (m[1] !== 'mini') drawn.set(m[1]!, { elements: Number(m[2]), w: Number(m[3]), h: Number(m[4]) });
    }
    expect([...drawn.keys()].sort()).toEqual(['activity-heatmap', 'advice-effect', 'dfg', 'evaluation', 'pass-rate', 'plan-eval', 'power-curve']);
    for (const [name, d] of drawn) {
      expect(d.w, name).toBeGreaterThan(100);
      expect(d.h, name).toBeGreaterThan(100);
    }
    // The graph: a box and a label per node, a path and a count per edge, all with non-zero size.
    const g = drawn.get('dfg')!;
    expect(g.elements).toBeGreaterThanOrEqual(2 * data.dfg.nodes.length + 2 * data.dfg.edges.length);
    // The heatmap: one cell per activity and day, plus labels.
    expect(drawn.get('activity-heatmap')!.elements).toBeGreaterThanOrEqual(data.activity_daily.series.length * data.activity_daily.days.length);
    // The evaluation history line chart has a point per commit and series.
    expect(drawn.get('evaluation')!.elements).toBeGreaterThanOrEqual(4 * data.evaluations.length);
    // The power curve: a line and a point per size for each of its three series, and the user's marker.
    const power = data.power!;
    expect(drawn.get('power-curve')!.elements).toBeGreaterThanOrEqual(3 * (1 + power.sessions.length) + 2);
    for (const s of Object.values(POWER_SERIES)) expect(dom).toContain(`data-series="${s.name}"`);
    const marker = dom.match(/<g class="marker" data-marker="← you: 60 sessions" data-size="(\d+)x(\d+)"/);
    expect(marker, 'the user marker').not.toBeNull();
    expect(Number(marker![2])).toBeGreaterThan(100); // the line spans the plot's height
    // The whole panel, table and caption included, took room on the page like the other cards.
    const panel = dom.match(/<section class="card wide" id="power" data-size="(\d+)x(\d+)"[^>]*>/);
    expect(panel, 'the power panel').not.toBeNull();
    expect(Number(panel![1])).toBeGreaterThan(800); // a wide card
    expect(Number(panel![2])).toBeGreaterThan(300);
    expect(dom).toContain('data-table="power-harder"');
    // "Did the advice help?": two lines (told, holdout) with a point a day where there is a rate, bars
    // of holdout sessions, a wide card with the advice table and its interval bars beside the chart.
    const advice = data.advice!;
    const withRate = advice.advised.rate_7d.filter((v) => v !== null).length;
    expect(withRate).toBeGreaterThan(5);
    expect(drawn.get('advice-effect')!.elements).toBeGreaterThanOrEqual(2 + withRate);
    for (const s of Object.values(ADVICE_SERIES)) expect(dom).toContain(`data-series="${s.name}"`);
    const advicePanel = dom.match(/<section class="card wide" id="advice" data-size="(\d+)x(\d+)"[^>]*>/);
    expect(advicePanel, 'the advice panel').not.toBeNull();
    expect(Number(advicePanel![1])).toBeGreaterThan(800);
    expect(Number(advicePanel![2])).toBeGreaterThan(250);
    expect(dom).toContain('data-table="advice-effect"');
    expect(advice.advice.length).toBeGreaterThan(0);
    expect([...dom.matchAll(/<tr data-state="(active|stopped)"[^>]*>/g)].length).toBe(advice.advice.length);
    // "Are the drafted workflows any good?": four groups of three bars (plan, most common, most
    // similar) with their labels, a wide card whose table holds the same numbers, nothing overflowing.
    const plan = data.plan_eval!;
    expect(plan.test_sessions).toBeGreaterThan(0);
    expect(drawn.get('plan-eval')!.elements).toBeGreaterThanOrEqual(4 * 3 + 8);
    for (const s of Object.values(PLAN_SERIES)) expect([...dom.matchAll(new RegExp(`<rect data-series="${s.name}"`, 'g'))]).toHaveLength(4);
    const planPanel = dom.match(/<section class="card wide" id="plan-eval" data-size="(\d+)x(\d+)" data-overflow="(\d+)">/);
    expect(planPanel, 'the plan panel').not.toBeNull();
    expect(Number(planPanel![1])).toBeGreaterThan(800);
    expect(Number(planPanel![2])).toBeGreaterThan(250);
    expect(Number(planPanel![3]), 'content wider than the plan panel').toBe(0);
    const cells = [...dom.slice(dom.indexOf('data-table="plan-eval"')).matchAll(/<td class="num">(\d+)%<\/td>/g)].slice(0, 12).map((m) => Number(m[1]));
    const expected = (['plan', 'most_common', 'most_similar'] as const).flatMap((k) => [plan[k].activities.recall, plan[k].activities.precision, plan[k].pairs.recall, plan[k].pairs.precision].map((v) => Math.round(v * 100)));
    expect(cells).toEqual(expected);
    expect(dom).toMatch(/data-verdict="(better|not-better)"/);
  }, 120_000);

  it('would notice a script error or a blocked network request', () => {
    const bad = path.join(work, 'bad.html');
    const page = fs.readFileSync(file, 'utf8').replace('</body>', '<img src="https://example.com/x.png"><script>throw new Error("boom")</script></body>');
    fs.writeFileSync(bad, page);
    const { console: logged } = browse(bad, ['--dump-dom']);
    expect(logged.some((l) => l.includes('Uncaught Error: boom'))).toBe(true);
    expect(logged.some((l) => l.includes('Content Security Policy'))).toBe(true);
  }, 120_000);

  it('takes a screenshot (kept in the temp folder to look at)', () => {
    const png = path.join(os.tmpdir(), 'agentops-meta-test-dashboard.png');
    fs.rmSync(png, { force: true });
    browse(file, [`--screenshot=${png}`, '--hide-scrollbars']);
    const bytes = fs.readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height, big-endian, at bytes 16..23.
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1280, 2000]);
    expect(bytes.length).toBeGreaterThan(50_000); // a blank page compresses to a few KiB
  }, 120_000);
});
