/**
 * @module portfolio
 *
 * Portfolios (positions + exact multi-asset collateral), the resolved market margin models read
 * (`MarginMarket`), the market and portfolio file formats (docs/formats.md), and mark-to-market
 * valuation. Sizes signed (long > 0); collateral negative = borrowed; values in quote currency.
 */
export type { Position, CollateralBalance, Portfolio } from './portfolio.js';
export type { MarginMarket, MarkedInstrument } from './margin-market.js';
export {
  buildMarginMarket,
  resolveMarketFile,
  MarketFileSchema,
  DEFAULT_ASSET_DECIMALS,
  type MarketFile,
  type MarketFileOptions,
} from './market-file.js';
export {
  parsePortfolio,
  resolvePortfolioFile,
  PortfolioFileSchema,
  type PortfolioFile,
  type PortfolioFileOptions,
} from './portfolio-file.js';
export {
  DEFAULT_PLAUSIBILITY,
  NO_PLAUSIBILITY_BOUNDS,
  checkNotional,
  checkVol,
  type PlausibilityBounds,
} from './plausibility.js';
export {
  valuePortfolio,
  type PortfolioValuation,
  type PositionValue,
  type CollateralValue,
} from './valuation.js';
export { black76InputOf } from './marked-option.js';
