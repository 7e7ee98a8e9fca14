/**
 * The market file (docs/formats.md): a JSON document with prices, instruments and optional vol
 * surfaces, forwards, rates, oracle confidence and depth curves, validated with a strict zod
 * schema and resolved into a `MarginMarket`.
 *
 * Rules for what an instrument needs (each missing datum is ERR_MISSING_MARKET_DATA naming the
 * field; margin fails closed):
 * - spot: its asset's price in `prices`;
 * - perpetual: `markPrice`, else the underlying's index price;
 * - future: `markPrice`, else a `forwards` entry for (underlying, expiryMs);
 * - option: forward = `forward`, else `forwards`, else the mark of a future on the same underlying
 *   and expiry; vol = `iv`, else the underlying's vol surface, else implied from `markPrice`;
 *   mark = `markPrice`, else Black-76 at that forward and vol.
 *
 * A dated instrument (and a forward) at or past the valuation time is left out of the market and
 * listed in `expired` (a real snapshot lists instruments at their expiry; margin then refuses
 * only a portfolio that holds one). With plausibility bounds (edges pass them), an option's vol
 * above `maxVol` is refused naming where it came from (portfolio/plausibility.ts).
 */
import { z } from 'zod';
import { plainName } from '../params/text-rules.js';
import { InvalidInputError, RiskError } from '../errors.js';
import { parseWithSchema } from '../params/parse.js';
import { defineAsset } from '../ledger/asset.js';
import { AssetRegistry } from '../ledger/asset-registry.js';
import { resolveInstruments } from '../instruments/resolve-instruments.js';
import type { InstrumentSpec } from '../instruments/instrument-spec.js';
import type { ResolvedInstrument } from '../instruments/resolved-instrument.js';
import { createMarketSnapshot, type MarketSnapshotInput } from '../market/snapshot.js';
import { getRate, getVol } from '../market/snapshot-lookups.js';
import { MarketSnapshotDocumentSchema } from '../market/parse-market-snapshot.js';
import { priceBlack76 } from '../pricing/black76.js';
import { impliedVolBlack76 } from '../pricing/implied-vol.js';
import type { MarginMarket, MarkedInstrument } from './margin-market.js';
import { checkVol, NO_PLAUSIBILITY_BOUNDS, type PlausibilityBounds } from './plausibility.js';

/** Decimals used for an asset the file does not list (documented in docs/formats.md). */
export const DEFAULT_ASSET_DECIMALS: Readonly<Record<string, number>> = {
  USD: 6,
  USDC: 6,
  USDT: 6,
  DAI: 18,
  BTC: 8,
  ETH: 18,
  SOL: 9,
};
const FALLBACK_DECIMALS = 8;

const symbol = plainName(32);
const epochMs = z.int().positive();
const positive = z.number().positive();

const InstrumentEntrySchema = z.strictObject({
  id: plainName(64),
  kind: z.enum(['spot', 'perpetual', 'future', 'option']),
  underlying: symbol,
  contractSize: positive.exactOptional(),
  markPrice: z.number().nonnegative().exactOptional(),
  expiryMs: epochMs.exactOptional(),
  strike: positive.exactOptional(),
  optionType: z.enum(['call', 'put']).exactOptional(),
  iv: z.number().nonnegative().exactOptional(),
  forward: positive.exactOptional(),
  openInterestUsd: z.number().nonnegative().exactOptional(),
});

const snapshotShape = MarketSnapshotDocumentSchema.shape;

/** Strict schema of the market file. */
export const MarketFileSchema = z.strictObject({
  valuationMs: epochMs,
  snapshotId: plainName(200).exactOptional(),
  quoteCurrency: symbol.exactOptional(),
  prices: z.record(symbol, positive),
  assets: z.record(symbol, z.strictObject({ decimals: z.int().min(0).max(36) })).exactOptional(),
  instruments: z.array(InstrumentEntrySchema),
  forwards: snapshotShape.forwards,
  rates: snapshotShape.rates.exactOptional(),
  volSurfaces: snapshotShape.volSurfaces,
  depthCurves: snapshotShape.depthCurves,
  confidence: z.record(symbol, z.number().min(0).max(1)).exactOptional(),
  stablePrices: z.record(symbol, positive).exactOptional(),
  feedConfidence: z
    .record(
      symbol,
      z.strictObject({
        spot: z.number().min(0).max(1).exactOptional(),
        forward: z.number().min(0).max(1).exactOptional(),
        perp: z.number().min(0).max(1).exactOptional(),
        vol: z.number().min(0).max(1).exactOptional(),
      }),
    )
    .exactOptional(),
  expiryRates: z
    .array(z.strictObject({ underlying: symbol, expiryMs: epochMs, rate: z.number().min(-1).max(10) }))
    .exactOptional(),
});

export type MarketFile = z.output<typeof MarketFileSchema>;
type InstrumentEntry = z.output<typeof InstrumentEntrySchema>;

