/**
 * @module engine/policy/trading-policy
 *
 * How a trade request becomes a journal trade: the price it fills at, the band that price must
 * lie in, the cash leg and the fee, all computed by the engine. A client never supplies a cash
 * amount or a fee, and an owner never chooses a price:
 *
 * - an **order** (any key with `trade:<account>`) is filled by the venue's market maker (the venue
 *   itself, through the `settlement` account, as a CCP that novates every trade) at the mark plus
 *   a spread against the taker: buy at mark·(1 + spread), sell at mark·(1 − spread) for
 *   perpetuals and futures; options at mark ± max(optionSpread·mark, optionMinSpread·index);
 * - a **fill** (the venue's matching side: an `admin` key) carries the price the matching engine
 *   agreed; it must lie in the band around the mark:
 *     perpetual, future:  |price / mark − 1| ≤ linearBand
 *     option:             |price − mark| ≤ vega·optionBandVol + optionBandIndex·index
 *   (vega per unit of volatility, so `optionBandVol = 0.10` allows a 10-vol-point error), else
 *   ERR_PRICE_OUT_OF_BOUNDS naming `price`.
 *
 * Cash leg, received by the sub-account from `settlement` (negative = paid), in USD then exact
 * base units of the settlement asset (quoted 1:1, the venue's quote currency):
 *     option, spot instrument:       −size·contractSize·price                    (the premium)
 *     perpetual, future:             realised P&L of the part of the position the trade closes,
 *                                    closed·contractSize·(price − entryPrice)    (closed has the
 *                                    sign of the position held; nothing is paid on opening)
 * Fee, paid to `fees`: linearFeeRate·|units|·price (perpetual, future); for options
 * min(optionFeeRate·|units|·index, optionFeeCap·|units|·price) (Deribit's rule: a fraction of the
 * underlying, capped at a fraction of the option price).
 *
 * Rounding (docs/numerics.md): the cash leg with `creditToUnits` (toward −∞: a credit is never
 * overstated, a debit never understated), the fee with `requirementToUnits` (toward +∞).
 *
 * Size bounds: |size|·contractSize·index ≤ maxOrderNotionalUsd per order, and a position that
 * grows must stay within maxPositionNotionalUsd. An instrument at or past its expiry refuses
 * trades (ERR_INSTRUMENT_EXPIRED); an unknown one ERR_UNKNOWN_INSTRUMENT; both name `instrument`.
 *
 * Pure: the caller passes the marked instrument, the index, the position held and `nowMs`.
 * @see docs/methodology/venue-runtime.md#trades
 */
import { InvalidInputError, RiskError, XmarginError, requireInput } from '../../core/errors.js';
import { creditToUnits, requirementToUnits } from '../../core/ledger/convert.js';
import { computeBlack76Greeks } from '../../core/pricing/black76.js';
import type { MarkedInstrument } from '../../core/portfolio/margin-market.js';
import type { TradeOp, TradeRequest } from '../operations.js';
import type { PositionState } from '../to-portfolio.js';

/** The venue's trading rules (fractions are plain: 0.05 = 5%). */
export interface TradingParams {
  /** fill band of perpetuals and futures around the mark, fraction (> 0) */
  readonly linearBand: number;
  /** option fill band: volatility points of vega (0.10 = 10 vol points) */
  readonly optionBandVol: number;
  /** option fill band: plus this fraction of the index (a floor for options with little vega) */
  readonly optionBandIndex: number;
  /** market maker's half-spread on perpetuals and futures, fraction of the mark */
  readonly spread: number;
  /** market maker's half-spread on options, fraction of the option's mark */
  readonly optionSpread: number;
  /** market maker's minimum half-spread on options, fraction of the index */
  readonly optionMinSpread: number;
  /** taker fee on perpetuals and futures, fraction of notional at the fill price */
  readonly linearFeeRate: number;
  /** option fee, fraction of the underlying's notional at the index */
  readonly optionFeeRate: number;
  /** option fee cap, fraction of the premium */
  readonly optionFeeCap: number;
  /** largest order, USD notional at the index (> 0) */
  readonly maxOrderNotionalUsd: number;
  /** largest position after a risk-increasing trade, USD notional at the index (> 0) */
  readonly maxPositionNotionalUsd: number;
  /** largest single deposit, USD at the index (> 0) */
  readonly maxDepositUsd: number;
}

