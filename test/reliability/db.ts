// Reading a data folder's database the way an auditor would: the raw bytes of the file and its
// WAL, and every text value of every table. Read-only.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export const dbFile = (home: string): string => path.join(home, 'agentops.db');

/** The database file, its WAL and shared-memory file, as latin1 text (ASCII secrets read as themselves). */
export function databaseBytes(home: string): string {
  return ['', '-wal', '-shm']
    .map((suffix) => `${dbFile(home)}${suffix}`)
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('\n');
}

/**
 * Every value of every column of every table, as text, one string per table. Long values cross
 * page boundaries in the file, where the raw bytes would split a secret; here they are whole.
 */
export function databaseValues(home: string): string[] {
  const db = new Database(dbFile(home), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    return tables.map(({ name }) => {
      const columns = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => `CAST("${c.name}" AS TEXT)`);
      const parts: string[] = [];
      for (const row of db.prepare(`SELECT ${columns.join(', ')} FROM "${name}"`).raw().iterate() as Iterable<unknown[]>) {
        for (const v of row) if (typeof v === 'string') parts.push(v);
      }
      return parts.join('\n');
    });
  } finally {
    db.close();
  }
}

export function integrity(home: string): string {
  const db = new Database(dbFile(home), { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

export function query<T>(home: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(dbFile(home), { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}
