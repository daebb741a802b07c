// Runs every benchmark and prints its figures against a baseline measured in the same run.
// `npm run bench` runs all; `npm run bench -- capture ingest` runs some.
import { benchBackfill } from './backfill.mjs';
import { benchCapture } from './capture.mjs';
import { benchIngest } from './ingest.mjs';
import { benchLearn } from './learn.mjs';
import { benchPlanner } from './planner.mjs';

const all = { capture: benchCapture, planner: benchPlanner, ingest: benchIngest, backfill: benchBackfill, learn: benchLearn };
const chosen = process.argv.slice(2).filter((a) => a in all);
console.log(`# agentops-meta benchmarks (node ${process.version}, ${new Date().toISOString()})`);
for (const name of chosen.length ? chosen : Object.keys(all)) all[name]();
