/**
 * @module adapters/http/request-schemas
 *
 * The zod schemas of every request (strict: unknown fields are errors). Amounts are decimal
 * strings of base units (`units`, `cashUnits`, `feeUnits`), converted to bigint after validation.
 */
import { z } from 'zod';
import { ACCOUNT_ID_PATTERN, MARGIN_MODES } from '../../engine/accounts.js';
import type { Operation } from '../../engine/operations.js';
import { SCOPE_PATTERN } from './auth.js';

const units = (rule: string) =>
  z.string().regex(/^-?\d{1,78}$/, `must be a decimal string of base units (${rule})`);
const isInt = (s: string) => /^-?\d{1,78}$/.test(s);
const positiveUnits = units('> 0').refine((s) => !isInt(s) || BigInt(s) > 0n, 'must be > 0 base units');
const nonNegativeUnits = units('>= 0').refine((s) => !isInt(s) || BigInt(s) >= 0n, 'must be >= 0 base units');
const subAccountKey = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'must be "accountId/subAccountId"',
  );
/** Idempotency keys; `engine-` is reserved for the operations the venue applies itself. */
const idemKey = z
  .string()
  .min(1)
  .max(200)
  .refine((k) => !k.startsWith('engine-'), 'must not start with "engine-" (reserved for the venue)');
const timeMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();
const asset = z.string().min(1).max(32);

/** POST /operations: a user operation (bigint fields as decimal strings). */
export const OperationRequest = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('deposit'),
    key: idemKey,
    timeMs,
    to: subAccountKey,
    asset,
    units: positiveUnits,
  }),
  z.strictObject({
    kind: z.literal('withdrawal'),
    key: idemKey,
    timeMs,
    from: subAccountKey,
    asset,
    units: positiveUnits,
  }),
  z.strictObject({
    kind: z.literal('transfer'),
    key: idemKey,
    timeMs,
    from: subAccountKey,
    to: subAccountKey,
    asset,
    units: positiveUnits,
  }),
  z.strictObject({
    kind: z.literal('trade'),
    key: idemKey,
    timeMs,
    subAccount: subAccountKey,
    instrument: z.string().min(1).max(64),
    size: z
      .number()
      .refine((x) => Number.isFinite(x) && x !== 0, 'must be a finite non-zero number of contracts'),
    price: z.number().positive(),
    asset,
    cashUnits: units('any sign'),
    feeUnits: nonNegativeUnits.default('0'),
  }),
  z.strictObject({
    kind: z.literal('funding'),
    key: idemKey,
    timeMs,
    payer: z.union([subAccountKey, z.literal('settlement')]),
    receiver: z.union([subAccountKey, z.literal('settlement')]),
    asset,
    units: positiveUnits,
  }),
]);
export type OperationRequest = z.output<typeof OperationRequest>;

/** The engine operation of a validated request at `timeMs`. */
export function toOperation(r: OperationRequest, timeMs: number): Operation {
  switch (r.kind) {
    case 'deposit':
      return { kind: r.kind, key: r.key, timeMs, to: r.to, asset: r.asset, units: BigInt(r.units) };
    case 'withdrawal':
      return { kind: r.kind, key: r.key, timeMs, from: r.from, asset: r.asset, units: BigInt(r.units) };
    case 'transfer':
      return {
        kind: r.kind,
        key: r.key,
        timeMs,
        from: r.from,
        to: r.to,
        asset: r.asset,
        units: BigInt(r.units),
      };
    case 'trade':
      return {
        kind: r.kind,
        key: r.key,
        timeMs,
        subAccount: r.subAccount,
        instrument: r.instrument,
        size: r.size,
        price: r.price,
        asset: r.asset,
        cashUnits: BigInt(r.cashUnits),
        feeUnits: BigInt(r.feeUnits),
      };
    case 'funding':
      return {
        kind: r.kind,
        key: r.key,
        timeMs,
        payer: r.payer,
        receiver: r.receiver,
        asset: r.asset,
        units: BigInt(r.units),
      };
  }
}

const accountId = z.string().regex(ACCOUNT_ID_PATTERN, `must match ${String(ACCOUNT_ID_PATTERN)}`);

/** POST /accounts */
export const OpenSubAccountRequest = z.strictObject({
  accountId,
  subAccountId: accountId,
  mode: z.enum(MARGIN_MODES),
  limits: z
    .strictObject({
      maxLeverage: z.number().positive().optional(),
      bufferFraction: z.number().min(0).optional(),
      autoTopUp: z.boolean().optional(),
      collateralOrder: z.array(asset).optional(),
    })
    .optional(),
});

/** POST /keys */
export const CreateKeyRequest = z.strictObject({
  scopes: z
    .array(z.string().regex(SCOPE_PATTERN, 'must be admin, read:<accountId> or trade:<accountId>'))
    .min(1)
    .max(64),
  label: z.string().max(100).optional(),
});

/** POST /oracle/quotes */
export const QuotesRequest = z.strictObject({
  quotes: z
    .array(
      z.strictObject({
        asset,
        source: z.string().min(1).max(64),
        price: z.number().positive().refine(Number.isFinite, 'must be finite'),
        timeMs: z.number().int().min(0),
        confidence: z.number().min(0).max(1).optional(),
      }),
    )
    .min(1)
    .max(1000),
});

/** Path of a sub-account. */
export const SubAccountParams = z.strictObject({ accountId, subAccountId: accountId });

/** POST .../whatif */
export const WhatIfRequest = z.strictObject({
  instrument: z.string().min(1).max(64),
  size: z
    .number()
    .refine((x) => Number.isFinite(x) && x !== 0, 'must be a finite non-zero number of contracts'),
});

/** `?models=a,b`: restricts a comparison to these models (default: all compared models). */
export const ModelsQuery = z.strictObject({
  models: z
    .string()
    .regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, 'must be a comma-separated list of model names')
    .optional(),
  key: z.string().optional(),
});

const limit = (max: number, def: number) => z.coerce.number().int().min(1).max(max).default(def);

/** GET /accounts */
export const ListAccountsQuery = z.strictObject({
  sort: z.enum(['health', 'id']).default('id'),
  limit: limit(1000, 50),
  offset: z.coerce.number().int().min(0).default(0),
  key: z.string().optional(),
});

/** GET /liquidations */
export const ListLiquidationsQuery = z.strictObject({ limit: limit(1000, 50), key: z.string().optional() });

/** GET /adl */
export const AdlQuery = z.strictObject({
  side: z.enum(['long', 'short']).optional(),
  limit: limit(1000, 20),
  key: z.string().optional(),
});

/** GET /operations */
export const ListOperationsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: limit(10_000, 1000),
  key: z.string().optional(),
});

/** Queries that take only the optional `key`. */
export const KeyOnlyQuery = z.strictObject({ key: z.string().optional() });

/** WebSocket client message. */
export const StreamMessage = z.strictObject({
  type: z.literal('subscribe'),
  accounts: z.array(subAccountKey).max(1000).default([]),
  venue: z.boolean().default(false),
});