/** Options of {@link buildMarginMarket}. */
export interface MarketFileOptions {
  /** plausibility bounds on option vols (default none; edges pass DEFAULT_PLAUSIBILITY) */
  readonly bounds?: PlausibilityBounds;
}

/**
 * Parses and resolves a market file (parsed JSON) into a `MarginMarket`.
 * @throws ValidationError ERR_VALIDATION for shape errors (every field listed)
 * @throws InvalidInputError / RiskError for semantic errors, naming `instruments[<id>].<field>`;
 *         ERR_INVALID_INPUT for a vol beyond the plausibility bound
 * @example buildMarginMarket(JSON.parse(readFileSync('examples/market.json', 'utf8')), { bounds: DEFAULT_PLAUSIBILITY })
 */
export function buildMarginMarket(doc: unknown, opts: MarketFileOptions = {}): MarginMarket {
  return resolveMarketFile(parseWithSchema(MarketFileSchema, doc, 'market file'), opts);
}

/** Resolves an already-validated market file (expired instruments left out, module header). */
export function resolveMarketFile(input: MarketFile, opts: MarketFileOptions = {}): MarginMarket {
  const bounds = opts.bounds ?? NO_PLAUSIBILITY_BOUNDS;
  const expired = new Map<string, number>();
  const live = input.instruments.filter((e) => {
    if (
      e.expiryMs === undefined ||
      e.kind === 'spot' ||
      e.kind === 'perpetual' ||
      e.expiryMs > input.valuationMs
    )
      return true;
    expired.set(e.id, e.expiryMs);
    return false;
  });
  const file: MarketFile = {
    ...input,
    instruments: live,
    ...(input.forwards ? { forwards: input.forwards.filter((f) => f.expiryMs >= input.valuationMs) } : {}),
  };
  const quote = file.quoteCurrency ?? 'USD';
  const prices = new Map<string, number>(Object.entries(file.prices));
  if (!prices.has(quote)) prices.set(quote, 1);
  const assets = new AssetRegistry(
    [...prices.keys()].map((s) =>
      defineAsset(s, file.assets?.[s]?.decimals ?? DEFAULT_ASSET_DECIMALS[s] ?? FALLBACK_DECIMALS),
    ),
  );
  for (const s of Object.keys(file.assets ?? {})) {
    if (!prices.has(s)) throw new InvalidInputError(`assets.${s}`, s, 'must also have a price in prices');
  }
  const snapshotInput: MarketSnapshotInput = {
    snapshotId: file.snapshotId ?? `market@${file.valuationMs}`,
    valuationMs: file.valuationMs,
    quoteCurrency: quote,
    indexPrices: Object.fromEntries(prices),
    rates: file.rates ?? 0,
    ...(file.forwards ? { forwards: file.forwards } : {}),
    ...(file.volSurfaces ? { volSurfaces: file.volSurfaces } : {}),
    ...(file.depthCurves ? { depthCurves: file.depthCurves } : {}),
    ...(file.confidence ? { oracleConfidence: file.confidence } : {}),
  };
  const snapshot = createMarketSnapshot(snapshotInput);
  const registry = resolveInstruments(file.instruments.map(toSpec), {
    knownAssets: new Set(prices.keys()),
    valuationMs: file.valuationMs,
  });
  const entries = new Map(file.instruments.map((e) => [e.id, e]));
  const expiryRates = new Map((file.expiryRates ?? []).map((r) => [`${r.underlying}@${r.expiryMs}`, r.rate]));
  const instruments = new Map<string, MarkedInstrument>();
  // Futures first: options may take their forward from a future on the same expiry.
  const ordered = [...registry.instruments].sort(
    (a, b) => Number(a.kind === 'option') - Number(b.kind === 'option'),
  );
  for (const inst of ordered)
    instruments.set(
      inst.id,
      markInstrument(inst, entries.get(inst.id)!, { prices, snapshot, instruments, bounds, expiryRates }),
    );
  const openInterestUsd = new Map<string, number>();
  for (const e of file.instruments)
    if (e.openInterestUsd !== undefined) openInterestUsd.set(e.id, e.openInterestUsd);
  const market: MarginMarket = {
    snapshotId: snapshot.snapshotId,
    valuationMs: file.valuationMs,
    quoteCurrency: quote,
    prices,
    assets,
    instruments: new Map([...registry.instruments].map((i) => [i.id, instruments.get(i.id)!])),
    confidence: new Map(Object.entries(file.confidence ?? {})),
    stablePrices: new Map(Object.entries(file.stablePrices ?? {})),
    feedConfidence: new Map(Object.entries(file.feedConfidence ?? {})),
    openInterestUsd,
    snapshot,
    ...(expired.size > 0 ? { expired } : {}),
  };
  SOURCES.set(market, input);
  return market;
}

/** The validated file each resolved market came from, by identity (a copy of a market has none). */
const SOURCES = new WeakMap<MarginMarket, MarketFile>();

