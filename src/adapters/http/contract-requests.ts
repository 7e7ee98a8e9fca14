/**
 * @module adapters/http/contract-requests
 *
 * The zod schemas of every request of the API (strict: unknown fields are errors naming them).
 * Amounts are decimal strings of base units, converted to bigint after validation. Every string
 * passes the boundary rule of text-rules.ts (no control characters, valid Unicode, NFC, capped).
 *
 * Who may send what is decided by the routes (auth.ts): a trade with a `price` (a fill) only from
 * the venue's matching side (`venue` or `admin` scope), `timeMs` only from `admin` (and never
 * behind the venue's clock); the server assigns the time of everything else.
 */
import { z } from 'zod';
import { HEALTH_STATUSES } from '../../core/margin/account-risk.js';
import { ACCOUNT_ID_PATTERN } from '../../engine/accounts.js';
import { identifier, safeText } from './text-rules.js';

/** `admin`, `venue` (the matching side: fills for any account), `read:<accountId>`, `trade:<accountId>`. */
export const SCOPE_PATTERN = new RegExp(
  `^(admin|venue|(read|trade):${ACCOUNT_ID_PATTERN.source.slice(1, -1)})$`,
);

const units = (rule: string) =>
  z.string().regex(/^-?\d{1,78}$/, `must be a decimal string of base units (${rule})`);
const isInt = (s: string) => /^-?\d{1,78}$/.test(s);
const positiveUnits = units('> 0').refine((s) => !isInt(s) || BigInt(s) > 0n, 'must be > 0 base units');

/** `accountId/subAccountId`. */
export const SubAccountKey = identifier(
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
  'must be "accountId/subAccountId"',
  129,
);
/** An account or sub-account id. */
export const AccountId = identifier(ACCOUNT_ID_PATTERN, `must match ${String(ACCOUNT_ID_PATTERN)}`, 64);
/** An asset symbol. */
export const AssetSymbol = identifier(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'must be an asset symbol', 32);
/** An instrument id. */
export const InstrumentId = identifier(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'must be an instrument id', 64);
/** Idempotency keys: printable, 1–200 characters; `engine-` is reserved for the venue's own. */
export const IdempotencyKey = identifier(
  /^[\x21-\x7e]{1,200}$/,
  'must be 1–200 printable ASCII characters',
  200,
).refine((k) => !k.startsWith('engine-'), 'must not start with "engine-" (reserved for the venue)');
/** A client-given time (admin only), ms since the epoch. */
const TimeMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();
/** Signed contracts: finite and non-zero; the venue bounds the notional (trading params). */
const Size = z
  .number()
  .refine((x) => Number.isFinite(x) && x !== 0, 'must be a finite non-zero number of contracts')
  .refine((x) => Math.abs(x) <= 1e12, 'must be at most 1e12 contracts in absolute value');

/** POST /operations: a user operation (bigint fields as decimal strings). */
export const OperationRequest = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('deposit'),
    key: IdempotencyKey,
    timeMs: TimeMs,
    to: SubAccountKey,
    asset: AssetSymbol,
    units: positiveUnits,
  }),
  z.strictObject({
    kind: z.literal('withdrawal'),
    key: IdempotencyKey,
    timeMs: TimeMs,
    from: SubAccountKey,
    asset: AssetSymbol,
    units: positiveUnits,
  }),
  z.strictObject({
    kind: z.literal('transfer'),
    key: IdempotencyKey,
    timeMs: TimeMs,
    from: SubAccountKey,
    to: SubAccountKey,
    asset: AssetSymbol,
    units: positiveUnits,
  }),
  z.strictObject({
    kind: z.literal('trade'),
    key: IdempotencyKey,
    timeMs: TimeMs,
    subAccount: SubAccountKey,
    instrument: InstrumentId,
    size: Size,
    /** a fill's agreed price (venue scope); absent: an order filled by the market maker */
    price: z.number().min(0).refine(Number.isFinite, 'must be finite').optional(),
  }),
  z.strictObject({
    kind: z.literal('funding'),
    key: IdempotencyKey,
    timeMs: TimeMs,
    payer: z.union([SubAccountKey, z.literal('settlement')]),
    receiver: z.union([SubAccountKey, z.literal('settlement')]),
    asset: AssetSymbol,
    units: positiveUnits,
  }),
]);
export type OperationRequest = z.output<typeof OperationRequest>;

