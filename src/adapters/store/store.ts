/**
 * @module adapters/store/store
 *
 * The service's persistence, one interface over both drivers. What is stored is what rebuilds the
 * venue: the sub-accounts' specs, every journal operation in commit order (replayed on start),
 * the latest oracle quotes and market state; plus API keys (hashed) and liquidation records.
 *
 * Writes go through {@link Store.commit}: everything one step of the service changed, in ONE
 * transaction, so the database never holds half of a step.
 *
 * Units: times in ms since the epoch (UTC); operation bodies carry bigint base units as decimal
 * strings (operation-codec.ts); prices in quote ccy per unit.
 */
import type { SubAccountSpec } from '../../engine/accounts.js';
import type { Operation } from '../../engine/operations.js';
import { decodeOperation, encodeOperation } from './operation-codec.js';
import { migrate } from './migrations.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';

/** Who issued an operation: a user through the API, or the venue itself (top-up, liquidation, ...). */
export type OperationOrigin = 'user' | 'engine';

/** An operation as stored, with its position in the log. */
export interface StoredOperation {
  /** commit order, increasing (gaps are possible) */
  readonly seq: number;
  readonly origin: OperationOrigin;
  readonly op: Operation;
}

/** An API key as stored: only its hash. */
export interface ApiKeyRecord {
  /** SHA-256 of the key, lower-case hex (64 characters) */
  readonly keyHash: string;
  /** `admin`, `read:<accountId>`, `trade:<accountId>` */
  readonly scopes: readonly string[];
  readonly label?: string;
  /** ms since the epoch (UTC) */
  readonly createdAtMs: number;
  /** when it was revoked, ms since the epoch (UTC); absent while valid */
  readonly revokedAtMs?: number;
}

/** The latest quote of one oracle source for one asset. */
export interface StoredQuote {
  readonly asset: string;
  readonly source: string;
  /** quote ccy per unit, > 0 */
  readonly price: number;
  /** when the source observed it, ms UTC */
  readonly timeMs: number;
  /** source-reported confidence in [0, 1] */
  readonly confidence?: number;
}

/** The venue's latest market state, as the service chooses to encode it (JSON). */
export interface MarketStateRecord {
  /** market time, ms UTC */
  readonly timeMs: number;
  readonly body: unknown;
  /** the fall limit's factor g per sub-account key at that market (those other than 1; Venue.fallFactors) */
  readonly fallFactors?: Readonly<Record<string, number>>;
}

/** A liquidation record (JSON body as the venue reported it). */
export interface StoredLiquidation {
  readonly id: number;
  readonly timeMs: number;
  readonly subAccount: string;
  readonly body: unknown;
}

/** Everything one step of the service changed; committed in one transaction. */
export interface CommitBatch {
  readonly subAccounts?: readonly SubAccountSpec[];
  readonly operations?: readonly { readonly op: Operation; readonly origin: OperationOrigin }[];
  readonly liquidations?: readonly {
    readonly timeMs: number;
    readonly subAccount: string;
    readonly body: unknown;
  }[];
  readonly quotes?: readonly StoredQuote[];
  readonly marketState?: MarketStateRecord;
  readonly apiKeys?: readonly Omit<ApiKeyRecord, 'createdAtMs' | 'revokedAtMs'>[];
  /** keys to revoke (by hash), at `revokedAtMs` */
  readonly revokeKeys?: readonly { readonly keyHash: string; readonly revokedAtMs: number }[];
}

/** The store. */
export interface Store {
  readonly driver: SqlClient['driver'];
  /** Applies pending migrations; resolves to the versions applied now. */
  migrate(): Promise<number[]>;
  /** Versions recorded in `schema_migrations`, ascending. */
  appliedMigrations(): Promise<number[]>;
  /** Writes the batch in one transaction (all or nothing). */
  commit(batch: CommitBatch): Promise<void>;
  /** Sub-account specs in opening order. */
  loadSubAccounts(): Promise<SubAccountSpec[]>;
  /** Operations with seq > `afterSeq`, in seq order, at most `limit`. */
  loadOperations(afterSeq?: number, limit?: number): Promise<StoredOperation[]>;
  /** Number of stored operations. */
  countOperations(): Promise<number>;
  loadQuotes(): Promise<StoredQuote[]>;
  loadMarketState(): Promise<MarketStateRecord | undefined>;
  /** Newest first; only `subAccount`'s when given. */
  listLiquidations(limit: number, subAccount?: string): Promise<StoredLiquidation[]>;
  /** Number of stored liquidation records. */
  countLiquidations(): Promise<number>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  close(): Promise<void>;
}

const num = (v: unknown): number => Number(v);

