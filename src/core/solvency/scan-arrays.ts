/**
 * @module solvency/scan-arrays
 *
 * The risk arrays an epoch publishes: one row per instrument or collateral asset, one column per
 * scenario, each value the P&L in micro-USD of ONE unit of the row in that scenario (SPAN's risk
 * arrays). They come from the engine's own builders (risk/risk-arrays.ts through the portfolio
 * model's grid): each underlying's grid scenarios become columns that move that underlying only
 * (its rows carry the grid's P&L, every other row 0), scaled by `scale` (the portfolio model's
 * maintenance factor, mmFraction·imFactor, so severity 1000 means "MM covers the portfolio model's
 * maintenance loss of this scenario").
 *
 * Two lossless reductions keep the circuit small: an all-zero column (the unmoved scenario of a
 * linear underlying) is dropped, since MM ≥ 0 covers it; a column equal, integer for integer, to
 * an earlier one is dropped, since its check is the same. Both are checkable from the published
 * rows (docs/methodology/solvency-proofs.md#risk-arrays).
 */
import { InvalidInputError, RiskError } from '../errors.js';
import type { RiskArrays } from '../risk/risk-arrays.js';
import type { FieldHash } from './field.js';
import { toField } from './field.js';
import { checkRiskValue, riskValueToMicro } from './fixed-point.js';

/** The shape of a compliance circuit. */
export interface CircuitShape {
  /** risk-array rows (instruments and collateral assets) */
  readonly rows: number;
  /** scenarios (columns) */
  readonly scenarios: number;
  /** tree depth: 2^depth accounts */
  readonly depth: number;
  /** risk classes */
  readonly classes: number;
}

/** One published scenario. */
export interface ScanColumn {
  /** `<underlying>:<grid scenario id>`, e.g. `BTC:-15%/up` */
  readonly id: string;
  readonly underlying: string;
}

/** An epoch's published risk arrays (unpadded). */
export interface ScanArrays {
  /** row keys: instrument ids and `collateral:<ASSET>` */
  readonly rows: readonly string[];
  readonly columns: readonly ScanColumn[];
  /** rows × columns, row-major, micro-USD per unit (integers, |v| < 2^40) */
  readonly values: readonly bigint[];
  /** the factor applied to the engine's arrays (e.g. 0.75 = mmFraction·imFactor) */
  readonly scale: number;
}

/**
 * Builds the published arrays from the engine's per-underlying arrays.
 *
 *   value[r][c] = halfEven(scale · unitPnl_u[r][s] · 10^6)   for column c = (u, s), r a row of u
 *
 * @param arrays  per-underlying risk arrays (distinct underlyings, distinct row keys)
 * @param scale   factor in (0, 10]
 * @throws InvalidInputError ERR_INVALID_INPUT on a bad scale or a repeated row;
 *         RiskError ERR_SOLVENCY_RANGE when a value does not fit 2^40 micro-USD
 */
export function buildScanArrays(arrays: readonly RiskArrays[], scale: number): ScanArrays {
  if (!(scale > 0 && scale <= 10)) throw new InvalidInputError('scale', scale, 'must be in (0, 10]');
  const rows: string[] = [];
  const rowBase: number[] = [];
  for (const a of arrays) {
    rowBase.push(rows.length);
    for (const k of a.keys) {
      if (rows.includes(k)) throw new InvalidInputError('rows', k, 'must not repeat across underlyings');
      rows.push(k);
    }
  }
  const columns: ScanColumn[] = [];
  const vectors: bigint[][] = [];
  const seen = new Set<string>();
  arrays.forEach((a, ai) => {
    for (let s = 0; s < a.nScenarios; s++) {
      const v = new Array<bigint>(rows.length).fill(0n);
      let zero = true;
      for (let r = 0; r < a.keys.length; r++) {
        const x = riskValueToMicro(scale * a.unitPnl[r * a.nScenarios + s]!, `${a.underlying}:${a.keys[r]}`);
        v[rowBase[ai]! + r] = x;
        if (x !== 0n) zero = false;
      }
      const sig = v.join(',');
      if (zero || seen.has(sig)) continue; // lossless: see the module header
      seen.add(sig);
      columns.push({ id: `${a.underlying}:${a.scenarios[s]!.id}`, underlying: a.underlying });
      vectors.push(v);
    }
  });
  const values: bigint[] = [];
  for (let r = 0; r < rows.length; r++) for (const v of vectors) values.push(v[r]!);
  return { rows, columns, values, scale };
}

/**
 * Checks that published arrays are well formed and fit a circuit: a verifier's first step.
 * @throws RiskError ERR_SOLVENCY_SHAPE when they do not fit; ERR_SOLVENCY_RANGE on a value
 */
export function checkScanArrays(scan: ScanArrays, shape: CircuitShape): void {
  const R = scan.rows.length;
  const S = scan.columns.length;
  const shapeError = (field: string, value: number, rule: string) =>
    new RiskError('ERR_SOLVENCY_SHAPE', `${field} ${rule}; got ${value}`, { field, value, rule });
  if (!(R <= shape.rows)) throw shapeError('rows', R, `must be at most ${shape.rows} (the circuit's rows)`);
  if (!(S <= shape.scenarios))
    throw shapeError('columns', S, `must be at most ${shape.scenarios} (the circuit's scenarios)`);
  if (scan.values.length !== R * S)
    throw shapeError('values', scan.values.length, `must be rows × columns = ${R * S}`);
  scan.values.forEach((v, i) => checkRiskValue(`values[${i}]`, v));
}

/** The arrays padded with zeros to the circuit's rows × scenarios, row-major (the public inputs). */
export function paddedRiskArrays(scan: ScanArrays, shape: CircuitShape): bigint[] {
  checkScanArrays(scan, shape);
  const S = scan.columns.length;
  const out = new Array<bigint>(shape.rows * shape.scenarios).fill(0n);
  for (let r = 0; r < scan.rows.length; r++)
    for (let s = 0; s < S; s++) out[r * shape.scenarios + s] = scan.values[r * S + s]!;
  return out;
}

/**
 * The arrays' commitment: a Poseidon sponge over [rows, scenarios, padded values mod p], 15
 * values per call, chained through the previous digest. Published with the epoch.
 */
export function hashScanArrays(scan: ScanArrays, shape: CircuitShape, hash: FieldHash): bigint {
  const flat = [BigInt(shape.rows), BigInt(shape.scenarios), ...paddedRiskArrays(scan, shape).map(toField)];
  let acc = 0n;
  for (let i = 0; i < flat.length; i += 15) acc = hash([acc, ...flat.slice(i, i + 15)]);
  return acc;
}
