/**
 * Parameters of the `derive-pm2` model: Derive's PMRM_2 settings (`IPMRMLib_2.sol` structs and
 * the `PMRM_2` scenario list), renamed to camelCase, plus the two choices xmargin has to make
 * to map its market onto Derive's feeds (`cashAsset`, `settlementWindowSeconds`).
 *
 * Every ratio is a plain fraction (0.03 = 3%). Ranges follow the bounds Derive's setters enforce
 * (`PMRMLib_2.set*Params`, `PMRM_2.setScenarios`), tightened where xmargin's invariants need it
 * (imFactor ≥ mmFactor so that IM ≥ MM; haircuts IM + MM ≤ 1).
 *
 * Defaults: Derive mainnet as surveyed in the project's anchor survey (§2.2, Derive), from derivexyz/v2-core@7736900d scripts/config-mainnet.sol
 * (derivexyz/v2-core@7736900d: scripts/config-mainnet.sol getDefaultPM2Scenarios(),
 * getPMRM2Params()); docs/methodology/presets-derive.md lists each value with its source and
 * the values that could not be checked against the script itself.
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';

/** How a scenario moves implied vols: Derive's `VolShockDirection`. */
export type Pm2VolShock = 'none' | 'up' | 'down' | 'linear' | 'abs';

/** One PMRM_2 scenario. */
export interface Pm2Scenario {
  /** spot multiplier S (1.045 = +4.5%), > 0; forwards move as F' = F_var·S + F_fixed */
  readonly spotShock: number;
  /** vol move: term-scaled up/down, none, or a skew rotation (linear/abs, only at S = 1) */
  readonly volShock: Pm2VolShock;
  /** weight of the scenario's P&L, e.g. 0.1386/|S − 1| for tail moves; in [0, 10] */
  readonly dampening: number;
}

/** Collateral treatment of one asset (Derive `CollateralParameters`). */
export interface Pm2CollateralParams {
  /** fraction of the value charged to MM (and hence IM), in [0, 1] */
  readonly mmHaircut: number;
  /** extra fraction of the value charged to IM only, in [0, 1]; mmHaircut + imHaircut ≤ 1 */
  readonly imHaircut: number;
  /** true: the asset moves with its currency's spot in every scenario (value·(S − 1)·d) */
  readonly riskCancelling: boolean;
  /** currency whose PMRM_2 book holds the asset (e.g. 'ETH' for weETH); default: the asset itself */
  readonly currency?: string;
}