async function writeBatch(tx: SqlExecutor, b: CommitBatch): Promise<void> {
  for (const s of b.subAccounts ?? [])
    await tx.query(
      'insert into sub_accounts (key, account_id, sub_account_id, spec) values ($1, $2, $3, $4)',
      [`${s.accountId}/${s.subAccountId}`, s.accountId, s.subAccountId, JSON.stringify(s)],
    );
  for (const { op, origin } of b.operations ?? [])
    await tx.query(
      'insert into operations (idempotency_key, kind, body, origin, time_ms) values ($1, $2, $3, $4, $5)',
      [op.key, op.kind, JSON.stringify(encodeOperation(op)), origin, op.timeMs],
    );
  for (const l of b.liquidations ?? [])
    await tx.query('insert into liquidations (time_ms, sub_account, body) values ($1, $2, $3)', [
      l.timeMs,
      l.subAccount,
      JSON.stringify(l.body),
    ]);
  for (const q of b.quotes ?? [])
    await tx.query(
      `insert into oracle_quotes (asset, source, price, time_ms, confidence) values ($1, $2, $3, $4, $5)
       on conflict (asset, source) do update set price = excluded.price, time_ms = excluded.time_ms,
         confidence = excluded.confidence, received_at = now()`,
      [q.asset, q.source, q.price, q.timeMs, q.confidence ?? null],
    );
  if (b.marketState)
    await tx.query(
      `insert into market_state (id, time_ms, body, fall_factors) values (1, $1, $2, $3)
       on conflict (id) do update set time_ms = excluded.time_ms, body = excluded.body,
         fall_factors = excluded.fall_factors, updated_at = now()`,
      [
        b.marketState.timeMs,
        JSON.stringify(b.marketState.body),
        b.marketState.fallFactors ? JSON.stringify(b.marketState.fallFactors) : null,
      ],
    );
  for (const k of b.apiKeys ?? [])
    await tx.query('insert into api_keys (key_hash, scopes, label) values ($1, $2, $3)', [
      k.keyHash,
      JSON.stringify(k.scopes),
      k.label ?? null,
    ]);
  for (const k of b.revokeKeys ?? [])
    await tx.query(
      'update api_keys set revoked_at = to_timestamp($2::double precision / 1000) where key_hash = $1 and revoked_at is null',
      [k.keyHash, k.revokedAtMs],
    );
}

/** The store over a SQL client (either driver). Takes ownership of `client` (closed by `close`). */
export function createSqlStore(client: SqlClient): Store {
  return {
    driver: client.driver,
    migrate: () => migrate(client),
    async appliedMigrations() {
      const rows = await client.query<{ version: unknown }>(
        'select version from schema_migrations order by version',
      );
      return rows.map((r) => num(r.version));
    },
    commit: (batch) => client.transaction((tx) => writeBatch(tx, batch)),
    async loadSubAccounts() {
      const rows = await client.query<{ spec: SubAccountSpec }>(
        'select spec from sub_accounts order by ordinal',
      );
      return rows.map((r) => r.spec);
    },
    async loadOperations(afterSeq = 0, limit = 2 ** 31 - 1) {
      const rows = await client.query<{ seq: unknown; origin: OperationOrigin; body: unknown }>(
        'select seq, origin, body from operations where seq > $1 order by seq limit $2',
        [afterSeq, limit],
      );
      return rows.map((r) => ({ seq: num(r.seq), origin: r.origin, op: decodeOperation(r.body) }));
    },
    async countOperations() {
      const rows = await client.query<{ n: unknown }>('select count(*) as n from operations');
      return num(rows[0]?.n ?? 0);
    },
    async loadQuotes() {
      const rows = await client.query<{
        asset: string;
        source: string;
        price: unknown;
        time_ms: unknown;
        confidence: unknown;
      }>('select asset, source, price, time_ms, confidence from oracle_quotes order by asset, source');
      return rows.map((r) => ({
        asset: r.asset,
        source: r.source,
        price: num(r.price),
        timeMs: num(r.time_ms),
        ...(r.confidence === null ? {} : { confidence: num(r.confidence) }),
      }));
    },
    async loadMarketState() {
      const rows = await client.query<{ time_ms: unknown; body: unknown; fall_factors: unknown }>(
        'select time_ms, body, fall_factors from market_state where id = 1',
      );
      const r = rows[0];
      if (!r) return undefined;
      const f = typeof r.fall_factors === 'string' ? (JSON.parse(r.fall_factors) as unknown) : r.fall_factors;
      return {
        timeMs: num(r.time_ms),
        body: r.body,
        ...(f !== null && typeof f === 'object' ? { fallFactors: f as Record<string, number> } : {}),
      };
    },
    async listLiquidations(limit, subAccount) {
      const rows = await client.query<{ id: unknown; time_ms: unknown; sub_account: string; body: unknown }>(
        subAccount === undefined
          ? 'select id, time_ms, sub_account, body from liquidations order by id desc limit $1'
          : 'select id, time_ms, sub_account, body from liquidations where sub_account = $2 order by id desc limit $1',
        subAccount === undefined ? [limit] : [limit, subAccount],
      );
      return rows.map((r) => ({
        id: num(r.id),
        timeMs: num(r.time_ms),
        subAccount: r.sub_account,
        body: r.body,
      }));
    },
    async countLiquidations() {
      const rows = await client.query<{ n: unknown }>('select count(*) as n from liquidations');
      return num(rows[0]?.n ?? 0);
    },
    async listApiKeys() {
      const rows = await client.query<{
        key_hash: string;
        scopes: string[];
        label: string | null;
        created_at: unknown;
        revoked_at: unknown;
      }>(
        'select key_hash, scopes, label, created_at, revoked_at from api_keys order by created_at, key_hash',
      );
      return rows.map((r) => ({
        keyHash: r.key_hash,
        scopes: r.scopes,
        ...(r.label === null ? {} : { label: r.label }),
        createdAtMs: new Date(r.created_at as string | Date).getTime(),
        ...(r.revoked_at === null || r.revoked_at === undefined
          ? {}
          : { revokedAtMs: new Date(r.revoked_at as string | Date).getTime() }),
      }));
    },
    close: () => client.close(),
  };
}
