/**
 * Splitting a venue-tagged portfolio into one portfolio per venue, and grouping venues.
 *
 *   P_v = { positions tagged v, balances tagged v }     for every venue v
 *   P_G = ∪_{v ∈ G} P_v                                  for a group of venues G
 *
 * Exact: balances keep their base units; the collateral of P_G is the per-asset sum of its venues'
 * balances, so Σ_v P_v = P (nothing created or lost).
 */
import { InvalidInputError } from '../errors.js';
import type { CollateralBalance, Portfolio, Position, VenueBalance } from '../portfolio/portfolio.js';

/** The venues a portfolio names (positions and balances), sorted. */
export function venuesOf(portfolio: Portfolio): string[] {
  const out = new Set<string>();
  for (const p of portfolio.positions) if (p.venue !== undefined) out.add(p.venue);
  for (const b of portfolio.venueBalances ?? []) out.add(b.venue);
  return [...out].sort();
}

/**
 * The part of a tagged portfolio held at the venues of `group`.
 * @throws InvalidInputError ERR_INVALID_INPUT when a position or balance carries no venue tag
 *         (the combined view must know where everything sits), naming it
 */
export function selectVenues(portfolio: Portfolio, group: ReadonlySet<string>): Portfolio {
  assertTagged(portfolio);
  const positions: Position[] = portfolio.positions.filter((p) => group.has(p.venue!));
  const venueBalances: VenueBalance[] = (portfolio.venueBalances ?? []).filter((b) => group.has(b.venue));
  const collateral = new Map<string, CollateralBalance>();
  for (const b of venueBalances) {
    const prev = collateral.get(b.asset.symbol)?.units ?? 0n;
    collateral.set(b.asset.symbol, { asset: b.asset, units: prev + b.units });
  }
  return { positions, collateral, venueBalances };
}

/** One portfolio per venue (see {@link selectVenues}). */
export function splitByVenue(portfolio: Portfolio): Map<string, Portfolio> {
  return new Map(venuesOf(portfolio).map((v) => [v, selectVenues(portfolio, new Set([v]))]));
}

/**
 * Merges venue portfolios (each tagged) into one tagged portfolio; positions keep their order.
 * @throws InvalidInputError ERR_INVALID_INPUT when two balances of one asset use different decimals
 */
export function mergeTaggedPortfolios(parts: readonly Portfolio[]): Portfolio {
  const positions: Position[] = [];
  const venueBalances: VenueBalance[] = [];
  const collateral = new Map<string, CollateralBalance>();
  for (const part of parts) {
    assertTagged(part);
    positions.push(...part.positions);
    for (const b of part.venueBalances ?? []) {
      const prev = collateral.get(b.asset.symbol);
      if (prev && prev.asset.decimals !== b.asset.decimals)
        throw new InvalidInputError(
          `balances.${b.asset.symbol}`,
          b.asset.decimals,
          `must use the same decimals at every venue (${prev.asset.decimals})`,
        );
      venueBalances.push(b);
      collateral.set(b.asset.symbol, { asset: b.asset, units: (prev?.units ?? 0n) + b.units });
    }
  }
  return { positions, collateral, venueBalances };
}

function assertTagged(portfolio: Portfolio): void {
  portfolio.positions.forEach((p, i) => {
    if (p.venue === undefined)
      throw new InvalidInputError(`positions[${i}].venue`, p.venue, `must name the venue of ${p.instrument}`);
  });
  const balances = portfolio.venueBalances;
  if (balances === undefined) {
    if (portfolio.collateral.size > 0)
      throw new InvalidInputError('balances', undefined, 'must tag every collateral balance with its venue');
    return;
  }
  balances.forEach((b, i) => {
    if (b.venue === '')
      throw new InvalidInputError(
        `balances[${i}].venue`,
        b.venue,
        `must name the venue of ${b.asset.symbol}`,
      );
  });
}