/** All parameters of `derive-pm2`. */
export interface DerivePm2Params {
  /** the scenario grid, 1..40 entries, at most one 'linear' and one 'abs' (both with S = 1) */
  readonly scenarios: readonly Pm2Scenario[];
  readonly volShock: {
    /** relative vol rise at 30 DTE (0.5 = +50%), [0, 10] */
    readonly volRangeUp: number;
    /** relative vol fall at 30 DTE (0.3 = −30%), [0, 10]; shocked vol floored at 0 */
    readonly volRangeDown: number;
    /** exponent of (30d/DTE) for DTE ≤ 30 days, [0, 10] */
    readonly shortTermPower: number;
    /** exponent of (30d/DTE) for DTE > 30 days, [0, 10] */
    readonly longTermPower: number;
    /** DTE floor of the multiplier, days, [0, 400] */
    readonly dteFloorDays: number;
    /** floor of an up-shocked vol (0.4 = 40%), [0, 20] */
    readonly minVolUpShock: number;
  };
  readonly margin: {
    /** IM multiplier of the worst loss, [0.5, 10], ≥ mmFactor */
    readonly imFactor: number;
    /** MM multiplier of the worst loss, [0.5, 10] */
    readonly mmFactor: number;
    /** rate multiplier inside the short (negative-value) static discount, [0, 10] */
    readonly shortRateMultScale: number;
    /** rate multiplier inside the long (positive-value) static discount, [0, 10] */
    readonly longRateMultScale: number;
    /** rate add-on (per year) inside the short static discount, [0, 10] */
    readonly shortRateAddScale: number;
    /** rate add-on (per year) inside the long static discount, [0, 10] */
    readonly longRateAddScale: number;
    /** base factor of negative shocked expiry values (≥ 1 is conservative), [0, 4] */
    readonly shortBaseStaticDiscount: number;
    /** base factor of positive shocked expiry values (≤ 1 is conservative), [0, 4] */
    readonly longBaseStaticDiscount: number;
  };
  readonly basisContingency: {
    /** spot multiplier of the up basis scenario, (1, 3) */
    readonly scenarioSpotUp: number;
    /** spot multiplier of the down basis scenario, (0, 1) */
    readonly scenarioSpotDown: number;
    /** constant part of the per-expiry factor (add + mult·τ), [0, 20] */
    readonly addFactor: number;
    /** per-year part of the per-expiry factor, [0, 20] */
    readonly multFactor: number;
  };
  readonly otherContingency: {
    /** stable price below which IM's loss factor grows, [0, 100] */
    readonly pegLossThreshold: number;
    /** IM loss factor added per unit of depeg (threshold − stable price), [0, 10] */
    readonly pegLossFactor: number;
    /** oracle confidence below which IM adds (1 − conf)·confMargin·notional, [0, 1] */
    readonly confThreshold: number;
    /** scale of the oracle-confidence contingency, [0, 20] */
    readonly confMargin: number;
    /** MM charge per unit of perp notional (|units|·spot), [0, 3] */
    readonly mmPerpPercent: number;
    /** extra IM charge per unit of perp notional, [0, 3] */
    readonly imPerpPercent: number;
    /** MM charge per naked short option contract, as a fraction of spot, [0, 2] */
    readonly mmOptionPercent: number;
    /** extra IM charge per naked short option contract, as a fraction of spot, [0, 2] */
    readonly imOptionPercent: number;
  };
  readonly skewShock: {
    /** cap of the linear skew multiplier at τ = 0, [0, 10] */
    readonly linearBaseCap: number;
    /** cap of the abs skew multiplier at τ = 0, [0, 10] */
    readonly absBaseCap: number;
    /** slope of the linear cap in √τ (cap = cBase·√τ + baseCap), [−10, 10] */
    readonly linearCBase: number;
    /** slope of the abs cap in √τ, [−10, 10] */
    readonly absCBase: number;
    /** floor of k* (log-moneyness where the skew multiplier saturates), [0, 10] */
    readonly minKStar: number;
    /** k* = √τ·widthScale·(volParamStatic + √τ·volParamScale), [0, 10] */
    readonly widthScale: number;
    /** see widthScale, [0, 10] */
    readonly volParamStatic: number;
    /** see widthScale, [−20, 20] */
    readonly volParamScale: number;
  };
  /** accepted collateral by asset symbol; an unlisted non-cash asset is refused (fail closed) */
  readonly collateral: Readonly<Record<string, Pm2CollateralParams>>;
  /** Derive's cash asset: counted at face value; its index price is the stable price of the depeg rule */
  readonly cashAsset: string;
  /** settlement TWAP window, seconds [0, 86400]: inside it the forward is part fixed (Derive's forward portions) */
  readonly settlementWindowSeconds: number;
}

// Tail moves, vol up, dampening d = 0.1386/|S − 1| (ANCHORS §2.2): a tail charges ≈ 13.86% of
// its loss per 100% move. [S, d] pairs as published.
const TAILS: readonly (readonly [number, number])[] = [
  [0.34, 0.21],
  [0.67, 0.42],
  [1.5, 0.2772],
  [2, 0.1386],
  [3, 0.0693],
  [4, 0.0462],
  [5, 0.03465],
  [6, 0.02772],
];

/** 23 core + 8 tail + 2 skew scenarios (ANCHORS §2.2, Derive docs "Portfolio Margin Parameters"). */
const MAINNET_SCENARIOS: Pm2Scenario[] = [
  { spotShock: 1.18, volShock: 'up', dampening: 1 },
  ...[1.135, 1.09, 1.045, 1, 0.955, 0.91, 0.865].flatMap((spotShock) =>
    (['up', 'none', 'down'] as const).map((volShock) => ({ spotShock, volShock, dampening: 1 })),
  ),
  { spotShock: 0.82, volShock: 'up', dampening: 1 },
  ...TAILS.map(([spotShock, dampening]) => ({ spotShock, volShock: 'up' as const, dampening })),
  { spotShock: 1, volShock: 'linear', dampening: 1 },
  { spotShock: 1, volShock: 'abs', dampening: 1 },
];

