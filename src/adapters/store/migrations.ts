/**
 * @module adapters/store/migrations
 *
 * The one SQL schema of the store, as numbered migrations. Each migration is applied in its own
 * transaction together with its row in `schema_migrations`, so a migration is either fully
 * applied and recorded or not at all; applied migrations are never edited, only followed by new
 * ones. The same SQL runs on PGlite and on PostgreSQL.
 *
 * Tables:
 * - `operations`: every journal operation, user's and engine's, in commit order (`seq`); the
 *   body is the operation as JSON with bigint fields as decimal strings of base units;
 * - `sub_accounts`: the spec each sub-account was opened with;
 * - `api_keys`: SHA-256 of each key (hex), its scopes and when it was revoked (migration 2); keys
 *   themselves are never stored;
 * - `oracle_quotes`: the latest quote of each (asset, source);
 * - `market_state`: one row, the latest market state the venue was at (restored on start), with
 *   the fall limit's factor per sub-account at that market (`fall_factors`, migration 4);
 * - `liquidations`: the record of every executed liquidation;
 * - `solvency_epochs`, `solvency_accounts`, `solvency_proofs` (migration 3): every committed
 *   solvency epoch — its published epoch.json (text, byte for byte), each account's slot, leaf
 *   node and leaf opening (salts included: secret to the venue and the owner), and each compliance
 *   proof once made. Documents are `text`, not `jsonb`, so that what is served after a restart is
 *   the very text served before it (jsonb reorders keys).
 */
import type { SqlClient } from './sql-client.js';

/** One migration: a version (1, 2, ...), a name and its SQL script. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every migration, in version order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      create table sub_accounts (
        ordinal bigserial unique,
        key text primary key,
        account_id text not null,
        sub_account_id text not null,
        spec jsonb not null,
        created_at timestamptz not null default now()
      );
      create table operations (
        seq bigserial primary key,
        idempotency_key text not null unique,
        kind text not null,
        body jsonb not null,
        origin text not null check (origin in ('user', 'engine')),
        time_ms bigint not null,
        created_at timestamptz not null default now()
      );
      create table api_keys (
        key_hash text primary key check (key_hash ~ '^[0-9a-f]{64}$'),
        scopes jsonb not null,
        label text,
        created_at timestamptz not null default now()
      );
      create table oracle_quotes (
        asset text not null,
        source text not null,
        price double precision not null check (price > 0),
        time_ms bigint not null,
        confidence double precision,
        received_at timestamptz not null default now(),
        primary key (asset, source)
      );
      create table market_state (
        id integer primary key check (id = 1),
        time_ms bigint not null,
        body jsonb not null,
        updated_at timestamptz not null default now()
      );
      create table liquidations (
        id bigserial primary key,
        time_ms bigint not null,
        sub_account text not null,
        body jsonb not null,
        created_at timestamptz not null default now()
      );
      create index liquidations_sub_account on liquidations (sub_account, id);
    `,
  },
  {
    version: 2,
    name: 'api key revocation',
    sql: `
      alter table api_keys add column revoked_at timestamptz;
    `,
  },
  {
    version: 3,
    name: 'solvency epochs',
    sql: `
      create table solvency_epochs (
        ordinal bigserial unique,
        epoch_id text primary key,
        time_ms bigint not null,
        document text not null,
        created_at timestamptz not null default now()
      );
      create table solvency_accounts (
        epoch_id text not null references solvency_epochs (epoch_id),
        slot integer not null check (slot >= 0),
        account_key text not null,
        leaf text not null,
        record text not null,
        primary key (epoch_id, slot),
        unique (epoch_id, account_key)
      );
      create table solvency_proofs (
        epoch_id text not null,
        slot integer not null,
        proof text not null,
        created_at timestamptz not null default now(),
        primary key (epoch_id, slot),
        foreign key (epoch_id, slot) references solvency_accounts (epoch_id, slot)
      );
    `,
  },
  {
    version: 4,
    name: 'fall-limit factors with the market state',
    sql: `
      alter table market_state add column fall_factors jsonb;
    `,
  },
];

/**
 * Applies the migrations not yet recorded, in version order, each in its own transaction.
 * @returns the versions applied by this call (empty when the schema was up to date)
 */
export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  await client.exec(`
    create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    );
  `);
  const applied = new Set(
    (await client.query<{ version: number }>('select version from schema_migrations')).map((r) =>
      Number(r.version),
    ),
  );
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    await client.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
    });
    done.push(m.version);
  }
  return done;
}
