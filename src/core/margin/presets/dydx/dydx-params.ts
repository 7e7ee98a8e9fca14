/**
 * Parameters of the `dydx` preset: dYdX v4 liquidity tiers (ANCHORS §2.5), validated with a strict
 * zod schema and merged over the defaults (merge-params.ts). Each cross-field rule is its own
 * ERR_INVALID_PARAMS naming the field.
 *
 * Units: fractions in [0, 1] (0.02 = 2%); open-interest caps in USD notional (dYdX stores them in
 * quote quantums, 1e-6 USDC: 20_000_000_000_000 quantums = $20M).
 *
 * Sources of the defaults: `dydxprotocol/v4-chain: protocol/testing/genesis.sh` (liquidity tiers
 * of the shared genesis, branch main, as cited in ANCHORS §2.5); the underlying → tier map is an
 * xmargin choice (dYdX assigns a tier per perpetual by governance).
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';

/** One dYdX liquidity tier (`protocol/x/perpetuals/types/liquidity_tier.go`). */
export interface DydxLiquidityTier {
  /**
   * Base initial margin fraction (dYdX `initial_margin_ppm` / 1e6). Fraction, range [0, 1].
   * IMR = notional × IMF (scaled up by open interest, see initial-margin-fraction.ts).
   */
  readonly initialMarginFraction: number;
  /**
   * Maintenance fraction of the base IMF (dYdX `maintenance_fraction_ppm` / 1e6). Fraction,
   * range [0, 1]. MMR = notional × base IMF × maintenanceFraction (never OI-scaled).
   */
  readonly maintenanceFraction: number;
  /** OI below or at which the IMF is not scaled (`open_interest_lower_cap`). USD, ≥ 0. */
  readonly openInterestLowerCapUsd: number;
  /** OI at or above which the IMF is 1 (`open_interest_upper_cap`); 0 disables scaling. USD, ≥ 0. */
  readonly openInterestUpperCapUsd: number;
}

/** Parameters of the `dydx` model. */
export interface DydxParams {
  /** liquidity tiers by name */
  readonly tiers: Readonly<Record<string, DydxLiquidityTier>>;
  /** tier name per underlying symbol (e.g. BTC → Large-Cap); each name must exist in `tiers` */
  readonly underlyingTiers: Readonly<Record<string, string>>;
  /** tier of any underlying not in `underlyingTiers`; must exist in `tiers` */
  readonly defaultTier: string;
  /**
   * Assets that count as collateral (dYdX v4 holds USDC only). A positive balance of any other
   * asset counts 0; a negative balance of any asset counts at full value (a liability is never
   * ignored). Default ['USDC'].
   */
  readonly collateralAssets: readonly string[];
  /**
   * Dated futures, which dYdX does not list: 'as-perpetual' margins them with the perpetual rule
   * of their underlying's tier (an xmargin adaptation); 'reject' fails closed. Default 'as-perpetual'.
   */
  readonly datedFutures: 'as-perpetual' | 'reject';
}

/** Genesis tiers (`protocol/testing/genesis.sh`; caps in the script are quote quantums). */
export const DYDX_GENESIS_TIERS: Readonly<Record<string, DydxLiquidityTier>> = {
  // 20_000 ppm = 2%, MF 600_000 ppm = 60% (MM 1.2%); OIMF does not apply to Large-Cap (caps 0).
  'Large-Cap': {
    initialMarginFraction: 0.02,
    maintenanceFraction: 0.6,
    openInterestLowerCapUsd: 0,
    openInterestUpperCapUsd: 0,
  },
  // 100_000 ppm = 10%, MF 50%, caps 20 million – 50 million USDC.
  'Small-Cap': {
    initialMarginFraction: 0.1,
    maintenanceFraction: 0.5,
    openInterestLowerCapUsd: 20_000_000,
    openInterestUpperCapUsd: 50_000_000,
  },
  // 200_000 ppm = 20%, MF 50%, caps 5 million – 10 million USDC.
  'Long-Tail': {
    initialMarginFraction: 0.2,
    maintenanceFraction: 0.5,
    openInterestLowerCapUsd: 5_000_000,
    openInterestUpperCapUsd: 10_000_000,
  },
  // 1_000_000 ppm = 100%, MF 20%, caps 2 million – 5 million USDC.
  Safety: {
    initialMarginFraction: 1,
    maintenanceFraction: 0.2,
    openInterestLowerCapUsd: 2_000_000,
    openInterestUpperCapUsd: 5_000_000,
  },
  // 50_000 ppm = 5%, MF 60%, caps 500k – 1 million USDC.
  Isolated: {
    initialMarginFraction: 0.05,
    maintenanceFraction: 0.6,
    openInterestLowerCapUsd: 500_000,
    openInterestUpperCapUsd: 1_000_000,
  },
  // 50_000 ppm = 5%, MF 60%, caps 40 million – 100 million USDC.
  'Mid-Cap': {
    initialMarginFraction: 0.05,
    maintenanceFraction: 0.6,
    openInterestLowerCapUsd: 40_000_000,
    openInterestUpperCapUsd: 100_000_000,
  },
  // 10_000 ppm = 1%, MF 50%, caps 500k – 1 million USDC.
  FX: {
    initialMarginFraction: 0.01,
    maintenanceFraction: 0.5,
    openInterestLowerCapUsd: 500_000,
    openInterestUpperCapUsd: 1_000_000,
  },
};

