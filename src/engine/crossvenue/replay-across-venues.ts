/**
 * @module engine/crossvenue
 *
 * Crash replay across venues: the same multi-venue book through a shipped crash, liquidated
 * (a) by each venue on its own rule, one engine `Venue` per venue holding that venue's part of the
 * book in one sub-account margined by the venue's preset, and (b) as one combined sub-account
 * margined by xmargin's model in one `Venue`. Both sides are driven only through the engine's
 * venue runtime (`openSubAccount`, `restore`, `updateMarket`): every margin call, liquidation,
 * insurance payout and auto-deleveraging is the engine's own.
 *
 * Each venue liquidates by its own rules where xmargin has them: the dYdX and Drift books are
 * priced by their venues' liquidation maths (core/margin/presets/{dydx,drift}/liquidation-math.ts:
 * dYdX's fillable price and insurance fund fee, Drift's liquidator and insurance fund fees),
 * handed to the one engine as its per-venue liquidation-pricing hook; the other venues and the
 * combined account pay the planner's costs (slippage and the default liquidator fee).
 *
 * Each hour of the window: when `extremes` is on, the market first at the hour's lows, then at its
 * highs, then at its close (each venue must survive both sides of the hour), stablecoins at their
 * closes only; the market of a venue is its start market moved by the crash's relative path
 * (replay-market.ts). Each venue's runtime
 * holds an insurance fund and a liquidator backstop of the same size.
 *
 * Set-up: balances are deposited, positions admitted at their entry price (perpetuals, futures) or
 * mark (options, spot) by the engine's own trade pricing, fee-free. A book that owes its settlement
 * asset (an Aave USDC debt) holds its non-stable collateral as spot positions bought with that
 * asset, so the debt appears as the negative cash leg (a spot holding is collateral for every
 * preset that takes one). A debt in any other asset cannot be set up: the book is refused, naming it.
 *
 * Units: USD, ms UTC. Reference: docs/methodology/cross-venue.md#crash-replay-across-venues.
 */
import { InvalidInputError } from '../../core/errors.js';
import type { BarHistory } from '../../core/history/align-history.js';
import type { Asset } from '../../core/ledger/asset.js';
import { DEFAULT_LIQUIDATION_PARAMS } from '../../core/liquidation/liquidation-params.js';
import type { LiquidationPricing } from '../../core/margin/liquidation-pricing.js';
import { DRIFT_MODEL_NAME } from '../../core/margin/presets/drift/drift-model.js';
import { driftLiquidationPricing } from '../../core/margin/presets/drift/liquidation-math.js';
import { DYDX_MODEL_NAME } from '../../core/margin/presets/dydx/dydx-model.js';
import { dydxLiquidationPricing } from '../../core/margin/presets/dydx/liquidation-math.js';
import { creditToUnits } from '../../core/ledger/convert.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import type { Operation } from '../operations.js';
import { DEFAULT_TRADING_PARAMS, priceTrade } from '../policy/trading-policy.js';
import { VenueParamsHistory } from '../policy/venue-params.js';
import { Venue, type ModeParams } from '../venue/venue.js';
import { movedMarket, priceFactors, type BarPoint } from './replay-market.js';

const HOUR_MS = 3_600_000;

/** One side's book: who holds it, under which model, on which start market. */
export interface ReplayBook {
  /** the venue tag (also the engine account id), or `combined` */
  readonly name: string;
  /** registry model name: the venue's preset, or xmargin's model */
  readonly model: string;
  /** params document of the model (merged over its defaults) */
  readonly params?: unknown;
  readonly market: MarginMarket;
  readonly portfolio: Portfolio;
}

/** Input of {@link replayAcrossVenues}. */
export interface CrossVenueReplayInput {
  /** each venue's part of the book */
  readonly venues: readonly ReplayBook[];
  /** the whole book as one account */
  readonly combined: ReplayBook;
  /** hourly bars covering the window (close, low, high) */
  readonly history: BarHistory;
  readonly window: {
    readonly id: string;
    readonly label: string;
    readonly fromMs: number;
    readonly toMs: number;
  };
  /** lows and highs inside every hour before its close (default true) */
  readonly extremes?: boolean;
  /** each venue's insurance fund and backstop at the start, USD of the settlement asset (default 1,000,000) */
  readonly insuranceUsd?: number;
  /** assets moved by their hourly closes only (default USDC, USDT, DAI, USD: see priceFactors) */
  readonly stableAssets?: readonly string[];
}

