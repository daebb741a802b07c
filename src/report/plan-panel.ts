// The dashboard panel "Are the drafted workflows any good?" (issue 15): the plan evaluation of
// metrics/eval.json (`plan`, src/orchestrate/evaluate.ts). For each held-out green session, the
// workflow `orchestrate` drafts from its first prompt (learning only from earlier sessions) against
// what the session did: recall and precision of its activities and of its ordered pairs, next to two
// baselines given as many steps (the most common activities; the most similar past session). Pure:
// the eval.json document in (planPanelData, which checks its shape), HTML text out (planPanelHtml).
import type { PlanEvaluation, PlanScores } from '../orchestrate/evaluate.js';
import { COLOURS, esc, legend } from './svg.js';
import { pct } from './text-charts.js';
import { isObject } from './build-report.js';

export const PLAN_TITLE = 'Are the drafted workflows any good?';

export const PLAN_SERIES = {
  plan: { name: 'drafted plan', colour: COLOURS.blue },
  most_common: { name: 'most common activities', colour: COLOURS.slate },
  most_similar: { name: 'most similar past session', colour: COLOURS.violet },
} as const;

type Side = keyof typeof PLAN_SERIES;
const SIDES: readonly Side[] = ['plan', 'most_common', 'most_similar'];

export interface PlanPanel extends PlanEvaluation {
  /** ISO time of the eval.json commit, or of the report when computed now */
  at: string;
  /** commit of metrics/eval.json; null when computed from the current data */
  sha: string | null;
}

const share = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
const count = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function scores(v: unknown): PlanScores | null {
  if (!isObject(v) || !isObject(v.activities) || !isObject(v.pairs)) return null;
  const { activities: a, pairs: p } = v;
  if (!share(a.recall) || !share(a.precision) || !share(p.recall) || !share(p.precision)) return null;
  return { activities: { recall: a.recall, precision: a.precision }, pairs: { recall: p.recall, precision: p.precision } };
}

/** The plan section of an eval.json document, or null when it has none or another shape. */
export function planPanelData(json: unknown, at: string, sha: string | null): PlanPanel | null {
  if (!isObject(json) || !isObject(json.plan)) return null;
  const p = json.plan;
  const plan = scores(p.plan);
  const common = scores(p.most_common);
  const similar = scores(p.most_similar);
  if (!plan || !common || !similar) return null;
  if (!count(p.train_sessions) || !count(p.test_sessions) || !count(p.planned) || !count(p.mean_plan_steps) || typeof p.pair_recall_margin !== 'number') return null;
  return {
    at,
    sha,
    train_sessions: p.train_sessions,
    test_sessions: p.test_sessions,
    planned: p.planned,
    mean_plan_steps: p.mean_plan_steps,
    plan,
    most_common: common,
    most_similar: similar,
    pair_recall_margin: p.pair_recall_margin,
  };
}

const METRICS: readonly { label: string; of: (s: PlanScores) => number }[] = [
  { label: 'activities: recall', of: (s) => s.activities.recall },
  { label: 'activities: precision', of: (s) => s.activities.precision },
  { label: 'ordered pairs: recall', of: (s) => s.pairs.recall },
  { label: 'ordered pairs: precision', of: (s) => s.pairs.precision },
];

/** Grouped bars: one group per measure, one bar per predictor, 0–100%. */
function barChart(p: PlanPanel, width = 520, height = 240): string {
  const m = { top: 14, right: 12, bottom: 40, left: 40 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const y = (v: number) => m.top + h - v * h;
  const group = w / METRICS.length;
  const bar = (group * 0.7) / SIDES.length;
  const parts: string[] = [];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${m.left}" x2="${m.left + w}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="${COLOURS.grid}"/>`);
    parts.push(`<text x="${m.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="${COLOURS.faint}">${pct(t)}</text>`);
  }
  METRICS.forEach((metric, g) => {
    const x0 = m.left + g * group + group * 0.15;
    SIDES.forEach((side, k) => {
      const v = metric.of(p[side]);
      const top = Math.min(y(v), m.top + h - 1); // a zero still shows as a hairline
      parts.push(
        `<rect data-series="${PLAN_SERIES[side].name}" x="${(x0 + k * bar).toFixed(1)}" y="${top.toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${(m.top + h - top).toFixed(1)}" fill="${PLAN_SERIES[side].colour}"><title>${esc(PLAN_SERIES[side].name)}, ${esc(metric.label)}: ${pct(v, 1)}</title></rect>`,
      );
    });
    const [what, measure] = metric.label.split(': ') as [string, string];
    const cx = (m.left + g * group + group / 2).toFixed(1);
    parts.push(`<text x="${cx}" y="${m.top + h + 15}" text-anchor="middle" font-size="11" fill="${COLOURS.text}">${esc(what)}</text>`);
    parts.push(`<text x="${cx}" y="${m.top + h + 29}" text-anchor="middle" font-size="11" fill="${COLOURS.faint}">${esc(measure)}</text>`);
  });
  return `<svg data-chart="plan-eval" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Recall and precision of the drafted plans and of two baselines" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

const signedPoints = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(Math.round(x * 100))}`;

/** The panel's body and caption; html.ts puts them in a card. */
export function planPanelHtml(p: PlanPanel): { body: string; note: string } {
  const rows = SIDES.map(
    (side) =>
      `<tr data-side="${side}"><td><i style="display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;background:${PLAN_SERIES[side].colour}"></i>${esc(PLAN_SERIES[side].name)}</td>` +
      METRICS.map((metric) => `<td class="num">${pct(metric.of(p[side]))}</td>`).join('') +
      '</tr>',
  );
  const table =
    `<table class="plan-eval" data-table="plan-eval"><thead><tr><th></th><th class="num" colspan="2">activities</th><th class="num" colspan="2">ordered pairs</th></tr>` +
    `<tr><th></th><th class="num">recall</th><th class="num">precision</th><th class="num">recall</th><th class="num">precision</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  const better = p.pair_recall_margin > 0;
  const verdict =
    `<p class="small" data-verdict="${better ? 'better' : 'not-better'}">Ordered pairs recalled: plan ${pct(p.plan.pairs.recall)}, most common ${pct(p.most_common.pairs.recall)}, most similar ${pct(p.most_similar.pairs.recall)}: ` +
    `${signedPoints(p.pair_recall_margin)} points ${better ? 'over' : 'against'} the better baseline.</p>`;
  const basis =
    `<p class="small">${p.test_sessions} held-out green session${p.test_sessions === 1 ? '' : 's'} scored (${p.planned} with a plan, ${p.mean_plan_steps.toFixed(1)} steps on average), ` +
    `drafted from the ${p.train_sessions} older ones. ${p.sha ? `Commit ${esc(p.sha.slice(0, 8))}.` : 'Computed from the current data: no committed evaluation yet.'}</p>`;
  const body =
    `<div class="split"><div>${barChart(p)}${legend(SIDES.map((s) => PLAN_SERIES[s]))}</div>` +
    `<div>${table}${verdict}${basis}</div></div>`;
  const note =
    'Your newest sessions, held out: for each one that ended green, the workflow <code>orchestrate</code> drafts from its first prompt, learning only from older sessions, against what the session did. ' +
    'Recall: the share of what the session did that the plan named; precision: the share of the plan the session did; an ordered pair is two activities in the order the session first used them. ' +
    'Each baseline gets as many steps as the plan: the activities most sessions use, and the one past session whose prompts are most like the task.';
  return { body, note };
}
