/**
 * The market of a venue (or of the whole book) at an hour of a crash: the book's own start market
 * moved by the crash's relative price path, so that today's book lives through the crash's returns.
 *
 *   price_a(t)  = price_a(0)·H_a(t)/H_a(from)      H: the shipped hourly bars (close, low or high);
 *                                                   assets the history lacks keep their price
 *   perpetual / future mark(t) = mark(0)·factor(underlying)     (each venue's basis is kept)
 *   option: forward(t) = forward(0)·factor, vol held, expiry rebased: expiry − valuation(0) + from
 *   future: expiry rebased the same way
 *
 * Units: USD, ms UTC. Reference: docs/methodology/cross-venue.md#crash-replay-across-venues.
 */
import { InvalidInputError } from '../../core/errors.js';
import type { BarHistory } from '../../core/history/align-history.js';
import { buildMarginMarket, type MarketFile } from '../../core/portfolio/market-file.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';

/** Which price of the hour's bar. */
export type BarPoint = 'close' | 'low' | 'high';

/** Row of `timeMs` in the history (its bar opens at timeMs − step and closes at timeMs). */
function rowAt(h: BarHistory, timeMs: number): number {
  // Bars are keyed by their open time: the close at `timeMs` is the bar opening one step before.
  const open = timeMs - h.stepMs;
  const i = Math.round((open - h.timesMs[0]!) / h.stepMs);
  if (!(i >= 0 && i < h.timesMs.length && h.timesMs[i] === open))
    throw new InvalidInputError('timeMs', timeMs, 'must be covered by the hourly history');
  return i;
}

/**
 * The price factor of each history asset at `timeMs` against the window start.
 * @param closeOnly  assets moved by their closes whatever `point` (stablecoins: the shipped
 *                   USDC/USDT hourly bars of 2022-05 hold highs up to 3.99 that are no USD price)
 */
export function priceFactors(
  h: BarHistory,
  fromMs: number,
  timeMs: number,
  point: BarPoint,
  closeOnly: ReadonlySet<string> = new Set(),
): Map<string, number> {
  const i0 = rowAt(h, fromMs);
  const i = rowAt(h, timeMs);
  const A = h.assets.length;
  const out = new Map<string, number>();
  h.assets.forEach((a, k) => {
    const p = closeOnly.has(a) ? 'close' : point;
    const series = p === 'close' ? h.close : p === 'low' ? h.low : h.high;
    const base = h.close[i0 * A + k]!;
    const now = series[i * A + k]!;
    if (Number.isFinite(base) && base > 0 && Number.isFinite(now) && now > 0) out.set(a, now / base);
  });
  return out;
}

/**
 * The start market moved by `factors` at `timeMs` (module header).
 * @param start   the book's market at its own valuation time
 * @param fromMs  the window start (expiries are rebased onto it)
 * @throws InvalidInputError naming `instruments[<id>].expiryMs` when an instrument would expire
 *         inside the window
 */
export function movedMarket(
  start: MarginMarket,
  factors: ReadonlyMap<string, number>,
  fromMs: number,
  timeMs: number,
): MarginMarket {
  const f = (a: string) => factors.get(a) ?? 1;
  const shift = fromMs - start.valuationMs;
  const instruments: MarketFile['instruments'] = [];
  for (const m of start.instruments.values()) {
    const i = m.instrument;
    const expiryMs = 'expiryMs' in i ? i.expiryMs + shift : undefined;
    if (expiryMs !== undefined && !(expiryMs > timeMs))
      throw new InvalidInputError(
        `instruments[${i.id}].expiryMs`,
        expiryMs,
        `must be after the replay time ${timeMs} once rebased`,
      );
    const common = { id: i.id, underlying: i.underlying, contractSize: i.contractSize };
    if (i.kind === 'spot') instruments.push({ ...common, kind: 'spot' });
    else if (i.kind === 'perpetual')
      instruments.push({ ...common, kind: 'perpetual', markPrice: m.markPrice * f(i.underlying) });
    else if (i.kind === 'future')
      instruments.push({
        ...common,
        kind: 'future',
        expiryMs: expiryMs!,
        markPrice: m.markPrice * f(i.underlying),
      });
    else
      instruments.push({
        ...common,
        kind: 'option',
        optionType: i.optionType,
        strike: i.strike,
        expiryMs: expiryMs!,
        iv: m.vol!,
        forward: m.forward! * f(i.underlying),
      });
  }
  const prices = Object.fromEntries([...start.prices].map(([a, p]) => [a, p * f(a)]));
  return buildMarginMarket({
    valuationMs: timeMs,
    snapshotId: `${start.snapshotId}@${timeMs}`,
    quoteCurrency: start.quoteCurrency,
    prices,
    assets: Object.fromEntries(
      [...start.prices.keys()].map((a) => [a, { decimals: start.assets.getAsset(a).decimals }]),
    ),
    instruments,
  });
}
