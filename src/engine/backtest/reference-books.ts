/**
 * The backtest's own books (docs/methodology/backtesting.md#books): five reference books, one per
 * account archetype of the venue simulation (hedged options, basis, directional, short vol,
 * multi-collateral), and the seeded venue population as templates.
 *
 * Units: USD notionals and amounts (the books keep their dollar size at every date), tenors in
 * days, strikes as multiples of spot.
 */
import { buildMarketRows, RowUniverse } from '../../core/margin/kernel/account-rows.js';
import { prepareMargin } from '../../core/margin/kernel/prepared-margin.js';
import { createMarginContext } from '../../core/margin/margin-model.js';
import { getMarginModel } from '../../core/margin/registry.js';
import { generateVenue, type AccountKind } from '../simulation/generate-venue.js';
import { buildSimMarket, createSimTemplate } from '../simulation/sim-market.js';
import { templateFromPortfolio, type BookTemplate } from './book-template.js';

/** Reference books, each about 1M USD of gross notional per side. */
export const REFERENCE_BOOKS: readonly BookTemplate[] = [
  {
    // Short 30-day ATM straddle with long 0.9 put / 1.1 call wings (iron butterfly), plus a long
    // 60-day ATM call delta-hedged with a short perpetual.
    id: 'ref-hedged-options',
    legs: [
      {
        kind: 'option',
        underlying: 'BTC',
        tenorDays: 30,
        moneyness: 1,
        optionType: 'call',
        notionalUsd: -1e6,
      },
      {
        kind: 'option',
        underlying: 'BTC',
        tenorDays: 30,
        moneyness: 1,
        optionType: 'put',
        notionalUsd: -1e6,
      },
      {
        kind: 'option',
        underlying: 'BTC',
        tenorDays: 30,
        moneyness: 0.9,
        optionType: 'put',
        notionalUsd: 1e6,
      },
      {
        kind: 'option',
        underlying: 'BTC',
        tenorDays: 30,
        moneyness: 1.1,
        optionType: 'call',
        notionalUsd: 1e6,
      },
      {
        kind: 'option',
        underlying: 'BTC',
        tenorDays: 60,
        moneyness: 1,
        optionType: 'call',
        notionalUsd: 5e5,
      },
      { kind: 'perpetual', underlying: 'BTC', notionalUsd: -2.5e5, entryPremium: 0 },
    ],
    collateral: [{ asset: 'USDC', amountUsd: 3e5 }],
  },
  {
    // Cash and carry: BTC held as collateral, the same notional sold 90 days forward.
    id: 'ref-basis',
    legs: [{ kind: 'future', underlying: 'BTC', tenorDays: 90, notionalUsd: -1e6, entryPremium: 0.0123 }],
    collateral: [
      { asset: 'BTC', amountUsd: 1e6 },
      { asset: 'USDC', amountUsd: 1e5 },
    ],
  },
  {
    // Long BTC and ETH perpetuals at about 3× leverage.
    id: 'ref-directional',
    legs: [
      { kind: 'perpetual', underlying: 'BTC', notionalUsd: 6e5, entryPremium: 0 },
      { kind: 'perpetual', underlying: 'ETH', notionalUsd: 4e5, entryPremium: 0 },
    ],
    collateral: [{ asset: 'USDC', amountUsd: 3.5e5 }],
  },
  {
    // Short 30-day 0.9 put / 1.1 call strangles on BTC and ETH.
    id: 'ref-short-vol',
    legs: [
      {
        kind: 'option',
        underlying: 'BTC',
        tenorDays: 30,
        moneyness: 0.9,
        optionType: 'put',
        notionalUsd: -1e6,
      },
      {
        kind: 'option',
        underlying: 'BTC',
        tenorDays: 30,
        moneyness: 1.1,
        optionType: 'call',
        notionalUsd: -1e6,
      },
      {
        kind: 'option',
        underlying: 'ETH',
        tenorDays: 30,
        moneyness: 0.9,
        optionType: 'put',
        notionalUsd: -5e5,
      },
      {
        kind: 'option',
        underlying: 'ETH',
        tenorDays: 30,
        moneyness: 1.1,
        optionType: 'call',
        notionalUsd: -5e5,
      },
    ],
    collateral: [{ asset: 'USDC', amountUsd: 5e5 }],
  },
  {
    // BTC, ETH and SOL collateral partly hedged with short perpetuals, USDT cash and a USDC loan.
    id: 'ref-multi-collateral',
    legs: [
      { kind: 'perpetual', underlying: 'BTC', notionalUsd: -4e5, entryPremium: 0 },
      { kind: 'perpetual', underlying: 'ETH', notionalUsd: -2e5, entryPremium: 0 },
      { kind: 'perpetual', underlying: 'SOL', notionalUsd: 1e5, entryPremium: 0 },
    ],
    collateral: [
      { asset: 'BTC', amountUsd: 5e5 },
      { asset: 'ETH', amountUsd: 3e5 },
      { asset: 'SOL', amountUsd: 1e5 },
      { asset: 'USDT', amountUsd: 2e5 },
      { asset: 'USDC', amountUsd: -1e5 },
    ],
  },
];

/** Reference market of the venue templates (fixed: the population does not depend on the range). */
const VENUE_REF_MS = Date.UTC(2024, 0, 1);
const VENUE_REF_PRICES: Readonly<Record<string, number>> = { BTC: 40_000, ETH: 2_000, SOL: 100 };
const VENUE_REF_VOLS: Readonly<Record<string, number>> = { BTC: 0.6, ETH: 0.7 };

/** One account of the venue population as a template, with its archetype. */
export interface VenueTemplate extends BookTemplate {
  readonly kind: AccountKind;
}

/**
 * The seeded venue population (engine/simulation/generate-venue.ts) as templates: generated once
 * at a fixed reference market (BTC 40,000, ETH 2,000, SOL 100 USD, 60% / 70% vol, 2024-01-01),
 * collateral sized under `isolated`, then converted by tenor and moneyness. The same seed and
 * count give the same population.
 * @param seed  RNG seed, integer ≥ 0
 * @param n     number of accounts, ≥ 0
 */
export function venueTemplates(seed: number, n: number): VenueTemplate[] {
  const tpl = createSimTemplate(VENUE_REF_MS, VENUE_REF_PRICES, VENUE_REF_VOLS, 'flat');
  const market = buildSimMarket(tpl, VENUE_REF_MS, VENUE_REF_PRICES);
  const iso = getMarginModel('isolated');
  const sizing = prepareMargin(
    iso,
    createMarginContext(market),
    iso.defaultParams,
    buildMarketRows(market, new RowUniverse()),
  );
  return generateVenue(seed, n, market, (pf) => sizing.explain(pf)).map((a) => ({
    ...templateFromPortfolio(`venue-${a.id}`, a.portfolio, market),
    kind: a.kind,
  }));
}
