/**
 * Report types of the venue simulation and the price/vol lookups on the history grid.
 * Units: USD values, ms UTC times, vols as annualised fractions.
 */
import type { PriceHistory } from '../../core/history/price-history.js';

/** One valuation time of the replay and the USD prices then. */
export interface ReplayStep {
  readonly timeMs: number;
  readonly prices: Readonly<Record<string, number>>;
  /** option vol per underlying at this time, annualised fraction (moving-vol replays) */
  readonly vols?: Readonly<Record<string, number>>;
}

/** Liquidation accounting of one step (only steps with liquidations are kept), USD. */
export interface StepLedger {
  readonly timeMs: number;
  liquidations: number;
  /** Σ (mark equity before − mark equity after) over liquidated accounts, after the fund's payment */
  equityLostUsd: number;
  /** slippage + gas */
  costsUsd: number;
  /** liquidator fees net of the insurance fund's share */
  liquidatorFeesUsd: number;
  /** insurance fund after − before (fee share in, deficits out) */
  insuranceChangeUsd: number;
  /** deficits the fund could not pay */
  badDebtUsd: number;
  /** bad debt taken from other accounts by ADL */
  adlUsd: number;
}

/** One auto-deleveraging debit. */
export interface AdlEvent {
  readonly timeMs: number;
  readonly bankruptId: string;
  readonly accountId: string;
  readonly rank: number;
  readonly side: 'long' | 'short';
  readonly amountUsd: number;
}

/** Per-model outcome of the replay. */
export interface ModelReport {
  readonly model: string;
  readonly accounts: number;
  /** Σ mark equity at the start, USD */
  startEquityUsd: number;
  /** accounts with equity < MM at the start (liquidated at the first step) */
  unhealthyAtStart: number;
  /** executed liquidation plans */
  liquidations: number;
  /** distinct accounts liquidated at least once */
  liquidatedAccounts: number;
  bankruptcies: number;
  /** slippage + gas, USD */
  totalCostUsd: number;
  /** liquidator fees net of the fund's share, USD */
  liquidatorFeesUsd: number;
  /** fee share paid into the insurance fund, USD */
  insuranceFeesUsd: number;
  insurance: { startUsd: number; endUsd: number; minUsd: number };
  badDebtUsd: number;
  /** bad debt ADL could not cover, USD */
  uncoveredUsd: number;
  adlEvents: AdlEvent[];
  /** lowest equity / MM seen (any account, any step) */
  worstHealth: { ratio: number; accountId: string; timeMs: number };
  ledger: StepLedger[];
  /** set when the model could not be run (e.g. not enough history) */
  error?: string;
}

/** USD closes at valuation time `timeMs` (close of the bar ending then); assets without one omitted. */
export function pricesAt(h: PriceHistory, timeMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  const t = Math.round((timeMs - h.stepMs - (h.timesMs[0] ?? 0)) / h.stepMs);
  if (t < 0 || t >= h.timesMs.length) return out;
  h.assets.forEach((a, i) => {
    const x = h.close[t * h.assets.length + i];
    if (x !== undefined && Number.isFinite(x) && x > 0) out[a] = x;
  });
  return out;
}

/** Last DVOL close per asset at or before `timeMs` (daily grid), annualised fraction. */
export function volsAt(h: PriceHistory | undefined, timeMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (h === undefined) return out;
  for (let t = h.timesMs.length - 1; t >= 0; t--) {
    if (h.timesMs[t]! + h.stepMs > timeMs) continue;
    h.assets.forEach((a, i) => {
      const x = h.close[t * h.assets.length + i];
      if (out[a] === undefined && x !== undefined && Number.isFinite(x) && x > 0) out[a] = x;
    });
    if (h.assets.every((a) => out[a] !== undefined) || h.timesMs[t]! < timeMs - 7 * 86_400_000) break;
  }
  return out;
}
