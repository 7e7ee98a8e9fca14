/**
 * Mark-to-market of a portfolio: the numbers every margin model starts from.
 *
 *   collateral value  = Σ_asset qty·price                      (liabilities negative)
 *   position value    = size·contractSize·mark                 (options, spot instruments)
 *                     = size·contractSize·(mark − entryPrice)  (perpetuals, futures with entryPrice)
 *                     = 0                                      (perpetuals, futures without: P&L settled)
 *   equity            = collateral value + Σ position values
 *
 * All in quote currency (float64). Exact collateral units are converted with `fromUnits`
 * (nearest double); no haircut here: haircut models apply their own.
 */
import { fromUnits } from '../ledger/convert.js';
import { InvariantError } from '../errors.js';
import type { MarginMarket, MarkedInstrument } from './margin-market.js';
import type { Portfolio, Position } from './portfolio.js';

/** One collateral asset's valuation. */
export interface CollateralValue {
  readonly asset: string;
  /** quantity in asset units (float), negative = borrowed */
  readonly qty: number;
  readonly priceUsd: number;
  readonly valueUsd: number;
}

/** One position's valuation. */
export interface PositionValue {
  readonly position: Position;
  readonly marked: MarkedInstrument;
  /** units of underlying: size × contractSize */
  readonly units: number;
  /** |units| × underlying index price: the exposure rate-based models charge on */
  readonly notionalUsd: number;
  /** value counted in equity (see module header) */
  readonly valueUsd: number;
}

/** A portfolio's mark-to-market. */
export interface PortfolioValuation {
  readonly collateral: readonly CollateralValue[];
  readonly positions: readonly PositionValue[];
  readonly collateralUsd: number;
  readonly positionsUsd: number;
  readonly equityUsd: number;
}

/** Values a portfolio at the market's marks. */
export function valuePortfolio(portfolio: Portfolio, market: MarginMarket): PortfolioValuation {
  const collateral: CollateralValue[] = [];
  let collateralUsd = 0;
  for (const [symbol, bal] of portfolio.collateral) {
    const price = market.prices.get(symbol);
    if (price === undefined) throw new InvariantError('collateral asset without a price', { symbol });
    const qty = fromUnits(bal.units, bal.asset.decimals);
    const valueUsd = qty * price;
    collateral.push({ asset: symbol, qty, priceUsd: price, valueUsd });
    collateralUsd += valueUsd;
  }
  const positions: PositionValue[] = [];
  let positionsUsd = 0;
  for (const p of portfolio.positions) {
    const marked = market.instruments.get(p.instrument);
    if (marked === undefined)
      throw new InvariantError('position in an unknown instrument', { instrument: p.instrument });
    const inst = marked.instrument;
    const units = p.size * inst.contractSize;
    const index = market.prices.get(inst.underlying)!;
    let valueUsd: number;
    if (inst.kind === 'perpetual' || inst.kind === 'future')
      valueUsd = p.entryPrice === undefined ? 0 : units * (marked.markPrice - p.entryPrice);
    else valueUsd = units * marked.markPrice;
    positions.push({ position: p, marked, units, notionalUsd: Math.abs(units) * index, valueUsd });
    positionsUsd += valueUsd;
  }
  return { collateral, positions, collateralUsd, positionsUsd, equityUsd: collateralUsd + positionsUsd };
}
