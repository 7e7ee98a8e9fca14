/**
 * Tiered (bracketed) rates as large venues publish them, and progressively tiered collateral.
 *
 * Maintenance brackets (Binance leverage brackets, Bybit risk limits, Hyperliquid margin tiers):
 * the bracket is the one whose floor ≤ notional N (floors ascending), and
 *
 *   MM = N·rate_b − deduction_b,  deduction_b = deduction_{b−1} + floor_b·(rate_b − rate_{b−1})
 *
 * so MM is continuous in N (the deduction is Binance's `cum`, Bybit's `mmDeduction`). Each venue
 * publishes its deductions; {@link continuousDeductions} derives them from floors and rates, which
 * is how they are defined (a property the golden tests check against the published tables).
 *
 * Progressive collateral tiers (OKX discount rates, Binance and Bybit tiered collateral): the
 * amount in each tier counts at that tier's rate, like tax brackets:
 *
 *   value' = Σ_t rate_t·max(0, min(V, cap_t) − floor_t)     (V ≥ 0, USD)
 *
 * Units: notionals and values in USD; rates fractions in [0, 1].
 */
import { InvalidInputError } from '../../errors.js';

/** One maintenance bracket. */
export interface Bracket {
  /** notional at which the bracket starts, USD (first bracket 0) */
  readonly floorUsd: number;
  /** maintenance rate, fraction */
  readonly rate: number;
  /** deduction, USD (Binance `cum`, Bybit `mmDeduction`) */
  readonly deductionUsd: number;
}

/**
 * The bracket of a notional (the last whose floor ≤ N).
 * @throws InvalidInputError ERR_INVALID_INPUT when the table is empty or N is not finite and ≥ 0
 */
export function bracketOf<B extends { readonly floorUsd: number }>(
  brackets: readonly B[],
  notionalUsd: number,
): B {
  if (!(notionalUsd >= 0 && notionalUsd < Infinity))
    throw new InvalidInputError('notionalUsd', notionalUsd, 'must be a finite number >= 0');
  if (brackets.length === 0) throw new InvalidInputError('brackets', brackets, 'must not be empty');
  let out = brackets[0]!;
  for (const b of brackets) if (b.floorUsd <= notionalUsd) out = b;
  return out;
}

/**
 * MM = N·rate − deduction of the notional's bracket (module header), never negative.
 * @example bracketMaintenance([{ floorUsd: 0, rate: 0.004, deductionUsd: 0 },
 *   { floorUsd: 50000, rate: 0.005, deductionUsd: 50 }], 100000) // 100000·0.005 − 50 = 450
 */
export function bracketMaintenance(brackets: readonly Bracket[], notionalUsd: number): number {
  const b = bracketOf(brackets, notionalUsd);
  return Math.max(0, notionalUsd * b.rate - b.deductionUsd);
}

/** The deductions that make MM continuous: d_0 = 0, d_b = d_{b−1} + floor_b·(rate_b − rate_{b−1}). */
export function continuousDeductions(brackets: readonly Omit<Bracket, 'deductionUsd'>[]): number[] {
  const out: number[] = [];
  brackets.forEach((b, i) => {
    out.push(i === 0 ? 0 : out[i - 1]! + b.floorUsd * (b.rate - brackets[i - 1]!.rate));
  });
  return out;
}

/** One progressive collateral tier: value between `floorUsd` and the next tier's floor counts at `rate`. */
export interface CollateralTier {
  readonly floorUsd: number;
  readonly rate: number;
}

/**
 * Collateral value after progressive tiers (module header). A negative value (a liability) counts
 * in full: tiers only ever reduce what an asset is worth as collateral.
 * @param tiers  floors ascending from 0
 */
export function progressiveCollateral(tiers: readonly CollateralTier[], valueUsd: number): number {
  if (!(valueUsd > 0)) return valueUsd;
  let out = 0;
  for (let i = 0; i < tiers.length; i++) {
    const floor = tiers[i]!.floorUsd;
    const cap = i + 1 < tiers.length ? tiers[i + 1]!.floorUsd : Infinity;
    out += tiers[i]!.rate * Math.max(0, Math.min(valueUsd, cap) - floor);
  }
  return out;
}

/**
 * A unified account's collateral-weighted equity: Σ position values (uPnL, option value) + Σ each
 * balance's value after its progressive tiers (`rates[asset]`, else one tier at `defaultRate`).
 * OKX's adjusted equity and Bybit's total margin balance are this with their own tables.
 */
export function tieredEquity(
  positionsUsd: number,
  collateral: readonly { readonly asset: string; readonly valueUsd: number }[],
  rates: Readonly<Record<string, readonly CollateralTier[]>>,
  defaultRate: number,
): number {
  let equity = positionsUsd;
  for (const c of collateral)
    equity += progressiveCollateral(rates[c.asset] ?? [{ floorUsd: 0, rate: defaultRate }], c.valueUsd);
  return equity;
}

/** A venue's table for an instrument: by instrument id, else by its underlying, else the default. */
export function tableFor<T>(
  tables: Readonly<Record<string, T>>,
  instrumentId: string,
  underlying: string,
  fallback: T,
): T {
  return tables[instrumentId] ?? tables[underlying] ?? fallback;
}
