/**
 * @module statistics/filtered-historical
 *
 * Filtered historical simulation (FHS): historical joint returns, each devolatilised by the EWMA
 * volatility at its own time and revolatilised by today's:
 *
 *   ε_{t,a} = r_{t,a} / σ_{t,a},   r̃_{t,a} = ε_{t,a} · σ_{T,a}   ( = r_{t,a} · σ_{T,a} / σ_{t,a} )
 *
 * σ_{t,a} is the EWMA volatility of r_{t,a} forecast before it (`computeEwmaVolatility`, row t),
 * σ_{T,a} the forecast for the next period (row T, "today"). Per asset, but on joint rows: scenario
 * t moves every asset by its filtered return of the same period t, so the cross-sectional
 * dependence of that period (a crash hitting every coin at once) is kept as it happened.
 *
 * Effect: a calm-period return is scaled up when markets are volatile today, and a crisis return
 * scaled down when they are calm. The scaled-down crisis is why FHS alone is procyclical, and why
 * the model floors it (Eurex Prisma: a stressed-period floor; EMIR RTS 153/2013 Art. 28 APC tools);
 * `volFloor` here is the statistical part of that: σ' = max(σ, floor) for σ_t and σ_T alike,
 * which bounds both the amplification of near-zero-vol periods and how low today's vol can go.
 *
 * Missing data: a non-finite return stays NaN in its scenario ('propagate'), or the whole row is
 * dropped ('drop-rows', the default: a joint scenario must move every asset). `sourceRows` maps
 * each scenario back to its input row, so the dates that drive a requirement can be named.
 *
 * Units: log returns per period in, log returns per period out; vols per period.
 * References: G. Barone-Adesi, K. Giannopoulos, L. Vosper, "VaR without correlations for
 * portfolios of derivative securities", J. Futures Markets 19 (1999) 583–602; J. Hull, A. White,
 * "Incorporating volatility updating into the historical simulation method for VaR", J. Risk 1
 * (1998); Eurex Clearing, Prisma methodology (filtered historical simulation).
 */
import { InvalidInputError, InvariantError, requireInput } from '../errors.js';
import { computeEwmaVolatility, type EwmaParams } from './ewma.js';
import { countRows, isCompleteRow } from './return-rows.js';

/** How rows with a missing return are treated. */
export type MissingRowPolicy = 'drop-rows' | 'propagate';

/** FHS parameters. */
export interface FilteredHistoricalParams {
  /** EWMA estimator of σ_t (λ, warm-up, optional seed) */
  readonly ewma: EwmaParams;
  /** floor on every σ (σ_t and σ_T), per period, ≥ 0: one value for all assets or one per asset; default 0 */
  readonly volFloor?: number | Float64Array;
  /** rows with a missing return: dropped (default) or kept with NaN in that asset */
  readonly missing?: MissingRowPolicy;
  /** first input row used as a scenario (default 0); later rows skip the look-ahead of the EWMA seed */
  readonly firstRow?: number;
}

/** FHS scenarios with the vols that produced them. */
export interface FilteredHistoricalResult {
  /** nScenarios × A filtered log returns per period, `returns[s·A + a]` */
  readonly returns: Float64Array;
  readonly nScenarios: number;
  readonly nAssets: number;
  /** input row of each scenario (the date that scenario replays) */
  readonly sourceRows: Int32Array;
  /** today's floored EWMA vol σ'_T per asset, per period */
  readonly currentVol: Float64Array;
  /** T × A floored conditional vols σ'_t of the input rows (NaN before an asset's data) */
  readonly conditionalVol: Float64Array;
}

/** The floor of asset a, validated once by the caller. */
function floorOf(volFloor: number | Float64Array, a: number): number {
  return typeof volFloor === 'number' ? volFloor : volFloor[a]!;
}

