/**
 * The move between two margin checks, as a joint grid (docs/methodology/var-es.md#move-floor):
 * every volatile asset moves the same way at once, by a fraction m of its own edge move, with
 * implied vols shocked up, left alone or shocked down:
 *
 *   m ∈ {−1, …, +1} (`points` evenly spaced, 0 included when odd),  vol ∈ {×(1 + up), ×1, ×(1 − down)}
 *   r_a = ln(1 + m·move_a),   Δln σ = ln(1 + up) | 0 | ln(1 − down)
 *   move_a = moves[a] when listed (BTC 20%, ETH 25%), else
 *            clamp(moves[ref]·windowVol_a / windowVol_ref, minMove, maxMove)
 *
 * Crypto crashes hit every coin in the same hour (2020-03-12 10:00 UTC: BTC −29%, ETH −27% from
 * the previous close to the bar's low), so the between-checks move is market-wide; relative
 * moves (a pair trade's spread) are left to the historical scenarios. The result is a
 * ScenarioSet, so the joint risk-array builder revalues every instrument on it.
 */
import { requireInput } from '../errors.js';
import type { ScenarioSet } from './historical-scenarios.js';

/** Parameters of the move grid (module header). */
export interface MoveGridParams {
  /** edge move per listed asset, fraction (0.2 = ±20%) */
  readonly moves: Readonly<Record<string, number>>;
  /** asset whose move and window vol scale the unlisted ones */
  readonly reference: string;
  /** bounds of a scaled move, fractions */
  readonly minMove: number;
  readonly maxMove: number;
  /** spot points from −1 to +1, odd integer ≥ 3 */
  readonly points: number;
  /** relative vol rise and fall, e.g. 0.5 (×1.5) and 0.3 (×0.7) */
  readonly volUp: number;
  readonly volDown: number;
}

/** The grid for a set of assets, and the edge move each got. */
export interface MoveGrid {
  readonly set: ScenarioSet;
  readonly moves: Readonly<Record<string, number>>;
  /** label per scenario, e.g. "-20%/vol up" (m and the reference's move) */
  readonly labels: readonly string[];
}

/**
 * Builds the joint move grid (module header).
 * @param assets     scenario assets (order of the set's columns)
 * @param windowVol  window log-return vol per asset (HistoricalScenarios.windowVol); NaN or a
 *                   missing entry gives the unlisted asset `maxMove` (no data: the cautious end)
 * @throws InvalidInputError ERR_INVALID_INPUT on points not odd ≥ 3, a move outside (0, 1),
 *         or vol shocks outside [0, 10] / [0, 1)
 * @example buildMoveGrid(['BTC','ETH'], { BTC: 0.03, ETH: 0.04 }, p).moves // { BTC: 0.2, ETH: 0.25 }
 */
export function buildMoveGrid(
  assets: readonly string[],
  windowVol: Readonly<Record<string, number>>,
  p: MoveGridParams,
): MoveGrid {
  requireInput(
    Number.isInteger(p.points) && p.points >= 3 && p.points % 2 === 1,
    'points',
    p.points,
    'must be an odd integer >= 3',
  );
  requireInput(p.volUp >= 0 && p.volUp <= 10, 'volUp', p.volUp, 'must be in [0, 10]');
  requireInput(p.volDown >= 0 && p.volDown < 1, 'volDown', p.volDown, 'must be in [0, 1)');
  requireInput(p.minMove > 0 && p.minMove <= p.maxMove, 'minMove', p.minMove, 'must be in (0, maxMove]');
  requireInput(p.maxMove < 1, 'maxMove', p.maxMove, 'must be < 1');
  const refMove = p.moves[p.reference];
  requireInput(
    refMove !== undefined && refMove > 0 && refMove < 1,
    'moves.reference',
    refMove,
    'must be in (0, 1)',
  );
  const refVol = windowVol[p.reference];
  const moves: Record<string, number> = {};
  for (const a of assets) {
    const listed = p.moves[a];
    if (listed !== undefined) {
      requireInput(listed > 0 && listed < 1, `moves.${a}`, listed, 'must be in (0, 1)');
      moves[a] = listed;
      continue;
    }
    const v = windowVol[a];
    const scaled =
      v !== undefined && v > 0 && refVol !== undefined && refVol > 0 ? (refMove * v) / refVol : p.maxMove;
    moves[a] = Math.min(p.maxMove, Math.max(p.minMove, scaled));
  }
  const A = assets.length;
  const vols = [
    { name: 'vol up', move: Math.log1p(p.volUp) },
    { name: 'vol same', move: 0 },
    { name: 'vol down', move: Math.log1p(-p.volDown) },
  ];
  const S = p.points * vols.length;
  const returns = new Float64Array(S * A);
  const volMoves = new Float64Array(S * A);
  const labels: string[] = [];
  let s = 0;
  for (let j = 0; j < p.points; j++) {
    const m = -1 + (2 * j) / (p.points - 1);
    for (const v of vols) {
      for (let a = 0; a < A; a++) {
        returns[s * A + a] = Math.log1p(m * moves[assets[a]!]!);
        volMoves[s * A + a] = v.move;
      }
      labels.push(`${m >= 0 ? '+' : ''}${Math.round(m * refMove * 1000) / 10}% ${p.reference}, ${v.name}`);
      s++;
    }
  }
  return {
    set: { nScenarios: S, returns, volMoves, endTimesMs: new Float64Array(S).fill(NaN) },
    moves,
    labels,
  };
}
