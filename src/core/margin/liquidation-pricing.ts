/**
 * @module margin/liquidation-pricing
 *
 * A venue's own pricing of a liquidation, the hook the engine's one liquidation chain
 * (engine/venue/liquidation-chain.ts) calls when a venue sets one: the planner still chooses what
 * to close; the venue's rule says what the closed positions cost the account — the spread to the
 * fill price, the liquidator's fee and the insurance fund's take. Without a hook the planner's own
 * costs apply (docs/methodology/liquidation.md).
 *
 * Units: USD, underlying units (signed: a long is > 0), prices per underlying unit.
 */

/** One position a liquidation closes, as a venue's pricing sees it. */
export interface ClosedPosition {
  readonly instrument: string;
  /** the whole position before the liquidation, signed underlying units */
  readonly positionUnits: number;
  /** the closed part, signed like the position */
  readonly closedUnits: number;
  /** oracle (mark) price per underlying unit, USD */
  readonly oracleUsd: number;
  /**
   * the whole position's maintenance requirement, USD: the engine gives TMMR pro rata to the
   * position's notional (exact when the account's linear positions share one maintenance fraction)
   */
  readonly positionMmrUsd: number;
}

/** The account as the liquidation finds it, and what it closes. */
export interface LiquidationPricingInput {
  /** total net collateral (equity), USD */
  readonly equityUsd: number;
  /** total maintenance requirement, USD */
  readonly maintenanceUsd: number;
  /** Σ |units|·oracle over every linear position of the account, USD */
  readonly notionalUsd: number;
  readonly closed: readonly ClosedPosition[];
}

/** What the closed positions cost the account, USD ≥ 0 each. */
export interface LiquidationCharge {
  /** fill price away from the oracle, to the liquidator */
  readonly spreadUsd: number;
  /** the liquidator's fee */
  readonly liquidatorFeeUsd: number;
  /** the insurance fund's take */
  readonly insuranceUsd: number;
}

/** A venue's liquidation pricing. */
export interface LiquidationPricing {
  /** shown in records and reports, e.g. "dYdX v4 liquidation maths" */
  readonly name: string;
  charge(input: LiquidationPricingInput): LiquidationCharge;
}