/** Default parameters (sources and caveats: docs/methodology/presets-derive.md#pm2-defaults). */
export const DEFAULT_DERIVE_PM2_PARAMS: DerivePm2Params = {
  scenarios: MAINNET_SCENARIOS,
  volShock: {
    volRangeUp: 0.5,
    volRangeDown: 0.3,
    shortTermPower: 0.3,
    longTermPower: 0.13,
    dteFloorDays: 1,
    minVolUpShock: 0.4,
  },
  margin: {
    imFactor: 1,
    mmFactor: 0.8,
    shortRateMultScale: 0,
    longRateMultScale: 0,
    shortRateAddScale: 0.16,
    longRateAddScale: 0.16,
    shortBaseStaticDiscount: 1.05,
    longBaseStaticDiscount: 0.95,
  },
  basisContingency: { scenarioSpotUp: 1.045, scenarioSpotDown: 0.955, addFactor: 0.5, multFactor: 2 },
  otherContingency: {
    pegLossThreshold: 0.99,
    pegLossFactor: 4,
    confThreshold: 0.55,
    confMargin: 1,
    mmPerpPercent: 0.03,
    imPerpPercent: 0.01,
    mmOptionPercent: 0.003,
    imOptionPercent: 0.002,
  },
  skewShock: {
    linearBaseCap: 0.25,
    absBaseCap: 0.25,
    linearCBase: -0.1,
    absCBase: -0.1,
    minKStar: 0.01,
    widthScale: 4,
    volParamStatic: 0.6,
    volParamScale: 0,
  },
  // Haircuts of Derive's published PMRM_2 test corpus (portfolio_cases test_2, test_6, test_85,
  // test_101): the mainnet per-asset values are not in the surveyed script. Base assets and their
  // liquid staking tokens are risk cancelling in their currency's book.
  collateral: {
    ETH: { mmHaircut: 0.015, imHaircut: 0.005, riskCancelling: true },
    BTC: { mmHaircut: 0.02, imHaircut: 0.01, riskCancelling: true },
    WEETH: { mmHaircut: 0.05, imHaircut: 0.01, riskCancelling: true, currency: 'ETH' },
    RSWETH: { mmHaircut: 0.03, imHaircut: 0.01, riskCancelling: true, currency: 'ETH' },
    LBTC: { mmHaircut: 0.03, imHaircut: 0.015, riskCancelling: true, currency: 'BTC' },
    CBBTC: { mmHaircut: 0.04, imHaircut: 0.015, riskCancelling: true, currency: 'BTC' },
    USDT: { mmHaircut: 0.02, imHaircut: 0.03, riskCancelling: false },
    DAI: { mmHaircut: 0.08, imHaircut: 0.02, riskCancelling: false },
    SDAI: { mmHaircut: 0.12, imHaircut: 0.03, riskCancelling: false },
    USDE: { mmHaircut: 0.2, imHaircut: 0.05, riskCancelling: false },
  },
  cashAsset: 'USDC',
  settlementWindowSeconds: 1800,
};

const ratio = (max: number) => z.number().min(0).max(max);
const ScenarioSchema = z.strictObject({
  spotShock: z.number().positive().max(100),
  volShock: z.enum(['none', 'up', 'down', 'linear', 'abs']),
  dampening: ratio(10),
});
const CollateralSchema = z.strictObject({
  mmHaircut: ratio(1),
  imHaircut: ratio(1),
  riskCancelling: z.boolean(),
  currency: z.string().min(1).exactOptional(),
});

