/**
 * @module analytics/portfolio-greeks
 *
 * Portfolio greeks per underlying u, with respect to u's index price S (sticky strike: implied
 * vols held, forwards and linear marks moving in proportion to S, as analytics/shift-market.ts
 * re-marks them). Per position of q units of underlying (size × contractSize):
 *
 *   option (Black-76 on F, ρ = F/S):   Δ = q·Δ_F·ρ,   Γ = q·Γ_F·ρ²,   vega = q·∂V/∂σ,   θ = q·θ_B76
 *   perpetual, future (mark M):        Δ = q·M/S,     Γ = vega = θ = 0
 *   spot position, collateral:         Δ = q
 *
 * Reported units (coin = units of the underlying):
 *   deltaCoin = Σ Δ                     deltaUsd = deltaCoin·S           (USD per 100% move, to first order)
 *   gamma     = Σ Γ, coin per USD       gammaCoin = gamma·S/100          (change of deltaCoin for a +1% move)
 *                                       gammaUsd  = gamma·S²/100         (change of deltaUsd for a +1% move, S held)
 *   vegaUsd   = Σ vega/100, USD per vol point (+0.01 of σ)                vegaCoin  = vegaUsd/S
 *   thetaUsd  = Σ θ_B76/365, USD per calendar day (ACT/365; negative = decay)   thetaCoin = thetaUsd/S
 *
 * Black-76's θ is −∂V/∂t with F held (pricing/black76.ts), the day-over-day change of value at an
 * unchanged forward. Stablecoins and the quote currency have no greeks here.
 * @see docs/methodology/trader-view.md#greeks; E. G. Haug, The Complete Guide to Option Pricing
 *      Formulas, 2nd ed. (2007), ch. 2
 */
import { computeBlack76Greeks } from '../pricing/black76.js';
import type { MarginMarket } from '../portfolio/margin-market.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { fromUnits } from '../ledger/convert.js';
import { black76InputOf } from '../portfolio/marked-option.js';

/** Greeks of one underlying (units in the module header). */
export interface UnderlyingGreeks {
  readonly underlying: string;
  readonly spotUsd: number;
  readonly deltaCoin: number;
  readonly deltaUsd: number;
  /** ∂²V/∂S², coin per USD */
  readonly gamma: number;
  readonly gammaCoin: number;
  readonly gammaUsd: number;
  readonly vegaUsd: number;
  readonly vegaCoin: number;
  readonly thetaUsd: number;
  readonly thetaCoin: number;
}

/** One position's greeks, in its underlying's terms. */
export interface PositionGreeks {
  /** instrument id, or `collateral:<ASSET>` */
  readonly key: string;
  readonly underlying: string;
  readonly deltaCoin: number;
  /** coin per USD */
  readonly gamma: number;
  readonly vegaUsd: number;
  readonly thetaUsd: number;
}

/** Greeks of a portfolio. */
export interface PortfolioGreeks {
  readonly underlyings: readonly UnderlyingGreeks[];
  readonly positions: readonly PositionGreeks[];
  /** Σ over underlyings of the USD figures */
  readonly totalUsd: {
    readonly delta: number;
    readonly gamma: number;
    readonly vega: number;
    readonly theta: number;
  };
}

const DEFAULT_STABLE = ['USD', 'USDC', 'USDT', 'DAI'];

/**
 * The greeks of `portfolio` at `market` (module header).
 * @param stableAssets  assets without greeks (default USD, USDC, USDT, DAI and the quote currency)
 * @example computePortfolioGreeks(pf, market).underlyings[0].deltaCoin // −0.12 (BTC)
 */
export function computePortfolioGreeks(
  portfolio: Portfolio,
  market: MarginMarket,
  stableAssets: readonly string[] = DEFAULT_STABLE,
): PortfolioGreeks {
  const stable = new Set([...stableAssets, market.quoteCurrency]);
  const positions: PositionGreeks[] = [];
  for (const p of portfolio.positions) {
    const m = market.instruments.get(p.instrument);
    if (!m) continue; // parsePortfolio guarantees every instrument; a foreign portfolio is skipped
    const inst = m.instrument;
    if (stable.has(inst.underlying)) continue;
    const spot = market.prices.get(inst.underlying)!;
    const q = p.size * inst.contractSize;
    if (inst.kind === 'option') {
      const rho = m.forward! / spot;
      const g = computeBlack76Greeks(black76InputOf(m));
      positions.push({
        key: p.instrument,
        underlying: inst.underlying,
        deltaCoin: q * g.delta * rho,
        gamma: q * g.gamma * rho * rho,
        vegaUsd: (q * g.vega) / 100,
        thetaUsd: (q * g.theta) / 365,
      });
    } else {
      const delta = inst.kind === 'spot' ? q : (q * m.markPrice) / spot;
      positions.push({
        key: p.instrument,
        underlying: inst.underlying,
        deltaCoin: delta,
        gamma: 0,
        vegaUsd: 0,
        thetaUsd: 0,
      });
    }
  }
  for (const [asset, bal] of portfolio.collateral) {
    if (stable.has(asset) || !market.prices.has(asset)) continue;
    const qty = fromUnits(bal.units, bal.asset.decimals);
    positions.push({
      key: `collateral:${asset}`,
      underlying: asset,
      deltaCoin: qty,
      gamma: 0,
      vegaUsd: 0,
      thetaUsd: 0,
    });
  }
  const by = new Map<string, { delta: number; gamma: number; vega: number; theta: number }>();
  for (const g of positions) {
    const a = by.get(g.underlying) ?? { delta: 0, gamma: 0, vega: 0, theta: 0 };
    by.set(g.underlying, {
      delta: a.delta + g.deltaCoin,
      gamma: a.gamma + g.gamma,
      vega: a.vega + g.vegaUsd,
      theta: a.theta + g.thetaUsd,
    });
  }
  const underlyings = [...by]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([u, a]) => {
      const s = market.prices.get(u)!;
      return {
        underlying: u,
        spotUsd: s,
        deltaCoin: a.delta,
        deltaUsd: a.delta * s,
        gamma: a.gamma,
        gammaCoin: (a.gamma * s) / 100,
        gammaUsd: (a.gamma * s * s) / 100,
        vegaUsd: a.vega,
        vegaCoin: a.vega / s,
        thetaUsd: a.theta,
        thetaCoin: a.theta / s,
      };
    });
  const sum = (f: (g: UnderlyingGreeks) => number) => underlyings.reduce((acc, g) => acc + f(g), 0);
  return {
    underlyings,
    positions,
    totalUsd: {
      delta: sum((g) => g.deltaUsd),
      gamma: sum((g) => g.gammaUsd),
      vega: sum((g) => g.vegaUsd),
      theta: sum((g) => g.thetaUsd),
    },
  };
}
