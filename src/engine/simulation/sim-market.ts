/**
 * The simulation market (docs/methodology/simulation.md): a fixed instrument template listed at
 * the start date (BTC/ETH/SOL perpetuals, one dated BTC future, a small BTC/ETH option chain),
 * re-marked at every replay step from hourly closes.
 *
 * Units: prices in USD per unit of underlying; vols annualised fractions (0.6 = 60%); times ms
 * since epoch UTC. Options are marked with Black-76 at a flat vol per underlying (the same for the
 * whole replay) and forward = spot (rates 0), so time decay is the only change besides spot.
 */
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import { buildMarginMarket } from '../../core/portfolio/market-file.js';

const DAY_MS = 86_400_000;

/** Underlyings the template lists perpetuals on (when priced at the start). */
export const SIM_UNDERLYINGS = ['BTC', 'ETH', 'SOL'] as const;
/** Underlyings with an option chain. */
export const SIM_OPTION_UNDERLYINGS = ['BTC', 'ETH'] as const;
/** Option strikes as multiples of spot at the start. */
export const SIM_STRIKE_MULTIPLES = [0.8, 0.9, 1, 1.1, 1.2] as const;
/** Option expiries after the start, days. */
export const SIM_OPTION_EXPIRY_DAYS = [7, 30] as const;
/** Dated future expiry after the start, days; basis (annualised fraction) of its mark over spot. */
export const SIM_FUTURE_DAYS = 90;
export const SIM_FUTURE_BASIS = 0.05;

/** One listed instrument of the template (market-file instrument entry without marks). */
export interface SimInstrument {
  readonly id: string;
  readonly kind: 'perpetual' | 'future' | 'option';
  readonly underlying: string;
  readonly expiryMs?: number;
  readonly strike?: number;
  readonly optionType?: 'call' | 'put';
}

/** The instruments listed at the start, with the vols options are marked at. */
export interface SimMarketTemplate {
  readonly startMs: number;
  readonly instruments: readonly SimInstrument[];
  /** flat implied vol per option underlying, annualised fraction */
  readonly vols: Readonly<Record<string, number>>;
  /** where the vols come from: DVOL at the start date, or the flat vol parameter */
  readonly volSource: 'dvol' | 'flat';
}

/** A round strike step: 1% of spot rounded down to a power of ten (BTC 9,000 → 10; 90,000 → 100). */
function strikeStep(spot: number): number {
  return 10 ** Math.floor(Math.log10(spot / 100));
}

/** Expiry at 08:00 UTC, `days` after the start day (Deribit's expiry hour). */
function expiryAfter(startMs: number, days: number): number {
  return Math.floor(startMs / DAY_MS) * DAY_MS + days * DAY_MS + 8 * 3_600_000;
}

/**
 * Lists the template at the start prices.
 * @param startMs  start time, ms UTC
 * @param prices   USD closes at the start; an underlying without a finite price is not listed
 * @param vols     flat vol per option underlying (annualised fraction)
 * @param volSource whether `vols` came from DVOL or the flat parameter
 */
export function createSimTemplate(
  startMs: number,
  prices: Readonly<Record<string, number>>,
  vols: Readonly<Record<string, number>>,
  volSource: 'dvol' | 'flat',
): SimMarketTemplate {
  const instruments: SimInstrument[] = [];
  const priced = (a: string) => Number.isFinite(prices[a]) && (prices[a] ?? 0) > 0;
  for (const a of SIM_UNDERLYINGS)
    if (priced(a)) instruments.push({ id: `${a}-PERP`, kind: 'perpetual', underlying: a });
  if (priced('BTC'))
    instruments.push({
      id: 'BTC-FUT',
      kind: 'future',
      underlying: 'BTC',
      expiryMs: expiryAfter(startMs, SIM_FUTURE_DAYS),
    });
  for (const a of SIM_OPTION_UNDERLYINGS) {
    const spot = prices[a];
    if (spot === undefined || !priced(a)) continue;
    const step = strikeStep(spot);
    for (const days of SIM_OPTION_EXPIRY_DAYS) {
      const expiryMs = expiryAfter(startMs, days);
      for (const m of SIM_STRIKE_MULTIPLES) {
        const strike = Math.round((spot * m) / step) * step;
        for (const optionType of ['call', 'put'] as const)
          instruments.push({
            id: `${a}-${days}D-${strike}-${optionType === 'call' ? 'C' : 'P'}`,
            kind: 'option',
            underlying: a,
            expiryMs,
            strike,
            optionType,
          });
      }
    }
  }
  return { startMs, instruments, vols, volSource };
}

/** Instruments of the template still alive at `timeMs` (expiry strictly after it). */
export function liveInstruments(t: SimMarketTemplate, timeMs: number): SimInstrument[] {
  return t.instruments.filter((i) => i.expiryMs === undefined || i.expiryMs > timeMs);
}

/** Mark of the dated future: spot × (1 + basis × years to expiry). */
export function futureMark(spot: number, expiryMs: number, timeMs: number): number {
  return spot * (1 + (SIM_FUTURE_BASIS * Math.max(0, expiryMs - timeMs)) / (365 * DAY_MS));
}

/**
 * The margin market at `timeMs`: template instruments alive then, marked at `prices`.
 * @param prices  USD price per asset (underlyings and collateral; USD/USDC default to 1)
 * @param vols    option vol per underlying at this time (a moving-vol replay); default the template's
 */
export function buildSimMarket(
  t: SimMarketTemplate,
  timeMs: number,
  prices: Readonly<Record<string, number>>,
  vols?: Readonly<Record<string, number>>,
): MarginMarket {
  const px: Record<string, number> = { USD: 1, USDC: 1, ...prices };
  const instruments = liveInstruments(t, timeMs).map((i) => {
    const spot = px[i.underlying]!;
    if (i.kind === 'perpetual') return { id: i.id, kind: i.kind, underlying: i.underlying, markPrice: spot };
    if (i.kind === 'future')
      return {
        id: i.id,
        kind: i.kind,
        underlying: i.underlying,
        expiryMs: i.expiryMs!,
        markPrice: futureMark(spot, i.expiryMs!, timeMs),
      };
    return {
      id: i.id,
      kind: i.kind,
      underlying: i.underlying,
      expiryMs: i.expiryMs!,
      strike: i.strike!,
      optionType: i.optionType!,
      iv: vols?.[i.underlying] ?? t.vols[i.underlying] ?? 0.6,
      forward: spot,
    };
  });
  return buildMarginMarket({
    valuationMs: timeMs,
    snapshotId: `sim@${timeMs}`,
    quoteCurrency: 'USD',
    prices: px,
    instruments,
  });
}
