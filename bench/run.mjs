// Runs every benchmark and prints its figures against a baseline measured in the same run.
// `npm run bench` runs all; `npm run bench -- capture ingest` runs some. Each benchmark runs in a
// process of its own, so none measures the heap or the warm JIT another left behind (backfill's
// peak RSS, for one).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const loaders = {
  capture: async () => (await import('./capture.mjs')).benchCapture,
  planner: async () => (await import('./planner.mjs')).benchPlanner,
  ingest: async () => (await import('./ingest.mjs')).benchIngest,
  backfill: async () => (await import('./backfill.mjs')).benchBackfill,
  learn: async () => (await import('./learn.mjs')).benchLearn,
  'learn-miner': async () => (await import('./learn-miner.mjs')).benchLearnMiner,
  quality: async () => (await import('./quality.mjs')).benchQuality,
  orchestrate: async () => (await import('./orchestrate.mjs')).benchOrchestrate,
  loop: async () => (await import('./loop.mjs')).benchLoop,
  ship: async () => (await import('./ship.mjs')).benchShip,
};

const args = process.argv.slice(2);
if (args[0] === '--one') {
  await (await loaders[args[1]]())();
} else {
  const chosen = args.filter((a) => a in loaders);
  console.log(`# agentops-meta benchmarks (node ${process.version}, ${new Date().toISOString()})`);
  for (const name of chosen.length ? chosen : Object.keys(loaders)) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', name], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = 1;
  }
}
