/**
 * @module scenarios/grid
 *
 * Risk-matrix grids per underlying, as data: spot moves × vol directions, plus extended moves
 * (vol up only) whose P&L is dampened, plus optional skew rotations. Each scenario is applied
 * to one underlying at a time; the portfolio model combines the underlyings afterwards.
 *
 *   core scenarios:     every spot move × {up, none, down}, weight 1
 *   extended scenarios: every extended move × {up}, weight = extendedWeight / |move|
 *                       (Derive: 0.1386; Paradex: 0.16), capped at 1
 *   skew scenarios:     spot 0, σ' = σ·(1 ± cap·clamp(ln(K/F)/k*, −1, 1)), k* = max(kMin, √t·kScale)
 *
 * Units: moves are relative (−0.16 = −16%); weights multiply P&L.
 */
import { InvalidInputError } from '../errors.js';
import type { VolDirection } from './vol-shock.js';

/** One scenario of a grid. */
export interface GridScenario {
  /** stable id, e.g. "-8%/up", "ext+200%/up", "skew+" */
  readonly id: string;
  readonly label: string;
  /** relative move of the underlying's index, forwards and marks */
  readonly spotMove: number;
  readonly vol: VolDirection;
  /** skew rotation sign (+1: downside vols up, upside down; −1 the reverse), 0 for none */
  readonly skew: -1 | 0 | 1;
  /** P&L multiplier (dampening of extended moves), in (0, 1] */
  readonly weight: number;
}

/** Skew rotation parameters. */
export interface SkewParams {
  /** maximum relative vol change at the wings, e.g. 0.15 */
  readonly cap: number;
  /** log-moneyness scale per √year, e.g. 2.4 */
  readonly kScale: number;
  /** minimum log-moneyness scale, e.g. 0.01 */
  readonly kMin: number;
}

/** Grid definition. */
export interface GridParams {
  /** core spot moves, relative (include 0) */
  readonly spotMoves: readonly number[];
  /** extended moves (vol up only, dampened), relative; may be empty */
  readonly extendedMoves: readonly number[];
  /** dampening numerator c: weight = min(1, c/|move|) */
  readonly extendedWeight: number;
  /** add the two skew rotations */
  readonly skew: SkewParams | undefined;
}

/** Evenly spaced moves from −max to +max in `buckets` points (odd buckets include 0). */
export function evenMoves(max: number, buckets: number): number[] {
  if (!(buckets >= 2 && Number.isInteger(buckets)))
    throw new InvalidInputError('buckets', buckets, 'must be an integer >= 2');
  return Array.from({ length: buckets }, (_, i) => -max + (2 * max * i) / (buckets - 1)).map((m) =>
    Math.abs(m) < 1e-15 ? 0 : m,
  );
}

function pct(m: number): string {
  const v = Math.round(m * 1e4) / 100;
  return `${v > 0 ? '+' : ''}${v}%`;
}

/**
 * The scenarios of a grid, in a deterministic order.
 * @throws InvalidInputError when a move is ≤ −1 (price would not stay positive) or a weight is bad
 */
export function buildGridScenarios(p: GridParams): GridScenario[] {
  const out: GridScenario[] = [];
  p.spotMoves.forEach((m, i) => {
    if (!(m > -1 && Number.isFinite(m)))
      throw new InvalidInputError(`spotMoves[${i}]`, m, 'must be finite and > -1');
    for (const vol of ['up', 'none', 'down'] as const) {
      out.push({
        id: `${pct(m)}/${vol}`,
        label: `spot ${pct(m)}, vol ${vol}`,
        spotMove: m,
        vol,
        skew: 0,
        weight: 1,
      });
    }
  });
  if (p.extendedMoves.length > 0 && !(p.extendedWeight > 0)) {
    throw new InvalidInputError(
      'extendedWeight',
      p.extendedWeight,
      'must be > 0 when extendedMoves are given',
    );
  }
  p.extendedMoves.forEach((m, i) => {
    if (!(m > -1 && Number.isFinite(m) && m !== 0))
      throw new InvalidInputError(`extendedMoves[${i}]`, m, 'must be finite, non-zero and > -1');
    const weight = Math.min(1, p.extendedWeight / Math.abs(m));
    out.push({
      id: `ext${pct(m)}/up`,
      label: `extended spot ${pct(m)}, vol up, weight ${weight.toFixed(4)}`,
      spotMove: m,
      vol: 'up',
      skew: 0,
      weight,
    });
  });
  if (p.skew) {
    out.push({
      id: 'skew+',
      label: 'skew steepens (downside vols up, upside down)',
      spotMove: 0,
      vol: 'none',
      skew: 1,
      weight: 1,
    });
    out.push({
      id: 'skew-',
      label: 'skew flattens (upside vols up, downside down)',
      spotMove: 0,
      vol: 'none',
      skew: -1,
      weight: 1,
    });
  }
  return out;
}

/**
 * Skew-rotated vol: σ·(1 − sign·cap·clamp(ln(K/F)/k*, −1, 1)), k* = max(kMin, √t·kScale).
 * With sign +1 a put wing (K < F) gains vol and a call wing loses it.
 */
export function skewVol(
  vol: number,
  strike: number,
  forward: number,
  tYears: number,
  sign: -1 | 0 | 1,
  p: SkewParams,
): number {
  if (sign === 0) return vol;
  const kStar = Math.max(p.kMin, Math.sqrt(Math.max(tYears, 0)) * p.kScale);
  const k = Math.log(strike / forward) / kStar;
  const clamped = k > 1 ? 1 : k < -1 ? -1 : k;
  return vol * Math.max(0, 1 - sign * p.cap * clamped);
}
