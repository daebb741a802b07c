// Does the learner name the recipe that works? Worlds from the project's simulator (src/sim/worlds.ts):
// one random good and one anti recipe over the whole activity vocabulary, planted before a test run,
// in 1-3 episodes a session, plus null worlds with nothing to find. Per setting: the exact good recipe
// in the top 3, the exact anti recipe flagged, a part or extension told instead, null worlds with any
// report, learning time. Targets at 400 sessions: good >= 90%, anti >= 80%, null <= 5%, learning
// <= 2 s (printed against `node -e 0` measured in the same run). Writes metrics/quality.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { qualitySettings, runSetting } from '../dist/lib.js';
import { fmt, interleaved, report, timeSpawn } from './lib.mjs';

const pct = (x) => `${Math.round(x * 100)}%`.padStart(4);
const met = (ok) => (ok ? 'met' : 'NOT met');

export function benchQuality(worlds = Number(process.env.QUALITY_WORLDS ?? 20)) {
  const node = interleaved(5, { node: () => timeSpawn(process.execPath, ['-e', '0']) }).node;
  const rows = [];
  const out = [];
  for (const setting of qualitySettings(worlds)) {
    const row = runSetting(setting, () => performance.now());
    out.push(row);
    const what = row.kind === 'null'
      ? `any report ${pct(row.any_report)}`
      : `good top-3 ${pct(row.good_top3)}, anti ${pct(row.anti_flagged)}, part/extension instead ${pct(row.good_sub_or_super)} / ${pct(row.anti_sub_or_super)}`;
    rows.push([`${row.kind}, ${row.sessions} sessions (${row.worlds} worlds)`, `${what}; learn median ${row.learn_ms_median} ms (${fmt(row.learn_ms_median / node, 2)}x node -e 0), max ${row.learn_ms_max} ms`]);
  }
  const at400 = out.find((r) => r.kind === 'default' && r.sessions === 400);
  const null400 = out.find((r) => r.kind === 'null' && r.sessions === 400);
  rows.push(['targets at 400 sessions', `good ${met(at400.good_top3 >= 0.9)}, anti ${met(at400.anti_flagged >= 0.8)}, null ${met(null400.any_report <= 0.05)}, time ${met(at400.learn_ms_max <= 2000)} (node -e 0: ${fmt(node, 0)} ms)`]);
  report('recipe worlds: is the exact planted recipe named? (bench/quality.mjs)', rows);
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'metrics', 'quality.json');
  const doc = { generated_by: 'npm run bench -- quality', node_e0_ms: Math.round(node), worlds_per_setting: worlds, settings: out };
  fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
