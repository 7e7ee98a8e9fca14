/**
 * From imported venue accounts to the combined view's input: each venue's portfolio on its own
 * market (for its own preset), and the whole book on one market built from every venue's
 * (core/crossvenue/merge-market-files.ts).
 */
import { InvalidInputError } from '../../core/errors.js';
import type { CrossVenueInput, VenueBook } from '../../core/crossvenue/compute-cross-venue.js';
import type { CrossVenueParams } from '../../core/crossvenue/cross-venue-params.js';
import { mergeMarketFiles } from '../../core/crossvenue/merge-market-files.js';
import { parseWithSchema } from '../../core/params/parse.js';
import { buildMarginMarket, MarketFileSchema, resolveMarketFile } from '../../core/portfolio/market-file.js';
import { parsePortfolio, type PortfolioFile } from '../../core/portfolio/portfolio-file.js';
import type { ImportedAccount } from './import-builder.js';

/** One portfolio file holding several venues' positions and balances (tags kept). */
export function combinePortfolioFiles(accounts: readonly ImportedAccount[]): PortfolioFile {
  return {
    collateral: {},
    balances: accounts.flatMap((a) => a.portfolio.balances ?? []),
    positions: accounts.flatMap((a) => a.portfolio.positions),
  };
}

/**
 * The combined view's input.
 * @throws InvalidInputError naming `venue` when two accounts share a tag; the portfolio and
 *         market files' own errors otherwise
 */
export function toCrossVenueInput(
  accounts: readonly ImportedAccount[],
  params: CrossVenueParams,
): CrossVenueInput {
  const seen = new Set<string>();
  for (const a of accounts) {
    if (seen.has(a.venue))
      throw new InvalidInputError('venue', a.venue, 'must be unique: two accounts carry this tag');
    seen.add(a.venue);
  }
  const venues: VenueBook[] = accounts.map((a) => {
    const market = buildMarginMarket(a.market);
    return {
      venue: a.venue,
      portfolio: parsePortfolio(a.portfolio, market),
      market,
      model: a.preset.model,
      params: a.preset.params,
      ...(a.reported === undefined ? {} : { reported: a.reported }),
    };
  });
  const merged = mergeMarketFiles(
    accounts.map((a) => ({
      venue: a.venue,
      market: parseWithSchema(MarketFileSchema, a.market, `${a.venue} market`),
    })),
  );
  const market = resolveMarketFile(merged);
  return { venues, market, portfolio: parsePortfolio(combinePortfolioFiles(accounts), market), params };
}
