/**
 * Parameters of the `aave-v3` preset, validated with a strict zod schema and merged over the
 * defaults (merge-params.ts). Fractions: 0.83 = 83% (Aave stores 8300 bps); the liquidation bonus
 * is the premium over 1 (Aave's 10500 = 1.05 → 0.05).
 *
 * Sources of the defaults: Aave v3 Ethereum market reserve configuration as shown on the Aave app's
 * reserve pages (WETH LTV 80.5% / LT 83% / bonus 5%; WBTC 73% / 78% / 5%; USDC 75% / 78% / 4.5%;
 * USDT 75% / 78% / 4.5%; DAI 63% / 77% / 5%); an importer passes the venue's own values from the
 * reserves payload. Close factor: `LiquidationLogic.sol` (aave-dao/aave-v3-origin, v3.3):
 * DEFAULT_LIQUIDATION_CLOSE_FACTOR 0.5, CLOSE_FACTOR_HF_THRESHOLD 0.95,
 * MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD $2,000.
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';

/** Risk parameters of one reserve. */
export interface AaveReserve {
  /** loan-to-value, fraction (borrowing power) */
  readonly ltv: number;
  /** liquidation threshold, fraction ≥ ltv */
  readonly liquidationThreshold: number;
  /** liquidation bonus over 1, fraction (0.05: the liquidator receives 105% of the debt repaid) */
  readonly liquidationBonus: number;
  /** share of the bonus to the protocol treasury, fraction */
  readonly liquidationProtocolFee: number;
}

/** Parameters of the `aave-v3` model. */
export interface AaveParams {
  readonly reserves: Readonly<Record<string, AaveReserve>>;
  /** assets the user supplies but does not use as collateral (usageAsCollateralEnabled = false) */
  readonly collateralDisabled: readonly string[];
  readonly closeFactor: {
    /** fraction of the debt one liquidation may repay (0.5) */
    readonly default: number;
    /** health factor at or below which the whole debt may be repaid (0.95) */
    readonly fullBelowHealthFactor: number;
    /** collateral or debt below this many USD allows a full liquidation (2000) */
    readonly fullBelowUsd: number;
  };
}

/** Defaults (module header for sources). */
export const DEFAULT_AAVE_PARAMS: AaveParams = {
  reserves: {
    ETH: { ltv: 0.805, liquidationThreshold: 0.83, liquidationBonus: 0.05, liquidationProtocolFee: 0.1 },
    BTC: { ltv: 0.73, liquidationThreshold: 0.78, liquidationBonus: 0.05, liquidationProtocolFee: 0.1 },
    USDC: { ltv: 0.75, liquidationThreshold: 0.78, liquidationBonus: 0.045, liquidationProtocolFee: 0.1 },
    USDT: { ltv: 0.75, liquidationThreshold: 0.78, liquidationBonus: 0.045, liquidationProtocolFee: 0.1 },
    DAI: { ltv: 0.63, liquidationThreshold: 0.77, liquidationBonus: 0.05, liquidationProtocolFee: 0.1 },
  },
  collateralDisabled: [],
  closeFactor: { default: 0.5, fullBelowHealthFactor: 0.95, fullBelowUsd: 2000 },
};

const fraction = z.number().min(0).max(1);
const ReserveSchema = z
  .strictObject({
    ltv: fraction,
    liquidationThreshold: fraction,
    liquidationBonus: fraction,
    liquidationProtocolFee: fraction,
  })
  .refine((r) => r.liquidationThreshold >= r.ltv, {
    path: ['liquidationThreshold'],
    message: 'must be >= ltv',
  });

const PartialSchema = z.strictObject({
  reserves: z.record(z.string().min(1), ReserveSchema).exactOptional(),
  collateralDisabled: z.array(z.string().min(1)).exactOptional(),
  closeFactor: z
    .strictObject({
      default: fraction,
      fullBelowHealthFactor: z.number().min(0).max(10),
      fullBelowUsd: z.number().min(0),
    })
    .exactOptional(),
});

/**
 * Validates a partial params document and merges it over the defaults.
 * @throws ValidationError ERR_VALIDATION naming the field (e.g. `reserves.ETH.liquidationThreshold`)
 */
export function parseAaveParams(doc: unknown): AaveParams {
  return mergeParams('aave-v3', DEFAULT_AAVE_PARAMS, PartialSchema, doc);
}
