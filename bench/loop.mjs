// Does the advice change outcomes? (issue 14) A SIMULATION: `agentops-meta simulate` in-process, 60
// days of 20 sessions through the installed hooks with an agent that follows each piece of advice
// with probability 0.6, the daemon's nightly learn-and-commit into a scratch repository, and a
// control run of the same world without the product; then the same with adherence 0 (the advice is
// ignored: nothing may be claimed or stopped). First, the sessions a 95% anytime-valid confidence
// sequence needs to detect an uplift of +10 and +20 points, which is how the holdout share was chosen.
// Knobs: LOOP_DAYS, LOOP_SESSIONS, LOOP_SEED, LOOP_HOLDOUT (default 0.2), LOOP_WITHHOLD (default: the
// product's), LOOP_ZERO_DAYS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { productNightly, runLoop, sessionsToDetect } from '../dist/lib.js';
import { report } from './lib.mjs';

const pct = (x) => (x === null || x === undefined ? '   -' : `${Math.round(x * 100)}%`.padStart(4));
const pts = (x) => (x === null || x === undefined ? '-' : `${x >= 0 ? '+' : ''}${Math.round(x * 100)}`);

function weekly(days) {
  const weeks = [];
  for (let w = 0; w * 7 < days.length; w++) {
    const rows = days.slice(w * 7, w * 7 + 7);
    const pool = (n, p) => {
      let total = 0;
      let passed = 0;
      for (const d of rows) if (p(d) !== null) [total, passed] = [total + n(d), passed + p(d) * n(d)];
      return total ? passed / total : null;
    };
    weeks.push({
      week: w + 1,
      days: `${rows[0].day}-${rows.at(-1).day}`,
      advised: pool((d) => d.advised, (d) => d.pass_advised),
      holdout: pool((d) => d.holdout, (d) => d.pass_holdout),
      control: pool((d) => d.sessions, (d) => d.pass_control),
      advised_n: rows.reduce((s, d) => s + d.advised, 0),
      holdout_n: rows.reduce((s, d) => s + d.holdout, 0),
    });
  }
  return weeks;
}

async function simulateRun(label, options) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-bench-loop-'));
  const t0 = performance.now();
  try {
    const r = await runLoop({ ...options, dir, nightly: productNightly });
    return { r, ms: performance.now() - t0 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function adviceRows(r) {
  return r.advice.map((a) => [
    `  ${a.kind === 'avoid' ? 'avoid ' : ''}${a.steps.join(' → ')}${a.truth ? ` [${a.truth}]` : ''}`,
    `days ${a.first_day ?? '-'}-${a.last_day ?? '-'}; vs holdout ${pts(a.uplift)} (${pts(a.lower)} .. ${pts(a.upper)}, ${a.told} told / ${a.holdout}); on its own ${pts(a.own_uplift)} (${pts(a.own_lower)} .. ${pts(a.own_upper)}, ${a.withheld} withheld); ${a.state}${a.stopped_day ? ` on day ${a.stopped_day}` : ''}`,
  ]);
}

export async function benchLoop() {
  const days = Number(process.env.LOOP_DAYS ?? 60);
  const perDay = Number(process.env.LOOP_SESSIONS ?? 20);
  const seed = Number(process.env.LOOP_SEED ?? 1);
  const holdout = Number(process.env.LOOP_HOLDOUT ?? 0.2);
  const zeroDays = Number(process.env.LOOP_ZERO_DAYS ?? days);
  const withhold = process.env.LOOP_WITHHOLD === undefined ? undefined : Number(process.env.LOOP_WITHHOLD);

  const sizes = [];
  for (const h of [0.1, 0.2, 0.3]) {
    for (const delta of [0.1, 0.2]) {
      const s = sessionsToDetect(delta, h);
      sizes.push([`  holdout ${Math.round(h * 100)}%, uplift +${Math.round(delta * 100)} points`, `${s.sequence} sessions (${Math.ceil(s.sequence / perDay)} days at ${perDay}/day); a one-look fixed test: ${s.fixed}; holdout sessions lose ${(h * delta * 100).toFixed(0)} points each`]);
    }
  }
  report('sessions (told + holdout) to detect an uplift with 80% power, 95% anytime-valid confidence sequence, pass rate 50% (bench/loop.mjs)', sizes);

  const main = await simulateRun('adherence 0.6', { days, sessions_per_day: perDay, seed, adherence: 0.6, holdout_share: holdout, withhold_share: withhold });
  const r = main.r;
  const rows = [
    ['planted (SIMULATION)', `good ${r.truth.good.join(' → ')}; anti ${r.truth.anti.join(' → ')}; trap ${r.truth.trap.join(' → ')}`],
    ['week (days): pass advised / holdout / control', ''],
    ...weekly(r.days).map((w) => [`  week ${w.week} (${w.days})`, `${pct(w.advised)} / ${pct(w.holdout)} / ${pct(w.control)}   (${w.advised_n} advised, ${w.holdout_n} holdout)`]),
    ['advice as of the last night', ''],
    ...adviceRows(r),
    ['first advised: good / anti / trap', `day ${r.milestones.good_advised ?? '-'} / ${r.milestones.anti_advised ?? '-'} / ${r.milestones.trap_advised ?? '-'}; trap last advised: day ${r.milestones.trap_last_advised ?? '-'}, stopped: ${r.milestones.trap_stopped === null ? 'no' : `day ${r.milestones.trap_stopped}, by ${r.milestones.trap_stopped_by}`}`],
  ];
  if (r.since_good) {
    const s = r.since_good;
    rows.push([`from day ${r.milestones.good_advised} on`, `advised ${pct(s.advised)} of ${s.advised_n}, holdout ${pct(s.holdout)} of ${s.holdout_n}, control ${pct(s.control)} of ${s.control_n}`]);
  }
  const good = r.advice.filter((a) => a.truth === 'good');
  rows.push(['good advice: interval excludes zero at the end', good.length ? good.map((a) => `${a.lower > 0 ? 'yes' : 'no'} (${pts(a.lower)} .. ${pts(a.upper)})`).join(', ') : 'never advised']);
  rows.push(['run time', `${(main.ms / 1000).toFixed(0)} s for ${days} days x ${perDay} sessions, ${r.commits} learning commits`]);
  report(`closing the loop: ${days} simulated days, adherence 0.6, holdout ${Math.round(holdout * 100)}%, seed ${seed} (SIMULATION)`, rows);

  const zero = await simulateRun('adherence 0', { days: zeroDays, sessions_per_day: perDay, seed, adherence: 0, holdout_share: holdout, withhold_share: withhold });
  const z = zero.r;
  const claimed = z.advice.filter((a) => a.lower > 0 || a.upper < 0);
  const stopped = z.advice.filter((a) => a.state === 'stopped');
  report(`the same world, adherence 0: the agent ignores the advice (SIMULATION)`, [
    ...adviceRows(z),
    ['effects claimed (interval excludes zero)', `${claimed.length} of ${z.advice.length}`],
    ['stopped', `${stopped.length} of ${z.advice.length}`],
    ['run time', `${(zero.ms / 1000).toFixed(0)} s`],
  ]);
  if (process.env.LOOP_JSON) fs.writeFileSync(process.env.LOOP_JSON, `${JSON.stringify({ sizes, main: r, zero: z }, null, 2)}\n`);
}
