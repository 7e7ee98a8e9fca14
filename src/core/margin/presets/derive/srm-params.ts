/**
 * Parameters of the `derive-srm` model: Derive's StandardManager settings
 * (`IStandardManager.sol` structs) per market (underlying) and per base asset, renamed to
 * camelCase. Ratios are plain fractions (0.065 = 6.5% of the price per unit).
 *
 * Defaults: derivexyz/v2-core@f4697305 scripts/config-mainnet.sol, getSRMParams(market) and
 * getSRMDepegParams() (the stored copy of that script; the anchor survey (§2.2) quotes the
 * same file). docs/methodology/presets-derive.md#srm-defaults lists every value.
 */
import { z } from 'zod';
import { mergeParams } from '../../merge-params.js';

/** Perp requirements of a market (`PerpMarginRequirements`). */
export interface SrmPerpParams {
  /** MM per unit of perp notional |units|·perpPrice, (0, 1), ≤ imPerpReq */
  readonly mmPerpReq: number;
  /** IM per unit of perp notional, (0, 1) */
  readonly imPerpReq: number;
}

/** Option requirements of a market (`OptionMarginParams`). */
export interface SrmOptionParams {
  /** IM fraction of spot for an ITM short, reduced by the OTM ratio down to minSpotReq, [0, 1.2] */
  readonly maxSpotReq: number;
  /** floor of the IM fraction of spot, [0, 1.2], ≥ mmCallSpotReq */
  readonly minSpotReq: number;
  /** MM fraction of spot per short call, [0, 1] */
  readonly mmCallSpotReq: number;
  /** MM fraction of spot per short put (capped by MMPutMtMReq), [0, 1] */
  readonly mmPutSpotReq: number;
  /** alternative MM for a short put as a fraction of its mark, [0, 1] */
  readonly mmPutMtmReq: number;
  /** IM charge per net short call, as a multiple of the forward, when max loss is unbounded, [1, 3] */
  readonly unpairedImScale: number;
  /** MM counterpart of unpairedImScale, [1, 3], ≤ unpairedImScale */
  readonly unpairedMmScale: number;
  /** a short put's IM is at least its MM × this, [1, 3] */
  readonly mmOffsetScale: number;
}

/** Oracle-confidence contingency of a market (`OracleContingencyParams`), IM only. */
export interface SrmOracleParams {
  /** perps: charge when min(perp, spot) confidence is below, [0, 1]; 0 disables */
  readonly perpThreshold: number;
  /** options: charge per expiry when min(spot, forward, vol) confidence is below, [0, 1] */
  readonly optionThreshold: number;
  /** base asset: charge when the spot confidence is below, [0, 1] */
  readonly baseThreshold: number;
  /** charge = (1 − confidence)·ocFactor·notional, [0, 1] */
  readonly ocFactor: number;
}

/** One market's parameters. */
export interface SrmMarketParams {
  readonly perp: SrmPerpParams;
  readonly options: SrmOptionParams;
  readonly oracle: SrmOracleParams;
}

/** Credit a base (non-cash) asset gives (`BaseMarginParams`). */
export interface SrmBaseParams {
  /** MM credit per unit of value: spot·qty·marginFactor counts as cash, [0, 1] */
  readonly marginFactor: number;
  /** IM credit = MM credit × imScale, [0, 1] */
  readonly imScale: number;
}

/** All parameters of `derive-srm`. */
export interface DeriveSrmParams {
  /** market parameters by underlying symbol */
  readonly markets: Readonly<Record<string, SrmMarketParams>>;
  /** parameters of any underlying not listed in `markets` (Derive's BTC/ETH values) */
  readonly defaultMarket: SrmMarketParams;
  /** accepted base assets; an unlisted non-cash asset is refused (fail closed) */
  readonly base: Readonly<Record<string, SrmBaseParams>>;
  /** IM add-on when the stable depegs: (threshold − stable)·depegFactor·spot per short or perp unit */
  readonly depeg: {
    /** stable price below which the add-on applies, [0, 1] */
    readonly threshold: number;
    /** multiplier of the depeg, [0, 3] */
    readonly depegFactor: number;
  };
  /** Derive's cash asset: counted at face value; its index price is the stable price */
  readonly cashAsset: string;
}

const MAJOR: SrmMarketParams = {
  perp: { mmPerpReq: 0.065, imPerpReq: 0.1 },
  options: {
    maxSpotReq: 0.15,
    minSpotReq: 0.13,
    mmCallSpotReq: 0.09,
    mmPutSpotReq: 0.09,
    mmPutMtmReq: 0.09,
    unpairedImScale: 1.2,
    unpairedMmScale: 1.1,
    mmOffsetScale: 1.05,
  },
  oracle: { perpThreshold: 0.55, optionThreshold: 0.55, baseThreshold: 0.55, ocFactor: 1 },
};
const ALT_PERP: SrmMarketParams = { ...MAJOR, perp: { mmPerpReq: 0.1, imPerpReq: 0.2 } };
const SNX: SrmMarketParams = {
  ...MAJOR,
  options: {
    maxSpotReq: 0.25,
    minSpotReq: 0.225,
    mmCallSpotReq: 0.15,
    mmPutSpotReq: 0.15,
    mmPutMtmReq: 0.15,
    unpairedImScale: 1.4,
    unpairedMmScale: 1.3,
    mmOffsetScale: 1.05,
  },
};
const lrt: SrmBaseParams = { marginFactor: 0.65, imScale: 0.77 };
const stable = (marginFactor: number, imScale: number): SrmBaseParams => ({ marginFactor, imScale });

