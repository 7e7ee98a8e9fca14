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
 *
 * Venue tags (optional, compatible: a file without them reads as before): a top-level `venue`
 * tags every position and `collateral` balance that has no tag of its own; `positions[].venue`
 * tags one position; `balances: [{ venue, asset, amount }]` adds balances held at named venues.
 * `collateral` is then the sum over venues per asset, and `venueBalances` the breakdown.
 */
import { z } from 'zod';
import { plainName } from '../params/text-rules.js';
import { InvalidInputError, RiskError } from '../errors.js';
import { parseWithSchema } from '../params/parse.js';
import { parseDecimal } from '../ledger/decimal.js';
import type { MarginMarket } from './margin-market.js';
import type { CollateralBalance, Portfolio, Position, VenueBalance } from './portfolio.js';
import { fromUnits } from '../ledger/convert.js';
import { checkNotional, NO_PLAUSIBILITY_BOUNDS, type PlausibilityBounds } from './plausibility.js';

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;
const decimalString = z.string().regex(DECIMAL, 'must be a decimal string like "-12.5" (no exponent)');
const sizeSchema = z.union([z.number(), decimalString]);

/** A venue tag: lower-case letters, digits, `.`, `_`, `-`; 1–32 characters (e.g. `okx`, `hyperliquid-spot`). */
export const VENUE_TAG_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;
const venueTag = z
  .string()
  .regex(
    VENUE_TAG_PATTERN,
    'must be a venue tag: lower-case letters, digits, ".", "_", "-", 1-32 characters',
  );

const PositionEntrySchema = z.strictObject({
  instrument: plainName(64),
  size: sizeSchema,
  entryPrice: z.number().positive().exactOptional(),
  venue: venueTag.exactOptional(),
});

const BalanceEntrySchema = z.strictObject({
  venue: venueTag,
  asset: plainName(32),
  amount: decimalString,
});

/** Strict schema of the portfolio file. */
export const PortfolioFileSchema = z.strictObject({
  venue: venueTag.exactOptional(),
  collateral: z.record(plainName(32), decimalString).default({}),
  balances: z.array(BalanceEntrySchema).exactOptional(),
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

/** Parses one amount exactly, naming `field` on failure. */
function parseAmount(text: string, asset: CollateralBalance['asset'], field: string): bigint {
  try {
    return parseDecimal(text, asset.decimals);
  } catch (e) {
    if (e instanceof RiskError || e instanceof InvalidInputError) {
      throw new RiskError(e.code, `${field}: ${e.message}`, { ...e.details, field }, { cause: e });
    }
    throw e;
  }
}

function unknownAsset(field: string, symbol: string): RiskError {
  return new RiskError('ERR_UNKNOWN_ASSET', `${field}: asset has no price in the market file`, {
    field,
    symbol,
  });
}

/** Resolves a validated portfolio file against a market. */
export function resolvePortfolioFile(
  file: PortfolioFile,
  market: MarginMarket,
  opts: PortfolioFileOptions = {},
): Portfolio {
  const bounds = opts.bounds ?? NO_PLAUSIBILITY_BOUNDS;
  const venueBalances: VenueBalance[] = [];
  for (const [symbol, text] of Object.entries(file.collateral)) {
    const field = `collateral.${symbol}`;
    if (!market.assets.hasAsset(symbol)) throw unknownAsset(field, symbol);
    const asset = market.assets.getAsset(symbol);
    const units = parseAmount(text, asset, field);
    checkNotional(field, text, fromUnits(units, asset.decimals) * market.prices.get(symbol)!, bounds);
    venueBalances.push({ venue: file.venue ?? '', asset, units });
  }
  (file.balances ?? []).forEach((b, i) => {
    const field = `balances[${i}].asset`;
    if (!market.assets.hasAsset(b.asset)) throw unknownAsset(field, b.asset);
    const asset = market.assets.getAsset(b.asset);
    const units = parseAmount(b.amount, asset, `balances[${i}].amount`);
    checkNotional(
      `balances[${i}].amount`,
      b.amount,
      fromUnits(units, asset.decimals) * market.prices.get(b.asset)!,
      bounds,
    );
    venueBalances.push({ venue: b.venue, asset, units });
  });
  const collateral = new Map<string, CollateralBalance>();
  for (const b of venueBalances) {
    const prev = collateral.get(b.asset.symbol)?.units ?? 0n;
    collateral.set(b.asset.symbol, { asset: b.asset, units: prev + b.units });
  }
  const tagged = file.venue !== undefined || file.balances !== undefined;
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
    const venue = p.venue ?? file.venue;
    return {
      instrument: p.instrument,
      size,
      ...(p.entryPrice === undefined ? {} : { entryPrice: p.entryPrice }),
      ...(venue === undefined ? {} : { venue }),
    };
  });
  return tagged || positions.some((p) => p.venue !== undefined)
    ? { positions, collateral, venueBalances }
    : { positions, collateral };
}
