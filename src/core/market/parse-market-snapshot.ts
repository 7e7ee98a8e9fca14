/**
 * The edge form of a market snapshot: a JSON document checked by a strict zod schema (shapes
 * and types; unknown keys are errors), then validated semantically by `createMarketSnapshot`.
 */
import { z } from 'zod';
import { plainName } from '../params/text-rules.js';
import { parseWithSchema } from '../params/parse.js';
import { createMarketSnapshot, type MarketSnapshot } from './snapshot.js';

const name = plainName(64);
const epochMs = z.int();
const numberTable = z.record(z.string(), z.number());

const volSliceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ expiryMs: epochMs, kind: z.literal('flat'), vol: z.number() }),
  z.strictObject({
    expiryMs: epochMs,
    kind: z.literal('smile'),
    points: z.array(z.strictObject({ strike: z.number(), vol: z.number() })).min(1),
  }),
  z.strictObject({
    expiryMs: epochMs,
    kind: z.literal('svi'),
    a: z.number(),
    b: z.number(),
    rho: z.number(),
    m: z.number(),
    sigma: z.number(),
  }),
]);

const volSurfaceSchema = z.strictObject({
  underlying: name,
  slices: z.array(volSliceSchema).min(1),
  expiryInterpolation: z.enum(['none', 'totalVariance']).exactOptional(),
});

const bookLevelSchema = z.strictObject({ price: z.number(), qty: z.number() });

const depthCurveSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('book'),
    asset: name,
    bids: z.array(bookLevelSchema).min(1),
    asks: z.array(bookLevelSchema).min(1),
    referencePrice: z.number().exactOptional(),
    beyondDepth: z
      .discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('throw') }),
        z.strictObject({ kind: z.literal('penalty'), penalty: z.number() }),
      ])
      .exactOptional(),
  }),
  z.strictObject({
    kind: z.literal('sqrt'),
    asset: name,
    referencePrice: z.number(),
    halfSpread: z.number(),
    impactCoefficient: z.number(),
    dailyVolume: z.number(),
  }),
]);

/** Strict schema of a market snapshot document (JSON); field meanings as in `MarketSnapshotInput`. */
export const MarketSnapshotDocumentSchema = z.strictObject({
  snapshotId: name,
  valuationMs: epochMs,
  quoteCurrency: name.exactOptional(),
  indexPrices: numberTable,
  forwards: z
    .array(z.strictObject({ underlying: name, expiryMs: epochMs, price: z.number() }))
    .exactOptional(),
  forwardRule: z.enum(['explicit', 'carry']).exactOptional(),
  rates: z.union([z.number(), numberTable]),
  volSurfaces: z.array(volSurfaceSchema).exactOptional(),
  depthCurves: z.array(depthCurveSchema).exactOptional(),
  oracleConfidence: numberTable.exactOptional(),
});

/**
 * Parses an untrusted market snapshot document (parsed JSON) into a validated snapshot.
 * @param data  untrusted input
 * @returns     an immutable `MarketSnapshot`
 * @throws ValidationError ERR_VALIDATION listing every shape/type issue (path, code, message)
 * @throws InvalidInputError ERR_INVALID_INPUT for the first semantic rule broken (see `createMarketSnapshot`)
 * @see docs/methodology/market-data.md#snapshot
 * @example parseMarketSnapshot(JSON.parse(text))
 */
export function parseMarketSnapshot(data: unknown): MarketSnapshot {
  return createMarketSnapshot(parseWithSchema(MarketSnapshotDocumentSchema, data, 'market snapshot'));
}