/** The venues whose own liquidation pricing xmargin has, by their preset (module header). */
export const VENUE_LIQUIDATION_PRICING: Readonly<Record<string, () => LiquidationPricing>> = {
  [DYDX_MODEL_NAME]: () => dydxLiquidationPricing(),
  [DRIFT_MODEL_NAME]: () => driftLiquidationPricing(),
};

/** What one sub-account went through. */
export interface ReplayOutcome {
  readonly name: string;
  readonly model: string;
  /** whose liquidation costs applied: the venue's own maths by name, or `planner` */
  readonly pricing: string;
  readonly liquidations: number;
  /** slippage + gas charged, USD */
  readonly liquidationCostUsd: number;
  /** liquidation fees charged (the liquidator's and the insurance fund's), USD */
  readonly feesUsd: number;
  /** the insurance fund's take out of those fees, USD */
  readonly insuranceFeeUsd: number;
  readonly bankrupt: boolean;
  /** negative equity left after liquidation, USD (the bad debt) */
  readonly badDebtUsd: number;
  readonly insurancePaidUsd: number;
  readonly adlUsd: number;
  /** lowest equity / MM seen (null when MM stayed 0) */
  readonly minHealth: number | null;
  /** equity at the end, USD */
  readonly endEquityUsd: number;
}

/** The replay's result. */
export interface CrossVenueReplayResult {
  readonly window: CrossVenueReplayInput['window'];
  /** market updates per side */
  readonly updates: number;
  readonly venues: readonly ReplayOutcome[];
  /** Σ over the venues */
  readonly venuesTotal: Omit<ReplayOutcome, 'name' | 'model' | 'pricing' | 'minHealth' | 'bankrupt'> & {
    readonly bankruptcies: number;
  };
  readonly combined: ReplayOutcome;
}

const STABLE = ['USDC', 'USDT', 'USD', 'DAI'];

/** A runtime holding one book in one sub-account. */
interface Side {
  readonly book: ReplayBook;
  readonly venue: Venue;
  readonly key: string;
  /** the venue's own liquidation pricing, by name (absent: the planner's) */
  readonly pricing?: string;
  minHealth: number | null;
}

function settlementOf(book: ReplayBook): string {
  const held = [...book.portfolio.collateral.keys()];
  return STABLE.find((s) => held.includes(s)) ?? STABLE.find((s) => book.market.prices.has(s)) ?? 'USDC';
}