/**
 * Filtered-historical scenario returns from a T × A matrix of joint one-period log returns.
 *
 *   σ'_{t,a} = max(σ_{t,a}, floor_a),   r̃_{t,a} = r_{t,a} · σ'_{T,a} / σ'_{t,a}
 *
 * Edge cases: σ'_{t,a} = 0 (all earlier returns exactly 0 and no floor) gives r̃ = 0 when
 * r_{t,a} = 0 and is an error otherwise (set a floor). Today's vol must be finite and > 0 for
 * every asset: an asset with fewer than `warmup` returns cannot be filtered.
 *
 * @param returns  T × A one-period log returns, `returns[t·A + a]`; NaN/±∞ = missing
 * @param nAssets  A ≥ 1
 * @param params   EWMA estimator, vol floor, missing-row policy, first row
 * @returns        scenarios (one per kept row), their source rows, today's and the conditional vols
 * @throws InvalidInputError ERR_INVALID_INPUT on bad params or shape, on an asset whose today's
 *         vol is NaN or 0, and on a non-zero return over a zero vol
 * @see Barone-Adesi, Giannopoulos & Vosper (1999); docs/methodology/var-es.md#filtered-historical-simulation
 * @example
 *   // Two assets, hourly log returns; scenarios scaled to today's EWMA vol (λ = 0.94).
 *   const fhs = buildFilteredHistoricalReturns(returns, 2, { ewma: { lambda: 0.94, warmup: 24 } });
 */
export function buildFilteredHistoricalReturns(
  returns: Float64Array,
  nAssets: number,
  params: FilteredHistoricalParams,
): FilteredHistoricalResult {
  const T = countRows(returns, nAssets);
  const A = nAssets;
  const volFloor = params.volFloor ?? 0;
  if (typeof volFloor === 'number') {
    requireInput(volFloor >= 0 && volFloor < Infinity, 'volFloor', volFloor, 'must be finite and >= 0');
  } else {
    requireInput(volFloor.length === A, 'volFloor.length', volFloor.length, `must equal ${A}`);
    for (let a = 0; a < A; a++) {
      requireInput(
        volFloor[a]! >= 0 && volFloor[a]! < Infinity,
        `volFloor[${a}]`,
        volFloor[a],
        'must be finite and >= 0',
      );
    }
  }
  const missing = params.missing ?? 'drop-rows';
  const firstRow = params.firstRow ?? 0;
  requireInput(
    Number.isInteger(firstRow) && firstRow >= 0 && firstRow < T,
    'firstRow',
    firstRow,
    `must be an integer in [0, ${T - 1}]`,
  );

  const vol = computeEwmaVolatility(returns, A, params.ewma);
  // Floor every defined vol; NaN (no data yet) stays NaN because max(NaN, x) is NaN.
  for (let i = 0; i < vol.length; i++) vol[i] = Math.max(vol[i]!, floorOf(volFloor, i % A));
  const currentVol = vol.slice(T * A, (T + 1) * A);
  for (let a = 0; a < A; a++) {
    const s = currentVol[a]!;
    if (!(s > 0 && s < Infinity)) {
      throw new InvalidInputError(
        `currentVol[${a}]`,
        s,
        `must be finite and > 0 (needs at least warmup = ${params.ewma.warmup} returns, or a volFloor > 0)`,
      );
    }
  }

  let n = 0;
  for (let t = firstRow; t < T; t++) if (missing === 'propagate' || isCompleteRow(returns, t, A)) n++;
  const out = new Float64Array(n * A);
  const sourceRows = new Int32Array(n);
  let s = 0;
  for (let t = firstRow; t < T; t++) {
    if (missing === 'drop-rows' && !isCompleteRow(returns, t, A)) continue;
    sourceRows[s] = t;
    for (let a = 0; a < A; a++) {
      const r = returns[t * A + a]!;
      const sigma = vol[t * A + a]!;
      let x: number;
      if (!Number.isFinite(r)) x = Number.NaN;
      else if (sigma > 0) x = r * (currentVol[a]! / sigma);
      else if (r === 0)
        x = 0; // no vol and no move: nothing to rescale
      else {
        throw new InvalidInputError(
          `conditionalVol[${t}][${a}]`,
          sigma,
          'must be > 0 to filter a non-zero return (set a volFloor > 0)',
        );
      }
      out[s * A + a] = x;
    }
    s++;
  }
  if (s !== n) throw new InvariantError('FHS row count changed between passes', { counted: n, written: s });
  return {
    returns: out,
    nScenarios: n,
    nAssets: A,
    sourceRows,
    currentVol,
    conditionalVol: vol.subarray(0, T * A),
  };
}