/** Strict schema of a `derive-pm2` params document: any subset of the top-level fields. */
export const DerivePm2ParamsSchema = z.strictObject({
  scenarios: z.array(ScenarioSchema).min(1).max(40).exactOptional(),
  volShock: z
    .strictObject({
      volRangeUp: ratio(10),
      volRangeDown: ratio(10),
      shortTermPower: ratio(10),
      longTermPower: ratio(10),
      dteFloorDays: ratio(400),
      minVolUpShock: ratio(20),
    })
    .exactOptional(),
  margin: z
    .strictObject({
      imFactor: z.number().min(0.5).max(10),
      mmFactor: z.number().min(0.5).max(10),
      shortRateMultScale: ratio(10),
      longRateMultScale: ratio(10),
      shortRateAddScale: ratio(10),
      longRateAddScale: ratio(10),
      shortBaseStaticDiscount: ratio(4),
      longBaseStaticDiscount: ratio(4),
    })
    .exactOptional(),
  basisContingency: z
    .strictObject({
      scenarioSpotUp: z.number().gt(1).lt(3),
      scenarioSpotDown: z.number().gt(0).lt(1),
      addFactor: ratio(20),
      multFactor: ratio(20),
    })
    .exactOptional(),
  otherContingency: z
    .strictObject({
      pegLossThreshold: ratio(100),
      pegLossFactor: ratio(10),
      confThreshold: ratio(1),
      confMargin: ratio(20),
      mmPerpPercent: ratio(3),
      imPerpPercent: ratio(3),
      mmOptionPercent: ratio(2),
      imOptionPercent: ratio(2),
    })
    .exactOptional(),
  skewShock: z
    .strictObject({
      linearBaseCap: ratio(10),
      absBaseCap: ratio(10),
      linearCBase: z.number().min(-10).max(10),
      absCBase: z.number().min(-10).max(10),
      minKStar: ratio(10),
      widthScale: ratio(10),
      volParamStatic: ratio(10),
      volParamScale: z.number().min(-20).max(20),
    })
    .exactOptional(),
  collateral: z.record(z.string().min(1), CollateralSchema).exactOptional(),
  cashAsset: z.string().min(1).exactOptional(),
  settlementWindowSeconds: ratio(86_400).exactOptional(),
});

type Rule = (p: DerivePm2Params) => readonly [string, string] | undefined;

const skewCount = (p: DerivePm2Params, kind: Pm2VolShock) =>
  p.scenarios.filter((s) => s.volShock === kind).length;
const RULES: readonly Rule[] = [
  (p) =>
    p.margin.imFactor >= p.margin.mmFactor
      ? undefined
      : [
          'margin.imFactor',
          `must be >= margin.mmFactor (${p.margin.mmFactor}) so that IM >= MM; got ${p.margin.imFactor}`,
        ],
  (p) => (skewCount(p, 'linear') <= 1 ? undefined : ['scenarios', "must hold at most one 'linear' scenario"]),
  (p) => (skewCount(p, 'abs') <= 1 ? undefined : ['scenarios', "must hold at most one 'abs' scenario"]),
  (p) => {
    const i = p.scenarios.findIndex(
      (s) => (s.volShock === 'linear' || s.volShock === 'abs') && s.spotShock !== 1,
    );
    return i < 0 ? undefined : [`scenarios[${i}].spotShock`, 'must be 1 for a skew scenario'];
  },
  (p) => {
    const bad = Object.entries(p.collateral).find(([, c]) => c.mmHaircut + c.imHaircut > 1);
    return bad ? [`collateral.${bad[0]}`, `mmHaircut + imHaircut must be <= 1`] : undefined;
  },
  (p) =>
    p.collateral[p.cashAsset] === undefined
      ? undefined
      : [`collateral.${p.cashAsset}`, `must not be listed: it is the cash asset`],
];

/**
 * Validates a partial `derive-pm2` params document and merges it over the defaults (top-level
 * fields replace the defaults' whole group), then checks the cross-field rules.
 * @throws ValidationError ERR_VALIDATION (shape, range, unknown field);
 *         XmarginError ERR_INVALID_PARAMS (imFactor < mmFactor, two skew scenarios of a kind, a
 *         skew scenario with S ≠ 1, haircuts summing above 1, the cash asset listed as collateral)
 */
export function parseDerivePm2Params(doc: unknown): DerivePm2Params {
  return mergeParams('derive-pm2', DEFAULT_DERIVE_PM2_PARAMS, DerivePm2ParamsSchema, doc, RULES);
}