function openSide(book: ReplayBook, fromMs: number, insuranceUsd: number, venueRules: boolean): Side {
  const m0 = book.market;
  const settle = settlementOf(book);
  if (!m0.assets.hasAsset(settle))
    throw new InvalidInputError(`${book.name}.settlement`, settle, "must be an asset of the book's market");
  const assets: Asset[] = [...m0.prices.keys()].map((a) => m0.assets.getAsset(a));
  const params = new VenueParamsHistory<ModeParams>();
  params.propose(1, { [book.model]: (book.params ?? {}) as ModeParams[string] }, 0);
  const pricing = venueRules ? VENUE_LIQUIDATION_PRICING[book.model]?.() : undefined;
  const venue = new Venue({
    ...(pricing ? { liquidationPricing: pricing } : {}),
    assets,
    limits: { maxLeverage: 1e6 },
    params,
    liquidation: { ...DEFAULT_LIQUIDATION_PARAMS, settlementAsset: settle },
    trading: {
      ...DEFAULT_TRADING_PARAMS,
      linearBand: 1e6,
      linearFeeRate: 0,
      optionFeeRate: 0,
      maxOrderNotionalUsd: Number.MAX_VALUE,
      maxPositionNotionalUsd: Number.MAX_VALUE,
      maxDepositUsd: Number.MAX_VALUE,
    },
  });
  const s = m0.assets.getAsset(settle);
  let n = 0;
  const key = () => `replay-${book.name}-${++n}`;
  const fund = creditToUnits(insuranceUsd / (m0.prices.get(settle) ?? 1), s.decimals);
  venue.restore({
    kind: 'deposit',
    key: key(),
    timeMs: fromMs,
    to: 'insurance-fund',
    asset: settle,
    units: fund,
  });
  venue.restore({
    kind: 'deposit',
    key: key(),
    timeMs: fromMs,
    to: venue.liquidatorKey,
    asset: settle,
    units: fund * 50n,
  });
  const sub = venue.openSubAccount({ accountId: book.name, subAccountId: 'main', mode: book.model });
  const trade = (instrument: string, size: number, price: number) => {
    const marked = m0.instruments.get(instrument)!;
    const op = priceTrade(
      { kind: 'trade', key: key(), timeMs: fromMs, subAccount: sub.key, instrument, size, price },
      {
        marked,
        indexUsd: m0.prices.get(marked.instrument.underlying)!,
        held: venue.journal.positionOf(sub.key, instrument),
        settlement: { symbol: settle, decimals: s.decimals },
        nowMs: fromMs,
        params: {
          ...DEFAULT_TRADING_PARAMS,
          linearBand: 1e6,
          optionBandVol: 1e6,
          optionBandIndex: 1e6,
          linearFeeRate: 0,
          optionFeeRate: 0,
          maxOrderNotionalUsd: Number.MAX_VALUE,
          maxPositionNotionalUsd: Number.MAX_VALUE,
        },
      },
    );
    venue.restore(op as Operation);
  };
  const owesSettlement = (book.portfolio.collateral.get(settle)?.units ?? 0n) < 0n;
  for (const [symbol, bal] of book.portfolio.collateral) {
    if (bal.units < 0n && symbol !== settle)
      throw new InvalidInputError(
        `${book.name}.collateral.${symbol}`,
        String(bal.units),
        'must not be a debt: only a debt in the settlement asset can be set up in the engine',
      );
    if (bal.units <= 0n) continue;
    if (owesSettlement && symbol !== settle) {
      // Hold it as a spot position bought with the settlement asset (module header).
      const spot = [...m0.instruments.values()].find(
        (x) => x.instrument.kind === 'spot' && x.instrument.underlying === symbol,
      );
      if (!spot)
        throw new InvalidInputError(
          `${book.name}.collateral.${symbol}`,
          symbol,
          'needs a spot instrument in the market to be held against a debt',
        );
      trade(spot.instrument.id, Number(bal.units) / 10 ** bal.asset.decimals, spot.markPrice);
      continue;
    }
    if (symbol !== settle)
      venue.restore({
        kind: 'deposit',
        key: key(),
        timeMs: fromMs,
        to: sub.key,
        asset: symbol,
        units: bal.units,
      });
  }
  for (const p of book.portfolio.positions) {
    const marked = m0.instruments.get(p.instrument)!;
    const linear = marked.instrument.kind === 'perpetual' || marked.instrument.kind === 'future';
    trade(p.instrument, p.size, linear ? (p.entryPrice ?? marked.markPrice) : marked.markPrice);
  }
  // The settlement balance last: what the spot purchases and premiums spent is added back, so
  // that the sub-account ends with exactly the book's settlement balance.
  const target = book.portfolio.collateral.get(settle)?.units ?? 0n;
  const now = venue.journal.balanceOf(sub.key, settle);
  if (target - now > 0n)
    venue.restore({
      kind: 'deposit',
      key: key(),
      timeMs: fromMs,
      to: sub.key,
      asset: settle,
      units: target - now,
    });
  else if (target - now < 0n)
    throw new InvalidInputError(
      `${book.name}.collateral.${settle}`,
      String(target),
      'cannot be set up: the admission trades left more owed than the book owes',
    );
  return { book, venue, key: sub.key, ...(pricing ? { pricing: pricing.name } : {}), minHealth: null };
}

function outcomeOf(side: Side): ReplayOutcome {
  const recs = side.venue.liquidations().filter((r) => r.subAccount === side.key);
  const sum = (f: (r: (typeof recs)[number]) => number) => recs.reduce((a, r) => a + f(r), 0);
  return {
    name: side.book.name,
    model: side.book.model,
    pricing: recs[0]?.pricing ?? side.pricing ?? 'planner',
    liquidations: recs.length,
    liquidationCostUsd: sum((r) => r.costUsd),
    feesUsd: sum((r) => r.feeUsd),
    insuranceFeeUsd: sum((r) => r.insuranceUsd),
    bankrupt: recs.some((r) => r.bankrupt),
    badDebtUsd: sum((r) => r.deficitUsd),
    insurancePaidUsd: sum((r) => r.insurancePaidUsd),
    adlUsd: sum((r) => r.adlUsd),
    minHealth: side.minHealth,
    endEquityUsd: side.venue.health(side.key).equityUsd,
  };
}

