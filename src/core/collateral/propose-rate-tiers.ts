/**
 * Proposed tiered IM/MM rates for linear instruments (perpetuals, futures) from an underlying's
 * volatility and liquidity (docs/methodology/collateral.md#rates).
 */
import { requireInput } from '../errors.js';
import type { RateTier } from '../margin/rate-schedule.js';
import { invNormCdf } from '../statistics/inverse-normal.js';

/** Input of {@link proposeRateTiers}. */
export interface RateProposalInput {
  /** σ_MPOR, vol of the log return over the MPOR (finite, ≥ 0) */
  readonly sigmaMpor: number;
  /** IM confidence α, in [0.5, 1) */
  readonly imConfidence: number;
  /** MM confidence, in [0.5, imConfidence] */
  readonly mmConfidence: number;
  /** half spread, fraction in [0, 1) */
  readonly halfSpread: number;
  /** sqrt impact coefficient k, ≥ 0 */
  readonly impactCoefficient: number;
  /** average daily volume, USD (> 0) */
  readonly advUsd: number;
  /** upper bounds of the bounded brackets, USD, strictly increasing (> 0); one more unbounded tier follows */
  readonly bracketsUsd: readonly number[];
}

/** Rounds a rate up to 1 bp: a requirement must not be understated. */
export function roundRateUp(x: number): number {
  // The 1e-9 guard keeps an exact 0.0200 (stored as 0.0200000000001) from rising to 0.0201.
  return Math.min(1, Math.ceil(x * 1e4 - 1e-9) / 1e4);
}

/**
 * Tiered rates: the MPOR move at each confidence plus the sqrt-impact cost of closing the
 * bracket's size.
 *
 *   move_α   = exp(z_α·σ_MPOR) − 1            (the short's loss; ≥ the long's 1 − e^(−zσ))
 *   cost(N)  = halfSpread + k·√(N / ADV)
 *   N_k      = upToUsd_k for a bounded bracket; max(2·last bound, ADV) for the unbounded one
 *   imRate_k = min(1, move_IM + cost(N_k)),  mmRate_k = min(imRate_k, move_MM + cost(N_k))
 *
 * every rate rounded up to 1 bp. Non-decreasing with size (N_k increases), MM ≤ IM, so the
 * schedule passes `checkRateSchedule`.
 *
 * @param input  σ_MPOR, confidences, liquidity assumption, bracket bounds (USD)
 * @returns      `RateTier[]` with bracketsUsd.length + 1 tiers, the last unbounded
 * @throws InvalidInputError ERR_INVALID_INPUT on a bad σ, confidence, ADV or bracket list
 * @see docs/methodology/collateral.md#rates
 * @example proposeRateTiers({ sigmaMpor: 0.03, imConfidence: 0.99, mmConfidence: 0.975,
 *   halfSpread: 0.0002, impactCoefficient: 0.1, advUsd: 1.5e10, bracketsUsd: [1e6] })
 */
export function proposeRateTiers(input: RateProposalInput): RateTier[] {
  const { sigmaMpor, imConfidence, mmConfidence, halfSpread, impactCoefficient, advUsd, bracketsUsd } = input;
  requireInput(
    Number.isFinite(sigmaMpor) && sigmaMpor >= 0,
    'sigmaMpor',
    sigmaMpor,
    'must be finite and >= 0',
  );
  requireInput(imConfidence >= 0.5 && imConfidence < 1, 'imConfidence', imConfidence, 'must be in [0.5, 1)');
  requireInput(
    mmConfidence >= 0.5 && mmConfidence <= imConfidence,
    'mmConfidence',
    mmConfidence,
    `must be in [0.5, ${imConfidence}]`,
  );
  requireInput(Number.isFinite(advUsd) && advUsd > 0, 'advUsd', advUsd, 'must be finite and > 0');
  requireInput(bracketsUsd.length >= 1, 'bracketsUsd', bracketsUsd, 'must list at least one bound');
  bracketsUsd.forEach((b, i) =>
    requireInput(
      Number.isFinite(b) && b > 0 && (i === 0 || b > bracketsUsd[i - 1]!),
      `bracketsUsd[${i}]`,
      b,
      'must be finite, > 0 and above the previous bound',
    ),
  );
  const moveIm = Math.expm1(invNormCdf(imConfidence) * sigmaMpor);
  const moveMm = Math.expm1(invNormCdf(mmConfidence) * sigmaMpor);
  const cost = (n: number) => halfSpread + impactCoefficient * Math.sqrt(n / advUsd);
  const last = bracketsUsd[bracketsUsd.length - 1]!;
  const sizes = [...bracketsUsd, Math.max(2 * last, advUsd)];
  return sizes.map((n, k) => {
    const imRate = roundRateUp(moveIm + cost(n));
    const mmRate = Math.min(imRate, roundRateUp(moveMm + cost(n)));
    return { upToUsd: k < bracketsUsd.length ? n : null, imRate, mmRate };
  });
}
