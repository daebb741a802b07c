// Types of pg-server.mjs (plain JS, so the benchmarks can import it too).
export declare const POSTGRES_HINT: string;
export declare function postgresBin(root?: string): string | null;

export interface PgServer {
  port: number;
  /** a connection URL for `database` (default: postgres) */
  url(database?: string): string;
  /** creates an empty database with a fresh name and returns its URL */
  freshDatabase(): Promise<string>;
  /** stops the server the hard way (as a crash would) and starts it again after `downMs` */
  restart(downMs?: number): void;
  stop(): void;
}

export declare function startPostgres(settings?: string[]): Promise<PgServer>;
