/**
 * The portfolio file (docs/formats.md):
 *
 *   { "collateral": { "USDC": "100000", "BTC": "1.5", "USDT": "-2000" },
 *     "positions": [ { "instrument": "BTC-PERP", "size": -1.5, "entryPrice": 66000 },
 *                    { "instrument": "BTC-27MAR26-70000-C", "size": "10" } ] }
 *
 * Collateral amounts are decimal strings parsed exactly into base units (negative = borrowed);
 * a value with more decimals than the asset holds is ERR_INEXACT. Sizes are numbers or decimal
 * strings, signed (long > 0), non-zero. Every instrument and asset must exist in the market; one
 * the market left out as expired is ERR_INSTRUMENT_EXPIRED. With plausibility bounds (edges
 * pass them), a position or balance beyond the notional bound is refused (plausibility.ts).
 */
import { z } from 'zod';
import { plainName } from '../params/text-rules.js';
import { InvalidInputError, RiskError } from '../errors.js';
import { parseWithSchema } from '../params/parse.js';
import { parseDecimal } from '../ledger/decimal.js';
import type { MarginMarket } from './margin-market.js';
import type { CollateralBalance, Portfolio, Position } from './portfolio.js';
import { fromUnits } from '../ledger/convert.js';
import { checkNotional, NO_PLAUSIBILITY_BOUNDS, type PlausibilityBounds } from './plausibility.js';

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;
const decimalString = z.string().regex(DECIMAL, 'must be a decimal string like "-12.5" (no exponent)');
const sizeSchema = z.union([z.number(), decimalString]);

const PositionEntrySchema = z.strictObject({
  instrument: plainName(64),
  size: sizeSchema,
  entryPrice: z.number().positive().exactOptional(),
});

/** Strict schema of the portfolio file. */
export const PortfolioFileSchema = z.strictObject({
  collateral: z.record(plainName(32), decimalString).default({}),
  positions: z.array(PositionEntrySchema).default([]),
});

export type PortfolioFile = z.output<typeof PortfolioFileSchema>;

/** Options of {@link parsePortfolio}. */
export interface PortfolioFileOptions {
  /** plausibility bounds on notionals (default none; edges pass DEFAULT_PLAUSIBILITY) */
  readonly bounds?: PlausibilityBounds;
}

/**
 * Parses a portfolio file (parsed JSON) against a market.
 * @throws ValidationError ERR_VALIDATION (shape), ERR_UNKNOWN_ASSET / ERR_UNKNOWN_INSTRUMENT,
 *         ERR_INSTRUMENT_EXPIRED, ERR_INEXACT (too many decimals), ERR_INVALID_INPUT (zero or
 *         non-finite size, a notional beyond the plausibility bound)
 */
export function parsePortfolio(
  doc: unknown,
  market: MarginMarket,
  opts: PortfolioFileOptions = {},
): Portfolio {
  return resolvePortfolioFile(parseWithSchema(PortfolioFileSchema, doc, 'portfolio file'), market, opts);
}

/** Resolves a validated portfolio file against a market. */
export function resolvePortfolioFile(
  file: PortfolioFile,
  market: MarginMarket,
  opts: PortfolioFileOptions = {},
): Portfolio {
  const bounds = opts.bounds ?? NO_PLAUSIBILITY_BOUNDS;
  const collateral = new Map<string, CollateralBalance>();
  for (const [symbol, text] of Object.entries(file.collateral)) {
    if (!market.assets.hasAsset(symbol)) {
      throw new RiskError(
        'ERR_UNKNOWN_ASSET',
        `collateral.${symbol}: asset has no price in the market file`,
        {
          field: `collateral.${symbol}`,
          symbol,
        },
      );
    }
    const asset = market.assets.getAsset(symbol);
    let units: bigint;
    try {
      units = parseDecimal(text, asset.decimals);
    } catch (e) {
      if (e instanceof RiskError || e instanceof InvalidInputError) {
        throw new RiskError(
          e.code,
          `collateral.${symbol}: ${e.message}`,
          { ...e.details, field: `collateral.${symbol}` },
          { cause: e },
        );
      }
      throw e;
    }
    const valueUsd = fromUnits(units, asset.decimals) * market.prices.get(symbol)!;
    checkNotional(`collateral.${symbol}`, text, valueUsd, bounds);
    collateral.set(symbol, { asset, units });
  }
  const positions: Position[] = file.positions.map((p, i) => {
    const size = typeof p.size === 'number' ? p.size : Number(p.size);
    if (!(Number.isFinite(size) && size !== 0))
      throw new InvalidInputError(`positions[${i}].size`, p.size, 'must be a finite, non-zero number');
    const expiredAt = market.expired?.get(p.instrument);
    if (expiredAt !== undefined)
      throw new RiskError(
        'ERR_INSTRUMENT_EXPIRED',
        `positions[${i}].instrument: "${p.instrument}" expired at ${new Date(expiredAt).toISOString()}, ` +
          `at or before the market's valuation time ${new Date(market.valuationMs).toISOString()}`,
        {
          field: `positions[${i}].instrument`,
          id: p.instrument,
          expiryMs: expiredAt,
          valuationMs: market.valuationMs,
        },
      );
    if (!market.instruments.has(p.instrument)) {
      throw new RiskError(
        'ERR_UNKNOWN_INSTRUMENT',
        `positions[${i}].instrument: "${p.instrument}" is not in the market file`,
        {
          field: `positions[${i}].instrument`,
          id: p.instrument,
        },
      );
    }
    const inst = market.instruments.get(p.instrument)!.instrument;
    const kind = inst.kind;
    checkNotional(
      `positions[${i}].size`,
      p.size,
      size * inst.contractSize * market.prices.get(inst.underlying)!,
      bounds,
    );
    if (p.entryPrice !== undefined && kind !== 'perpetual' && kind !== 'future') {
      throw new InvalidInputError(
        `positions[${i}].entryPrice`,
        p.entryPrice,
        `applies to perpetuals and futures only, not a ${kind}`,
      );
    }
    return {
      instrument: p.instrument,
      size,
      ...(p.entryPrice === undefined ? {} : { entryPrice: p.entryPrice }),
    };
  });
  return { positions, collateral };
}
