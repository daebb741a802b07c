// The dashboard panel "How much history does the learner need?": the simulated worlds' power curve
// (src/report/power.ts) as a line chart with the user's session count marked, and the harder world
// kinds as a small table under it. Pure: PowerCurve in, HTML text out.
import { DEFAULT_WORLD } from '../sim/worlds.js';
import type { PowerCurve } from './power.js';
import { readOffSentence } from './power.js';
import { COLOURS, esc, legend, lineChart } from './svg.js';
import { duration, pct } from './text-charts.js';

export const POWER_TITLE = 'How much history does the learner need?';

export const POWER_SERIES = {
  good: { name: 'good recipe named (top 3)', colour: COLOURS.green },
  anti: { name: 'anti recipe flagged', colour: COLOURS.red },
  falseAlarm: { name: 'null worlds with any report (false alarms)', colour: COLOURS.amber, dashed: true },
} as const;

const YOU_COLOUR = '#0f172a';

function harderTable(curve: PowerCurve): string {
  if (!curve.harder.length) return '';
  // "rare recipes (15% / 10% of episodes)": the name, with what it means in small print under it.
  const kind = (k: string) => {
    const m = /^(.*?) \((.*)\)$/.exec(k);
    return m ? `${esc(m[1]!)}<div class="small">${esc(m[2]!)}</div>` : esc(k);
  };
  const rows = curve.harder.map(
    (r) =>
      `<tr><td>${kind(r.kind)}</td><td class="num">${r.sessions}</td><td class="num">${pct(r.good_top3)}</td><td class="num">${pct(r.anti_flagged)}</td><td class="num">${pct(r.good_sub_or_super)} / ${pct(r.anti_sub_or_super)}</td><td class="num">${esc(duration(r.learn_ms_median))}</td></tr>`,
  );
  return (
    `<h3 class="plain">Harder worlds</h3><table class="harder" data-table="power-harder"><thead><tr><th>world</th><th class="num">sessions</th><th class="num">good named</th><th class="num">anti flagged</th>` +
    `<th class="num" title="a part or an extension of the recipe told instead (good / anti)">part told instead</th><th class="num">learning</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

/** The panel's body and its caption; html.ts puts them in a card. */
export function powerPanel(curve: PowerCurve): { body: string; note: string } {
  const you = curve.you;
  const chart = lineChart({
    id: 'power-curve',
    title: 'Share of simulated worlds in which the learner found the planted recipes, by number of sessions',
    width: 560,
    height: 250,
    labels: curve.sessions.map(String),
    xTitle: 'sessions in the simulated history',
    yMax: 1,
    yFormat: (v) => pct(v),
    series: [
      { ...POWER_SERIES.good, values: curve.good_top3 },
      { ...POWER_SERIES.anti, values: curve.anti_flagged },
      { ...POWER_SERIES.falseAlarm, values: curve.false_alarm },
    ],
    // Off the simulated range the marker stays at the end, and its label points the way.
    marker: you ? { at: you.at, colour: YOU_COLOUR, label: `${you.where === 'below' ? '← ' : ''}you: ${you.sessions} sessions${you.where === 'above' ? ' →' : ''}` } : undefined,
  });
  const sentence = readOffSentence(curve);
  // Chart on the left; what it means for the user and the harder worlds beside it (under it on a narrow screen).
  const body =
    `<div class="split"><div>${chart}${legend([POWER_SERIES.good, POWER_SERIES.anti, POWER_SERIES.falseAlarm, ...(you ? [{ name: 'your sessions', colour: YOU_COLOUR, dashed: true }] : [])])}</div>` +
    `<div>${sentence ? `<p class="readoff"><b>Your data:</b> ${esc(sentence)}.</p>` : ''}${harderTable(curve)}</div></div>`;
  const w = DEFAULT_WORLD;
  const note =
    `Simulated worlds, not your sessions: each is a corpus from <code>src/sim/worlds.ts</code> with one good recipe (a short run of activities before a test run; ${pct(w.good_pass)} of its tests pass against ${pct(w.neutral_pass)}) and one anti recipe (${pct(w.anti_pass)}) planted at random. ` +
    `The lines give the share of the ${curve.worlds} worlds of each size in which the learner named the exact good recipe among its top 3, flagged the exact anti recipe, and, in null worlds where nothing is planted, reported anything at all. ` +
    `Numbers from <code>metrics/quality.json</code>, written by <code>npm run bench -- quality</code>.`;
  return { body, note };
}
