/**
 * Arranges a portfolio the way Derive's `PMRM_2._arrangePortfolio` does, one book per currency:
 * options grouped by expiry, linear positions (perpetuals; dated futures as an extension),
 * collateral valued in cash units, and the cash balance at face value.
 *
 * Which book holds a collateral asset (Derive has one currency per sub-account; xmargin may hold
 * several): (1) the book of its params' `currency` (default: the asset itself) when that book
 * exists; else (2) the only position book when there is exactly one (Derive: every collateral of
 * a sub-account sits in its one manager); else (3) a new book of its own currency when it is risk
 * cancelling; else (4) the only book if exactly one exists by then, or no book at all (haircuts
 * and its own oracle confidence only).
 */
import { RiskError, InvalidInputError } from '../../../errors.js';
import { fromUnits } from '../../../ledger/convert.js';
import type { MarginMarket } from '../../../portfolio/margin-market.js';
import { confidenceOf } from '../../../portfolio/feed-confidence.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import type { DerivePm2Params, Pm2CollateralParams } from './pm2-params.js';
import { SECONDS_PER_YEAR } from './pm2-formulas.js';
import { stablePriceOf } from './stable-price.js';

/** One option holding (positions in the same instrument netted). */
export interface Pm2Option {
  /** instrument id: the contribution key */
  readonly key: string;
  readonly isCall: boolean;
  readonly strike: number;
  /** signed units of the underlying (size·contractSize), long > 0 */
  readonly units: number;
  /** Black-76 vol σ of the strike */
  readonly vol: number;
  /** forward F today */
  readonly forward: number;
}

/** Options of one expiry. */
export interface Pm2Expiry {
  readonly expiryMs: number;
  readonly secToExpiry: number;
  /** τ = secToExpiry / (365·86,400) */
  readonly tYears: number;
  /** continuously compounded rate, floored at 0 as Derive does */
  readonly rate: number;
  readonly options: Pm2Option[];
}

/** A perpetual (or a dated future, treated as one). */
export interface Pm2Linear {
  readonly key: string;
  readonly units: number;
  /** mark price: the perp price of Derive's scenario P&L, units·(S − 1)·price */
  readonly price: number;
  /** unrealised P&L counted in equity: units·(mark − entry), 0 without an entry price */
  readonly valueUsd: number;
}

/** A collateral holding (non-cash). */
export interface Pm2Collateral {
  /** `collateral:<ASSET>` or the id of a spot instrument held as a position */
  readonly key: string;
  readonly asset: string;
  /** value in cash units: qty·price / stablePrice (Derive `CollateralHoldings.value`), ≥ 0 */
  readonly valueUsd: number;
  readonly params: Pm2CollateralParams;
  /** its own oracle confidence (the book's is applied later) */
  readonly confidence: number;
}

/** One currency's PMRM_2 book. */
export interface Pm2Book {
  readonly currency: string;
  /** index price of the currency: the notional of perp and option contingencies */
  readonly spot: number;
  /** oracle confidence of the currency (1 when the market gives none) */
  readonly confidence: number;
  readonly expiries: Pm2Expiry[];
  readonly linears: Pm2Linear[];
  readonly collaterals: Pm2Collateral[];
}

/** The arranged account. */
export interface Pm2Account {
  readonly books: Pm2Book[];
  /** collateral that sits in no book: contingencies only */
  readonly looseCollateral: Pm2Collateral[];
  /** cash at face value (negative = borrowed) */
  readonly cashUsd: number;
  /** index price of the cash asset: Derive's stable price */
  readonly stablePrice: number;
}

function missing(field: string, message: string): RiskError {
  return new RiskError('ERR_MISSING_MARKET_DATA', `${field} ${message}`, { field });
}

function priceOf(market: MarginMarket, asset: string): number {
  const p = market.prices.get(asset);
  if (p === undefined) throw missing(`prices.${asset}`, 'is required by derive-pm2');
  return p;
}

/**
 * Arranges `portfolio` into per-currency books (module header).
 * @throws RiskError ERR_MISSING_MARKET_DATA (no price for a currency or the cash asset, an option
 *         without forward, vol or time to expiry); ERR_INVALID_PARAMS (a collateral asset with no
 *         `collateral` params: Derive refuses unlisted assets); InvalidInputError ERR_INVALID_INPUT
 *         (a negative non-cash balance: PMRM_2 cannot borrow anything but cash)
 */
