/**
 * One market for a book held at several venues: every venue's instruments (their ids are
 * prefixed with the venue, so they never collide) with each venue's own marks, and one index
 * price per asset.
 *
 *   price_a        = median over the venues that price a (venues' indices differ slightly)
 *   decimals_a     = max over venues (exact balances of every venue stay representable)
 *   confidence_a   = min over venues (the conservative oracle)
 *   valuationMs    = the latest venue snapshot
 *   forwards       = union; one (underlying, expiry) priced by several venues takes the median
 *
 * Rates: a per-currency table merges key by key (first venue wins); a single number applies when
 * every venue gives the same one. Vol surfaces and depth curves: union by asset, first venue wins.
 * Reference: docs/methodology/cross-venue.md#one-market.
 */
import { InvalidInputError } from '../errors.js';
import type { MarketFile } from '../portfolio/market-file.js';

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Merges venue market files (module header).
 * @param parts  one validated market file per venue
 * @throws InvalidInputError ERR_INVALID_INPUT naming `instruments[<id>]` when two venues define one id
 */
export function mergeMarketFiles(
  parts: readonly { readonly venue: string; readonly market: MarketFile }[],
): MarketFile {
  const prices = new Map<string, number[]>();
  const decimals = new Map<string, number>();
  const confidence = new Map<string, number>();
  const forwards = new Map<string, { underlying: string; expiryMs: number; prices: number[] }>();
  const owner = new Map<string, string>();
  const instruments: MarketFile['instruments'][number][] = [];
  const surfaces = new Map<string, NonNullable<MarketFile['volSurfaces']>[number]>();
  const curves = new Map<string, NonNullable<MarketFile['depthCurves']>[number]>();
  const rateTable: Record<string, number> = {};
  const rateNumbers = new Set<number>();
  let valuationMs = 0;
  let quote: string | undefined;
  for (const { venue, market: m } of parts) {
    valuationMs = Math.max(valuationMs, m.valuationMs);
    quote ??= m.quoteCurrency;
    for (const [a, px] of Object.entries(m.prices)) prices.set(a, [...(prices.get(a) ?? []), px]);
    for (const [a, d] of Object.entries(m.assets ?? {}))
      decimals.set(a, Math.max(decimals.get(a) ?? 0, d.decimals));
    for (const [a, c] of Object.entries(m.confidence ?? {}))
      confidence.set(a, Math.min(confidence.get(a) ?? 1, c));
    for (const f of m.forwards ?? []) {
      const k = `${f.underlying}@${f.expiryMs}`;
      const prev = forwards.get(k) ?? { underlying: f.underlying, expiryMs: f.expiryMs, prices: [] };
      forwards.set(k, { ...prev, prices: [...prev.prices, f.price] });
    }
    for (const i of m.instruments) {
      const first = owner.get(i.id);
      if (first !== undefined)
        throw new InvalidInputError(
          `instruments[${i.id}]`,
          venue,
          `is defined by ${first} already; ids must be unique across venues`,
        );
      owner.set(i.id, venue);
      instruments.push(i);
    }
    for (const s of m.volSurfaces ?? []) if (!surfaces.has(s.underlying)) surfaces.set(s.underlying, s);
    for (const c of m.depthCurves ?? []) if (!curves.has(c.asset)) curves.set(c.asset, c);
    if (typeof m.rates === 'number') rateNumbers.add(m.rates);
    else for (const [k, r] of Object.entries(m.rates ?? {})) rateTable[k] ??= r;
  }
  const rates: MarketFile['rates'] =
    Object.keys(rateTable).length > 0 ? rateTable : rateNumbers.size === 1 ? [...rateNumbers][0]! : 0;
  return {
    valuationMs,
    snapshotId: `crossvenue@${valuationMs}`,
    ...(quote === undefined ? {} : { quoteCurrency: quote }),
    prices: Object.fromEntries([...prices].map(([a, xs]) => [a, median(xs)])),
    ...(decimals.size > 0
      ? { assets: Object.fromEntries([...decimals].map(([a, d]) => [a, { decimals: d }])) }
      : {}),
    instruments,
    ...(forwards.size > 0
      ? {
          forwards: [...forwards.values()].map((f) => ({
            underlying: f.underlying,
            expiryMs: f.expiryMs,
            price: median(f.prices),
          })),
        }
      : {}),
    rates,
    ...(surfaces.size > 0 ? { volSurfaces: [...surfaces.values()] } : {}),
    ...(curves.size > 0 ? { depthCurves: [...curves.values()] } : {}),
    ...(confidence.size > 0 ? { confidence: Object.fromEntries(confidence) } : {}),
  };
}
