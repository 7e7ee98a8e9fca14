/**
 * Depth curves: how much it costs to buy or sell a quantity of one asset at once.
 *
 * Two kinds, as a discriminated union:
 * - `book`: order-book levels per side, best first; a market order walks the levels.
 * - `sqrt`: the square-root impact model, cost = q·P·(halfSpread + k·√(q / dailyVolume)).
 *
 * Units: prices in quote ccy (USD) per unit of the asset; quantities in units of the asset;
 * fractions (half spread, penalty) as plain fractions (0.001 = 10 bps).
 * Conservative choice: by default a book curve refuses (ERR_MISSING_MARKET_DATA) an order
 * larger than its depth; a venue may instead set `beyondDepth: { kind: 'penalty', penalty }`,
 * which fills the excess at the worst level's price moved by the penalty against the trader.
 * The evaluation is `computeExecutionCost` (execution-cost.ts).
 */
import { InvalidInputError, requireInput } from '../errors.js';

/** One price level of an order book. */
export interface BookLevel {
  /** quote ccy per unit (> 0) */
  readonly price: number;
  /** resting quantity, units of the asset (> 0) */
  readonly qty: number;
}

/** What a book curve does with the part of an order beyond the book's total depth. */
export type BeyondDepthRule =
  /** refuse: ERR_MISSING_MARKET_DATA (fail closed; the default) */
  | { readonly kind: 'throw' }
  /**
   * fill the excess at lastLevel·(1 + penalty) when buying, lastLevel·(1 − penalty) when
   * selling; penalty is a fraction in [0, 1] (1 = the excess sold is worth nothing)
   */
  | { readonly kind: 'penalty'; readonly penalty: number };

/** Input of a book curve. */
export interface BookDepthCurveInput {
  readonly kind: 'book';
  /** asset id, e.g. "BTC" */
  readonly asset: string;
  /** bids, best (highest price) first, prices strictly decreasing, at least one */
  readonly bids: readonly BookLevel[];
  /** asks, best (lowest price) first, prices strictly increasing, at least one */
  readonly asks: readonly BookLevel[];
  /** price slippage is measured against, quote ccy per unit (> 0); default the mid (bestBid + bestAsk)/2 */
  readonly referencePrice?: number;
  /** default `{ kind: 'throw' }` */
  readonly beyondDepth?: BeyondDepthRule;
}

/** Input (and validated form) of a square-root impact curve. */
export interface SqrtDepthCurveInput {
  readonly kind: 'sqrt';
  readonly asset: string;
  /** reference (mid or index) price P, quote ccy per unit (> 0) */
  readonly referencePrice: number;
  /** half the relative bid-ask spread, fraction in [0, 1) (0.0005 = 5 bps) */
  readonly halfSpread: number;
  /** impact coefficient k (dimensionless, ≥ 0), typically of order 0.1–1 */
  readonly impactCoefficient: number;
  /** daily traded volume V, units of the asset (> 0) */
  readonly dailyVolume: number;
}

/** Input of `createDepthCurve`. */
export type DepthCurveInput = BookDepthCurveInput | SqrtDepthCurveInput;

/** A validated, immutable order-book curve. */
export interface BookDepthCurve {
  readonly kind: 'book';
  readonly asset: string;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  /** quote ccy per unit */
  readonly referencePrice: number;
  readonly beyondDepth: BeyondDepthRule;
  /** Σ bid quantities, units of the asset */
  readonly bidDepth: number;
  /** Σ ask quantities, units of the asset */
  readonly askDepth: number;
}

/** A validated, immutable square-root impact curve. */
export type SqrtDepthCurve = Readonly<SqrtDepthCurveInput>;

/** The cost of executing a quantity of one asset at once. */
export type DepthCurve = BookDepthCurve | SqrtDepthCurve;

/**
 * Validates and freezes a depth curve.
 *
 * Book rules: at least one level per side; every price and qty finite and > 0; bids strictly
 * decreasing, asks strictly increasing (best first, no repeated level); not crossed
 * (best bid < best ask); reference price > 0 if given; penalty in [0, 1].
 * Sqrt rules: reference price > 0; halfSpread in [0, 1); impactCoefficient ≥ 0; dailyVolume > 0.
 *
 * @param input  the curve
 * @param field  its path in the caller's input, for messages (default "depthCurve")
 * @returns      an immutable `DepthCurve`
 * @throws InvalidInputError ERR_INVALID_INPUT naming the field, rule and value
 * @example
 * createDepthCurve({ kind: 'book', asset: 'BTC', bids: [{ price: 99, qty: 1 }], asks: [{ price: 101, qty: 1 }] });
 */