export function arrangePm2Account(
  portfolio: Portfolio,
  market: MarginMarket,
  p: DerivePm2Params,
): Pm2Account {
  const cashAssets = new Set([p.cashAsset, market.quoteCurrency]);
  const stablePrice = stablePriceOf(market, p.cashAsset, 'derive-pm2');
  const books = new Map<string, Pm2Book>();
  const book = (currency: string): Pm2Book => {
    let b = books.get(currency);
    if (!b) {
      b = {
        currency,
        spot: priceOf(market, currency),
        // the currency's feeds the book reads (spot, perp, forward, vol): refined below to those its
        // positions use
        confidence: 1,
        expiries: [],
        linears: [],
        collaterals: [],
      };
      books.set(currency, b);
    }
    return b;
  };
  // Net positions by instrument first: Derive holds one balance per asset and subId.
  const net = new Map<string, { units: number; value: number }>();
  let cashUsd = 0;
  const held: { key: string; asset: string; qty: number; field: string }[] = [];
  for (const pos of portfolio.positions) {
    const marked = market.instruments.get(pos.instrument)!;
    const inst = marked.instrument;
    const units = pos.size * inst.contractSize;
    const prev = net.get(pos.instrument) ?? { units: 0, value: 0 };
    const pnl = pos.entryPrice === undefined ? 0 : units * (marked.markPrice - pos.entryPrice);
    net.set(pos.instrument, { units: prev.units + units, value: prev.value + pnl });
  }
  for (const [id, { units, value }] of net) {
    const marked = market.instruments.get(id)!;
    const inst = marked.instrument;
    if (inst.kind === 'spot') {
      held.push({ key: id, asset: inst.asset, qty: units, field: `positions[${id}]` });
      continue;
    }
    if (units === 0) continue;
    const b = book(inst.underlying);
    if (inst.kind === 'perpetual' || inst.kind === 'future') {
      b.linears.push({ key: id, units, price: marked.markPrice, valueUsd: value });
      continue;
    }
    const { forward, vol } = marked;
    if (forward === undefined) throw missing(`instruments[${id}].forward`, 'is required by derive-pm2');
    if (vol === undefined) throw missing(`instruments[${id}].iv`, 'is required by derive-pm2');
    const secToExpiry = Math.max(0, (inst.expiryMs - market.valuationMs) / 1000);
    let expiry = b.expiries.find((e) => e.expiryMs === inst.expiryMs);
    if (!expiry) {
      expiry = {
        expiryMs: inst.expiryMs,
        secToExpiry,
        tYears: secToExpiry / SECONDS_PER_YEAR,
        // Derive floors the rate feed at 0 ("we assume the rate is always positive").
        rate: Math.max(0, marked.rate ?? 0),
        options: [],
      };
      b.expiries.push(expiry);
    }
    expiry.options.push({
      key: id,
      isCall: inst.optionType === 'call',
      strike: inst.strike,
      units,
      vol,
      forward,
    });
  }
  for (const [symbol, bal] of portfolio.collateral) {
    const qty = fromUnits(bal.units, bal.asset.decimals);
    if (cashAssets.has(symbol)) cashUsd += qty;
    else held.push({ key: `collateral:${symbol}`, asset: symbol, qty, field: `collateral.${symbol}` });
  }
  const looseCollateral: Pm2Collateral[] = [];
  const positionCurrencies = [...books.keys()];
  const pending: { c: Pm2Collateral; home: string }[] = [];
  for (const h of held) {
    if (h.qty === 0) continue;
    const params = p.collateral[h.asset];
    if (!params) {
      throw new RiskError(
        'ERR_INVALID_PARAMS',
        `derive-pm2 params: collateral.${h.asset} is not listed, and PMRM_2 refuses unlisted collateral (${h.field})`,
        { field: `collateral.${h.asset}`, asset: h.asset },
      );
    }
    if (!(h.qty > 0))
      throw new InvalidInputError(
        h.field,
        h.qty,
        'must be >= 0 under derive-pm2 (only cash can be borrowed)',
      );
    const c: Pm2Collateral = {
      key: h.key,
      asset: h.asset,
      valueUsd: (h.qty * priceOf(market, h.asset)) / stablePrice,
      params,
      confidence: confidenceOf(market, h.asset, ['spot']),
    };
    pending.push({ c, home: params.currency ?? h.asset });
  }
  // Placement order (module header): own currency's book, the only book, a risk-cancelling
  // book of its own, nowhere.
  const unplaced: Pm2Collateral[] = [];
  for (const { c, home } of pending) {
    if (books.has(home)) books.get(home)!.collaterals.push(c);
    else if (positionCurrencies.length === 1) books.get(positionCurrencies[0]!)!.collaterals.push(c);
    else if (c.params.riskCancelling) book(home).collaterals.push(c);
    else unplaced.push(c);
  }
  for (const c of unplaced) {
    if (books.size === 1) [...books.values()][0]!.collaterals.push(c);
    else looseCollateral.push(c);
  }
  // The book's confidence: the smallest of the currency's feeds its positions read (spot always;
  // perp with perpetuals and futures; forward and vol with options), as Derive takes the minimum.
  const withConfidence = [...books.values()].map((b) => ({
    ...b,
    confidence: confidenceOf(market, b.currency, [
      'spot',
      ...(b.linears.length > 0 ? (['perp'] as const) : []),
      ...(b.expiries.length > 0 ? (['forward', 'vol'] as const) : []),
    ]),
  }));
  return { books: withConfidence, looseCollateral, cashUsd, stablePrice };
}
