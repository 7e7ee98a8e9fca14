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

/**
 * A committed solvency epoch as stored: its published document and every account's slot, leaf
 * node and record, as text the prover's codec writes and reads (src/adapters/prover).
 */
export interface StoredSolvencyEpoch {
  readonly epochId: string;
  /** the epoch's market time, ms UTC */
  readonly timeMs: number;
  /** epoch.json, byte for byte as published */
  readonly document: string;
  readonly accounts: readonly StoredSolvencyAccount[];
}

/** One account of a stored epoch. */
export interface StoredSolvencyAccount {
  /** its leaf index in the tree */
  readonly slot: number;
  /** sub-account key */
  readonly key: string;
  /** the leaf node (hash and sums), JSON */
  readonly leaf: string;
  /** the leaf opening and status, JSON (salts included) */
  readonly record: string;
}

/** A stored epoch's headline: its document and how many compliance proofs are stored. */
export interface StoredSolvencyEpochHead {
  readonly epochId: string;
  readonly document: string;
  readonly proofs: number;
}

/** Rows per insert statement when an epoch's accounts are written. */
const SOLVENCY_ROWS_PER_INSERT = 5_000;

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
  /**
   * Writes a solvency epoch and all its accounts in one transaction (all or nothing).
   * Rejects when the epoch id is already stored (primary key).
   */
  saveSolvencyEpoch(epoch: StoredSolvencyEpoch): Promise<void>;
  /** Writes one compliance proof (JSON) of a stored epoch's slot. */
  saveSolvencyProof(epochId: string, slot: number, proof: string): Promise<void>;
  /** Every stored epoch, in commit order, with its count of proofs. */
  listSolvencyEpochs(): Promise<StoredSolvencyEpochHead[]>;
  /** The accounts of a stored epoch in slot order (empty when unknown). */
  loadSolvencyAccounts(epochId: string): Promise<StoredSolvencyAccount[]>;
  /** The stored proofs of an epoch in slot order. */
  loadSolvencyProofs(epochId: string): Promise<{ readonly slot: number; readonly proof: string }[]>;
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
    saveSolvencyEpoch: (e) =>
      client.transaction(async (tx) => {
        await tx.query('insert into solvency_epochs (epoch_id, time_ms, document) values ($1, $2, $3)', [
          e.epochId,
          e.timeMs,
          e.document,
        ]);
        // Many rows per statement: one JSON array, expanded by the server.
        for (let i = 0; i < e.accounts.length; i += SOLVENCY_ROWS_PER_INSERT)
          await tx.query(
            `insert into solvency_accounts (epoch_id, slot, account_key, leaf, record)
             select $1, x.slot, x.account_key, x.leaf, x.record
             from json_to_recordset($2::json) as x(slot integer, account_key text, leaf text, record text)`,
            [
              e.epochId,
              JSON.stringify(
                e.accounts
                  .slice(i, i + SOLVENCY_ROWS_PER_INSERT)
                  .map((a) => ({ slot: a.slot, account_key: a.key, leaf: a.leaf, record: a.record })),
              ),
            ],
          );
      }),
    async saveSolvencyProof(epochId, slot, proof) {
      await client.query('insert into solvency_proofs (epoch_id, slot, proof) values ($1, $2, $3)', [
        epochId,
        slot,
        proof,
      ]);
    },
    async listSolvencyEpochs() {
      const rows = await client.query<{ epoch_id: string; document: string; proofs: unknown }>(
        `select e.epoch_id, e.document,
           (select count(*) from solvency_proofs p where p.epoch_id = e.epoch_id) as proofs
         from solvency_epochs e order by e.ordinal`,
      );
      return rows.map((r) => ({ epochId: r.epoch_id, document: r.document, proofs: num(r.proofs) }));
    },
    async loadSolvencyAccounts(epochId) {
      const rows = await client.query<{ slot: unknown; account_key: string; leaf: string; record: string }>(
        'select slot, account_key, leaf, record from solvency_accounts where epoch_id = $1 order by slot',
        [epochId],
      );
      return rows.map((r) => ({ slot: num(r.slot), key: r.account_key, leaf: r.leaf, record: r.record }));
    },
    async loadSolvencyProofs(epochId) {
      const rows = await client.query<{ slot: unknown; proof: string }>(
        'select slot, proof from solvency_proofs where epoch_id = $1 order by slot',
        [epochId],
      );
      return rows.map((r) => ({ slot: num(r.slot), proof: r.proof }));
    },
    close: () => client.close(),
  };
}
