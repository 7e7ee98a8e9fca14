/**
 * @module analytics/daily-vol
 *
 * An underlying's daily volatility, the unit of "how many daily moves away" a liquidation price
 * is (σ_daily = σ_annual/√365: crypto trades every day), from the first source that has it:
 *
 * 1. `implied-atm`: the implied vol of the listed option on the underlying nearest the money
 *    (|ln K/F| smallest) in the expiry nearest 30 days (|ln t/t₃₀| smallest, t ≥ 1 day), the
 *    tenor of Deribit's DVOL index;
 * 2. `realised-30d`: the realised vol of the last 30 days of hourly log returns (zero mean) in
 *    the context's history, from bars closing at or before valuation, when the last one closed at
 *    most 7 days before it and at least 48 returns exist;
 * 3. none: the distance is given in percent only.
 */
import type { MarginContext } from '../margin/margin-model.js';

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

const DAY_MS = 86_400_000;
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
  if (!h || h.timesMs.length === 0) return undefined;
  const a = h.assets.indexOf(asset);
  if (a < 0) return undefined;
  const A = h.assets.length;
  const valuation = ctx.market.valuationMs;
  // last bar closing at or before valuation: timesMs[t] + stepMs <= valuation
  const last = Math.min(h.timesMs.length - 1, Math.floor((valuation - h.stepMs - h.timesMs[0]!) / h.stepMs));
  if (last < 1 || valuation - (h.timesMs[last]! + h.stepMs) > 7 * DAY_MS) return undefined;
  const barsPerDay = DAY_MS / h.stepMs;
  const first = Math.max(1, last - 30 * barsPerDay + 1);
  let s = 0;
  let n = 0;
  for (let t = first; t <= last; t++) {
    const x0 = h.close[(t - 1) * A + a]!;
    const x1 = h.close[t * A + a]!;
    if (x0 > 0 && x1 > 0) {
      const r = Math.log(x1 / x0);
      s += r * r;
      n++;
    }
  }
  if (n < 48) return undefined;
  const daily = Math.sqrt((s / n) * barsPerDay);
  const to = new Date(h.timesMs[last]! + h.stepMs).toISOString();
  return {
    daily,
    annual: daily * Math.sqrt(365),
    source: 'realised-30d',
    from: `${n} hourly returns to ${to}`,
  };
}
