// Schema migrations of the shared PostgreSQL store, applied in order; the version applied is the
// one row of agentops_schema. Append only: never edit a shipped one.
//
// The columns are the SQLite store's, plus where a row came from (machine_id, team). Identifiers
// and the columns results are ordered or grouped by are COLLATE "C": byte order, as SQLite and the
// memory store order them, whatever locale the server was made with (and cheaper to compare).
// ts_ms is a double precision: a millisecond time is exact in it, and a fractional one is kept.
export const PG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     id TEXT COLLATE "C" PRIMARY KEY,
     session_id TEXT COLLATE "C" NOT NULL,
     event TEXT NOT NULL,
     ts_ms DOUBLE PRECISION NOT NULL,
     tool_name TEXT,
     tool_use_id TEXT,
     actor_kind TEXT,
     actor_name TEXT,
     actor_plugin TEXT,
     actor_server TEXT,
     outcome TEXT,
     duration_ms DOUBLE PRECISION,
     agent_id TEXT,
     agent_type TEXT,
     prompt_id TEXT,
     cwd TEXT,
     project TEXT COLLATE "C",
     bash_kind TEXT,
     test TEXT,
     source TEXT NOT NULL,
     payload TEXT NOT NULL,
     machine_id TEXT,
     team TEXT
   );
   CREATE INDEX events_session_ts ON events (session_id, ts_ms, id);
   CREATE INDEX events_tool_use ON events (tool_use_id, event) WHERE tool_use_id IS NOT NULL;
   CREATE TABLE quarantine (
     id TEXT COLLATE "C" PRIMARY KEY,
     ts_ms DOUBLE PRECISION NOT NULL,
     event TEXT,
     reason TEXT NOT NULL,
     size BIGINT NOT NULL,
     raw TEXT NOT NULL
   );
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
];

/** Any constant: every migrating client takes this transaction-level advisory lock first. */
export const MIGRATION_LOCK = 7_146_001;
