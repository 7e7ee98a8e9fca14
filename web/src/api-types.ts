/**
 * @module api-types
 * The HTTP/WebSocket contract as the dashboard reads it: every type comes from the service's one
 * contract (src/adapters/http/contract.ts, type-only import), so the dashboard cannot drift from
 * the API. Units: `…Usd` are USD floats; `units` are exact base units as decimal strings, `amount`
 * the same as a human decimal string; times are ms since the epoch (UTC); shocks and `…Pct` are
 * fractions.
 */
import type { HealthStatus } from '../../src/adapters/http/contract.js';

export type {
  AccountsResponse,
  AssetAmount,
  ErrorBody,
  HealthStatus,
  HealthThresholds,
  Heatmap,
  Instrument,
  InstrumentsResponse,
  Liquidation,
  LiquidationsResponse,
  MarginFigures,
  MarginResponse,
  MarginRow,
  Position,
  StreamEvent,
  SubAccountDetail,
  SubAccountHealth,
  Subscription,
  VenueResponse,
  WhatIfRequest,
  WhatIfResponse,
} from '../../src/adapters/http/contract.js';
export type {
  BuilderRequestBody as BuilderRequest,
  BuilderResponseBody as BuilderResponse,
  GreeksBody as Greeks,
  LiquidationReportBody as LiquidationReport,
  PnlCurveBody as PnlCurve,
  RiskResponseBody as RiskResponse,
  VerdictRequestBody as VerdictRequest,
  VerdictResponseBody as VerdictResponse,
} from '../../src/adapters/http/contract.js';

/**
 * Every status, best first (the order used when sorting by status); `satisfies` keeps it in step
 * with the contract's union (a status added there fails to type-check here until listed).
 */
export const HEALTH_STATUSES = [
  'healthy',
  'margin-call',
  'reduce-only',
  'liquidatable',
  'bankrupt',
] as const satisfies readonly HealthStatus[];

/** What each status means, with its threshold (shown on hover). */
export function describeStatus(
  s: HealthStatus,
  t?: { marginCall: number; reduceOnly: number; liquidatable: number },
): string {
  const x = (r: number | undefined) => (r === undefined ? '' : ` × ${r}`);
  switch (s) {
    case 'healthy':
      return `equity ≥ initial margin${x(t?.marginCall)}: may add risk`;
    case 'margin-call':
      return `equity below initial margin${x(t?.marginCall)}: cannot add risk; deposit or reduce`;
    case 'reduce-only':
      return `equity below maintenance margin${x(t?.reduceOnly)}: only risk-reducing trades`;
    case 'liquidatable':
      return `equity below maintenance margin${x(t?.liquidatable)}: the engine liquidates`;
    case 'bankrupt':
      return 'equity below zero: the deficit falls on the insurance fund, then auto-deleveraging';
  }
}

/** POST /accounts/:a/subaccounts/:s/optimise */
export interface OptimiseRequest {
  model?: string;
  goal?: 'release' | 'target' | 'close-only';
  targetImUsd?: number;
  budgetUsd?: number;
  maxTrades?: number;
  keepDelta?: number;
}

/** One suggested trade of the optimiser. */
export interface SuggestedTrade {
  instrument: string;
  size: number;
  costUsd: number;
  feeUsd: number;
  premiumUsd: number;
  deltaChange: number;
}

/** Response of the optimise endpoint (docs/api.md#optimiser). */
export interface OptimiseResponse {
  model: string;
  goal: string;
  status: 'improved' | 'optimal-already' | 'target-met';
  trades: SuggestedTrade[];
  before: { initialUsd: number; maintenanceUsd: number; equityUsd: number; excessUsd: number };
  after: { initialUsd: number; maintenanceUsd: number; equityUsd: number; excessUsd: number };
  costUsd: number;
  capitalFreedUsd: number;
  capitalFreedPct: number | null;
  solver: {
    name: string;
    kind: string;
    objectiveUsd: number;
    boundUsd: number;
    gapUsd: number;
    gapRel: number;
  };
  verification: { exactness: string; solverImUsd: number; verifiedImUsd: number; differenceUsd: number };
  sideBySide: {
    model: string;
    before: { initialUsd: number; maintenanceUsd: number };
    after: { initialUsd: number; maintenanceUsd: number };
  }[];
  notes: string[];
}
