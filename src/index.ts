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