/**
 * The market file a market was resolved from, to build the same market elsewhere (a worker thread:
 * `resolveMarketFile(marketFileOf(m))` gives the same numbers, the file being plain data). Undefined
 * for a market not made by {@link resolveMarketFile}, or derived from one by copying.
 */
export function marketFileOf(market: MarginMarket): MarketFile | undefined {
  return SOURCES.get(market);
}

function toSpec(e: InstrumentEntry): InstrumentSpec {
  const common = e.contractSize === undefined ? {} : { contractSize: e.contractSize };
  const field = (name: keyof InstrumentEntry) => `instruments[${e.id}].${name}`;
  const need = <T>(v: T | undefined, name: keyof InstrumentEntry): T => {
    if (v === undefined) throw new InvalidInputError(field(name), v, `is required for a ${e.kind}`);
    return v;
  };
  switch (e.kind) {
    case 'spot':
      return { kind: 'spot', id: e.id, asset: e.underlying };
    case 'perpetual':
      return { kind: 'perpetual', id: e.id, underlying: e.underlying, ...common };
    case 'future':
      return {
        kind: 'future',
        id: e.id,
        underlying: e.underlying,
        expiryMs: need(e.expiryMs, 'expiryMs'),
        ...common,
      };
    case 'option':
      return {
        kind: 'option',
        id: e.id,
        underlying: e.underlying,
        optionType: need(e.optionType, 'optionType'),
        strike: need(e.strike, 'strike'),
        expiryMs: need(e.expiryMs, 'expiryMs'),
        ...common,
      };
  }
}

interface MarkInputs {
  /** per-expiry rates: `${underlying}@${expiryMs}` → rate (Derive's rate feed) */
  readonly expiryRates: ReadonlyMap<string, number>;
  readonly prices: ReadonlyMap<string, number>;
  readonly snapshot: MarginMarket['snapshot'];
  readonly instruments: ReadonlyMap<string, MarkedInstrument>;
  readonly bounds: PlausibilityBounds;
}

function missing(id: string, name: string, rule: string): RiskError {
  return new RiskError('ERR_MISSING_MARKET_DATA', `instruments[${id}].${name} ${rule}`, {
    field: `instruments[${id}].${name}`,
    id,
  });
}

function markInstrument(inst: ResolvedInstrument, e: InstrumentEntry, m: MarkInputs): MarkedInstrument {
  const index = m.prices.get(inst.underlying)!;
  switch (inst.kind) {
    case 'spot':
      return { instrument: inst, markPrice: index };
    case 'perpetual':
      return { instrument: inst, markPrice: e.markPrice ?? index };
    case 'future': {
      const listed = m.snapshot.forwards.get(inst.underlying)?.get(inst.expiryMs);
      const mark = e.markPrice ?? listed;
      if (mark === undefined)
        throw missing(inst.id, 'markPrice', 'is required: no markPrice and no forwards entry for its expiry');
      return { instrument: inst, markPrice: mark, forward: mark, tYears: inst.tYears };
    }
    case 'option': {
      const sameExpiryFuture = [...m.instruments.values()].find(
        (x) =>
          x.instrument.kind === 'future' &&
          x.instrument.underlying === inst.underlying &&
          x.instrument.expiryMs === inst.expiryMs,
      );
      const forward =
        e.forward ??
        m.snapshot.forwards.get(inst.underlying)?.get(inst.expiryMs) ??
        sameExpiryFuture?.markPrice;
      if (forward === undefined) {
        throw missing(
          inst.id,
          'forward',
          'is required: no forward, no forwards entry and no future on the same expiry',
        );
      }
      // A per-expiry rate (Derive's rate feed) wins over the currency's rate.
      const rate = m.expiryRates.get(`${inst.underlying}@${inst.expiryMs}`) ?? getRate(m.snapshot);
      const base = { type: inst.optionType, forward, strike: inst.strike, tYears: inst.tYears, rate };
      let vol = e.iv;
      let volField = `instruments[${inst.id}].iv`;
      if (vol === undefined && m.snapshot.volSurfaces.has(inst.underlying)) {
        vol = getVol(m.snapshot, {
          underlying: inst.underlying,
          strike: inst.strike,
          expiryMs: inst.expiryMs,
        });
        volField = `volSurfaces[${inst.underlying}] at instruments[${inst.id}]`;
      }
      if (vol === undefined && e.markPrice !== undefined) {
        vol = impliedVolBlack76({ ...base, price: e.markPrice });
        volField = `instruments[${inst.id}].markPrice (implied vol)`;
      }
      if (vol === undefined)
        throw missing(inst.id, 'iv', 'is required: no iv, no vol surface and no markPrice to imply it from');
      checkVol(volField, vol, m.bounds);
      const markPrice = e.markPrice ?? priceBlack76({ ...base, vol });
      return { instrument: inst, markPrice, forward, vol, tYears: inst.tYears, rate };
    }
  }
}
