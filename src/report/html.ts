// The dashboard: ONE self-contained HTML file. No network, no external scripts, styles or fonts
// (a Content-Security-Policy in the page forbids them); every chart is inline SVG drawn by svg.ts.
// The little inline script only adds hover highlighting to the graph and records, as data
// attributes, how many chart elements the browser actually laid out (test/dashboard-browser.test.ts
// reads them). Pure: ReportData in, HTML text out.
import type { CatalogRow } from '../catalog/types.js';
import type { ParallelPattern } from '../learn/parallel.js';
import type { SequentialPattern } from '../learn/types.js';
import type { EvalPoint, ReportData } from './build-report.js';
import { layoutDfg } from './dfg-layout.js';
import { ADVICE_TITLE, advicePanelHtml } from './advice-panel.js';
import { PLAN_TITLE, planPanelHtml, type PlanPanel } from './plan-panel.js';
import { POWER_TITLE, powerPanel } from './power-card.js';
import { COLOURS, compareBar, dfgSvg, esc, heatmap, legend, lineChart, miniBar } from './svg.js';
import { duration, pct, points } from './text-charts.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const shortDay = (day: string) => day.slice(5);
const stamp = (iso: string) => iso.slice(0, 16).replace('T', ' ');

function card(title: string, body: string, opts: { wide?: boolean; note?: string; id?: string } = {}): string {
  return `<section class="card${opts.wide ? ' wide' : ''}"${opts.id ? ` id="${opts.id}"` : ''}><h2>${esc(title)}</h2>${opts.note ? `<p class="note">${opts.note}</p>` : ''}${body}</section>`;
}

function empty(text: string): string {
  return `<p class="empty">${esc(text)}</p>`;
}

function kpi(label: string, value: string, sub: string, tone = ''): string {
  return `<div class="kpi ${tone}"><div class="kpi-label">${esc(label)}</div><div class="kpi-value">${esc(value)}</div><div class="kpi-sub">${esc(sub)}</div></div>`;
}

function chips(steps: readonly string[], sep: string): string {
  return steps.map((s) => `<span class="chip">${esc(s)}</span>`).join(`<span class="sep">${sep}</span>`);
}

function kpis(d: ReportData): string {
  const t = d.totals;
  const p = d.patterns;
  const tone = t.pass_rate === null ? '' : t.pass_rate >= 0.7 ? 'good' : t.pass_rate < 0.5 ? 'bad' : 'warn';
  return `<div class="kpis">${[
    kpi('Sessions', String(t.sessions), `${t.known_sessions} ran tests`),
    kpi('Ended green', pct(t.pass_rate), `${t.passed_sessions} of ${t.known_sessions} sessions`, tone),
    kpi('Test runs', String(t.test_runs), `${pct(t.test_runs ? t.test_runs_passed / t.test_runs : null)} passed`),
    kpi('Tool calls', String(t.steps), `${t.activities} activities · ${t.events} hook events`),
    kpi('Parallelism saved', d.parallelism.saved_ms > 0 ? duration(d.parallelism.saved_ms) : '0 s', `${pct(d.parallelism.saved_share, 1)} of tool time`),
    kpi('Patterns', p ? `${p.sequential.length} · ${p.parallel.length} · ${p.anti.length}` : '-', 'do · parallel · avoid'),
  ].join('')}</div>`;
}

function passChart(d: ReportData): string {
  if (d.daily.length === 0) return card('Sessions ending green, per day', empty('No sessions yet.'));
  const chart = lineChart({
    id: 'pass-rate',
    title: 'Share of sessions whose last test run passed, per day',
    width: 720,
    height: 240,
    labels: d.daily.map((r) => shortDay(r.day)),
    yMax: 1,
    yFormat: (v) => pct(v),
    series: [
      { name: 'sessions ending green that day', values: d.daily.map((r) => r.pass_rate), colour: COLOURS.green, dotsOnly: true },
      { name: 'sessions ending green, 7 days', values: d.daily.map((r) => r.pass_rate_7d), colour: COLOURS.green },
      { name: 'test runs passing, 7 days', values: d.daily.map((r) => r.test_pass_rate_7d), colour: COLOURS.blue, dashed: true },
    ],
    bars: { name: 'sessions', values: d.daily.map((r) => r.sessions), colour: COLOURS.slate },
  });
  return card(
    'Sessions ending green, per day',
    chart +
      legend([
        { name: 'sessions ending green (7-day)', colour: COLOURS.green },
        { name: 'that day', colour: COLOURS.green, dot: true },
        { name: 'test runs passing (7-day)', colour: COLOURS.blue, dashed: true },
        { name: 'sessions per day (right axis)', colour: COLOURS.slate, bar: true },
      ]),
    { note: 'A session ends green when its last test run passed; sessions without tests are left out. Lines pool the last 7 days.' },
  );
}