/** Defaults: config-mainnet.sol getSRMParams / getSRMDepegParams (module header). */
export const DEFAULT_DERIVE_SRM_PARAMS: DeriveSrmParams = {
  markets: {
    SNX,
    ...Object.fromEntries(
      ['SOL', 'DOGE', 'TIA', 'SUI', 'NEAR', 'PEPE', 'WIF', 'WLD', 'BNB', 'AAVE', 'OP', 'ARB'].map((s) => [
        s,
        ALT_PERP,
      ]),
    ),
  },
  defaultMarket: MAJOR,
  base: {
    ETH: { marginFactor: 0.8, imScale: 0.9375 },
    BTC: { marginFactor: 0.75, imScale: 0.93 },
    WSTETH: { marginFactor: 0.8, imScale: 0.9375 },
    SNX: { marginFactor: 0.7, imScale: 0.65 },
    rswETH: lrt,
    rsETH: lrt,
    weETH: lrt,
    LBTC: lrt,
    cbBTC: lrt,
    eBTC: lrt,
    USDT: stable(0.98, 0.98),
    SFP: stable(0.98, 0.98),
    DAI: stable(0.925, 0.92),
    sDAI: stable(0.875, 0.915),
    USDe: stable(0.8, 0.875),
    PYUSD: stable(0.925, 0.92),
  },
  depeg: { threshold: 0.99, depegFactor: 2 },
  cashAsset: 'USDC',
};

const ratio = (max: number) => z.number().min(0).max(max);
const MarketSchema = z.strictObject({
  perp: z.strictObject({ mmPerpReq: z.number().gt(0).lt(1), imPerpReq: z.number().gt(0).lt(1) }),
  options: z.strictObject({
    maxSpotReq: ratio(1.2),
    minSpotReq: ratio(1.2),
    mmCallSpotReq: ratio(1),
    mmPutSpotReq: ratio(1),
    mmPutMtmReq: ratio(1),
    unpairedImScale: z.number().min(1).max(3),
    unpairedMmScale: z.number().min(1).max(3),
    mmOffsetScale: z.number().min(1).max(3),
  }),
  oracle: z.strictObject({
    perpThreshold: ratio(1),
    optionThreshold: ratio(1),
    baseThreshold: ratio(1),
    ocFactor: ratio(1),
  }),
});
const BaseSchema = z.strictObject({ marginFactor: ratio(1), imScale: ratio(1) });

/** Strict schema of a `derive-srm` params document: any subset of the top-level fields. */
export const DeriveSrmParamsSchema = z.strictObject({
  markets: z.record(z.string().min(1), MarketSchema).exactOptional(),
  defaultMarket: MarketSchema.exactOptional(),
  base: z.record(z.string().min(1), BaseSchema).exactOptional(),
  depeg: z.strictObject({ threshold: ratio(1), depegFactor: ratio(3) }).exactOptional(),
  cashAsset: z.string().min(1).exactOptional(),
});

function marketRule(path: string, m: SrmMarketParams): readonly [string, string] | undefined {
  if (m.perp.mmPerpReq > m.perp.imPerpReq)
    return [`${path}.perp.mmPerpReq`, `must be <= imPerpReq (${m.perp.imPerpReq}); got ${m.perp.mmPerpReq}`];
  if (m.options.minSpotReq < m.options.mmCallSpotReq)
    return [
      `${path}.options.minSpotReq`,
      `must be >= mmCallSpotReq (${m.options.mmCallSpotReq}) so that IM >= MM`,
    ];
  if (m.options.unpairedMmScale > m.options.unpairedImScale)
    return [`${path}.options.unpairedMmScale`, `must be <= unpairedImScale (${m.options.unpairedImScale})`];
  return undefined;
}

const RULES: readonly ((p: DeriveSrmParams) => readonly [string, string] | undefined)[] = [
  (p) => marketRule('defaultMarket', p.defaultMarket),
  (p) =>
    Object.entries(p.markets)
      .map(([u, m]) => marketRule(`markets.${u}`, m))
      .find((x) => x !== undefined),
  (p) =>
    p.base[p.cashAsset] === undefined
      ? undefined
      : [`base.${p.cashAsset}`, 'must not be listed: it is the cash asset'],
];

/**
 * Validates a partial `derive-srm` params document and merges it over the defaults.
 * @throws ValidationError ERR_VALIDATION; XmarginError ERR_INVALID_PARAMS (mmPerpReq > imPerpReq,
 *         minSpotReq < mmCallSpotReq, unpairedMmScale > unpairedImScale, cash asset listed as base)
 */
export function parseDeriveSrmParams(doc: unknown): DeriveSrmParams {
  return mergeParams('derive-srm', DEFAULT_DERIVE_SRM_PARAMS, DeriveSrmParamsSchema, doc, RULES);
}
