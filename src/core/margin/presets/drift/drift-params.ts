/**
 * Parameters of the `drift` preset: Drift v2 perp-market margin ratios and spot-market weights
 * (ANCHORS §2.3), validated with a strict zod schema and merged over the defaults
 * (merge-params.ts). Each cross-field rule is its own ERR_INVALID_PARAMS naming the field.
 *
 * Units: every weight, ratio and IMF factor is a fraction (Drift stores weights and ratios in
 * 1e-4 and IMF factors in 1e-6: `initial_asset_weight = 8000` is 0.8, `imf_factor = 3000` is 0.003).
 *
 * Sources: spot weights from the Drift docs' cross-collateral table
 * (https://docs.drift.trade/getting-started/cross-collateral-deposits, stored copy cited in
 * ANCHORS §2.3); perp ratios IM 10% / MM 5% as ANCHORS and Drift's test markets
 * (`PerpMarket::default_btc_test`, `margin_ratio_initial: 1000, margin_ratio_maintenance: 500`);
 * the $100 cap on positive P&L for IM is `MAX_POSITIVE_UPNL_FOR_INITIAL_MARGIN`
 * (`programs/drift/src/math/constants.rs`, confirmed by `math/margin/tests.rs`). Values not
 * published in those sources are xmargin assumptions, marked below.
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';
import type { UnrealizedPnlWeights } from './drift-weights.js';

/** One perpetual market (Drift `PerpMarket`). */
export interface DriftPerpMarket extends UnrealizedPnlWeights {
  /** `margin_ratio_initial`: fraction of the liability value, (0, 1]; ≥ maintenance ratio */
  readonly initialMarginRatio: number;
  /** `margin_ratio_maintenance`: fraction, (0, 1] */
  readonly maintenanceMarginRatio: number;
  /** `imf_factor`: size premium on both ratios, ratio' = max(r, 0.8r + imf·√|base|); fraction ≥ 0 */
  readonly imfFactor: number;
}

/** One spot market (Drift `SpotMarket`): how a balance of the asset counts. */
export interface DriftSpotMarket {
  /** `initial_asset_weight`: fraction in [0, 1], ≤ maintenanceAssetWeight */
  readonly initialAssetWeight: number;
  /** `maintenance_asset_weight`: fraction in [0, 1] */
  readonly maintenanceAssetWeight: number;
  /** `initial_liability_weight`: fraction ≥ 1, ≥ maintenanceLiabilityWeight */
  readonly initialLiabilityWeight: number;
  /** `maintenance_liability_weight`: fraction ≥ 1 */
  readonly maintenanceLiabilityWeight: number;
  /** `imf_factor`: size discount on asset weights and premium on liability weights; fraction ≥ 0 */
  readonly imfFactor: number;
}

/** Parameters of the `drift` model. */
export interface DriftParams {
  /** perpetual markets by underlying symbol (SOL → SOL-PERP) */
  readonly perpMarkets: Readonly<Record<string, DriftPerpMarket>>;
  /** any other underlying's perpetual */
  readonly defaultPerpMarket: DriftPerpMarket;
  /** spot markets by asset symbol (collateral balances and spot positions) */
  readonly spotMarkets: Readonly<Record<string, DriftSpotMarket>>;
  /** any other asset */
  readonly defaultSpotMarket: DriftSpotMarket;
  /** cap on one position's weighted positive unrealised P&L counted for IM; USD ≥ 0 (Drift $100) */
  readonly maxPositiveUpnlForInitialUsd: number;
  /**
   * Dated futures, which Drift does not list: 'as-perpetual' margins them as their underlying's
   * perpetual (an xmargin adaptation); 'reject' fails closed. Default 'as-perpetual'.
   */
  readonly datedFutures: 'as-perpetual' | 'reject';
}

// Drift leaves unrealised-P&L weights to each market's config; 100%/100% with no size discount is
// Drift's test configuration (`calculate_user_equity_value_tests`) and an xmargin assumption here.
const UPNL_FULL = {
  unrealizedPnlInitialAssetWeight: 1,
  unrealizedPnlMaintenanceAssetWeight: 1,
  unrealizedPnlImfFactor: 0,
} as const;

// IM 10% / MM 5% (10x): ANCHORS §2.3 and Drift's test markets. The perp IMF factors of the live
// markets are not in the cited sources: 0 here (no perp size premium) is an assumption.
const MAJOR_PERP: DriftPerpMarket = {
  initialMarginRatio: 0.1,
  maintenanceMarginRatio: 0.05,
  imfFactor: 0,
  ...UPNL_FULL,
};

/** Spot weights from the Drift docs table (IAW / MAW / ILW / MLW / IMF). */
const STABLE: DriftSpotMarket = {
  initialAssetWeight: 1,
  maintenanceAssetWeight: 1,
  initialLiabilityWeight: 1,
  maintenanceLiabilityWeight: 1,
  imfFactor: 0,
};
const majorCollateral = (imfFactor: number): DriftSpotMarket => ({
  initialAssetWeight: 0.8,
  maintenanceAssetWeight: 0.9,
  initialLiabilityWeight: 1.2,
  maintenanceLiabilityWeight: 1.1,
  imfFactor,
});

