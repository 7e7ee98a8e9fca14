/**
 * @module analytics/daily-vol
 *
 * An underlying's daily volatility, the unit of "how many daily moves away" a liquidation price
 * is (σ_daily = σ_annual/√365: crypto trades every day), from the first source that has it:
 *
 * 1. `implied-atm`: the implied vol of the listed option on the underlying nearest the money
 *    (|ln K/F| smallest) in the expiry nearest 30 days (|ln t/t₃₀| smallest, t ≥ 1 day), the
 *    tenor of Deribit's DVOL index;
 * 2. `realised-30d`: the realised vol of the 30 days of hourly log returns (zero mean) before
 *    valuation in the context's history (statistics/realised-vol.ts), when that window holds at
 *    least 48 returns (a history that stops long before valuation has none);
 * 3. none: the distance is given in percent only.
 */
import type { MarginContext } from '../margin/margin-model.js';
import { REALISED_VOL_DAYS, realisedVol } from '../statistics/realised-vol.js';

/** One underlying's daily vol and where it comes from. */
export interface DailyVol {
  /** σ_annual/√365, a fraction per day */
  readonly daily: number;
  /** annualised fraction */
  readonly annual: number;
  readonly source: 'implied-atm' | 'realised-30d';
  /** the option id (implied) or the window (realised) */
  readonly from: string;
}

const T30 = 30 / 365;

/**
 * The daily vol of `underlying` (module header), or undefined when no source has it.
 * @example dailyVolOf('BTC', ctx)?.daily // 0.0293 for a 56% ATM implied vol
 */
export function dailyVolOf(underlying: string, ctx: MarginContext): DailyVol | undefined {
  let best: { id: string; vol: number; dt: number; dk: number } | undefined;
  for (const [id, m] of ctx.market.instruments) {
    const inst = m.instrument;
    if (inst.kind !== 'option' || inst.underlying !== underlying) continue;
    if (m.vol === undefined || m.forward === undefined || !(inst.tYears >= 1 / 365) || !(m.vol > 0)) continue;
    const dt = Math.abs(Math.log(inst.tYears / T30));
    const dk = Math.abs(Math.log(inst.strike / m.forward));
    if (!best || dt < best.dt - 1e-12 || (Math.abs(dt - best.dt) <= 1e-12 && dk < best.dk))
      best = { id, vol: m.vol, dt, dk };
  }
  if (best)
    return { daily: best.vol / Math.sqrt(365), annual: best.vol, source: 'implied-atm', from: best.id };
  const realised = realisedDailyVol(underlying, ctx);
  return realised;
}

function realisedDailyVol(asset: string, ctx: MarginContext): DailyVol | undefined {
  const h = ctx.history?.hourly;
  if (!h) return undefined;
  const annual = realisedVol(h, asset, ctx.market.valuationMs, REALISED_VOL_DAYS);
  if (annual === undefined) return undefined;
  const to = new Date(ctx.market.valuationMs).toISOString();
  return {
    daily: annual / Math.sqrt(365),
    annual,
    source: 'realised-30d',
    from: `${REALISED_VOL_DAYS} days of hourly returns to ${to}`,
  };
}
