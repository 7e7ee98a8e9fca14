/**
 * @module adapters/http/contract-responses
 *
 * The zod schemas of every response of the API: registered with each route (so `/docs` shows the
 * real responses and status codes), and the source of the types the dashboard uses
 * (`contract.ts`). Units: `…Usd` USD floats; `units` exact base units as decimal strings, `amount`
 * the same as a human decimal string; times ms since the epoch (UTC); sizes signed contracts.
 */
import { z } from 'zod';
import { HEALTH_STATUSES } from '../../core/margin/account-risk.js';

const Usd = z.number();

/** The body of every error response (http-errors.ts). */
export const ErrorResponse = z.object({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    rule: z.string().optional(),
    value: z.unknown().optional(),
    /** the values behind the message (always sent by the server) */
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** A health status (core/margin/account-risk.ts). */
export const HealthStatusSchema = z.enum(HEALTH_STATUSES);

/** The thresholds behind the statuses, as ratios. */
export const HealthThresholdsSchema = z.object({
  marginCall: z.number(),
  reduceOnly: z.number(),
  liquidatable: z.number(),
});

/** A sub-account's margin state under its own mode. */
export const SubAccountHealthSchema = z.object({
  key: z.string(),
  accountId: z.string(),
  subAccountId: z.string(),
  mode: z.string(),
  equityUsd: Usd,
  initialUsd: Usd,
  maintenanceUsd: Usd,
  /** equity / MM; null when MM = 0 or not finite */
  health: z.number().nullable(),
  status: HealthStatusSchema,
});

/** An exact amount of an asset with its USD value (null without a price). */
export const AssetAmountSchema = z.object({
  asset: z.string(),
  units: z.string(),
  amount: z.string(),
  usd: z.number().nullable(),
});

export const HealthResponse = z.object({ ok: z.boolean(), version: z.string() });

export const VenueResponse = z.object({
  timeMs: z.number().nullable(),
  /** the server's clock (the replay's in a demo), ms UTC */
  nowMs: z.number(),
  prices: z.record(z.string(), z.number()),
  insuranceFund: z.array(AssetAmountSchema),
  insuranceFundUsd: Usd,
  subAccounts: z.number().int(),
  liquidations: z.number().int(),
  thresholds: HealthThresholdsSchema,
  /** sub-accounts per status */
  statuses: z.record(z.string(), z.number().int()),
  replay: z
    .object({
      fromMs: z.number(),
      toMs: z.number(),
      timeMs: z.number(),
      speed: z.number(),
      stepHours: z.number(),
    })
    .optional(),
});

export const InstrumentSchema = z.object({
  id: z.string(),
  kind: z.string(),
  underlying: z.string(),
  expiryMs: z.number().optional(),
  strike: z.number().optional(),
  right: z.string().optional(),
  markPrice: z.number(),
});
export const InstrumentsResponse = z.object({ items: z.array(InstrumentSchema) });

export const AccountsResponse = z.object({ items: z.array(SubAccountHealthSchema), total: z.number().int() });

export const PositionSchema = z.object({
  instrument: z.string(),
  size: z.number(),
  entryPrice: z.number().nullable(),
  markPrice: z.number().nullable(),
  valueUsd: z.number().nullable(),
});

export const SubAccountSchema = z.object({
  accountId: z.string(),
  subAccountId: z.string(),
  key: z.string(),
  mode: z.string(),
  limits: z.object({
    maxLeverage: z.number(),
    bufferFraction: z.number(),
    collateralOrder: z.array(z.string()),
    autoTopUp: z.boolean(),
  }),
});

export const SubAccountDetail = z.object({
  key: z.string(),
  mode: z.string(),
  limits: SubAccountSchema.shape.limits,
  balances: z.array(AssetAmountSchema),
  positions: z.array(PositionSchema),
  health: SubAccountHealthSchema,
});

export const MarginRowSchema = z.object({
  model: z.string(),
  initialUsd: Usd,
  maintenanceUsd: Usd,
  equityUsd: Usd,
  excessUsd: Usd,
  releasedVsIsolatedUsd: z.number().nullable(),
  releasedVsIsolatedPct: z.number().nullable(),
});

export const HeatmapSchema = z.object({
  underlying: z.string(),
  spotShocks: z.array(z.number()),
  volShocks: z.array(z.number()),
  pnlUsd: z.array(z.array(z.number())),
});

export const MarginResponse = z.object({
  mode: z.string(),
  rows: z.array(MarginRowSchema),
  errors: z.array(z.object({ model: z.string(), code: z.string(), message: z.string() })),
  contributions: z.array(z.object({ key: z.string(), initialUsd: Usd })),
  heatmap: HeatmapSchema.nullable(),
});

export const MarginFiguresSchema = z.object({ initialUsd: Usd, maintenanceUsd: Usd, equityUsd: Usd });
export const WhatIfResponse = z.object({
  rows: z.array(
    z.object({
      model: z.string(),
      before: MarginFiguresSchema,
      after: MarginFiguresSchema,
      deltaInitialUsd: Usd,
    }),
  ),
});

export const PostingSchema = z.object({ account: z.string(), asset: z.string(), units: z.string() });
export const JournalEntrySchema = z.object({
  seq: z.number().int(),
  key: z.string(),
  kind: z.string(),
  timeMs: z.number(),
  postings: z.array(PostingSchema),
  positionChanges: z.array(
    z.object({ subAccount: z.string(), instrument: z.string(), size: z.number(), price: z.number() }),
  ),
});
/** POST /operations: the entry, and the operation as journaled (a trade with its price, cash leg and fee). */
export const OperationResponse = z.object({
  entry: JournalEntrySchema,
  operation: z.record(z.string(), z.unknown()),
});

export const OperationsLogResponse = z.object({
  items: z.array(
    z.object({
      seq: z.number().int(),
      origin: z.enum(['user', 'engine']),
      op: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const LedgerTotalsResponse = z.object({
  entries: z.number().int(),
  assets: z.array(
    z.object({
      asset: z.string(),
      total: z.string(),
      subAccounts: z.string(),
      system: z.record(z.string(), z.string()),
    }),
  ),
});

export const LiquidationSchema = z.looseObject({
  timeMs: z.number(),
  subAccount: z.string(),
  outcome: z.enum(['restored', 'unreachable', 'bankrupt']),
  plan: z.string(),
  steps: z.number(),
  /** whose costs applied: `planner`, or the venue's own liquidation pricing by name (absent in records stored before it existed) */
  pricing: z.string().optional(),
  costUsd: Usd,
  feeUsd: Usd,
  insuranceUsd: Usd,
  bankrupt: z.boolean(),
  deficitUsd: Usd,
  insurancePaidUsd: Usd,
  adlUsd: Usd,
  before: SubAccountHealthSchema,
  after: SubAccountHealthSchema,
});
export const LiquidationsResponse = z.object({ items: z.array(LiquidationSchema) });

export const AdlResponse = z.object({
  items: z.array(
    z.object({
      rank: z.number().int(),
      subAccount: z.string(),
      instrument: z.string(),
      side: z.enum(['long', 'short']),
      score: z.number(),
      pnlUsd: Usd,
      leverage: z.number(),
    }),
  ),
});

export const QuotesResponse = z.object({
  accepted: z.number().int(),
  aggregates: z.record(
    z.string(),
    z.union([
      z.object({ price: z.number(), sources: z.array(z.string()), rejected: z.array(z.unknown()) }),
      z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
    ]),
  ),
});

export const KeyInfoSchema = z.object({
  /** the first 16 hex digits of the key's SHA-256: how the key is named (never the key) */
  id: z.string(),
  scopes: z.array(z.string()),
  label: z.string().nullable(),
  createdAtMs: z.number(),
  revokedAtMs: z.number().nullable(),
});
export const KeyCreatedResponse = z.object({ key: z.string(), id: z.string(), scopes: z.array(z.string()) });
export const KeysResponse = z.object({ items: z.array(KeyInfoSchema) });
export const KeyRevokedResponse = z.object({ id: z.string(), revokedAtMs: z.number() });
export const KeyRotatedResponse = z.object({
  key: z.string(),
  id: z.string(),
  scopes: z.array(z.string()),
  revokedId: z.string(),
});

export const ReplayStepResponse = z.object({
  steps: z.number().int(),
  timeMs: z.number(),
  done: z.boolean(),
});
