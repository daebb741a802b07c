// What every command needs: where the data lives, the store, and how to print.
import fs from 'node:fs';
import { openSqliteStoreRecovering } from '../store/sqlite.js';
import type { EventStore } from '../store/port.js';
import { dataPaths, type DataPaths } from '../shell/paths.js';
import { CliError } from './errors.js';

export interface CliContext {
  paths: DataPaths;
  out: (text: string) => void;
  json: (value: unknown) => void;
  withStore<T>(fn: (store: EventStore) => T): T;
}

export function defaultContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const paths = dataPaths(env);
  return {
    paths,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    json: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    withStore<T>(fn: (store: EventStore) => T): T {
      let store: EventStore;
      try {
        fs.mkdirSync(paths.home, { recursive: true, mode: 0o700 });
        const opened = openSqliteStoreRecovering(paths.db);
        store = opened.store;
        if (opened.movedAside) process.stderr.write(`agentops-meta: the database could not be read; it was moved aside to ${opened.movedAside} and a new one started (run \`agentops-meta doctor\`)\n`);
      } catch (e) {
        throw new CliError(`cannot open the database at ${paths.db}: ${(e as Error).message}`, 1, 'run `agentops-meta doctor`, or set AGENTOPS_META_HOME to a writable folder');
      }
      let result: T;
      try {
        result = fn(store);
      } catch (e) {
        store.close();
        throw e;
      }
      // An async user keeps the store until its promise settles.
      if (result instanceof Promise) return result.finally(() => store.close()) as T;
      store.close();
      return result;
    },
  };
}
