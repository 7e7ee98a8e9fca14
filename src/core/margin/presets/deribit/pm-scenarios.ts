/**
 * The Deribit portfolio-margin risk matrix (ANCHORS §2.1, §2.16): spot moves × vol states, plus
 * the dampened extended table, and the term-scaled vol shock.
 *
 * Core: `buckets` evenly spaced spot moves from −maxMove to +maxMove (9 from −16% to +16%,
 * including 0), each with vol up / same / down, weight 1.
 * Extended: moves −66%, −33%, +50%, +100%, +200%, +300%, +400%, +500% with vol up only, P&L
 * weighted by w = min(1, numerator/|move|) (numerator 0.16: Paradex's published rule, whose grid
 * matches Deribit's: ±16% and the same extended moves; ANCHORS §2.13. Deribit says only "a
 * fraction of simulated P&L … a dampener"). With 0.16/|move| a linear position loses at most
 * 16% of its value in any extended scenario, the same as in the −16% core bucket.
 *
 * Vol shock (legacy Deribit shape, https://www.deribit.com/pages/docs/portfoliomargin):
 *   shock = size·(pivotDays / max(DTE, minDays))^power          (38% at 30 DTE)
 *   relative (default): σ_up = σ·(1 + shock),  σ_down = σ·max(0, 1 − shock)
 *   absolute:           σ_up = σ + shock,      σ_down = max(0, σ − shock)
 * Relative is the default because the modern scenario engines with this shape (Derive, Paradex)
 * scale the vol multiplicatively, and an absolute 38-point cut would drive low vols negative.
 */

/** Vol shock parameters (fractions; days). */
export interface VolShockParams {
  /** shock at pivotDays: fraction (0.38 = 38%, relative or in vol points per `mode`) */
  readonly size: number;
  /** days at which the shock equals `size` (30) */
  readonly pivotDays: number;
  /** exponent of the term scaling (0.30) */
  readonly power: number;
  /** floor on days to expiry in the scaling, so that the shock stays finite (1) */
  readonly minDays: number;
  /** 'relative' (σ·(1 ± shock)) or 'absolute' (σ ± shock) */
  readonly mode: 'relative' | 'absolute';
}

/** Scenario grid parameters. */
export interface ScenarioGridParams {
  /** largest core spot move, fraction (0.16 = ±16%) */
  readonly maxMove: number;
  /** number of core moves, odd so that 0 is one of them (9) */
  readonly buckets: number;
  /** extended spot moves, fractions > −1, vol up only */
  readonly extendedMoves: readonly number[];
  /** extended weight numerator: w = min(1, numerator/|move|) (0.16) */
  readonly extendedWeightNumerator: number;
  readonly volShock: VolShockParams;
}

/** The vol state of a scenario. */
export type VolState = 'up' | 'same' | 'down';

/** One scenario of the matrix. */
export interface PmScenario {
  /** stable id, e.g. `core:-0.16:up`, `ext:-0.66:up` */
  readonly id: string;
  readonly label: string;
  /** relative spot move: S' = S·(1 + move) */
  readonly move: number;
  readonly vol: VolState;
  /** weight applied to the scenario's P&L, in (0, 1] */
  readonly weight: number;
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 10000) / 100}%`;

/**
 * The scenarios in a fixed order: core (moves ascending, vol up/same/down), then extended.
 * @returns buckets·3 + extendedMoves.length scenarios
 * @example buildScenarios(DEFAULT_DERIBIT_PM_PARAMS.grid).length // 9·3 + 8 = 35
 */
export function buildScenarios(g: ScenarioGridParams): PmScenario[] {
  const out: PmScenario[] = [];
  const n = g.buckets;
  for (let i = 0; i < n; i++) {
    // maxMove·(2i/(n−1) − 1): the middle bucket is exactly 0 for odd n.
    const move = g.maxMove * ((2 * i) / (n - 1) - 1);
    for (const vol of ['up', 'same', 'down'] as const)
      out.push({ id: `core:${move}:${vol}`, label: `spot ${pct(move)}, vol ${vol}`, move, vol, weight: 1 });
  }
  for (const move of g.extendedMoves) {
    const weight = Math.min(1, g.extendedWeightNumerator / Math.abs(move));
    out.push({
      id: `ext:${move}:up`,
      label: `spot ${pct(move)}, vol up, weight ${weight.toFixed(4)}`,
      move,
      vol: 'up',
      weight,
    });
  }
  return out;
}

/**
 * Term-scaled vol shock (module header).
 * @param tYears  time to expiry, years (ACT/365)
 * @returns       shock, fraction (relative) or vol points (absolute)
 * @example volShockSize(15 / 365, { size: 0.38, pivotDays: 30, power: 0.3, minDays: 1, mode: 'relative' })
 *          // 0.38·2^0.3 = 0.4678 (Deribit's own example: "options expiring in 15 days: (30/15)^0.30·38%")
 */
export function volShockSize(tYears: number, v: VolShockParams): number {
  const days = Math.max(tYears * 365, v.minDays);
  return v.size * Math.pow(v.pivotDays / days, v.power);
}

/**
 * The vol of a scenario (module header); never negative.
 * @param vol    current vol σ, annualised fraction (≥ 0)
 * @param state  up / same / down
 * @param shock  volShockSize(...) for the option's expiry
 * @param mode   'relative' or 'absolute' (module header)
 * @returns      the scenario vol, annualised fraction ≥ 0
 * @example shockedVol(0.5, 'up', 0.38, 'relative') // 0.69
 */
export function shockedVol(
  vol: number,
  state: VolState,
  shock: number,
  mode: VolShockParams['mode'],
): number {
  if (state === 'same') return vol;
  if (mode === 'relative') return state === 'up' ? vol * (1 + shock) : vol * Math.max(0, 1 - shock);
  return state === 'up' ? vol + shock : Math.max(0, vol - shock);
}
