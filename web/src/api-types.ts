/**
 * @module api-types
 * The HTTP/WebSocket contract as the dashboard reads it (docs/api.md, "HTTP/WebSocket API contract").
 *
 * STYLE §3.2 wants web/ to import these types from src/adapters/http/contract.ts (type-only) once
 * the service ships that file; until then they are written here from docs/api.md, and only here.
 * Units: `…Usd` are USD floats; `units` are exact base units as decimal strings, `amount` the same
 * as a human decimal string; times are ms since the epoch (UTC); shocks and `…Pct` are fractions.
 */

/** Health status of a sub-account, from best to worst. */
export type HealthStatus = 'healthy' | 'margin-call' | 'reduce-only' | 'liquidatable';

/** Every status, best first (the order used when sorting by status). */
export const HEALTH_STATUSES: readonly HealthStatus[] = [
  'healthy',
  'margin-call',
  'reduce-only',
  'liquidatable',
];

/** Margin of one sub-account as the service last computed it. */
export interface SubAccountHealth {
  /** `accountId/subAccountId` */
  key: string;
  accountId: string;
  subAccountId: string;
  mode: string;
  equityUsd: number;
  initialUsd: number;
  maintenanceUsd: number;
  /** equity / MM; null when MM = 0 */
  health: number | null;
  status: HealthStatus;
}

/** An exact amount of an asset with its USD value. */
export interface AssetAmount {
  asset: string;
  /** exact base units, decimal string */
  units: string;
  /** human decimal string */
  amount: string;
  /** null when the asset has no price */
  usd: number | null;
}

/** GET /venue */
export interface VenueResponse {
  timeMs: number;
  prices: Record<string, number>;
  insuranceFund: AssetAmount[];
  insuranceFundUsd: number;
  subAccounts: number;
  liquidations: number;
  replay?: { fromMs: number; toMs: number; timeMs: number; speed: number };
}

/** One tradable instrument with its mark. */
export interface Instrument {
  id: string;
  kind: string;
  underlying: string;
  expiryMs?: number;
  strike?: number;
  right?: string;
  markPrice: number;
}

/** GET /instruments */
export interface InstrumentsResponse {
  items: Instrument[];
}

/** GET /accounts */
export interface AccountsResponse {
  items: SubAccountHealth[];
  total: number;
}

/** One position of a sub-account. */
export interface Position {
  instrument: string;
  size: number;
  /** null when unknown; mark and value are null when the market cannot value the position */
  entryPrice: number | null;
  markPrice: number | null;
  valueUsd: number | null;
}

/** GET /accounts/:a/subaccounts/:s */
export interface SubAccountDetail {
  key: string;
  mode: string;
  limits: unknown;
  balances: AssetAmount[];
  positions: Position[];
  health: SubAccountHealth;
}

/** One margin model's figures for a sub-account. */
export interface MarginRow {
  model: string;
  initialUsd: number;
  maintenanceUsd: number;
  equityUsd: number;
  excessUsd: number;
  /** null when isolated margin could not be computed */
  releasedVsIsolatedUsd: number | null;
  /** fraction of isolated IM released (0.4 = 40%); null as above */
  releasedVsIsolatedPct: number | null;
}

/** The scenario P&L grid of one underlying: `pnlUsd[vol][spot]`. */
export interface Heatmap {
  underlying: string;
  /** fractions, e.g. -0.2 = spot down 20% */
  spotShocks: number[];
  /** fractions of the vol level */
  volShocks: number[];
  pnlUsd: number[][];
}

/** GET /accounts/:a/subaccounts/:s/margin */
export interface MarginResponse {
  mode: string;
  rows: MarginRow[];
  errors: { model: string; code: string; message: string }[];
  contributions: { key: string; initialUsd: number }[];
  heatmap: Heatmap | null;
}

/** Margin figures before or after a hypothetical trade. */
export interface MarginFigures {
  initialUsd: number;
  maintenanceUsd: number;
  equityUsd: number;
}

/** POST /accounts/:a/subaccounts/:s/whatif */
export interface WhatIfRequest {
  instrument: string;
  size: number;
}

/** Response of the what-if endpoint (models that cannot value the book are left out). */
export interface WhatIfResponse {
  rows: { model: string; before: MarginFigures; after: MarginFigures; deltaInitialUsd: number }[];
}

/** One liquidation, as GET /liquidations and the `liquidation` stream event carry it. */
export interface Liquidation {
  timeMs: number;
  subAccount: string;
  steps: unknown;
  costUsd: number;
  feeUsd: number;
  insuranceUsd: number;
  bankrupt: boolean;
  deficitUsd: number;
}

/** GET /liquidations */
export interface LiquidationsResponse {
  items: Liquidation[];
}

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; rule?: string; value?: unknown };
}

/** A message from the server on the stream. */
export type StreamEvent =
  | { type: 'tick'; timeMs: number; prices: Record<string, number> }
  | { type: 'margin'; account: SubAccountHealth }
  | { type: HealthStatus; account: SubAccountHealth; from: HealthStatus }
  | { type: 'liquidation'; item: Liquidation };

/** What the client subscribes to on the stream. */
export interface Subscription {
  accounts: string[];
  venue: boolean;
}

/** One venue's payloads for `POST /crossvenue`: the importer (or `ccxt:<exchange>`) and its payloads by kind. */
export interface CrossVenueVenueInput {
  venue: string;
  payloads: Record<string, unknown>;
}

/** Body of `POST /crossvenue` (docs/api.md#across-venues). */
export interface CrossVenueRequest {
  asOf?: string;
  venues: CrossVenueVenueInput[];
  params?: unknown;
}

/** One venue in the combined view. */
export interface CrossVenueVenue {
  venue: string;
  model: string;
  own: { initialUsd: number; maintenanceUsd: number; equityUsd: number };
  freeCollateralUsd: number;
  health: number | null;
  reported: { initialUsd?: number; maintenanceUsd?: number; equityUsd?: number } | null;
  reproduction: {
    initialRelError: number | null;
    maintenanceRelError: number | null;
    within1pct: boolean | null;
  } | null;
  standaloneUsd: number;
  shareUsd: number;
  transitUsd: number;
  holdingUsd: number;
  defaultChargeUsd: number;
  targetUsd: number;
  surplusUsd: number;
  releasableUsd: number;
}

/** Answer of `POST /crossvenue`. */
export interface CrossVenueResponse {
  model: string;
  venues: CrossVenueVenue[];
  groups: {
    venues: string[];
    cap: number | null;
    standaloneSumUsd: number;
    nettedUsd: number;
    requirementUsd: number;
    capped: boolean;
  }[];
  sumOfVenuesUsd: number;
  combinedUsd: number;
  components: { riskUsd: number; transitUsd: number; defaultUsd: number };
  differenceUsd: number;
  wholeBookUsd: number;
  equityUsd: number;
  requiredNowUsd: number;
  releasableNowUsd: number;
  moves: { from: string; to: string; usd: number; hours: number }[];
  imports: { venue: string; importer: string; preset: string; notes: string[] }[];
}
