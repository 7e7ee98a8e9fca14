/**
 * The market of one backtest step (docs/methodology/backtesting.md#market): the instruments of
 * every book instantiated at the step, marked from the shipped history.
 *
 * - prices: hourly closes of the bars ending at the valuation time (USDT-quoted, USDT = USD for
 *   the underlyings), stablecoins from their daily USD closes (1 when there is none);
 * - vols: DVOL (last daily close at or before the time) for BTC and ETH; before DVOL exists
 *   (2021-03-24) and for other underlyings, the realised vol of the last 30 days of hourly log
 *   returns, annualised by √(24·365);
 * - perpetuals marked at spot; futures at spot × (1 + 5% × years to expiry) (as the venue
 *   simulation); options with Black-76 at forward = spot (rates 0) and the underlying's vol,
 *   flat across strikes and expiries.
 *
 * Units: USD per unit of underlying, vols annualised fractions, ms UTC.
 */
import type { PriceHistory } from '../../core/history/price-history.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import { buildMarginMarket } from '../../core/portfolio/market-file.js';
import { futureMark } from '../simulation/sim-market.js';
import { pricesAt, volsAt } from '../simulation/simulation-types.js';
import type { BacktestInstrument } from './book-template.js';
import { REALISED_VOL_DAYS, realisedVol } from '../../core/statistics/realised-vol.js';

/** The realised-vol fallback (30 days of hourly returns), shared with the core. */
export { REALISED_VOL_DAYS, realisedVol };

/** Market data of one valuation time. */
export interface StepMarketData {
  readonly timeMs: number;
  /** USD prices (underlyings from hourly closes, stablecoins from daily closes or 1) */
  readonly prices: Readonly<Record<string, number>>;
  /** vol per underlying, annualised fraction */
  readonly vols: Readonly<Record<string, number>>;
  /** where each underlying's vol comes from */
  readonly volSource: Readonly<Record<string, 'dvol' | 'realised'>>;
}

/** History the backtest market is built from. */
export interface BacktestHistory {
  /** hourly closes of the underlyings (BTC, ETH, SOL, ...) */
  readonly hourly: PriceHistory;
  /** DVOL daily closes as fractions (BTC, ETH), optional */
  readonly dvol?: PriceHistory;
  /** daily USD closes of stablecoins, columns named by asset (USDC, USDT), optional */
  readonly stable?: PriceHistory;
  /**
   * the hourly closes the statistical models read (the underlyings extended back with daily
   * closes: the stress library); default `hourly`. Prices of the books always come from `hourly`.
   */
  readonly statistical?: PriceHistory;
}

/** Stablecoins priced at 1 when their daily history has no close. */
export const STABLE_ASSETS = ['USDC', 'USDT'] as const;

/** Prices and vols at `timeMs` from the history. */
export function marketDataAt(h: BacktestHistory, timeMs: number): StepMarketData {
  const prices: Record<string, number> = { ...pricesAt(h.hourly, timeMs) };
  const stable = h.stable === undefined ? {} : pricesAt(h.stable, timeMs);
  for (const s of STABLE_ASSETS) prices[s] = stable[s] ?? 1;
  const dvol = volsAt(h.dvol, timeMs);
  const vols: Record<string, number> = {};
  const volSource: Record<string, 'dvol' | 'realised'> = {};
  for (const a of h.hourly.assets) {
    if (prices[a] === undefined) continue;
    if (dvol[a] !== undefined) {
      vols[a] = dvol[a];
      volSource[a] = 'dvol';
    } else {
      const rv = realisedVol(h.hourly, a, timeMs);
      if (rv !== undefined) {
        vols[a] = rv;
        volSource[a] = 'realised';
      }
    }
  }
  return { timeMs, prices, vols, volSource };
}

/**
 * The margin market at `d.timeMs` listing `instruments` (unique ids; the first of a repeated id
 * is kept). Instruments whose underlying has no price or (options) no vol must not be passed.
 * @throws InvalidInputError / RiskError from the market file rules (e.g. an expired instrument)
 */
export function buildBacktestMarket(
  d: StepMarketData,
  instruments: readonly BacktestInstrument[],
  snapshotId = `backtest@${new Date(d.timeMs).toISOString()}`,
): MarginMarket {
  const seen = new Set<string>();
  const entries = [];
  for (const i of instruments) {
    if (seen.has(i.id)) continue;
    seen.add(i.id);
    const spot = d.prices[i.underlying]!;
    if (i.kind === 'perpetual')
      entries.push({ id: i.id, kind: i.kind, underlying: i.underlying, markPrice: spot });
    else if (i.kind === 'future')
      entries.push({
        id: i.id,
        kind: i.kind,
        underlying: i.underlying,
        expiryMs: i.expiryMs!,
        markPrice: futureMark(spot, i.expiryMs!, d.timeMs),
      });
    else
      entries.push({
        id: i.id,
        kind: i.kind,
        underlying: i.underlying,
        expiryMs: i.expiryMs!,
        strike: i.strike!,
        optionType: i.optionType!,
        iv: d.vols[i.underlying]!,
        forward: spot,
      });
  }
  return buildMarginMarket({
    valuationMs: d.timeMs,
    snapshotId,
    quoteCurrency: 'USD',
    prices: { USD: 1, ...d.prices },
    instruments: entries,
  });
}