function mostUsedCard(d: ReportData): string {
  const top = d.activities.slice(0, 10);
  if (!top.length) return '';
  const max = Math.max(1, ...top.map((a) => a.calls));
  const rows = top.map(
    (a) =>
      `<tr><td><span class="chip">${esc(a.activity)}</span></td><td>${miniBar(a.calls, max, COLOURS.blue, 160)} <span class="small">${a.calls}</span></td><td class="num">${a.sessions}</td><td class="num">${a.errors ? `<span class="warn-text">${pct(a.error_rate)}</span>` : '0%'}</td><td class="num">${pct(a.pass_rate)}</td></tr>`,
  );
  return card(
    'Most used',
    `<table><thead><tr><th>activity</th><th>calls</th><th class="num">sessions</th><th class="num">errors</th><th class="num">green</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    { note: 'Green: share of the sessions using it whose last test run passed.' },
  );
}

function healthCard(d: ReportData): string {
  const h = d.health;
  const now = Date.parse(d.generated_at);
  const item = (ok: boolean, text: string) => `<li class="${ok ? 'ok' : 'warn'}">${text}</li>`;
  const hours = (ms: number) => `${((now - ms) / 3_600_000).toFixed(1)} h ago`;
  const items = [
    item(h.pending_spool === 0, `<b>${h.pending_spool}</b> payloads waiting in the spool${h.oldest_pending_ms !== null ? `, oldest ${esc(hours(h.oldest_pending_ms))}` : ''}${h.partial_writes ? `; ${h.partial_writes} partial writes` : ''}`),
    item(h.quarantined === 0, `<b>${h.quarantined}</b> payloads in quarantine`),
    item(h.last_ingest !== null, `last ingest: ${h.last_ingest ? esc(stamp(h.last_ingest)) : 'never'}`),
    item(h.last_learn !== null, `last learning run: ${h.last_learn ? esc(stamp(h.last_learn)) : 'never'}`),
  ];
  const l = d.latency;
  if (l) {
    items.push(
      item(
        l.ratio <= 0.5,
        `capture hook <b>${l.capture_ms.toFixed(1)} ms</b> vs ${l.node_ms.toFixed(1)} ms for <code>node -e 0</code> (${l.ratio.toFixed(2)}×; median of ${l.runs}, ${esc(l.source)} ${esc(stamp(l.measured_at))})`,
      ),
    );
  } else items.push(`<li class="muted">hook latency: not measured yet (run <code>agentops-meta doctor</code>)</li>`);
  return card('Capture health', `<ul class="health">${items.join('')}</ul>`);
}

function usageOverTime(d: ReportData): string {
  const a = d.activity_daily;
  if (!a.series.length) return card('Activity over time', empty('No tool calls yet.'), { wide: true });
  const chart = heatmap({
    id: 'activity-heatmap',
    title: 'Calls per day of the most used activities',
    width: 1150,
    rows: a.series.map((s) => s.activity),
    columns: a.days.map(shortDay),
    values: a.series.map((s) => s.counts),
    colour: COLOURS.blue,
  });
  return card('Activity over time', chart, { wide: true, note: 'Calls per day of the eight most used activities; darker is more. Total on the right.' });
}

function dfgCard(d: ReportData): string {
  if (!d.dfg.nodes.length) return card('What follows what', empty('No tool calls yet.'), { wide: true });
  const layout = layoutDfg(d.dfg);
  const shown = d.dfg.nodes.filter((x) => x.count > 0).length;
  return card('What follows what', `<div class="scroll">${dfgSvg(layout)}</div>`, {
    wide: true,
    note: `The directly-follows graph of the ${shown} most common of ${d.dfg.total_activities} activities on the main thread: an arrow a → b counts how often b came right after a. Thicker is more often; <span style="color:${COLOURS.amber}">amber</span> arrows loop back up. Hover a node to pick out its arrows.`,
  });
}

function seqTable(list: SequentialPattern[], anti: boolean): string {
  const rows = list.map(
    (p) =>
      `<tr><td>${chips(p.steps, '→')}</td><td class="num">${p.sessions}</td><td>${compareBar(p.pass_rate, p.baseline, anti ? COLOURS.red : COLOURS.green)} <span class="small">${pct(p.pass_rate)} vs ${pct(p.baseline)}</span></td>` +
      `<td class="num">${p.passed}/${p.known}</td><td class="num">${points(p.bound)}</td><td class="num">${p.p_value === null ? '-' : p.p_value < 0.001 ? '&lt;0.001' : p.p_value.toFixed(3)}</td><td class="num">${esc(new Date(p.last_seen).toISOString().slice(0, 10))}</td></tr>`,
  );
  return `<table><thead><tr><th>steps</th><th class="num">sessions</th><th>green after it vs without</th><th class="num">green/known</th><th class="num">${anti ? 'uplift ≤' : 'uplift ≥'}</th><th class="num">p</th><th class="num">last seen</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function parTable(list: ParallelPattern[]): string {
  const kind = { observed: 'run concurrently', 'order-independent': 'either order', episode: 'together, any order' };
  const rows = list.map(
    (p) =>
      `<tr><td>${chips(p.members, '+')}</td><td>${kind[p.kind]}</td><td class="num">${p.sessions}</td><td>${compareBar(p.pass_rate, p.baseline, COLOURS.green)} <span class="small">${pct(p.pass_rate)} vs ${pct(p.baseline)}</span></td><td class="num">${p.saved_ms > 0 ? duration(p.saved_ms) : '-'}</td></tr>`,
  );
  return `<table><thead><tr><th>activities</th><th>how</th><th class="num">sessions</th><th>green with vs without</th><th class="num">time saved</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function patternsCard(d: ReportData): string {
  const p = d.patterns;
  if (!p) return card('Patterns', empty('No learning run yet: run agentops-meta learn.'), { wide: true });
  const parts: string[] = [];
  if (p.sequential.length) parts.push(`<h3>Go with passing tests</h3>${seqTable(p.sequential, false)}`);
  if (p.parallel.length) parts.push(`<h3>Worth running in parallel</h3>${parTable(p.parallel)}`);
  if (p.anti.length) parts.push(`<h3 class="bad">Anti-patterns: go with failing tests</h3>${seqTable(p.anti, true)}`);
  if (!parts.length) parts.push(empty(`No pattern meets the evidence bar yet${p.stats ? ` (a pattern needs ${p.stats.min_support_used} sessions)` : ''}.`));
  return card('Patterns', parts.join(''), {
    wide: true,
    note: `Learned ${p.learned_at ? esc(stamp(p.learned_at)) : ''}${p.stats ? ` from ${p.stats.sessions} sessions (${p.stats.known_sessions} with tests; baseline ${pct(p.stats.baseline_pass_rate)} green)` : ''}. Bars: share of sessions green after the pattern; the dark mark is the share without it. The uplift bound is the 95% lower (upper, for anti-patterns) bound of the difference.`,
  });
}

function catalogCard(d: ReportData): string {
  const c = d.catalog;
  if (!c) return '';
  const rows = c.rows.filter((r) => r.kind !== 'plugin' || r.installed).slice(0, 60);
  if (!rows.length) return card('Plugins, agents, skills, commands, MCP servers', empty('Nothing installed or used yet.'), { wide: true });
  const max = Math.max(1, ...rows.map((r) => r.usage.calls));
  const status = (r: CatalogRow) =>
    r.builtin ? '<span class="badge">built-in</span>' : !r.installed ? '<span class="badge warn">not found installed</span>' : r.usage.calls === 0 ? '<span class="badge muted">never used</span>' : '';
  const body = rows.map((r) => {
    const desc = r.description ? (r.description.length > 110 ? `${r.description.slice(0, 109)}…` : r.description) : '';
    const colour = r.usage.pass_rate === null ? COLOURS.slate : r.usage.pass_rate >= 0.7 ? COLOURS.green : r.usage.pass_rate < 0.5 ? COLOURS.red : COLOURS.amber;
    return (
      `<tr class="${r.usage.calls === 0 ? 'unused' : ''}"><td><span class="kind">${esc(r.kind)}</span></td><td><b>${esc(r.name)}</b> ${status(r)}${r.plugin && r.kind !== 'plugin' ? ` <span class="small">from ${esc(r.plugin)}</span>` : ''}<div class="desc" title="${esc(r.description ?? '')}">${esc(desc)}</div></td>` +
      `<td>${miniBar(r.usage.calls, max, colour)} <span class="small">${r.usage.calls}</span></td><td class="num">${r.usage.sessions}</td><td class="num">${pct(r.usage.error_rate)}</td><td class="num">${pct(r.usage.pass_rate)}</td>` +
      `<td class="num">${r.usage.last_used_ms === null ? '-' : esc(new Date(r.usage.last_used_ms).toISOString().slice(0, 10))}</td><td class="small">${r.patterns.map(esc).join('<br>') || '-'}</td></tr>`
    );
  });
  return card(
    'Plugins, agents, skills, commands, MCP servers',
    `<table><thead><tr><th>kind</th><th>name</th><th>calls</th><th class="num">sessions</th><th class="num">errors</th><th class="num">green</th><th class="num">last used</th><th>in patterns</th></tr></thead><tbody>${body.join('')}</tbody></table>`,
    { wide: true, note: 'What is installed, joined with how it was used. Bar colour: share of the sessions using it that ended green. Installed but never used is greyed out.' },
  );
}

/**
 * What a held-out evaluation checked. Evaluations committed before later-session validation also
 * checked the patterns on the held-out sessions; newer ones predict the next activity only (patterns
 * are validated on the sessions after their first report: see patterns/).
 */
function heldOut(e: EvalPoint): string {
  return e.patterns_checked > 0
    ? `${e.patterns_held} of ${e.patterns_checked} patterns held on ${e.test_sessions} held-out sessions`
    : `next-activity prediction on ${e.test_sessions} held-out sessions (patterns are validated on later sessions)`;
}

function evaluationCard(d: ReportData): string {
  const ev = d.evaluations;
  if (!ev.length) return card('Learning evaluation', empty('No evaluation yet: run agentops-meta learn --commit.'));
  const note = 'Held-out check on the newest sessions: how often the learned model predicts the next activity, against two simple baselines.';
  if (ev.length >= 2) {
    const chart = lineChart({
      id: 'evaluation',
      title: 'Next-activity prediction accuracy per learning commit',
      width: 720,
      height: 240,
      labels: ev.map((e) => shortDay(e.at.slice(0, 10))),
      yMax: 1,
      yFormat: (v) => pct(v),
      series: [
        { name: 'model top-1', values: ev.map((e) => e.model.top1), colour: COLOURS.blue },
        { name: 'model top-3', values: ev.map((e) => e.model.top3), colour: COLOURS.blue, dashed: true },
        { name: 'Markov top-1', values: ev.map((e) => e.markov1.top1), colour: COLOURS.violet },
        { name: 'most frequent top-1', values: ev.map((e) => e.most_frequent.top1), colour: COLOURS.slate },
      ],
    });
    const last = ev[ev.length - 1]!;
    return card(
      'Learning evaluation over time',
      chart +
        legend([
          { name: 'model top-1', colour: COLOURS.blue },
          { name: 'model top-3', colour: COLOURS.blue, dashed: true },
          { name: 'Markov top-1', colour: COLOURS.violet },
          { name: 'most frequent top-1', colour: COLOURS.slate },
        ]) +
        `<p class="small">Latest: ${heldOut(last)}.</p>`,
      { note },
    );
  }
  const e = ev[0]!;
  const row = (name: string, a: { top1: number; top3: number }, colour: string) =>
    `<tr><td>${esc(name)}</td><td>${miniBar(a.top1, 1, colour, 180)} <span class="small">${pct(a.top1)}</span></td><td>${miniBar(a.top3, 1, colour, 180)} <span class="small">${pct(a.top3)}</span></td></tr>`;
  const chart = `<table class="eval" data-chart-table="evaluation"><thead><tr><th>predictor</th><th>next step right (top 1)</th><th>in top 3</th></tr></thead><tbody>${row('learned model', e.model, COLOURS.blue)}${row('one-step Markov', e.markov1, COLOURS.violet)}${row('most frequent', e.most_frequent, COLOURS.slate)}</tbody></table>`;
  return card(
    'Learning evaluation',
    `${chart}<p class="small">${heldOut(e)} (trained on ${e.train_sessions}; ${e.prefixes} predictions). ${e.sha ? `Commit ${esc(e.sha.slice(0, 8))}.` : 'Computed from the current data: no committed history yet.'}</p>`,
    { note },
  );
}

function adviceCard(d: ReportData): string {
  if (!d.advice) return '';
  const { body, note } = advicePanelHtml(d.advice, shortDay);
  return card(ADVICE_TITLE, body, { note, id: 'advice', wide: true });
}

function planCard(d: HtmlInput): string {
  if (!d.plan_eval) return '';
  const { body, note } = planPanelHtml(d.plan_eval);
  return card(PLAN_TITLE, body, { note, id: 'plan-eval', wide: true });
}

function powerCard(d: ReportData): string {
  if (!d.power) return '';
  const { body, note } = powerPanel(d.power);
  return card(POWER_TITLE, body, { note, id: 'power', wide: true });
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#f1f5f9;color:#0f172a;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans","Liberation Sans",sans-serif}
header{background:#0f172a;color:#f8fafc;padding:22px 32px}
header h1{margin:0;font-size:22px;font-weight:650;letter-spacing:.2px}
header p{margin:4px 0 0;color:#94a3b8}
main{max-width:1240px;margin:0 auto;padding:20px 24px 40px;display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:18px}
.kpis{grid-column:1/-1;display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:12px}
.kpi{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:12px 14px}
.kpi-label{color:#64748b;font-size:12px;text-transform:uppercase;letter-spacing:.5px}
.kpi-value{font-size:26px;font-weight:700;margin-top:2px}
.kpi-sub{color:#64748b;font-size:12px}
.warn-text{color:#b45309}
.kpi.good .kpi-value{color:#15803d}.kpi.bad .kpi-value{color:#b91c1c}.kpi.warn .kpi-value{color:#b45309}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:16px 18px;min-width:0}
.card.wide{grid-column:1/-1}
.stack{display:flex;flex-direction:column;gap:18px;min-width:0}
.card h2{margin:0 0 6px;font-size:16px}
.card h3{margin:14px 0 6px;font-size:13px;color:#15803d;text-transform:uppercase;letter-spacing:.4px}
.card h3.bad{color:#b91c1c}.card h3.plain{color:#334155}
.readoff{margin:8px 0 4px;font-size:13px}
tr[data-state="stopped"] td{color:#b91c1c}table.advice td:first-child{width:40%}table.advice td:nth-child(4){white-space:nowrap}
table.harder td:first-child{width:36%}table.harder th{white-space:normal;vertical-align:bottom}
.split{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:28px;align-items:start}
.note{margin:0 0 10px;color:#64748b;font-size:12.5px}
.empty{color:#94a3b8;font-style:italic}
.small{color:#64748b;font-size:12px}
.scroll{overflow-x:auto}
.scroll svg{display:block;margin:0 auto}
svg .axis{font-size:11px;fill:#64748b}
svg .label{font-size:12px;fill:#334155}
svg .node-label{font-size:12px;font-weight:600;pointer-events:none}
svg .edge-label{font-size:10px;fill:#475569;paint-order:stroke;stroke:#fff;stroke-width:3px}
svg .node{cursor:default}
svg.focus .edge{opacity:.12}svg.focus .edge.on{opacity:1}
svg.mini{vertical-align:middle}
.legend{display:flex;flex-wrap:wrap;gap:14px;margin-top:6px;color:#475569;font-size:12px}
.legend i{display:inline-block;width:18px;height:3px;margin-right:6px;vertical-align:middle;border-radius:2px}
ul.health{list-style:none;margin:0;padding:0}
ul.health li{padding:7px 0 7px 26px;border-bottom:1px solid #f1f5f9;position:relative}
ul.health li:before{content:"";position:absolute;left:4px;top:12px;width:10px;height:10px;border-radius:50%;background:#cbd5e1}
ul.health li.ok:before{background:#16a34a}ul.health li.warn:before{background:#d97706}
ul.health li.muted{color:#64748b}
code{background:#f1f5f9;padding:1px 4px;border-radius:4px;font-size:12px}
table{width:100%;border-collapse:collapse;font-size:13px}
th{text-align:left;color:#64748b;font-weight:600;font-size:12px;border-bottom:1px solid #e2e8f0;padding:6px 8px}
td{border-bottom:1px solid #f1f5f9;padding:6px 8px;vertical-align:middle}
.num{text-align:right;white-space:nowrap}
.chip{display:inline-block;background:#eff6ff;border:1px solid #bfdbfe;color:#1e3a8a;border-radius:6px;padding:1px 7px;font-size:12px;white-space:nowrap}
.sep{color:#94a3b8;margin:0 4px}
.kind{font-size:11px;text-transform:uppercase;letter-spacing:.4px;color:#64748b}
.badge{font-size:11px;border-radius:9px;padding:1px 7px;background:#e0f2fe;color:#075985;white-space:nowrap}
.badge.warn{background:#fef3c7;color:#92400e}.badge.muted{background:#f1f5f9;color:#64748b}
.desc{color:#64748b;font-size:12px;max-width:520px}
tr.unused td{opacity:.55}
footer{max-width:1240px;margin:0 auto;padding:0 24px 30px;color:#94a3b8;font-size:12px}
@media (max-width:900px){main{grid-template-columns:1fr}.split{grid-template-columns:1fr}.kpis{grid-template-columns:repeat(2,1fr)}}
`;

/** Runs in the page: hover highlighting, and a record of what the browser laid out (for the tests). */
const SCRIPT = `
(function () {
  var charts = document.querySelectorAll('svg[data-chart]');
  var drawn = 0;
  for (var i = 0; i < charts.length; i++) {
    var svg = charts[i];
    var els = svg.querySelectorAll('rect,path,circle,line,text');
    var n = 0;
    for (var j = 0; j < els.length; j++) {
      var b = els[j].getBBox();
      if (b.width > 0 || b.height > 0) n++;
    }
    var box = svg.getBoundingClientRect();
    svg.setAttribute('data-drawn', String(n));
    svg.setAttribute('data-size', Math.round(box.width) + 'x' + Math.round(box.height));
    if (n > 0 && box.width > 0 && box.height > 0) drawn++;
  }
  // Markers and cards too: a panel can be in the page and still collapse to nothing.
  var marks = document.querySelectorAll('svg g.marker');
  for (var m = 0; m < marks.length; m++) {
    var mb = marks[m].getBBox();
    marks[m].setAttribute('data-size', Math.round(mb.width) + 'x' + Math.round(mb.height));
  }
  var cards = document.querySelectorAll('section.card[id]');
  for (var c = 0; c < cards.length; c++) {
    var cb = cards[c].getBoundingClientRect();
    cards[c].setAttribute('data-size', Math.round(cb.width) + 'x' + Math.round(cb.height));
    cards[c].setAttribute('data-overflow', String(Math.max(0, cards[c].scrollWidth - cards[c].clientWidth)));
  }
  document.body.setAttribute('data-charts', String(charts.length));
  document.body.setAttribute('data-charts-drawn', String(drawn));
  var graph = document.querySelector('svg[data-chart="dfg"]');
  if (!graph) return;
  var edges = graph.querySelectorAll('.edge');
  var nodes = graph.querySelectorAll('.node');
  for (var k = 0; k < nodes.length; k++) {
    nodes[k].addEventListener('mouseenter', function (ev) {
      var id = ev.currentTarget.getAttribute('data-id');
      graph.classList.add('focus');
      for (var e = 0; e < edges.length; e++) {
        if (edges[e].getAttribute('data-from') === id || edges[e].getAttribute('data-to') === id) edges[e].classList.add('on');
      }
    });
    nodes[k].addEventListener('mouseleave', function () {
      graph.classList.remove('focus');
      for (var e = 0; e < edges.length; e++) edges[e].classList.remove('on');
    });
  }
})();
`;

/** What the dashboard draws: the report's data, and the plan evaluation (metrics/eval.json `plan`) when there is one. */
export type HtmlInput = ReportData & { plan_eval?: PlanPanel | null };

export function renderHtml(d: HtmlInput): string {
  const period = d.period ? `${d.period.first_day} → ${d.period.last_day}` : 'no sessions yet';
  // The right column stacks the two short cards beside the pass-rate chart.
  const body = [kpis(d), `<div class="stack">${passChart(d)}${mostUsedCard(d)}</div>`, `<div class="stack">${healthCard(d)}${evaluationCard(d)}</div>`, adviceCard(d), planCard(d), powerCard(d), usageOverTime(d), dfgCard(d), patternsCard(d), catalogCard(d)].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>agentops-meta report</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>agentops-meta · what was learned</h1><p>${d.totals.sessions} sessions · ${esc(period)} · generated ${esc(stamp(d.generated_at))} UTC</p></header>
<main>
${body}
</main>
<footer>Generated by <code>agentops-meta report --html</code>. One self-contained file: no network, no external scripts or fonts.${d.power_note ? `<br>${esc(d.power_note)}` : ''}</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