/**
 * Defaults. Bands and fees follow the large venues' published rules: Deribit charges 0.05% taker on
 * perpetuals and 0.03% of the underlying on options capped at 12.5% of the option price (Deribit
 * fees page); price bands of a few percent around the mark are common to every venue's matching
 * engine (Deribit's "price limits", dYdX's oracle-price bands). The spreads are the demo market
 * maker's; the size bounds are plausibility limits for one account, not liquidity limits.
 */
export const DEFAULT_TRADING_PARAMS: TradingParams = Object.freeze({
  linearBand: 0.05,
  optionBandVol: 0.1,
  optionBandIndex: 0.0005,
  spread: 0.0005,
  optionSpread: 0.02,
  optionMinSpread: 0.0001,
  linearFeeRate: 0.0005,
  optionFeeRate: 0.0003,
  optionFeeCap: 0.125,
  maxOrderNotionalUsd: 50_000_000,
  maxPositionNotionalUsd: 250_000_000,
  maxDepositUsd: 1_000_000_000,
});

/**
 * Validates trading params: every field finite and ≥ 0, bounds > 0.
 * @throws InvalidInputError ERR_INVALID_INPUT naming `trading.<field>`
 */
export function validateTradingParams(p: TradingParams): TradingParams {
  for (const [k, v] of Object.entries(p))
    requireInput(
      typeof v === 'number' && Number.isFinite(v) && v >= 0,
      `trading.${k}`,
      v,
      'must be finite and >= 0',
    );
  for (const k of ['linearBand', 'maxOrderNotionalUsd', 'maxPositionNotionalUsd', 'maxDepositUsd'] as const)
    requireInput(p[k] > 0, `trading.${k}`, p[k], 'must be > 0');
  return Object.freeze({ ...p });
}

/** What pricing a trade needs to know. */
export interface TradeContext {
  /** the instrument as the current market marks it; undefined when the market does not list it */
  readonly marked: MarkedInstrument | undefined;
  /** index price of the underlying, USD */
  readonly indexUsd: number;
  /** the sub-account's position in the instrument before the trade */
  readonly held: PositionState | undefined;
  /** settlement asset of cash legs and fees, and its decimals */
  readonly settlement: { readonly symbol: string; readonly decimals: number };
  /** the server's time, ms UTC (expiry is checked against it) */
  readonly nowMs: number;
  readonly params: TradingParams;
}

const isLinear = (kind: string) => kind === 'perpetual' || kind === 'future';

/** Vega of one unit of underlying (per 1.00 of volatility), USD. */
function optionVega(m: MarkedInstrument): number {
  const i = m.instrument;
  if (i.kind !== 'option' || m.forward === undefined || m.vol === undefined || m.tYears === undefined)
    return 0;
  return computeBlack76Greeks({
    type: i.optionType,
    forward: m.forward,
    strike: i.strike,
    tYears: m.tYears,
    vol: m.vol,
    rate: m.rate ?? 0,
  }).vega;
}

/**
 * The price an order is filled at by the venue's market maker (module header).
 * @param size  signed contracts (buy > 0)
 */
export function marketMakerPrice(
  m: MarkedInstrument,
  size: number,
  indexUsd: number,
  p: TradingParams,
): number {
  const side = Math.sign(size);
  if (m.instrument.kind === 'option') {
    const half = Math.max(p.optionSpread * m.markPrice, p.optionMinSpread * indexUsd);
    // A sell is never filled below zero: an option worth less than the spread is bought back at 0.
    return Math.max(0, m.markPrice + side * half);
  }
  return m.markPrice * (1 + side * p.spread);
}

/**
 * Refuses a fill price outside the band around the mark (module header).
 * @throws RiskError ERR_PRICE_OUT_OF_BOUNDS naming `price`, with the band in `details`
 */
export function checkFillBand(m: MarkedInstrument, price: number, indexUsd: number, p: TradingParams): void {
  requireInput(Number.isFinite(price) && price >= 0, 'price', price, 'must be a finite price >= 0');
  let lo: number;
  let hi: number;
  if (m.instrument.kind === 'option') {
    const half = optionVega(m) * p.optionBandVol + p.optionBandIndex * indexUsd;
    lo = Math.max(0, m.markPrice - half);
    hi = m.markPrice + half;
  } else {
    lo = m.markPrice * (1 - p.linearBand);
    hi = m.markPrice * (1 + p.linearBand);
  }
  if (!(price >= lo && price <= hi))
    throw new RiskError(
      'ERR_PRICE_OUT_OF_BOUNDS',
      `price must lie in the band [${lo.toPrecision(8)}, ${hi.toPrecision(8)}] around the mark ` +
        `${m.markPrice.toPrecision(8)} of ${m.instrument.id}; got ${price}`,
      {
        field: 'price',
        value: price,
        rule: 'within the fill band around the mark',
        lo,
        hi,
        mark: m.markPrice,
      },
    );
}

