/**
 * `MarketSnapshot`: every market datum one valuation reads, validated once and frozen.
 *
 * Fields and units: index prices in quote ccy per unit; forwards per (underlying, expiryMs) in
 * quote ccy per unit; rates continuously compounded, annualised fractions; vol surfaces per
 * underlying; optional depth curves per asset; optional oracle confidence per asset in [0, 1].
 * Times are ms since epoch UTC. The lookups live in snapshot-lookups.ts.
 */
import { requireInput } from '../errors.js';
import { createDepthCurve, type DepthCurve, type DepthCurveInput } from './depth-curve.js';
import { FrozenMap } from './frozen-map.js';
import { createVolSurface, type VolSurface, type VolSurfaceInput } from './vol-surface.js';

/** A name → number table given either as a plain object (JSON) or as a map. */
export type NumberTable = Readonly<Record<string, number>> | ReadonlyMap<string, number>;

/**
 * What `getForward` does for an expiry with no listed forward.
 * - 'explicit' (default): refuse with ERR_MISSING_MARKET_DATA (fail closed).
 * - 'carry': F = S·e^{r·t}, S the index, r the quote ccy rate, t in years (ACT/365);
 *   assumes no yield on the underlying (no staking, lending or funding basis).
 */
export type ForwardRule = 'explicit' | 'carry';

/** Continuously compounded rates: one for every currency, or one per currency. */
export type Rates =
  | { readonly kind: 'flat'; readonly rate: number }
  | { readonly kind: 'byCurrency'; readonly rates: ReadonlyMap<string, number> };

/** A listed forward price. */
export interface ForwardInput {
  readonly underlying: string;
  /** ms since epoch UTC, ≥ valuationMs */
  readonly expiryMs: number;
  /** quote ccy per unit (> 0) */
  readonly price: number;
}

/** Input of `createMarketSnapshot`. */
export interface MarketSnapshotInput {
  /** identifies the snapshot in results (non-empty) */
  readonly snapshotId: string;
  /** valuation time, integer ms since epoch UTC */
  readonly valuationMs: number;
  /** quote currency, default 'USD' */
  readonly quoteCurrency?: string;
  /** index (spot) price per asset, quote ccy per unit (> 0) */
  readonly indexPrices: NumberTable;
  /** listed forwards; at most one per (underlying, expiryMs) */
  readonly forwards?: readonly ForwardInput[];
  /** default 'explicit' */
  readonly forwardRule?: ForwardRule;
  /**
   * continuously compounded annual rates as fractions (0.05 = 5%): one number for every
   * currency, or a table per currency (the quote currency must be listed)
   */
  readonly rates: number | NumberTable;
  /** at most one per underlying */
  readonly volSurfaces?: readonly VolSurfaceInput[];
  /** at most one per asset */
  readonly depthCurves?: readonly DepthCurveInput[];
  /** oracle confidence per asset in [0, 1] (1 = full confidence); assets must have an index price */
  readonly oracleConfidence?: NumberTable;
}

/** A validated, immutable market snapshot. Read it with the functions of snapshot-lookups.ts. */
export interface MarketSnapshot {
  readonly snapshotId: string;
  readonly valuationMs: number;
  readonly quoteCurrency: string;
  /** asset → index price, quote ccy per unit */
  readonly indexPrices: ReadonlyMap<string, number>;
  /** underlying → (expiryMs → forward price, quote ccy per unit) */
  readonly forwards: ReadonlyMap<string, ReadonlyMap<number, number>>;
  readonly forwardRule: ForwardRule;
  readonly rates: Rates;
  /** underlying → surface */
  readonly volSurfaces: ReadonlyMap<string, VolSurface>;
  /** asset → depth curve */
  readonly depthCurves: ReadonlyMap<string, DepthCurve>;
  /** asset → oracle confidence in [0, 1] */
  readonly oracleConfidence: ReadonlyMap<string, number>;
}

/**
 * Validates every field and returns a frozen snapshot (its maps cannot be modified).
 *
 * Rules: snapshotId and currency/asset names non-empty; valuationMs an integer; prices finite
 * and > 0; forwards unique per (underlying, expiryMs) and not before valuationMs; rates finite;
 * confidences in [0, 1] and only for assets with an index price; vol surfaces and depth curves
 * valid (see `createVolSurface`, `createDepthCurve`) and unique per underlying/asset.
 *
 * @param input  the raw snapshot (shape-checked at the edge, e.g. by `parseMarketSnapshot`)
 * @returns      an immutable `MarketSnapshot`
 * @throws InvalidInputError ERR_INVALID_INPUT naming the field path (e.g. "indexPrices.BTC",
 *         "forwards[2].price", "volSurfaces[0].slices[1].rho"), the rule and the value
 * @see docs/methodology/market-data.md#snapshot
 * @example
 * const snap = createMarketSnapshot({
 *   snapshotId: 'demo', valuationMs: Date.UTC(2025, 0, 1), indexPrices: { BTC: 95_000 }, rates: 0.05,
 *   volSurfaces: [{ underlying: 'BTC', slices: [{ expiryMs: Date.UTC(2025, 2, 28, 8), kind: 'flat', vol: 0.6 }] }],
 *   forwardRule: 'carry',
 * });
 */