/** POST /accounts */
export const OpenSubAccountRequest = z.strictObject({
  accountId: AccountId,
  subAccountId: AccountId,
  mode: identifier(/^[a-z0-9-]{1,32}$/, 'must be a margin model name', 32),
  limits: z
    .strictObject({
      maxLeverage: z.number().positive().refine(Number.isFinite, 'must be finite').optional(),
      bufferFraction: z.number().min(0).max(100).optional(),
      autoTopUp: z.boolean().optional(),
      collateralOrder: z.array(AssetSymbol).max(32).optional(),
    })
    .optional(),
});

/** POST /keys */
export const CreateKeyRequest = z.strictObject({
  scopes: z
    .array(identifier(SCOPE_PATTERN, 'must be admin, venue, read:<accountId> or trade:<accountId>', 80))
    .min(1)
    .max(64),
  label: safeText(100).optional(),
});

/** Path of a key: its id (the first 16 hex digits of its SHA-256). */
export const KeyParams = z.strictObject({
  keyId: identifier(/^[0-9a-f]{16}$/, 'must be a key id (16 hex digits)', 16),
});

/** POST /oracle/quotes */
export const QuotesRequest = z.strictObject({
  quotes: z
    .array(
      z.strictObject({
        asset: AssetSymbol,
        source: safeText(64),
        price: z.number().positive().refine(Number.isFinite, 'must be finite'),
        /** when the source observed the price, ms UTC: not in the future, aged by the server's clock */
        timeMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
        confidence: z.number().min(0).max(1).optional(),
      }),
    )
    .min(1)
    .max(1000),
});

/** Path of a sub-account. */
export const SubAccountParams = z.strictObject({ accountId: AccountId, subAccountId: AccountId });

/** POST .../whatif */
export const WhatIfRequest = z.strictObject({ instrument: InstrumentId, size: Size });

/** The optional `key` query parameter every authenticated GET accepts. */
const KeyQuery = safeText(200).optional();

/** `?models=a,b`: restricts a comparison to these models (default: all compared models). */
export const ModelsQuery = z.strictObject({
  models: identifier(
    /^[a-z0-9-]+(,[a-z0-9-]+){0,15}$/,
    'must be a comma-separated list of model names',
    400,
  ).optional(),
  key: KeyQuery,
});

const limit = (max: number, def: number) => z.coerce.number().int().min(1).max(max).default(def);

/** GET /accounts */
export const ListAccountsQuery = z.strictObject({
  sort: z.enum(['health', 'id']).default('id'),
  status: z.enum(HEALTH_STATUSES).optional(),
  limit: limit(1000, 50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  key: KeyQuery,
});

/** GET /liquidations */
export const ListLiquidationsQuery = z.strictObject({ limit: limit(1000, 50), key: KeyQuery });

/** GET /adl */
export const AdlQuery = z.strictObject({
  side: z.enum(['long', 'short']).optional(),
  limit: limit(1000, 20),
  key: KeyQuery,
});

/** GET /operations */
export const ListOperationsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: limit(10_000, 1000),
  key: KeyQuery,
});

/** Queries that take only the optional `key`. */
export const KeyOnlyQuery = z.strictObject({ key: KeyQuery });

/** POST /replay/step (admin): advance a demo replay by `steps` steps (it may be paused: speed 0). */
export const ReplayStepRequest = z.strictObject({ steps: z.number().int().min(1).max(1000).default(1) });

/** WebSocket client message. */
export const StreamMessage = z.strictObject({
  type: z.literal('subscribe'),
  accounts: z.array(SubAccountKey).max(1000).default([]),
  venue: z.boolean().default(false),
});