/**
 * Turns a trade request into the journal's trade: price (order or banded fill), cash leg and fee.
 *
 * @returns the trade to journal, `source` telling which fields the client supplied
 * @throws XmarginError ERR_UNKNOWN_INSTRUMENT / ERR_INSTRUMENT_EXPIRED naming `instrument`;
 *         InvalidInputError naming `size` (not finite, zero, or beyond the size bounds) or `price`;
 *         RiskError ERR_PRICE_OUT_OF_BOUNDS naming `price`
 */
export function priceTrade(req: TradeRequest, c: TradeContext): TradeOp {
  const m = c.marked;
  if (m === undefined)
    throw new XmarginError(
      'ERR_UNKNOWN_INSTRUMENT',
      `instrument must be listed by the venue; got ${JSON.stringify(req.instrument)}`,
      {
        field: 'instrument',
        value: req.instrument,
        rule: 'must be a listed instrument',
      },
    );
  const inst = m.instrument;
  if ('expiryMs' in inst && !(inst.expiryMs > c.nowMs))
    throw new XmarginError(
      'ERR_INSTRUMENT_EXPIRED',
      `instrument must not be expired at the venue's time ${new Date(c.nowMs).toISOString()}; ` +
        `got ${inst.id}, expired ${new Date(inst.expiryMs).toISOString()}`,
      {
        field: 'instrument',
        value: inst.id,
        rule: 'must not be expired',
        expiryMs: inst.expiryMs,
        nowMs: c.nowMs,
      },
    );
  const size = req.size;
  requireInput(
    typeof size === 'number' && Number.isFinite(size) && size !== 0,
    'size',
    size,
    'must be a finite non-zero number of contracts',
  );
  const p = c.params;
  const index = c.indexUsd;
  const cs = inst.contractSize;
  const orderNotional = Math.abs(size) * cs * index;
  if (!(orderNotional <= p.maxOrderNotionalUsd))
    throw new InvalidInputError(
      'size',
      size,
      `must keep the order's notional (${orderNotional.toExponential(3)} USD) <= the venue's ` +
        `maxOrderNotionalUsd ${p.maxOrderNotionalUsd}`,
    );
  const before = c.held?.size ?? 0;
  const after = before + size;
  const grows = before * after < 0 || Math.abs(after) > Math.abs(before);
  const positionNotional = Math.abs(after) * cs * index;
  if (grows && !(positionNotional <= p.maxPositionNotionalUsd))
    throw new InvalidInputError(
      'size',
      size,
      `must keep the position's notional (${positionNotional.toExponential(3)} USD) <= the venue's ` +
        `maxPositionNotionalUsd ${p.maxPositionNotionalUsd}`,
    );
  let price: number;
  if (req.price === undefined) price = marketMakerPrice(m, size, index, p);
  else {
    checkFillBand(m, req.price, index, p);
    price = req.price;
  }
  let cashUsd: number;
  let feeUsd: number;
  const units = size * cs;
  if (isLinear(inst.kind)) {
    // Only the part that closes the position held realises P&L; opening pays nothing.
    const closing = before !== 0 && Math.sign(size) !== Math.sign(before);
    const closed = closing ? Math.sign(before) * Math.min(Math.abs(size), Math.abs(before)) : 0;
    cashUsd = closed * cs * (price - (c.held?.entryPrice ?? price));
    feeUsd = p.linearFeeRate * Math.abs(units) * price;
  } else {
    cashUsd = -units * price;
    feeUsd =
      inst.kind === 'option'
        ? Math.min(p.optionFeeRate * Math.abs(units) * index, p.optionFeeCap * Math.abs(units) * price)
        : p.linearFeeRate * Math.abs(units) * price;
  }
  return {
    kind: 'trade',
    key: req.key,
    timeMs: req.timeMs,
    subAccount: req.subAccount,
    instrument: req.instrument,
    size,
    // A fill records the agreed price; an order records the market maker's (both are what the
    // position's entry price averages).
    price,
    asset: c.settlement.symbol,
    cashUnits: creditToUnits(cashUsd, c.settlement.decimals), // toward −∞: credit never overstated
    feeUnits: requirementToUnits(feeUsd, c.settlement.decimals), // toward +∞: a fee never understated
    source: req.price === undefined ? 'order' : 'fill',
  };
}
