/**
 * @module solvency/account-scan
 *
 * An account against the published arrays, in exact integers, as the circuit computes it:
 *
 *   pnl[s]  = Σ_r q[r]·RA[r][s]                     (micro-units × micro-USD = 10^−12 USD)
 *   loss    = max(0, max_s −pnl[s])
 *   covered ⇔ ∀s: MM·10^6·1000 + severity·pnl[s] ≥ 0 (MM in micro-USD, severity in thousandths)
 *   floor   = ⌈severity·loss / (10^6·1000)⌉ micro-USD, the least MM that is covered
 *
 * Sign: pnl > 0 is a gain to the account. Nothing here rounds except `floor`, upward.
 */
import { InvalidInputError } from '../errors.js';
import { divideCeil } from '../ledger/rounding.js';
import { MM_CHECK_SCALE } from './fixed-point.js';
import type { ScanArrays } from './scan-arrays.js';

/**
 * Scenario P&L of quantities `q` (one per row of `scan`, micro-units), 10^−12 USD per column.
 * @throws InvalidInputError ERR_INVALID_INPUT when q has the wrong length
 */
export function scanPnl(q: readonly bigint[], scan: ScanArrays): bigint[] {
  const R = scan.rows.length;
  const S = scan.columns.length;
  if (q.length !== R)
    throw new InvalidInputError('quantities', q.length, `must have one entry per row (${R})`);
  const out = new Array<bigint>(S).fill(0n);
  for (let r = 0; r < R; r++) {
    const qr = q[r]!;
    if (qr === 0n) continue;
    for (let s = 0; s < S; s++) out[s] = out[s]! + qr * scan.values[r * S + s]!;
  }
  return out;
}

/** The largest loss over the scenarios, ≥ 0 (10^−12 USD). */
export function scanLoss(pnl: readonly bigint[]): bigint {
  let worst = 0n;
  for (const p of pnl) if (-p > worst) worst = -p;
  return worst;
}

/** The least MM (micro-USD) covered at `severity` (thousandths) for this loss: rounds up. */
export function scanFloorMicroUsd(severity: number, loss: bigint): bigint {
  return divideCeil(BigInt(severity) * loss, MM_CHECK_SCALE); // round up: a requirement
}

/** The circuit's check: MM covers `severity` of every scenario loss. */
export function coversScan(mm: bigint, severity: number, pnl: readonly bigint[]): boolean {
  const base = mm * MM_CHECK_SCALE;
  const k = BigInt(severity);
  for (const p of pnl) if (base + k * p < 0n) return false;
  return true;
}
