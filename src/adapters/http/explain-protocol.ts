/**
 * @module adapters/http/explain-protocol
 *
 * The messages between the explain pool (explain-pool.ts) and its worker threads
 * (explain-worker.ts), and the market fingerprint both sides compute: a worker rebuilds the market
 * of a request from its market file and refuses to compute on it unless the fingerprint is the
 * calling thread's (then the pool computes the request itself).
 */
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { MarketFile } from '../../core/portfolio/market-file.js';
import type { ExplainTask } from './explain-tasks.js';

/** A market as it travels to a worker: its version (pool-wide), file and fingerprint. */
export interface WireMarket {
  readonly version: number;
  readonly file: MarketFile;
  readonly fingerprint: string;
}

/** Pool → worker: a task on a market version (the market itself when the worker lacks it). */
export interface TaskMessage {
  readonly id: number;
  readonly version: number;
  readonly market?: WireMarket;
  readonly task: ExplainTask;
}

/** An error as it crosses the thread boundary. */
export interface WireError {
  /** true for an XmarginError (code, message, details rebuilt as one) */
  readonly xmargin: boolean;
  readonly code?: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/** Worker → pool: the task's result, its error, or a market the worker could not rebuild. */
export type ResultMessage =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WireError }
  | { readonly id: number; readonly ok: false; readonly mismatch: string };

/**
 * Every number a model reads from a market, as text: valuation time, prices, each instrument's
 * mark, forward, vol, time and rate, confidences and stable prices. Two markets with the same
 * fingerprint give the same margins.
 */
export function marketFingerprint(m: MarginMarket): string {
  const parts: unknown[] = [m.snapshotId, m.valuationMs, m.quoteCurrency, [...m.prices]];
  for (const [id, x] of m.instruments)
    parts.push([id, x.markPrice, x.forward, x.vol, x.tYears, x.rate, x.instrument.contractSize]);
  parts.push([...m.confidence], [...(m.stablePrices ?? [])], [...(m.feedConfidence ?? [])]);
  parts.push([...m.openInterestUsd], [...(m.expired ?? [])], m.assets.symbols);
  return JSON.stringify(parts);
}
