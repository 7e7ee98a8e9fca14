/**
 * @module adapters/store/pg-client
 *
 * The PostgreSQL driver, through `pg`'s connection pool. A transaction holds one pooled client
 * from BEGIN to COMMIT (or ROLLBACK). `int8` columns come back as decimal strings (pg's default);
 * the store converts them.
 */
import pg from 'pg';
import type { SqlClient, SqlExecutor } from './sql-client.js';

/** Where and how to connect. */
export interface PgClientOptions {
  /** a libpq connection string, e.g. `postgres://user@host:5432/db` */
  readonly connectionString: string;
  /** a schema to create (if missing) and use as the search path; default: the server's (public) */
  readonly schema?: string;
  /** largest number of pooled connections; default 4 */
  readonly maxConnections?: number;
}

/** Schema names we accept: a plain SQL identifier (no quoting needed). */
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

function executor(q: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const res = await q.query(sql, [...params]);
      return res.rows as R[];
    },
    async exec(sql: string) {
      await q.query(sql);
    },
  };
}

/**
 * Connects a pool to PostgreSQL (and creates `schema` when given).
 * @throws Error when the schema name is not a plain identifier or the server cannot be reached
 */
export async function openPgClient(options: PgClientOptions): Promise<SqlClient> {
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_PATTERN.test(schema))
    throw new Error(`schema must match ${String(SCHEMA_PATTERN)}; got ${JSON.stringify(schema)}`);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 4,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that loses its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // One server per database (schema): a session advisory lock held on its own connection until close.
  const lock = new pg.Client({ connectionString: options.connectionString });
  lock.on('error', () => undefined);
  try {
    await lock.connect();
    const name = `xmargin:${schema ?? 'public'}`;
    const got = await lock.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [name]);
    if (got.rows[0]?.ok !== true)
      throw new Error(`the database (schema ${schema ?? 'public'}) is in use by another xmargin server`);
    if (schema !== undefined) await pool.query(`create schema if not exists ${schema}`);
    else await pool.query('select 1');
  } catch (e) {
    await lock.end().catch(() => undefined);
    await pool.end();
    throw e;
  }
  const base = executor(pool);
  return {
    driver: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect();
      let out: Awaited<ReturnType<typeof fn>>;
      try {
        await client.query('begin');
        out = await fn(executor(client));
        await client.query('commit');
      } catch (e) {
        // A connection that cannot even roll back is discarded, not returned to the pool.
        const broken = await client.query('rollback').then(
          () => false,
          () => true,
        );
        client.release(broken);
        throw e;
      }
      client.release();
      return out;
    },
    async close() {
      await pool.end();
      await lock.end().catch(() => undefined);
    },
  };
}