export function createMarketSnapshot(input: MarketSnapshotInput): MarketSnapshot {
  requireName(input.snapshotId, 'snapshotId');
  requireInput(
    Number.isSafeInteger(input.valuationMs),
    'valuationMs',
    input.valuationMs,
    'must be an integer ms since epoch',
  );
  const quoteCurrency = input.quoteCurrency ?? 'USD';
  requireName(quoteCurrency, 'quoteCurrency');
  const forwardRule = input.forwardRule ?? 'explicit';
  requireInput(
    forwardRule === 'explicit' || forwardRule === 'carry',
    'forwardRule',
    forwardRule,
    "must be 'explicit' or 'carry'",
  );

  const indexPrices = new FrozenMap(
    tableEntries(input.indexPrices, 'indexPrices').map(([asset, price]) => {
      requireInput(
        Number.isFinite(price) && price > 0,
        `indexPrices.${asset}`,
        price,
        'must be finite and > 0',
      );
      return [asset, price] as const;
    }),
  );

  const fwd = new Map<string, Map<number, number>>();
  (input.forwards ?? []).forEach((f, i) => {
    const field = `forwards[${i}]`;
    requireName(f.underlying, `${field}.underlying`);
    requireInput(
      Number.isSafeInteger(f.expiryMs),
      `${field}.expiryMs`,
      f.expiryMs,
      'must be an integer ms since epoch',
    );
    requireInput(
      f.expiryMs >= input.valuationMs,
      `${field}.expiryMs`,
      f.expiryMs,
      `must be >= valuationMs ${input.valuationMs}`,
    );
    requireInput(
      Number.isFinite(f.price) && f.price > 0,
      `${field}.price`,
      f.price,
      'must be finite and > 0',
    );
    const byExpiry = fwd.get(f.underlying) ?? new Map<number, number>();
    requireInput(
      !byExpiry.has(f.expiryMs),
      `${field}.expiryMs`,
      f.expiryMs,
      `must not repeat a forward of ${f.underlying}`,
    );
    byExpiry.set(f.expiryMs, f.price);
    fwd.set(f.underlying, byExpiry);
  });
  const forwards = new FrozenMap([...fwd].map(([u, m]) => [u, new FrozenMap(m)] as const));

  const rates = createRates(input.rates, quoteCurrency);

  const volSurfaces = new FrozenMap(
    uniqueBy(input.volSurfaces ?? [], 'volSurfaces', 'underlying', (s, field) => createVolSurface(s, field)),
  );
  const depthCurves = new FrozenMap(
    uniqueBy(input.depthCurves ?? [], 'depthCurves', 'asset', (c, field) => createDepthCurve(c, field)),
  );

  const oracleConfidence = new FrozenMap(
    tableEntries(input.oracleConfidence ?? {}, 'oracleConfidence').map(([asset, c]) => {
      requireInput(
        Number.isFinite(c) && c >= 0 && c <= 1,
        `oracleConfidence.${asset}`,
        c,
        'must be in [0, 1]',
      );
      requireInput(
        indexPrices.has(asset),
        `oracleConfidence.${asset}`,
        c,
        'must be for an asset with an index price',
      );
      return [asset, c] as const;
    }),
  );

  return Object.freeze({
    snapshotId: input.snapshotId,
    valuationMs: input.valuationMs,
    quoteCurrency,
    indexPrices,
    forwards,
    forwardRule,
    rates,
    volSurfaces,
    depthCurves,
    oracleConfidence,
  });
}

function createRates(rates: number | NumberTable, quoteCurrency: string): Rates {
  if (typeof rates === 'number') {
    requireInput(
      Number.isFinite(rates),
      'rates',
      rates,
      'must be a finite continuously compounded rate (0.05 = 5%)',
    );
    return Object.freeze({ kind: 'flat', rate: rates });
  }
  const entries = tableEntries(rates, 'rates').map(([ccy, r]) => {
    requireInput(
      Number.isFinite(r),
      `rates.${ccy}`,
      r,
      'must be a finite continuously compounded rate (0.05 = 5%)',
    );
    return [ccy, r] as const;
  });
  const table = new FrozenMap(entries);
  // Every discount factor defaults to the quote currency: its rate must be there.
  requireInput(
    table.has(quoteCurrency),
    `rates.${quoteCurrency}`,
    undefined,
    'must be given (the quote currency rate)',
  );
  return Object.freeze({ kind: 'byCurrency', rates: table });
}

function tableEntries(table: NumberTable, field: string): [string, number][] {
  requireInput(
    typeof table === 'object' && table !== null,
    field,
    table,
    'must be an object or a map of name → number',
  );
  const entries: [string, number][] = isMap(table) ? [...table.entries()] : Object.entries(table);
  for (const [name, value] of entries) {
    requireName(name, `${field} key`);
    requireInput(typeof value === 'number', `${field}.${name}`, value, 'must be a number');
  }
  return entries;
}

function isMap(t: NumberTable): t is ReadonlyMap<string, number> {
  return (
    typeof (t as ReadonlyMap<string, number>).get === 'function' &&
    typeof (t as ReadonlyMap<string, number>).entries === 'function'
  );
}

function uniqueBy<I, O, K extends keyof I>(
  items: readonly I[],
  field: string,
  key: K,
  build: (item: I, field: string) => O,
): (readonly [I[K], O])[] {
  requireInput(Array.isArray(items), field, items, 'must be an array');
  const seen = new Set<I[K]>();
  return items.map((item, i) => {
    const f = `${field}[${i}]`;
    const k = item[key];
    requireInput(!seen.has(k), `${f}.${String(key)}`, k, `must not repeat an earlier ${String(key)}`);
    seen.add(k);
    return [k, build(item, f)] as const;
  });
}

function requireName(name: unknown, field: string): void {
  requireInput(typeof name === 'string' && name.length > 0, field, name, 'must be a non-empty string');
}
