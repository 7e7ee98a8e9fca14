/**
 * Reads what an epoch needs from a running venue, through its public reads only: every
 * sub-account's health (equity, MM, mode), its portfolio, and the market context; the risk arrays
 * come from the portfolio model's own grid (portfolioRiskArrays) under the venue's portfolio
 * params, scaled to maintenance (mmFraction·imFactor). The liquidator (the venue's own backstop)
 * is not a liability to users and is left out, as healthAll() already does.
 */
import { InvalidInputError, RiskError } from '../../core/errors.js';
import { fromUnits } from '../../core/ledger/convert.js';
import type { MarginContext } from '../../core/margin/margin-model.js';
import { portfolioRiskArrays } from '../../core/margin/portfolio-model.js';
import { DEFAULT_PORTFOLIO_PARAMS, type PortfolioModelParams } from '../../core/margin/portfolio-params.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import { collateralKey } from '../../core/risk/risk-arrays.js';
import type { EpochAccount } from '../../core/solvency/build-epoch.js';
import { buildScanArrays, type ScanArrays } from '../../core/solvency/scan-arrays.js';

/** The public reads of a venue an epoch uses. */
export interface VenueReads {
  readonly timeMs: number;
  context(): MarginContext | undefined;
  healthAll(): readonly {
    readonly key: string;
    readonly mode: string;
    readonly equityUsd: number;
    readonly maintenanceUsd: number;
  }[];
  readonly journal: { portfolioOf(key: string): Portfolio };
  paramsFor?(mode: 'portfolio', timeMs: number): unknown;
}

/** What a venue contributes to an epoch. */
export interface VenueEpochInput {
  readonly timeMs: number;
  readonly accounts: EpochAccount[];
  readonly scan: ScanArrays;
}

/**
 * Collects accounts and risk arrays from a venue.
 * @throws InvalidInputError ERR_INVALID_INPUT when the venue has no market yet;
 *         RiskError ERR_SOLVENCY_SHAPE when an account holds a non-stable asset without arrays
 */
export function collectVenueEpoch(venue: VenueReads): VenueEpochInput {
  const ctx = venue.context();
  if (!ctx) throw new InvalidInputError('venue', 'no market', 'must have received a market update');
  const params = (venue.paramsFor?.('portfolio', venue.timeMs) ??
    DEFAULT_PORTFOLIO_PARAMS) as PortfolioModelParams;
  const stable = new Set([...params.stableAssets, ctx.market.quoteCurrency]);
  const underlyings = [...ctx.market.prices.keys()].filter((a) => !stable.has(a)).sort();
  const arrays = underlyings.map((u) => portfolioRiskArrays(ctx, params, u));
  const scan = buildScanArrays(arrays, params.mmFraction * params.imFactor);
  const rows = new Set(scan.rows);
  const accounts = venue.healthAll().map((h): EpochAccount => {
    const pf = venue.journal.portfolioOf(h.key);
    const holdings: { row: string; quantity: number }[] = [];
    for (const p of pf.positions) {
      const inst = ctx.market.instruments.get(p.instrument)?.instrument;
      if (inst?.kind === 'spot')
        holdings.push({ row: collateralKey(inst.underlying), quantity: p.size * inst.contractSize });
      else holdings.push({ row: p.instrument, quantity: p.size });
    }
    for (const [symbol, bal] of pf.collateral) {
      const row = collateralKey(symbol);
      if (rows.has(row)) holdings.push({ row, quantity: fromUnits(bal.units, bal.asset.decimals) });
      else if (!stable.has(symbol) && bal.units !== 0n)
        throw new RiskError('ERR_SOLVENCY_SHAPE', `${h.key}: collateral ${symbol} has no risk-array row`, {
          field: `${h.key}.collateral`,
          value: symbol,
        });
    }
    return { key: h.key, mode: h.mode, equityUsd: h.equityUsd, maintenanceUsd: h.maintenanceUsd, holdings };
  });
  return { timeMs: venue.timeMs, accounts, scan };
}
