/**
 * Deribit standard-margin rules per position (ANCHORS §2.1), in USD.
 *
 * Linear perpetuals and futures (Deribit "Linear Perpetual" page; ETH from the 11 January 2022
 * margin notice), with q = |units| in underlying units and N = q·mark:
 *
 *   IM = N·(imBase + q·imPerUnit),   MM = N·(mmBase + q·mmPerUnit)
 *
 * Options: Deribit publishes the rule for coin-settled options in fractions of the underlying
 * (BTC per BTC); xmargin's options are USD-linear, so every term is multiplied by the underlying
 * index price S (the adaptation), with mark the option's USD premium per unit:
 *
 *   OTM_call = max(K − S, 0),  OTM_put = max(S − K, 0),  x = max(imBase − OTM/S, imFloor)
 *   short call: IM = x·S + mark,                      MM = mmBase·S + mark
 *   short put:  IM = max(x·S + mark, MM),             MM = max(mmBase·S, mmBase·mark) + mark
 *   long:       IM = MM = mark
 *
 * (coin form: short put MM = max(0.075, 0.075·mark_BTC) + mark_BTC; × S gives the USD form above.)
 * Long options: Deribit charges only the premium, paid up front, and the option's value does not
 * back other positions; since xmargin's equity includes the option's MtM, a requirement equal to
 * the mark neutralises it. The `+ mark` of short options is kept as published ('charged'); with
 * 'netted' it is dropped because xmargin's equity already carries the short at −mark (the reading
 * in which Deribit's margin balance excludes option value). The default follows the published text.
 */
import type { OptionType } from '../../../instruments/instrument-spec.js';

/** Linear rate of one underlying: base fraction plus a fraction per unit of position size. */
export interface DeribitLinearRate {
  /** IM rate at size 0, fraction in [0, 1] (BTC 0.02) */
  readonly imBase: number;
  /** MM rate at size 0, fraction in [0, 1], ≤ imBase (BTC 0.01) */
  readonly mmBase: number;
  /** IM rate added per unit of underlying held, fraction ≥ 0 (BTC 0.00005 = 0.005% per BTC) */
  readonly imPerUnit: number;
  /** MM rate added per unit, fraction ≥ 0, ≤ imPerUnit */
  readonly mmPerUnit: number;
}

/** Standard option rule constants (fractions of the underlying). */
export interface DeribitOptionRule {
  /** short IM before the OTM reduction (0.15) */
  readonly imBase: number;
  /** short IM floor (0.10), ≤ imBase */
  readonly imFloor: number;
  /** short MM (0.075), ≤ imFloor */
  readonly mmBase: number;
}

/** A requirement pair, USD. */
export interface Requirement {
  readonly imUsd: number;
  readonly mmUsd: number;
}

/**
 * Linear perpetual/future requirement (module header).
 * @param units   signed position in underlying units
 * @param markUsd mark price per unit, USD (> 0)
 * @returns       IM ≥ MM ≥ 0, USD; both grow faster than linearly in |units| when perUnit > 0
 * @example linearRequirement(10, 66000, { imBase: 0.02, mmBase: 0.01, imPerUnit: 0.00005, mmPerUnit: 0.00005 })
 *          // IM = 660000·(0.02 + 10·0.00005) = 13530
 */
export function linearRequirement(units: number, markUsd: number, r: DeribitLinearRate): Requirement {
  const q = Math.abs(units);
  const notional = q * markUsd;
  return { imUsd: notional * (r.imBase + q * r.imPerUnit), mmUsd: notional * (r.mmBase + q * r.mmPerUnit) };
}

/** Inputs of the option rule for one position. */
export interface OptionRuleInput {
  readonly optionType: OptionType;
  readonly strike: number;
  /** option premium per unit of underlying, USD (≥ 0) */
  readonly markUsd: number;
  /** underlying index price S, USD (> 0) */
  readonly underlyingUsd: number;
  /** signed position in underlying units (long > 0) */
  readonly units: number;
}

/**
 * Standard option requirement of one position (module header).
 * @param premium 'charged' keeps the published `+ mark` on shorts; 'netted' drops it
 * @returns       IM ≥ MM ≥ 0, USD, for |units|
 * @example optionRequirement({ optionType: 'call', strike: 70000, markUsd: 2000,
 *   underlyingUsd: 66000, units: -1 }, { imBase: 0.15, imFloor: 0.1, mmBase: 0.075 }, 'charged')
 *   // x = max(0.15 − 4000/66000, 0.1) = 0.1; IM = 6600 + 2000 = 8600; MM = 4950 + 2000 = 6950
 */
export function optionRequirement(
  o: OptionRuleInput,
  r: DeribitOptionRule,
  premium: 'charged' | 'netted',
): Requirement {
  const q = Math.abs(o.units);
  if (o.units >= 0) return { imUsd: q * o.markUsd, mmUsd: q * o.markUsd };
  const s = o.underlyingUsd;
  const otm = o.optionType === 'call' ? Math.max(o.strike - s, 0) : Math.max(s - o.strike, 0);
  const x = Math.max(r.imBase - otm / s, r.imFloor);
  let im: number;
  let mm: number;
  if (o.optionType === 'call') {
    im = x * s + o.markUsd;
    mm = r.mmBase * s + o.markUsd;
  } else {
    mm = Math.max(r.mmBase * s, r.mmBase * o.markUsd) + o.markUsd;
    im = Math.max(x * s + o.markUsd, mm);
  }
  // 'netted': equity already carries the short at −mark, so the premium term is not added again.
  const held = premium === 'netted' ? o.markUsd : 0;
  return { imUsd: q * (im - held), mmUsd: q * (mm - held) };
}
