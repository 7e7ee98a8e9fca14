/**
 * @module adapters/http/heatmap
 *
 * The risk-matrix heatmap the dashboard draws for a sub-account: P&L of the whole book (positions
 * and the underlying's collateral) under a grid of relative spot moves × vol shocks of its most
 * exposed underlying, from the `portfolio` model's risk arrays (default grid and vol shock).
 *
 * Units: spot shocks relative (−0.15 = −15%); vol shocks the nominal relative shock at the pivot
 * expiry (+0.5 = +50%, term-scaled per option as in the model); P&L in USD.
 */
import { DEFAULT_PORTFOLIO_PARAMS } from '../../core/margin/portfolio-params.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import { buildRiskArrays, collateralKey } from '../../core/risk/risk-arrays.js';
import { evenMoves, type GridScenario } from '../../core/scenarios/grid.js';

/** The heatmap: `pnlUsd[v][s]` is the P&L at `volShocks[v]` and `spotShocks[s]`. */
export interface Heatmap {
  readonly underlying: string;
  readonly spotShocks: readonly number[];
  readonly volShocks: readonly number[];
  readonly pnlUsd: readonly (readonly number[])[];
}

const VOLS = [
  { dir: 'down', shock: -DEFAULT_PORTFOLIO_PARAMS.volShock.down },
  { dir: 'none', shock: 0 },
  { dir: 'up', shock: DEFAULT_PORTFOLIO_PARAMS.volShock.up },
] as const;

/**
 * The heatmap of the underlying with the largest gross exposure (USD notional of positions and
 * non-stable collateral), or null for a book without one (cash only) or a market that cannot
 * value it.
 */
export function portfolioHeatmap(pf: Portfolio, market: MarginMarket): Heatmap | null {
  const exposure = new Map<string, number>();
  const add = (u: string, usd: number) => exposure.set(u, (exposure.get(u) ?? 0) + Math.abs(usd));
  const stable = new Set(DEFAULT_PORTFOLIO_PARAMS.stableAssets);
  for (const p of pf.positions) {
    const m = market.instruments.get(p.instrument);
    const spot = m ? market.prices.get(m.instrument.underlying) : undefined;
    if (m && spot !== undefined) add(m.instrument.underlying, p.size * m.instrument.contractSize * spot);
  }
  for (const [a, c] of pf.collateral) {
    const price = market.prices.get(a);
    if (!stable.has(a) && price !== undefined) add(a, (Number(c.units) / 10 ** c.asset.decimals) * price);
  }
  const top = [...exposure].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
  if (!top || !(top[1] > 0)) return null;
  const u = top[0];
  const g = DEFAULT_PORTFOLIO_PARAMS.grid;
  const spotShocks = evenMoves(DEFAULT_PORTFOLIO_PARAMS.maxMoveByUnderlying[u] ?? g.maxMove, g.buckets);
  const scenarios: GridScenario[] = VOLS.flatMap((v) =>
    spotShocks.map((s) => ({
      id: `${s}/${v.dir}`,
      label: `${s}/${v.dir}`,
      spotMove: s,
      vol: v.dir,
      skew: 0 as const,
      weight: 1,
    })),
  );
  try {
    const ra = buildRiskArrays(market, u, scenarios, {
      volShock: DEFAULT_PORTFOLIO_PARAMS.volShock,
      skew: undefined,
    });
    const S = ra.nScenarios;
    const pnl = new Float64Array(S);
    const addRow = (key: string, qty: number) => {
      const row = ra.rowOf.get(key);
      if (row === undefined) return;
      for (let s = 0; s < S; s++) pnl[s] = pnl[s]! + qty * ra.unitPnl[row * S + s]!;
    };
    for (const p of pf.positions)
      addRow(p.instrument, p.size * (market.instruments.get(p.instrument)?.instrument.contractSize ?? 1));
    const c = pf.collateral.get(u);
    if (c) addRow(collateralKey(u), Number(c.units) / 10 ** c.asset.decimals);
    const n = spotShocks.length;
    return {
      underlying: u,
      spotShocks,
      volShocks: VOLS.map((v) => v.shock),
      pnlUsd: VOLS.map((_, v) => Array.from(pnl.subarray(v * n, (v + 1) * n))),
    };
  } catch {
    return null;
  }
}
