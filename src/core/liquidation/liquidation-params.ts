/**
 * Parameters of the liquidation planner (docs/methodology/liquidation.md).
 *
 * Units: `...Usd` in quote currency; fractions as plain fractions (0.01 = 1%).
 */

/** What the planner restores the account to: MM × (1 + buffer) (Drift) or IM. */
export type LiquidationTarget = 'maintenanceBuffer' | 'initial';

/** Planner parameters. */
export interface LiquidationParams {
  readonly target: LiquidationTarget;
  /** buffer over MM for the 'maintenanceBuffer' target, fraction (0.02 = Drift's 2%) */
  readonly buffer: number;
  /** liquidator fee, fraction of liquidated notional, paid by the account (0.005 = 0.5%) */
  readonly liquidatorFee: number;
  /** share of the liquidator fee that goes to the insurance fund, fraction in [0, 1] */
  readonly insuranceFundShare: number;
  /** fixed cost per transaction (gas), USD, ≥ 0 */
  readonly gasUsd: number;
  /** a position whose remainder would be below this notional is closed fully, USD */
  readonly dustUsd: number;
  /** square-root default when no depth curve exists: half spread, fraction */
  readonly defaultHalfSpread: number;
  /** square-root default: impact coefficient k (dimensionless) */
  readonly defaultImpact: number;
  /** square-root default: average daily volume per asset, USD */
  readonly advUsd: Readonly<Record<string, number>>;
  /** average daily volume of any other asset (and of options), USD */
  readonly defaultAdvUsd: number;
  /** assets treated as stablecoins (cash; never sold by the planner) */
  readonly stableAssets: readonly string[];
  /** asset receiving proceeds when no stable liability exists (must be in the market's assets) */
  readonly settlementAsset: string;
}

/**
 * Defaults: Drift's 2% buffer over MM (ANCHORS §2.3), a 0.5% liquidator fee (kept below the
 * smallest MM rate of the `cross` brackets, 1%, so that a close always improves health before
 * slippage) of which half goes to the insurance fund, $1 gas, $50 dust (Drift's full-close
 * threshold, ANCHORS §2.3), 5 bps half spread and k = 0.5 on a $1bn ADV (any asset) when the
 * market has no depth curve.
 */
export const DEFAULT_LIQUIDATION_PARAMS: LiquidationParams = {
  target: 'maintenanceBuffer',
  buffer: 0.02,
  liquidatorFee: 0.005,
  insuranceFundShare: 0.5,
  gasUsd: 1,
  dustUsd: 50,
  defaultHalfSpread: 0.0005,
  defaultImpact: 0.5,
  advUsd: { BTC: 20e9, ETH: 10e9, SOL: 2e9 },
  defaultAdvUsd: 1e9,
  stableAssets: ['USD', 'USDC', 'USDT', 'DAI'],
  settlementAsset: 'USDC',
};

/** Planner options (iteration bounds). */
export interface LiquidationOptions {
  /** maximum greedy steps (default 64) */
  readonly maxSteps?: number;
  /** bisection iterations on a fraction (default 40: precision 2^-40) */
  readonly bisectionIterations?: number;
  /**
   * the account's chosen order for selling non-stable collateral (first sold first); the greedy
   * plan then sells in that order instead of the cheapest first. Default: cheapest first.
   */
  readonly collateralOrder?: readonly string[];
}
