/**
 * The trade variables of the optimiser's LP and everything that is not the margin model:
 * execution cost, lots, the number of trades, the budget and the exposure bands.
 *
 *   x_c = Σ_k buy_ck − Σ_k sell_ck,   0 ≤ buy_ck ≤ width_ck,  0 ≤ sell_ck ≤ width_ck
 *   cost = Σ unit_ck·(buy_ck + sell_ck) + fee_c·Σ(buy + sell) + gas_c·y_c
 *   lots:        x_c = lot_c·n_c, n_c integer
 *   max trades:  Σ(buy + sell)_c ≤ max(maxBuy, maxSell)·y_c,  y_c ∈ {0, 1},  Σ y_c ≤ K
 *   budget:      cost ≤ budget
 *   delta band:  |Σ_c delta_c·x_c| ≤ band_u per underlying;   vega band: |Σ_c vega_c·x_c| ≤ band
 *
 * Unit costs are non-decreasing along each side (convex curves), so the LP fills the cheapest
 * pieces first and charges the curve exactly (books) or from above (secants).
 */
import { requireInput } from '../errors.js';
import type { Candidate } from './candidates.js';
import type { LpBuilder } from './lp-problem.js';
import { affine, type Affine } from './margin-lp.js';

/** Exposure limits chosen by the user. */
export interface ExposureBands {
  /** largest change of each underlying's delta, units of underlying (a number: every underlying) */
  readonly delta?: number | Readonly<Record<string, number>>;
  /** largest change of the book's vega, USD per vol point */
  readonly vegaUsd?: number;
}

/** Trade limits chosen by the user. */
export interface TradeLimits {
  /** largest execution cost, USD (> 0) */
  readonly budgetUsd?: number;
  /** largest number of instruments traded (integer ≥ 1) */
  readonly maxTrades?: number;
  readonly bands?: ExposureBands;
  /** per candidate: [lowest, highest] size in contracts (close-only narrows these) */
  readonly sizeBounds?: readonly (readonly [number, number])[];
}

/** Columns of the trade part. */
export interface TradeColumns {
  readonly x: number[];
  readonly lotCols: (number | undefined)[];
  readonly pickCols: (number | undefined)[];
  readonly cost: Affine;
}

/** Adds the trade variables, the cost and the limits (module header). */
export function addTradeColumns(
  b: LpBuilder,
  candidates: readonly Candidate[],
  limits: TradeLimits,
): TradeColumns {
  const x: number[] = [];
  const lotCols: (number | undefined)[] = [];
  const pickCols: (number | undefined)[] = [];
  const cost = affine();
  const needPick = limits.maxTrades !== undefined || candidates.some((c) => c.gasUsd > 0);
  candidates.forEach((c, i) => {
    const [lo, hi] = limits.sizeBounds?.[i] ?? [-c.maxSell, c.maxBuy];
    const col = b.addCol(`x:${c.instrument}`, lo, hi);
    x.push(col);
    const fills: number[] = [];
    const row = [col];
    const coefs = [1];
    for (const [side, pieces] of [
      [1, c.buyPieces],
      [-1, c.sellPieces],
    ] as const) {
      pieces.forEach((pc, k) => {
        const f = b.addCol(`${side > 0 ? 'buy' : 'sell'}${k}:${c.instrument}`, 0, pc.widthContracts);
        fills.push(f);
        row.push(f);
        coefs.push(-side);
        cost.cols.push(f);
        cost.coefs.push(pc.unitCostUsd + c.feePerContractUsd);
      });
    }
    b.addRow(0, 0, row, coefs);
    if (c.lotSize > 0) {
      const n = b.addCol(
        `lots:${c.instrument}`,
        Math.ceil(lo / c.lotSize - 1e-9),
        Math.floor(hi / c.lotSize + 1e-9),
        0,
        true,
      );
      b.addRow(0, 0, [col, n], [1, -c.lotSize]);
      lotCols.push(n);
    } else lotCols.push(undefined);
    if (needPick) {
      const y = b.addCol(`pick:${c.instrument}`, 0, 1, 0, true);
      const cap = Math.max(Math.abs(lo), Math.abs(hi), c.maxBuy, c.maxSell);
      b.addRow(-Infinity, 0, [...fills, y], [...fills.map(() => 1), -cap]);
      if (c.gasUsd > 0) {
        cost.cols.push(y);
        cost.coefs.push(c.gasUsd);
      }
      pickCols.push(y);
    } else pickCols.push(undefined);
  });
  if (limits.maxTrades !== undefined) {
    requireInput(
      Number.isInteger(limits.maxTrades) && limits.maxTrades >= 1,
      'maxTrades',
      limits.maxTrades,
      'must be an integer >= 1',
    );
    const ys = pickCols.filter((y): y is number => y !== undefined);
    b.addRow(
      -Infinity,
      limits.maxTrades,
      ys,
      ys.map(() => 1),
    );
  }
  if (limits.budgetUsd !== undefined) {
    requireInput(
      limits.budgetUsd > 0 && limits.budgetUsd < Infinity,
      'budgetUsd',
      limits.budgetUsd,
      'must be a number > 0',
    );
    b.addRow(-Infinity, limits.budgetUsd, cost.cols, cost.coefs);
  }
  const bands = limits.bands;
  if (bands?.delta !== undefined) {
    const us = [...new Set(candidates.map((c) => c.underlying))];
    for (const u of us) {
      const band = typeof bands.delta === 'number' ? bands.delta : bands.delta[u];
      if (band === undefined) continue;
      requireInput(band >= 0 && band < Infinity, `keepDelta.${u}`, band, 'must be a number >= 0');
      const idx = candidates.flatMap((c, i) => (c.underlying === u ? [i] : []));
      b.addRow(
        -band,
        band,
        idx.map((i) => x[i]!),
        idx.map((i) => candidates[i]!.deltaPerContract),
      );
    }
  }
  if (bands?.vegaUsd !== undefined) {
    requireInput(
      bands.vegaUsd >= 0 && bands.vegaUsd < Infinity,
      'keepVegaUsd',
      bands.vegaUsd,
      'must be a number >= 0',
    );
    b.addRow(
      -bands.vegaUsd,
      bands.vegaUsd,
      x,
      candidates.map((c) => c.vegaPerContract),
    );
  }
  return { x, lotCols, pickCols, cost };
}