/**
 * Defaults: genesis tiers; BTC and ETH Large-Cap (as in genesis.sh), SOL Mid-Cap (xmargin choice:
 * the local genesis puts SOL-USD in Small-Cap; mainnet assignments are set by governance), any
 * other underlying Long-Tail; USDC the only collateral.
 */
export const DEFAULT_DYDX_PARAMS: DydxParams = {
  tiers: DYDX_GENESIS_TIERS,
  underlyingTiers: { BTC: 'Large-Cap', ETH: 'Large-Cap', SOL: 'Mid-Cap' },
  defaultTier: 'Long-Tail',
  collateralAssets: ['USDC'],
  datedFutures: 'as-perpetual',
};

const fraction = z.number().min(0).max(1);
const usd = z.number().min(0).max(1e15);

/** Strict schema of one tier. */
export const DydxLiquidityTierSchema = z.strictObject({
  initialMarginFraction: fraction,
  maintenanceFraction: fraction,
  openInterestLowerCapUsd: usd,
  openInterestUpperCapUsd: usd,
});

const PartialSchema = z.strictObject({
  tiers: z.record(z.string().min(1), DydxLiquidityTierSchema).exactOptional(),
  underlyingTiers: z.record(z.string().min(1), z.string().min(1)).exactOptional(),
  defaultTier: z.string().min(1).exactOptional(),
  collateralAssets: z.array(z.string().min(1)).exactOptional(),
  datedFutures: z.enum(['as-perpetual', 'reject']).exactOptional(),
});

type Rule = (p: DydxParams) => readonly [string, string] | undefined;

/** Cross-field rules, one field each (dYdX `LiquidityTier.Validate`: lower cap ≤ upper cap). */
const RULES: readonly Rule[] = [
  (p) => {
    const bad = Object.entries(p.tiers).find(
      ([, t]) => t.openInterestLowerCapUsd > t.openInterestUpperCapUsd,
    );
    return bad === undefined
      ? undefined
      : [
          `tiers.${bad[0]}.openInterestLowerCapUsd`,
          `must be <= openInterestUpperCapUsd (${bad[1].openInterestUpperCapUsd}); got ${bad[1].openInterestLowerCapUsd}`,
        ];
  },
  (p) => {
    const bad = Object.entries(p.underlyingTiers).find(([, name]) => p.tiers[name] === undefined);
    return bad === undefined ? undefined : [`underlyingTiers.${bad[0]}`, `names unknown tier "${bad[1]}"`];
  },
  (p) =>
    p.tiers[p.defaultTier] === undefined
      ? ['defaultTier', `names unknown tier "${p.defaultTier}"`]
      : undefined,
];

/**
 * Validates a partial params document and merges it over `DEFAULT_DYDX_PARAMS` (top-level keys
 * replace the defaults' whole field).
 * @throws ValidationError ERR_VALIDATION for shape errors; XmarginError ERR_INVALID_PARAMS for a broken rule
 * @example parseDydxParams({ underlyingTiers: { SOL: 'Small-Cap' } })
 */
export function parseDydxParams(doc: unknown): DydxParams {
  return mergeParams('dydx', DEFAULT_DYDX_PARAMS, PartialSchema, doc, RULES);
}
