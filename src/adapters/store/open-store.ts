/**
 * @module adapters/store/open-store
 *
 * Chooses the driver: PostgreSQL when a connection string is given (the service passes
 * `DATABASE_URL`), otherwise embedded PGlite in `dataDir` (in memory when `dataDir` is undefined),
 * and migrates the schema.
 */
import { openPgClient } from './pg-client.js';
import { openPgliteClient } from './pglite-client.js';
import { createSqlStore, type Store } from './store.js';

/** Where the store lives. */
export interface StoreLocation {
  /** PostgreSQL connection string; when set, PGlite is not used */
  readonly databaseUrl?: string;
  /** PostgreSQL schema to use (created if missing); default the server's search path */
  readonly schema?: string;
  /** PGlite data directory; undefined = in memory */
  readonly dataDir?: string;
}

/** Opens the store and applies pending migrations. */
export async function openStore(location: StoreLocation): Promise<Store> {
  const client =
    location.databaseUrl !== undefined && location.databaseUrl !== ''
      ? await openPgClient({
          connectionString: location.databaseUrl,
          ...(location.schema !== undefined ? { schema: location.schema } : {}),
        })
      : await openPgliteClient(location.dataDir);
  const store = createSqlStore(client);
  try {
    await store.migrate();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
