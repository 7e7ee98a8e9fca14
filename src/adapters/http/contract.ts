/**
 * @module adapters/http/contract
 *
 * The one contract of the HTTP/WebSocket API: the request schemas (contract-requests.ts), the
 * response schemas (contract-responses.ts), and the TypeScript types derived from them. The routes
 * register these schemas (validation and `/docs`), and the dashboard imports these types (type
 * only), so the API, its documentation and its client cannot drift apart.
 */
import type { z } from 'zod';
import type * as Req from './contract-requests.js';
import type * as Res from './contract-responses.js';

export * from './contract-requests.js';
export * from './contract-responses.js';
export * from './trader-contract.js';

export type HealthStatus = z.output<typeof Res.HealthStatusSchema>;
export type HealthThresholds = z.output<typeof Res.HealthThresholdsSchema>;
export type SubAccountHealth = z.output<typeof Res.SubAccountHealthSchema>;
export type AssetAmount = z.output<typeof Res.AssetAmountSchema>;
export type VenueResponse = z.output<typeof Res.VenueResponse>;
export type Instrument = z.output<typeof Res.InstrumentSchema>;
export type InstrumentsResponse = z.output<typeof Res.InstrumentsResponse>;
export type AccountsResponse = z.output<typeof Res.AccountsResponse>;
export type Position = z.output<typeof Res.PositionSchema>;
export type SubAccountDetail = z.output<typeof Res.SubAccountDetail>;
export type MarginRow = z.output<typeof Res.MarginRowSchema>;
export type Heatmap = z.output<typeof Res.HeatmapSchema>;
export type MarginResponse = z.output<typeof Res.MarginResponse>;
export type MarginFigures = z.output<typeof Res.MarginFiguresSchema>;
export type WhatIfResponse = z.output<typeof Res.WhatIfResponse>;
export type Liquidation = z.output<typeof Res.LiquidationSchema>;
export type LiquidationsResponse = z.output<typeof Res.LiquidationsResponse>;
export type ErrorBody = z.output<typeof Res.ErrorResponse>;
export type OperationResponse = z.output<typeof Res.OperationResponse>;
export type KeyInfo = z.output<typeof Res.KeyInfoSchema>;

export type WhatIfRequest = z.input<typeof Req.WhatIfRequest>;
export type OperationRequestBody = z.input<typeof Req.OperationRequest>;
export type Subscription = Pick<z.output<typeof Req.StreamMessage>, 'accounts' | 'venue'>;

/** An event the server sends on the stream (stream.ts). */
export type StreamEvent =
  | { type: 'tick'; timeMs: number; prices: Record<string, number> }
  | { type: 'margin'; account: SubAccountHealth }
  | { type: HealthStatus; account: SubAccountHealth; from: HealthStatus; timeMs: number }
  | { type: 'liquidation'; item: Liquidation };

/** Every message the server sends on the stream: events, and the answers to subscriptions. */
export type StreamMessageOut =
  | StreamEvent
  | { type: 'subscribed'; accounts: string[]; venue: boolean }
  | { type: 'error'; status: number; error: ErrorBody['error'] };
