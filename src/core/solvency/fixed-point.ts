/**
 * @module solvency/fixed-point
 *
 * The fixed-point layout of every value a solvency epoch commits to, and its range checks. The
 * circuit (circuits/compliance.circom) holds the same numbers; a value outside its range is
 * refused here with ERR_SOLVENCY_RANGE rather than wrapped around the field.
 *
 *   equity, maintenance margin (MM): micro-USD, integers in [0, 2^56)        (≈ 7.2e10 USD)
 *   quantity of a row:               micro-units, signed, |q| < 2^49          (≈ 5.6e8 units)
 *   risk-array value:                micro-USD per unit, signed, |v| < 2^40   (≈ 1.1e6 USD)
 *   severity of a class:             thousandths, in [0, 1000]
 *   node sums:                       equity + MM·2^88 + count·2^176, each part < 2^88
 *
 * Rounding (against the account, in favour of solvency, STYLE §3.7): equity rounds down, MM rounds
 * up; quantities and risk-array values round half-even, and the integers published are the
 * normative ones (the proof is about them, not about the floats they came from).
 */
import { RiskError } from '../errors.js';
import { toUnits } from '../ledger/convert.js';

/** The layout; `circuits/compliance.circom` has the same constants. */
export const SOLVENCY_FIXED_POINT = Object.freeze({
  /** decimals of equity, MM and risk-array values (micro-USD) */
  usdDecimals: 6,
  /** decimals of quantities (micro-units of a contract or an asset) */
  quantityDecimals: 6,
  /** equity and MM are < 2^valueBits */
  valueBits: 56,
  /** quantities are in [−2^(quantityBits−1), 2^(quantityBits−1)) */
  quantityBits: 50,
  /** |risk-array value| < 2^riskArrayBits */
  riskArrayBits: 40,
  /** severity 1000 = the whole published loss */
  severityScale: 1000,
  /** bits per part of a node's packed sums */
  sumSlotBits: 88,
  /** quantities packed per field element in the position commitment (5 × 50 bits) */
  quantitiesPerWord: 5,
});

const FP = SOLVENCY_FIXED_POINT;
const VALUE_LIMIT = 1n << BigInt(FP.valueBits);
const Q_HALF = 1n << BigInt(FP.quantityBits - 1);
const RA_LIMIT = 1n << BigInt(FP.riskArrayBits);
/** Q_SCALE × SEVERITY_SCALE: MM's factor in the scenario check. */
export const MM_CHECK_SCALE = 10n ** BigInt(FP.quantityDecimals) * BigInt(FP.severityScale);

function rangeError(field: string, value: bigint | number, rule: string): RiskError {
  return new RiskError('ERR_SOLVENCY_RANGE', `${field} ${rule}; got ${String(value)}`, {
    field,
    value: typeof value === 'bigint' ? value.toString() : value,
    rule,
  });
}

/**
 * Equity in micro-USD, rounded down (the account's credit is never overstated).
 * @throws RiskError ERR_SOLVENCY_RANGE when not finite or ≥ 2^56 micro-USD; negative equity is
 *         returned as a negative integer for the caller to report (a leaf cannot hold it)
 */
export function equityToMicroUsd(equityUsd: number, field: string): bigint {
  if (!Number.isFinite(equityUsd)) throw rangeError(field, equityUsd, 'must be finite');
  const v = toUnits(equityUsd, FP.usdDecimals, 'floor'); // round down: credit
  if (!(v < VALUE_LIMIT)) throw rangeError(field, v, `must be < 2^${FP.valueBits} micro-USD`);
  return v;
}

/**
 * A requirement in micro-USD, rounded up (never understated).
 * @throws RiskError ERR_SOLVENCY_RANGE when negative, not finite or ≥ 2^56 micro-USD
 */
export function requirementToMicroUsd(requirementUsd: number, field: string): bigint {
  if (!(requirementUsd >= 0 && Number.isFinite(requirementUsd)))
    throw rangeError(field, requirementUsd, 'must be finite and >= 0');
  const v = toUnits(requirementUsd, FP.usdDecimals, 'ceil'); // round up: requirement
  checkValue(field, v);
  return v;
}

/**
 * A quantity in micro-units, half-even.
 * @throws RiskError ERR_SOLVENCY_RANGE when not finite or |q| ≥ 2^49 micro-units
 */
export function quantityToMicro(quantity: number, field: string): bigint {
  if (!Number.isFinite(quantity)) throw rangeError(field, quantity, 'must be finite');
  const v = toUnits(quantity, FP.quantityDecimals, 'halfEven');
  checkQuantity(field, v);
  return v;
}

/**
 * A risk-array value (USD per unit) in micro-USD, half-even.
 * @throws RiskError ERR_SOLVENCY_RANGE when not finite or |v| ≥ 2^40 micro-USD
 */
export function riskValueToMicro(valueUsd: number, field: string): bigint {
  if (!Number.isFinite(valueUsd)) throw rangeError(field, valueUsd, 'must be finite');
  const v = toUnits(valueUsd, FP.usdDecimals, 'halfEven');
  checkRiskValue(field, v);
  return v;
}

/** @throws RiskError ERR_SOLVENCY_RANGE unless 0 ≤ v < 2^bits (default: a leaf value, 2^56) */
export function checkValue(field: string, v: bigint, bits: number = FP.valueBits): void {
  if (!(v >= 0n && v < 1n << BigInt(bits))) throw rangeError(field, v, `must be in [0, 2^${bits})`);
}

/** @throws RiskError ERR_SOLVENCY_RANGE unless −2^49 ≤ q < 2^49 */
export function checkQuantity(field: string, q: bigint): void {
  if (!(q >= -Q_HALF && q < Q_HALF))
    throw rangeError(
      field,
      q,
      `must be in [-2^${FP.quantityBits - 1}, 2^${FP.quantityBits - 1}) micro-units`,
    );
}

/** @throws RiskError ERR_SOLVENCY_RANGE unless |v| < 2^40 */
export function checkRiskValue(field: string, v: bigint): void {
  if (!(v > -RA_LIMIT && v < RA_LIMIT))
    throw rangeError(field, v, `must be in (-2^${FP.riskArrayBits}, 2^${FP.riskArrayBits}) micro-USD`);
}

/** @throws RiskError ERR_SOLVENCY_RANGE unless 0 ≤ severity ≤ 1000 (an integer) */
export function checkSeverity(field: string, severity: number): void {
  if (!(Number.isInteger(severity) && severity >= 0 && severity <= FP.severityScale))
    throw rangeError(field, severity, `must be an integer in [0, ${FP.severityScale}]`);
}

/** The node sums packed as the circuit hashes them: equity + mm·2^88 + count·2^176. */
export function packSums(equity: bigint, mm: bigint, count: bigint): bigint {
  const slot = BigInt(FP.sumSlotBits);
  return equity + (mm << slot) + (count << (2n * slot));
}

/** Micro-USD as a decimal USD string (exact). */
export function microToUsdString(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const s = (a % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${a / 1_000_000n}${s ? `.${s}` : ''}`;
}
