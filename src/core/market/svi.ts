/**
 * Raw SVI (stochastic volatility inspired) parameterisation of one expiry's total implied variance.
 *
 *   w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²)),   k = ln(K/F)
 *
 * w is total variance (σ_imp²·t), dimensionless; k is log-moneyness against the forward to the
 * same expiry. Reference: Gatheral (2004), "A parsimonious arbitrage-free implied volatility
 * parameterization", Global Derivatives; Gatheral & Jacquier (2014), Quantitative Finance 14(1).
 */
import { ensureFinite, requireInput } from '../errors.js';

/** Raw SVI parameters of one expiry slice. */
export interface SviParams {
  /** vertical level of total variance (dimensionless, may be negative as long as min w ≥ 0) */
  readonly a: number;
  /** slope of the wings (dimensionless, ≥ 0) */
  readonly b: number;
  /** rotation / skew, −1 < ρ < 1 (negative = put skew) */
  readonly rho: number;
  /** horizontal shift in log-moneyness (dimensionless) */
  readonly m: number;
  /** smoothness of the vertex in log-moneyness (> 0) */
  readonly sigma: number;
}

/**
 * Validates raw SVI parameters; every rule has its own message naming the field.
 *
 * Rules (Gatheral 2004): all finite; b ≥ 0; |ρ| < 1; σ > 0; and the minimum of w,
 * a + b·σ·√(1 − ρ²) (reached at k = m − ρσ/√(1 − ρ²)), is ≥ 0 so that w(k) ≥ 0 for every k.
 * Butterfly and calendar no-arbitrage are NOT checked (they need the whole surface).
 *
 * @param p      the parameters
 * @param field  path of the slice in the caller's input, for messages (e.g. "volSurfaces[0].slices[2]")
 * @throws InvalidInputError ERR_INVALID_INPUT naming `<field>.<param>` and the broken rule
 */
export function validateSviParams(p: SviParams, field: string): void {
  requireInput(Number.isFinite(p.a), `${field}.a`, p.a, 'must be finite');
  requireInput(Number.isFinite(p.b) && p.b >= 0, `${field}.b`, p.b, 'must be finite and >= 0');
  requireInput(
    Number.isFinite(p.rho) && Math.abs(p.rho) < 1,
    `${field}.rho`,
    p.rho,
    'must satisfy |rho| < 1',
  );
  requireInput(Number.isFinite(p.m), `${field}.m`, p.m, 'must be finite');
  requireInput(Number.isFinite(p.sigma) && p.sigma > 0, `${field}.sigma`, p.sigma, 'must be finite and > 0');
  const minW = sviMinTotalVariance(p);
  requireInput(
    minW >= 0,
    `${field}.a`,
    p.a,
    `must satisfy a + b·sigma·sqrt(1 - rho²) >= 0 (min w = ${minW})`,
  );
}

/**
 * Minimum of the raw SVI total variance over all k: a + b·σ·√(1 − ρ²).
 * @param p  SVI parameters (validated or not)
 * @returns  min_k w(k), dimensionless
 */
export function sviMinTotalVariance(p: SviParams): number {
  return p.a + p.b * p.sigma * Math.sqrt(1 - p.rho * p.rho);
}

/**
 * Raw SVI total implied variance at log-moneyness k.
 *
 *   w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²))
 *
 * At k = m, w = a + b·σ. For ρ = 0 the smile is symmetric around m. Far wings are linear in k
 * with slopes b·(ρ ± 1) (Lee's moment bound requires b·(1 + |ρ|) ≤ 2 for t ≤ 1, not enforced here).
 *
 * @param p  validated SVI parameters (see `validateSviParams`)
 * @param k  log-moneyness ln(K/F), dimensionless
 * @returns  total variance w = σ_imp²·t (dimensionless, ≥ 0 for valid parameters; tiny negative
 *           rounding is clamped to 0)
 * @throws XmarginError ERR_NUMERIC if the result is not finite
 * @see Gatheral (2004); docs/methodology/market-data.md#svi
 * @example sviTotalVariance({ a: 0.04, b: 0.4, rho: -0.4, m: 0, sigma: 0.1 }, 0) // 0.04 + 0.4·0.1 = 0.08
 */
export function sviTotalVariance(p: SviParams, k: number): number {
  const x = k - p.m;
  // hypot avoids overflow of x² for absurd k; for ordinary k it equals √(x² + σ²).
  const w = p.a + p.b * (p.rho * x + Math.hypot(x, p.sigma));
  // Valid parameters give w ≥ a + bσ√(1−ρ²) ≥ 0; a negative value here is float rounding only.
  return ensureFinite(Math.max(0, w), 'SVI total variance', { ...p, k });
}
