/**
 * Deribit portfolio margin's contingency add-ons, as published on the legacy portfolio-margin page
 * (https://www.deribit.com/pages/docs/portfoliomargin), per underlying u with index S_u:
 *
 *   net short options per strike:  Σ_(expiry, strike) max(0, −Σ option units)·shortOptionPerStrike·S
 *       (call +10 and put −20 on one strike: net short 10 → 10·0.01 BTC)
 *   offsetting futures:            min(Σ long, Σ short linear units)·offsettingFutures·S
 *       (long 100 BTC in future A, short 100 BTC in future B → 1%·100 BTC)
 *   options:                       Σ |option units|·optionsNotional·S
 *       (200 options long and short → 1%·200 BTC in the page's other version)
 *
 * Deribit's 2024 model change removed the option and futures contingencies (the current model
 * uses delta and roll shocks instead), so the defaults are 0; the legacy values (0.01 BTC per net
 * short option, 1% for offsetting futures) are set through params. Perpetuals count as futures.
 * Units: units of the underlying (size × contract size), USD.
 */
import type { PortfolioValuation } from '../../../portfolio/valuation.js';

/** Contingency rates (defaults 0: the current model has none). */
export interface DeribitPmContingency {
  /** underlying units charged per net short option per strike (legacy 0.01 = 0.01 BTC per BTC option) */
  readonly shortOptionPerStrike: number;
  /** fraction of the underlying's value of offsetting futures (legacy 0.01) */
  readonly offsettingFutures: number;
  /** fraction of the underlying's value of every option, long and short (a legacy version: 0.01) */
  readonly optionsNotional: number;
}

/** The add-ons of one underlying, USD. */
export interface ContingencyCharge {
  readonly shortOptionsUsd: number;
  readonly offsettingFuturesUsd: number;
  readonly optionsUsd: number;
  readonly totalUsd: number;
}

/**
 * Contingency charges per underlying (module header).
 * @param v      the portfolio's valuation (positions netted by strike below)
 * @param index  index price per underlying, USD
 * @example the page's example: call +10 and put −20 at one strike, S = 60,000, 0.01 per contract:
 *          shortOptionsUsd = 10·0.01·60,000 = 6,000
 */
export function deribitPmContingency(
  v: PortfolioValuation,
  index: ReadonlyMap<string, number>,
  c: DeribitPmContingency,
): Map<string, ContingencyCharge> {
  const perStrike = new Map<string, Map<string, number>>(); // underlying → expiry|strike → net units
  const longs = new Map<string, number>();
  const shorts = new Map<string, number>();
  const optionUnits = new Map<string, number>();
  for (const pv of v.positions) {
    const inst = pv.marked.instrument;
    const u = inst.underlying;
    if (inst.kind === 'option') {
      const k = `${inst.expiryMs}|${inst.strike}`;
      const m = perStrike.get(u) ?? new Map<string, number>();
      m.set(k, (m.get(k) ?? 0) + pv.units);
      perStrike.set(u, m);
      optionUnits.set(u, (optionUnits.get(u) ?? 0) + Math.abs(pv.units));
    } else if (inst.kind === 'future' || inst.kind === 'perpetual') {
      if (pv.units > 0) longs.set(u, (longs.get(u) ?? 0) + pv.units);
      else shorts.set(u, (shorts.get(u) ?? 0) - pv.units);
    }
  }
  const out = new Map<string, ContingencyCharge>();
  const underlyings = new Set([...perStrike.keys(), ...longs.keys(), ...shorts.keys()]);
  for (const u of underlyings) {
    const s = index.get(u) ?? 0;
    let netShort = 0;
    for (const net of perStrike.get(u)?.values() ?? []) netShort += Math.max(0, -net);
    const shortOptionsUsd = netShort * c.shortOptionPerStrike * s;
    const offsettingFuturesUsd = Math.min(longs.get(u) ?? 0, shorts.get(u) ?? 0) * c.offsettingFutures * s;
    const optionsUsd = (optionUnits.get(u) ?? 0) * c.optionsNotional * s;
    out.set(u, {
      shortOptionsUsd,
      offsettingFuturesUsd,
      optionsUsd,
      totalUsd: shortOptionsUsd + offsettingFuturesUsd + optionsUsd,
    });
  }
  return out;
}