/** Defaults (module header for sources). */
export const DEFAULT_DRIFT_PARAMS: DriftParams = {
  perpMarkets: { SOL: MAJOR_PERP, BTC: MAJOR_PERP, ETH: MAJOR_PERP },
  // Other perps: 20% / 10% (5x), an xmargin assumption for less liquid markets.
  defaultPerpMarket: { initialMarginRatio: 0.2, maintenanceMarginRatio: 0.1, imfFactor: 0, ...UPNL_FULL },
  spotMarkets: {
    // USDC is Drift's quote market (index 0): weights 1, no size effect. USD (xmargin's quote
    // currency, not a Drift market) is treated as USDC: an adaptation.
    USDC: STABLE,
    USD: STABLE,
    SOL: majorCollateral(0.003), // docs: SOL 80/90/120/110, IMF 0.003
    BTC: majorCollateral(0.105), // docs: wBTC (portal) 80/90/120/110, IMF 0.105
    ETH: majorCollateral(0.025), // docs: wETH (portal) 80/90/120/110, IMF 0.025
    USDT: {
      // docs: USDT 90/95/110/105, IMF 0.0004
      initialAssetWeight: 0.9,
      maintenanceAssetWeight: 0.95,
      initialLiabilityWeight: 1.1,
      maintenanceLiabilityWeight: 1.05,
      imfFactor: 0.0004,
    },
  },
  // Any other asset: the docs' majors-alt row (PYTH/JTO/JUP: 50/75/150/125, IMF 0.00055).
  defaultSpotMarket: {
    initialAssetWeight: 0.5,
    maintenanceAssetWeight: 0.75,
    initialLiabilityWeight: 1.5,
    maintenanceLiabilityWeight: 1.25,
    imfFactor: 0.00055,
  },
  maxPositiveUpnlForInitialUsd: 100,
  datedFutures: 'as-perpetual',
};

const fraction = z.number().min(0).max(1);
const imf = z.number().min(0).max(10);

/** Strict schema of a perp market. */
export const DriftPerpMarketSchema = z.strictObject({
  initialMarginRatio: z.number().gt(0).max(1),
  maintenanceMarginRatio: z.number().gt(0).max(1),
  imfFactor: imf,
  unrealizedPnlInitialAssetWeight: fraction,
  unrealizedPnlMaintenanceAssetWeight: fraction,
  unrealizedPnlImfFactor: imf,
});

/** Strict schema of a spot market. */
export const DriftSpotMarketSchema = z.strictObject({
  initialAssetWeight: fraction,
  maintenanceAssetWeight: fraction,
  initialLiabilityWeight: z.number().min(1).max(10),
  maintenanceLiabilityWeight: z.number().min(1).max(10),
  imfFactor: imf,
});

const PartialSchema = z.strictObject({
  perpMarkets: z.record(z.string().min(1), DriftPerpMarketSchema).exactOptional(),
  defaultPerpMarket: DriftPerpMarketSchema.exactOptional(),
  spotMarkets: z.record(z.string().min(1), DriftSpotMarketSchema).exactOptional(),
  defaultSpotMarket: DriftSpotMarketSchema.exactOptional(),
  maxPositiveUpnlForInitialUsd: z.number().min(0).max(1e12).exactOptional(),
  datedFutures: z.enum(['as-perpetual', 'reject']).exactOptional(),
});

type Broken = readonly [string, string] | undefined;

/** IM ≥ MM orderings of one perp market (each its own rule). */
function checkPerp(path: string, m: DriftPerpMarket): Broken {
  if (m.maintenanceMarginRatio > m.initialMarginRatio)
    return [
      `${path}.maintenanceMarginRatio`,
      `must be <= initialMarginRatio (${m.initialMarginRatio}); got ${m.maintenanceMarginRatio}`,
    ];
  if (m.unrealizedPnlInitialAssetWeight > m.unrealizedPnlMaintenanceAssetWeight)
    return [
      `${path}.unrealizedPnlInitialAssetWeight`,
      `must be <= unrealizedPnlMaintenanceAssetWeight (${m.unrealizedPnlMaintenanceAssetWeight}); got ${m.unrealizedPnlInitialAssetWeight}`,
    ];
  return undefined;
}

/** IM ≥ MM orderings of one spot market: IAW ≤ MAW, ILW ≥ MLW. */
function checkSpot(path: string, m: DriftSpotMarket): Broken {
  if (m.initialAssetWeight > m.maintenanceAssetWeight)
    return [
      `${path}.initialAssetWeight`,
      `must be <= maintenanceAssetWeight (${m.maintenanceAssetWeight}); got ${m.initialAssetWeight}`,
    ];
  if (m.maintenanceLiabilityWeight > m.initialLiabilityWeight)
    return [
      `${path}.maintenanceLiabilityWeight`,
      `must be <= initialLiabilityWeight (${m.initialLiabilityWeight}); got ${m.maintenanceLiabilityWeight}`,
    ];
  return undefined;
}

const RULES: readonly ((p: DriftParams) => Broken)[] = [
  (p) =>
    Object.entries(p.perpMarkets)
      .map(([k, m]) => checkPerp(`perpMarkets.${k}`, m))
      .find((x) => x !== undefined),
  (p) => checkPerp('defaultPerpMarket', p.defaultPerpMarket),
  (p) =>
    Object.entries(p.spotMarkets)
      .map(([k, m]) => checkSpot(`spotMarkets.${k}`, m))
      .find((x) => x !== undefined),
  (p) => checkSpot('defaultSpotMarket', p.defaultSpotMarket),
];

/**
 * Validates a partial params document and merges it over `DEFAULT_DRIFT_PARAMS` (top-level keys
 * replace the defaults' whole field).
 * @throws ValidationError ERR_VALIDATION for shape errors; XmarginError ERR_INVALID_PARAMS for a broken rule
 * @example parseDriftParams({ maxPositiveUpnlForInitialUsd: 0 })
 */
export function parseDriftParams(doc: unknown): DriftParams {
  return mergeParams('drift', DEFAULT_DRIFT_PARAMS, PartialSchema, doc, RULES);
}
