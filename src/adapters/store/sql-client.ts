/**
 * @module adapters/store/sql-client
 *
 * The small SQL surface the store needs, implemented by both drivers (embedded PGlite and
 * PostgreSQL through `pg`): parameterised queries, multi-statement scripts and transactions.
 * Everything above this interface (schema, migrations, queries) is shared, so both drivers run
 * the same SQL and the same test suite.
 */

/** Runs statements; inside a transaction or on the whole database. */
export interface SqlExecutor {
  /** One parameterised statement (`$1`, `$2`, ...); resolves to its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** A script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A database connection (or pool) with transactions. */
export interface SqlClient extends SqlExecutor {
  /** `pglite` (embedded, WASM) or `postgres` (a server reached through `pg`) */
  readonly driver: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction: committed when `fn` resolves, rolled back when it rejects
   * (the rejection is passed on).
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Closes the connection(s); pending work is finished first. */
  close(): Promise<void>;
}
