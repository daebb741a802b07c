// Schema migrations, applied in order by PRAGMA user_version. Append only: never edit a shipped one.
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     id TEXT PRIMARY KEY,
     session_id TEXT NOT NULL,
     event TEXT NOT NULL,
     ts_ms INTEGER NOT NULL,
     tool_name TEXT,
     tool_use_id TEXT,
     actor_kind TEXT,
     actor_name TEXT,
     actor_plugin TEXT,
     actor_server TEXT,
     outcome TEXT,
     duration_ms REAL,
     agent_id TEXT,
     agent_type TEXT,
     prompt_id TEXT,
     cwd TEXT,
     project TEXT,
     bash_kind TEXT,
     test TEXT,
     source TEXT NOT NULL,
     payload TEXT NOT NULL
   );
   CREATE INDEX events_session_ts ON events (session_id, ts_ms);
   CREATE INDEX events_ts ON events (ts_ms);
   CREATE INDEX events_tool_use ON events (tool_use_id, event) WHERE tool_use_id IS NOT NULL;
   CREATE INDEX events_tests ON events (session_id, ts_ms) WHERE test IS NOT NULL;
   CREATE TABLE quarantine (
     id TEXT PRIMARY KEY,
     ts_ms INTEGER NOT NULL,
     event TEXT,
     reason TEXT NOT NULL,
     size INTEGER NOT NULL,
     raw TEXT NOT NULL
   );
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // 2: every insert paid for an index on ts_ms that only `events --limit` used; a sort is cheap there.
  `DROP INDEX IF EXISTS events_ts;`,
];
