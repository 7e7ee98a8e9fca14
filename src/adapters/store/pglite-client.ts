/**
 * @module adapters/store/pglite-client
 *
 * The embedded driver: PostgreSQL compiled to WebAssembly (PGlite), in a data directory on disk
 * or in memory (tests). One connection, so statements run one at a time; that suits the service,
 * which writes through one serial queue anyway.
 *
 * One process per data directory: PGlite does not lock its files, so the directory holds
 * `xmargin.pid` while open; a second server is refused unless that process is gone (a killed
 * server leaves a stale file, which is taken over).
 *
 * Durability: PGlite writes its files with ordinary file writes, so a committed transaction
 * survives the process being killed (the data is in the operating system's cache); surviving a
 * power loss needs PostgreSQL with fsync.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor } from './sql-client.js';

type Queryable = Pick<PGlite, 'query' | 'exec'>;

function executor(db: Queryable): SqlExecutor {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const res = await db.query<R>(sql, [...params]);
      return res.rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
  };
}

/**
 * Opens (creating if needed) a PGlite database.
 * @param dataDir  directory of the database files; undefined = in memory (lost at close)
 * @example const client = await openPgliteClient('./.xmargin-data');
 */
export async function openPgliteClient(dataDir?: string): Promise<SqlClient> {
  let lockFile: string | undefined;
  if (dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true });
    lockFile = join(dataDir, 'xmargin.pid');
    takeLock(lockFile);
  }
  let db: PGlite;
  try {
    db = dataDir === undefined ? await PGlite.create() : await PGlite.create(dataDir);
  } catch (e) {
    if (lockFile !== undefined) rmSync(lockFile, { force: true });
    throw e;
  }
  const base = executor(db);
  return {
    driver: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => db.transaction((tx) => fn(executor(tx))),
    async close() {
      await db.close();
      if (lockFile !== undefined) rmSync(lockFile, { force: true });
    },
  };
}

/** @throws Error when another live process holds the data directory */
function takeLock(file: string): void {
  let holder: number | undefined;
  try {
    holder = Number(readFileSync(file, 'utf8').trim());
  } catch {
    holder = undefined;
  }
  if (
    holder !== undefined &&
    Number.isSafeInteger(holder) &&
    holder > 0 &&
    holder !== process.pid &&
    alive(holder)
  )
    throw new InvalidInputError(
      '--data-dir',
      dirname(file),
      `must not be in use by another xmargin server (pid ${holder} holds it): stop that server, or choose another --data-dir`,
    );
  writeFileSync(file, `${process.pid}\n`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