export function createDepthCurve(input: DepthCurveInput, field = 'depthCurve'): DepthCurve {
  requireInput(
    typeof input.asset === 'string' && input.asset.length > 0,
    `${field}.asset`,
    input.asset,
    'must be a non-empty string',
  );
  switch (input.kind) {
    case 'book':
      return createBook(input, field);
    case 'sqrt': {
      const { asset, referencePrice, halfSpread, impactCoefficient, dailyVolume } = input;
      requirePositive(referencePrice, `${field}.referencePrice`);
      requireInput(
        Number.isFinite(halfSpread) && halfSpread >= 0 && halfSpread < 1,
        `${field}.halfSpread`,
        halfSpread,
        'must be a fraction in [0, 1)',
      );
      requireInput(
        Number.isFinite(impactCoefficient) && impactCoefficient >= 0,
        `${field}.impactCoefficient`,
        impactCoefficient,
        'must be finite and >= 0',
      );
      requirePositive(dailyVolume, `${field}.dailyVolume`);
      return Object.freeze({
        kind: 'sqrt',
        asset,
        referencePrice,
        halfSpread,
        impactCoefficient,
        dailyVolume,
      });
    }
    default:
      return requireKind((input as { kind?: unknown }).kind, `${field}.kind`);
  }
}

function createBook(input: BookDepthCurveInput, field: string): BookDepthCurve {
  const bids = validateSide(input.bids, `${field}.bids`, 'bid');
  const asks = validateSide(input.asks, `${field}.asks`, 'ask');
  const bestBid = bids[0]!.price;
  const bestAsk = asks[0]!.price;
  requireInput(
    bestBid < bestAsk,
    `${field}.bids[0].price`,
    bestBid,
    `must be < best ask ${bestAsk} (book is crossed)`,
  );
  let referencePrice: number;
  if (input.referencePrice === undefined) {
    referencePrice = bestBid + (bestAsk - bestBid) / 2; // mid, written so it cannot overflow
  } else {
    requirePositive(input.referencePrice, `${field}.referencePrice`);
    referencePrice = input.referencePrice;
  }
  const rule = input.beyondDepth ?? { kind: 'throw' };
  let beyondDepth: BeyondDepthRule;
  if (rule.kind === 'throw') {
    beyondDepth = Object.freeze({ kind: 'throw' });
  } else if (rule.kind === 'penalty') {
    requireInput(
      Number.isFinite(rule.penalty) && rule.penalty >= 0 && rule.penalty <= 1,
      `${field}.beyondDepth.penalty`,
      rule.penalty,
      'must be a fraction in [0, 1]',
    );
    beyondDepth = Object.freeze({ kind: 'penalty', penalty: rule.penalty });
  } else {
    return requireKind(
      (rule as { kind?: unknown }).kind,
      `${field}.beyondDepth.kind`,
      "'throw' or 'penalty'",
    );
  }
  return Object.freeze({
    kind: 'book',
    asset: input.asset,
    bids,
    asks,
    referencePrice,
    beyondDepth,
    bidDepth: sumQty(bids),
    askDepth: sumQty(asks),
  });
}

function validateSide(
  levels: readonly BookLevel[],
  field: string,
  side: 'bid' | 'ask',
): readonly BookLevel[] {
  requireInput(
    Array.isArray(levels) && levels.length > 0,
    field,
    levels,
    'must be a non-empty array of levels',
  );
  const out: BookLevel[] = [];
  levels.forEach((l, i) => {
    requirePositive(l.price, `${field}[${i}].price`);
    requirePositive(l.qty, `${field}[${i}].qty`);
    if (i > 0) {
      const prev = levels[i - 1]!.price;
      // Best first: walking the book must make every next fill worse for the taker. This is
      // what makes the cost convex in the quantity.
      const ok = side === 'bid' ? l.price < prev : l.price > prev;
      requireInput(
        ok,
        `${field}[${i}].price`,
        l.price,
        `must be ${side === 'bid' ? '<' : '>'} the previous level's ${prev} (best first, no repeats)`,
      );
    }
    out.push(Object.freeze({ price: l.price, qty: l.qty }));
  });
  return Object.freeze(out);
}

function sumQty(levels: readonly BookLevel[]): number {
  let s = 0;
  for (const l of levels) s += l.qty;
  return s;
}

function requirePositive(x: number, field: string): void {
  requireInput(Number.isFinite(x) && x > 0, field, x, 'must be finite and > 0');
}

function requireKind(kind: unknown, field: string, allowed = "'book' or 'sqrt'"): never {
  throw new InvalidInputError(field, kind, `must be ${allowed}`);
}
