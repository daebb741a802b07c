// Library entry: what benchmarks and other programs may import from dist/lib.js.
export { ingestSpool } from './ingest/ingest.js';
export { openSqliteStore } from './store/sqlite.js';
export { openMemoryStore } from './store/memory.js';
export { dataPaths } from './shell/paths.js';
export { normalize } from './core/normalize.js';
export type * from './core/types.js';
export { hookEntries } from './install/hook-spec.js';
export { formatSettingsJson, pluginHooksDocument } from './install/settings-merge.js';
export { simulate } from './sim/simulate.js';
export { generateWorld } from './sim/worlds.js';
export { qualitySettings, runSetting } from './sim/world-sweep.js';
export { buildTraces } from './learn/traces.js';
export { learn } from './learn/learn.js';
export { mineParallel } from './learn/parallel.js';
export { DEFAULT_CONFIG } from './config/schema.js';
export { runLearning } from './shell/learn-run.js';
export { backfill } from './backfill/backfill.js';
export { writeContext } from './shell/context-writer.js';