/** Options of {@link replayBooks}: as {@link CrossVenueReplayInput}'s. */
export interface ReplayBooksOptions {
  readonly extremes?: boolean;
  readonly insuranceUsd?: number;
  readonly stableAssets?: readonly string[];
  /** Per book: liquidate by its venue's own rules (dYdX, Drift pricing) rather than the planner's. */
  readonly venueRules?: readonly boolean[];
}

/**
 * Replays each book, in its own engine `Venue` (one sub-account, its model), through the window
 * (module header): the one replay loop of both sides of {@link replayAcrossVenues}, also used to
 * replay a book next to its optimised version (engine/backtest/optimised-backtest.ts).
 * @throws as {@link replayAcrossVenues}
 */
export function replayBooks(
  books: readonly ReplayBook[],
  history: BarHistory,
  w: CrossVenueReplayInput['window'],
  opts: ReplayBooksOptions = {},
): { updates: number; outcomes: ReplayOutcome[] } {
  const fromMs = w.fromMs;
  const insurance = opts.insuranceUsd ?? 1_000_000;
  const sides = books.map((b, i) => openSide(b, fromMs, insurance, opts.venueRules?.[i] === true));
  const points: BarPoint[] = opts.extremes === false ? ['close'] : ['low', 'high', 'close'];
  const closeOnly = new Set(opts.stableAssets ?? STABLE);
  let updates = 0;
  for (let t = fromMs; t <= w.toMs; t += HOUR_MS) {
    for (const [k, point] of points.entries()) {
      // Within the hour: the lows, then the highs, then the close at the hour's end.
      const at = t === fromMs ? t : t - HOUR_MS + Math.round(((k + 1) * HOUR_MS) / points.length);
      if (t === fromMs && point !== 'close') continue;
      const factors = priceFactors(history, fromMs, t, t === fromMs ? 'close' : point, closeOnly);
      for (const side of sides) {
        side.venue.updateMarket(movedMarket(side.book.market, factors, fromMs, at), at);
        const h = side.venue.health(side.key).health;
        if (h !== null && (side.minHealth === null || h < side.minHealth)) side.minHealth = h;
      }
      updates++;
    }
  }
  return { updates, outcomes: sides.map(outcomeOf) };
}

/**
 * Replays the book through the window on both sides (module header).
 * @throws InvalidInputError when the window is outside the history, an instrument expires inside
 *         it once rebased, or a book owes an asset other than its settlement asset
 */
export function replayAcrossVenues(input: CrossVenueReplayInput): CrossVenueReplayResult {
  const { window: w } = input;
  const { updates, outcomes } = replayBooks([...input.venues, input.combined], input.history, w, {
    venueRules: [...input.venues.map(() => true), false],
    ...(input.extremes !== undefined && { extremes: input.extremes }),
    ...(input.insuranceUsd !== undefined && { insuranceUsd: input.insuranceUsd }),
    ...(input.stableAssets !== undefined && { stableAssets: input.stableAssets }),
  });
  const venues = outcomes.slice(0, -1);
  const total = (f: (o: ReplayOutcome) => number) => venues.reduce((a, o) => a + f(o), 0);
  return {
    window: w,
    updates,
    venues,
    venuesTotal: {
      liquidations: total((o) => o.liquidations),
      liquidationCostUsd: total((o) => o.liquidationCostUsd),
      feesUsd: total((o) => o.feesUsd),
      insuranceFeeUsd: total((o) => o.insuranceFeeUsd),
      bankruptcies: venues.filter((o) => o.bankrupt).length,
      badDebtUsd: total((o) => o.badDebtUsd),
      insurancePaidUsd: total((o) => o.insurancePaidUsd),
      adlUsd: total((o) => o.adlUsd),
      endEquityUsd: total((o) => o.endEquityUsd),
    },
    combined: outcomes.at(-1)!,
  };
}
