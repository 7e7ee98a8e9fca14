/**
 * Shared by the service tests: is a PostgreSQL server reachable at the test address, and
 * per-run unique schemas / databases on it (created and dropped by the tests).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test server: trust auth on loopback (CI and developer machines that run PostgreSQL). */
export const PG_TEST_URL = process.env.XMARGIN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** `undefined` when the server answers, otherwise why not (for the skip reason). */
export async function pgUnavailableReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (e) {
    return `PostgreSQL not reachable at ${PG_TEST_URL} (${(e as Error).message || String(e)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A unique lower-case identifier for a schema or database of this run. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Runs one statement on the test server's maintenance database. */
export async function pgAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The connection string of another database on the test server. */
export function pgUrlForDatabase(database: string): string {
  const u = new URL(PG_TEST_URL);
  u.pathname = `/${database}`;
  return u.toString();
}
