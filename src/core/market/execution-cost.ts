/**
 * The cost of a market order of signed size q against a depth curve: average fill price and
 * slippage cost against the curve's reference price.
 *
 * Sign convention: q > 0 buys (walks the asks), q < 0 sells (walks the bids).
 * Invariants (tested): cost ≥ 0; cost(0) = 0; cost non-decreasing in |q|; for book curves the
 * marginal cost is non-decreasing (cost convex in |q|), also across the beyond-depth penalty.
 */
import { RiskError, ensureFinite, requireInput } from '../errors.js';
import type { BookDepthCurve, BookLevel, DepthCurve, SqrtDepthCurve } from './depth-curve.js';

/** Which side of the book the order takes; 'none' for q = 0. */
export type ExecutionSide = 'buy' | 'sell' | 'none';

/** Result of `computeExecutionCost`, with diagnostics. */
export interface ExecutionCostResult {
  readonly side: ExecutionSide;
  /** |q|, units of the asset */
  readonly qty: number;
  /** average fill price, quote ccy per unit (the reference price when q = 0) */
  readonly avgPrice: number;
  /** reference price the cost is measured against, quote ccy per unit */
  readonly referencePrice: number;
  /** |q|·avgPrice, quote ccy */
  readonly notionalUsd: number;
  /** slippage cost against the reference, quote ccy, ≥ 0 */
  readonly costUsd: number;
  /** part of |q| filled beyond the book's depth by the penalty rule (0 for sqrt curves), units */
  readonly extrapolatedQty: number;
}

/**
 * Average fill price and slippage cost of a market order of signed size q.
 *
 *   book, buy q:  fills f_i at ask prices p_i, best first; avg = Σ f_i·p_i / q
 *                 cost = max(0, Σ f_i·(p_i − ref))          (sell: Σ f_i·(ref − p_i))
 *   beyond depth: 'throw' → ERR_MISSING_MARKET_DATA; 'penalty' → the excess fills at
 *                 p_last·(1 + penalty) (buy) or p_last·(1 − penalty) (sell)
 *   sqrt:         f = halfSpread + k·√(|q| / V)
 *                 buy:  avg = P·(1 + f),          cost = |q|·P·f
 *                 sell: avg = P·(1 − min(f, 1)),  cost = |q|·P·min(f, 1)
 *
 * Edge cases: q = 0 returns side 'none', avg = reference, cost 0. A reference price outside the
 * spread could make the raw book cost negative for small orders; it is floored at 0 (a sale is
 * never credited above its reference value). The sqrt sell cost is capped at the notional
 * |q|·P (a sale cannot fetch a negative price), so it is convex only below that cap.
 *
 * @param curve  a curve from `createDepthCurve`
 * @param qty    signed quantity, units of the asset (finite); > 0 buy, < 0 sell
 * @returns      side, |q|, average price (quote ccy per unit), notional and cost (quote ccy)
 * @throws InvalidInputError ERR_INVALID_INPUT when qty is not finite
 * @throws RiskError ERR_MISSING_MARKET_DATA when |q| exceeds a book side's depth under the
 *         'throw' rule (details: asset, side, qty, depth)
 * @see docs/methodology/market-data.md#depth-curves; Almgren et al. (2005), "Direct estimation
 *      of equity market impact", Risk 18(7) (square-root law)
 * @example
 * const c = createDepthCurve({ kind: 'book', asset: 'BTC', bids: [{ price: 99, qty: 1 }], asks: [{ price: 101, qty: 1 }] });
 * computeExecutionCost(c, -0.5).costUsd // 0.5·(100 − 99) = 0.5
 */
export function computeExecutionCost(curve: DepthCurve, qty: number): ExecutionCostResult {
  requireInput(Number.isFinite(qty), 'qty', qty, 'must be finite');
  if (qty === 0) {
    return Object.freeze({
      side: 'none',
      qty: 0,
      avgPrice: curve.referencePrice,
      referencePrice: curve.referencePrice,
      notionalUsd: 0,
      costUsd: 0,
      extrapolatedQty: 0,
    });
  }
  const side: ExecutionSide = qty > 0 ? 'buy' : 'sell';
  const result =
    curve.kind === 'book' ? bookCost(curve, side, Math.abs(qty)) : sqrtCost(curve, side, Math.abs(qty));
  ensureFinite(result.costUsd, 'execution cost', { asset: curve.asset, qty });
  ensureFinite(result.avgPrice, 'average fill price', { asset: curve.asset, qty });
  return Object.freeze(result);
}

function bookCost(curve: BookDepthCurve, side: 'buy' | 'sell', q: number): ExecutionCostResult {
  const levels: readonly BookLevel[] = side === 'buy' ? curve.asks : curve.bids;
  const depth = side === 'buy' ? curve.askDepth : curve.bidDepth;
  const ref = curve.referencePrice;
  // +1 when buying (paying above the reference is a cost), −1 when selling.
  const dir = side === 'buy' ? 1 : -1;
  // Decide "beyond depth" once, against the stored depth, so that float rounding in the running
  // remainder can neither invent nor hide an excess when q equals the depth.
  const within = q <= depth;
  let remaining = q;
  let notional = 0;
  let slippage = 0; // Σ f_i·dir·(p_i − ref), summed per level to avoid Σf·p − q·ref cancellation
  for (let i = 0; i < levels.length && remaining > 0; i++) {
    const l = levels[i]!;
    const fill = within && i === levels.length - 1 ? remaining : Math.min(remaining, l.qty);
    notional += fill * l.price;
    slippage += fill * dir * (l.price - ref);
    remaining -= fill;
  }
  let extrapolatedQty = 0;
  if (!within) {
    const rule = curve.beyondDepth;
    if (rule.kind === 'throw') {
      throw new RiskError(
        'ERR_MISSING_MARKET_DATA',
        `order book of ${curve.asset} holds ${depth} on the ${side === 'buy' ? 'ask' : 'bid'} side; cannot ${side} ${q} (beyondDepth rule 'throw')`,
        { asset: curve.asset, side, qty: q, depth },
      );
    }
    remaining = Math.max(0, remaining);
    const last = levels[levels.length - 1]!.price;
    // The excess fills no better than the worst level, moved by the penalty against the taker:
    // the marginal price keeps getting worse, so the cost stays convex.
    const px = last * (1 + dir * rule.penalty);
    notional += remaining * px;
    slippage += remaining * dir * (px - ref);
    extrapolatedQty = remaining;
  }
  return {
    side,
    qty: q,
    avgPrice: notional / q,
    referencePrice: ref,
    notionalUsd: notional,
    costUsd: Math.max(0, slippage),
    extrapolatedQty,
  };
}

function sqrtCost(curve: SqrtDepthCurve, side: 'buy' | 'sell', q: number): ExecutionCostResult {
  const p = curve.referencePrice;
  const f = curve.halfSpread + curve.impactCoefficient * Math.sqrt(q / curve.dailyVolume);
  // A sale cannot fetch a negative price: its cost fraction is capped at 100% of the notional.
  const frac = side === 'buy' ? f : Math.min(f, 1);
  const avgPrice = side === 'buy' ? p * (1 + frac) : p * (1 - frac);
  return {
    side,
    qty: q,
    avgPrice,
    referencePrice: p,
    notionalUsd: q * avgPrice,
    costUsd: q * p * frac,
    extrapolatedQty: 0,
  };
}
