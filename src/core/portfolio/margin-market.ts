/**
 * The market as margin models see it: every instrument resolved and marked, every asset priced,
 * all at one valuation time. Built once per market update (`buildMarginMarket`) and shared by all
 * portfolios and models.
 *
 * Units: prices in quote currency (USD) per unit of underlying; `markPrice` of an option is its
 * premium per unit of underlying; `tYears` ACT/365; vols annualised fractions.
 */
import type { AssetRegistry } from '../ledger/asset-registry.js';
import type { ResolvedInstrument } from '../instruments/resolved-instrument.js';
import type { MarketSnapshot } from '../market/snapshot.js';

/** One instrument with the market data its valuation needs. */
export interface MarkedInstrument {
  readonly instrument: ResolvedInstrument;
  /**
   * Mark price, quote ccy per unit of underlying: spot = index price; perpetual/future = its
   * mark; option = premium per unit (given, or Black-76 from forward and vol).
   */
  readonly markPrice: number;
  /** options and futures: the forward for the expiry (futures: equal to the mark) */
  readonly forward?: number;
  /** options: Black-76 vol used for the mark and for repricing under scenarios */
  readonly vol?: number;
  /** dated instruments: years to expiry (> 0) */
  readonly tYears?: number;
  /** continuously compounded rate to expiry used for discounting (options) */
  readonly rate?: number;
}

/** The resolved market. */
export interface MarginMarket {
  readonly snapshotId: string;
  readonly valuationMs: number;
  readonly quoteCurrency: string;
  /** index price per asset symbol (quote currency itself = 1) */
  readonly prices: ReadonlyMap<string, number>;
  /** assets with their decimals (for exact collateral) */
  readonly assets: AssetRegistry;
  /** instruments by id */
  readonly instruments: ReadonlyMap<string, MarkedInstrument>;
  /** oracle confidence per asset in [0, 1] (absent = fully confident) */
  readonly confidence: ReadonlyMap<string, number>;
  /** optional open interest per instrument, USD notional (used by OI-scaled presets) */
  readonly openInterestUsd: ReadonlyMap<string, number>;
  /** the validated snapshot behind it: vol surfaces, depth curves, rates */
  readonly snapshot: MarketSnapshot;
  /**
   * instruments of the source listed at or past their expiry and left out (id → expiryMs):
   * a position in one is refused as expired, not as unknown
   */
  readonly expired?: ReadonlyMap<string, number>;
}
