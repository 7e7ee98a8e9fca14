/**
 * Drift v2: the `User` account and the perp and spot market accounts as the Drift SDK decodes
 * them (https://drift-labs.github.io/v2-teacher/#user, #perp-market, #spot-market), with every BN
 * written as a decimal string and each market's oracle price added (`oraclePrice`, PRICE_PRECISION
 * 1e6); optionally `margin`, what the SDK's `User` reports (getTotalCollateral,
 * getInitialMarginRequirement, getMaintenanceMarginRequirement, QUOTE_PRECISION 1e6).
 *
 * Precisions (Drift `math/constants.rs`): base 1e9, quote 1e6, price 1e6, spot balance 1e9,
 * cumulative interest 1e10, margin ratios and weights 1e4, IMF factors 1e6.
 *
 * Mapping:
 * - perp position → perpetual `<venue>:<NAME>-PERP`; units = baseAssetAmount/1e9; entry =
 *   −quoteAssetAmount/baseAssetAmount (so units·(oracle − entry) = base·oracle + quote, Drift's
 *   unrealised P&L without unsettled funding);
 * - spot position → balance of `scaledBalance·cumulativeInterest / 10^(19 − decimals)` base units
 *   (deposits rounded down, borrows up, as Drift's `get_token_amount`), negative for a borrow;
 * - preset `drift`: perp margin ratios and P&L weights, spot weights and IMF factors per market;
 * - reported (with `margin`): MM = maintenanceMarginRequirement − borrows, equity =
 *   totalCollateral(maintenance) − borrows, IM = initialMarginRequirement − borrows +
 *   totalCollateral(maintenance) − totalCollateral(initial): xmargin's sign convention of the
 *   drift preset (docs/methodology/presets-deribit-dydx-drift.md#drift).
 */
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import { formatDecimal } from '../../core/ledger/decimal.js';
import type { DriftPerpMarket, DriftSpotMarket } from '../../core/margin/presets/drift/drift-params.js';
import { assetSymbol, ImportBuilder, type ImportedAccount } from './import-builder.js';
import { num, optNum } from './parse-payload.js';
import { readPayload, type VenueImporter } from './venue-importer.js';

const int = z
  .union([z.string().regex(/^-?\d+$/, 'must be an integer string'), z.number().int()])
  .transform((x) => BigInt(x));
const balanceType = z
  .union([
    z.enum(['deposit', 'borrow']),
    z.object({ deposit: z.object({}) }),
    z.object({ borrow: z.object({}) }),
  ])
  .transform((x) => (typeof x === 'string' ? x : 'deposit' in x ? 'deposit' : 'borrow'));
const UserSchema = z.object({
  perpPositions: z.array(z.object({ marketIndex: num, baseAssetAmount: int, quoteAssetAmount: int })),
  spotPositions: z.array(z.object({ marketIndex: num, scaledBalance: int, balanceType })),
});
const PerpMarketsSchema = z.array(
  z.object({
    marketIndex: num,
    name: z.string().min(1),
    oraclePrice: int,
    marginRatioInitial: num,
    marginRatioMaintenance: num,
    imfFactor: optNum,
    unrealizedPnlInitialAssetWeight: optNum,
    unrealizedPnlMaintenanceAssetWeight: optNum,
    unrealizedPnlImfFactor: optNum,
  }),
);
const SpotMarketsSchema = z.array(
  z.object({
    marketIndex: num,
    name: z.string().min(1),
    decimals: num.pipe(z.number().int().min(0).max(18)),
    oraclePrice: int,
    cumulativeDepositInterest: int,
    cumulativeBorrowInterest: int,
    initialAssetWeight: num,
    maintenanceAssetWeight: num,
    initialLiabilityWeight: num,
    maintenanceLiabilityWeight: num,
    imfFactor: optNum,
  }),
);
const MarginSchema = z.object({
  totalCollateralInitial: num,
  totalCollateralMaintenance: num,
  initialMarginRequirement: num,
  maintenanceMarginRequirement: num,
  slot: optNum,
  timestamp: optNum,
});

const BASE = 1e9;
const QUOTE = 1e6;
const PRICE = 1e6;
const WEIGHT = 1e4;
const IMF = 1e6;

/** Drift's token amount (module header): deposits round down, borrows up. */
export function driftTokenAmount(
  scaledBalance: bigint,
  cumulativeInterest: bigint,
  decimals: number,
  kind: 'deposit' | 'borrow',
): bigint {
  const num = scaledBalance * cumulativeInterest;
  const den = 10n ** BigInt(19 - decimals);
  return kind === 'deposit' ? num / den : (num + den - 1n) / den;
}

/** The Drift importer (module header). */
export const driftImporter: VenueImporter = {
  name: 'drift',
  venue: 'drift',
  kinds: [
    { name: 'user', required: true, docs: 'User account (SDK decoded)', schema: UserSchema },
    {
      name: 'perp-markets',
      required: true,
      docs: 'PerpMarket accounts (SDK decoded) + oraclePrice',
      schema: PerpMarketsSchema,
    },
    {
      name: 'spot-markets',
      required: true,
      docs: 'SpotMarket accounts (SDK decoded) + oraclePrice',
      schema: SpotMarketsSchema,
    },
    {
      name: 'margin',
      required: false,
      docs: 'User.getTotalCollateral / getInitialMarginRequirement / getMaintenanceMarginRequirement',
      schema: MarginSchema,
    },
  ],
  read(payloads, { venue, asOfMs }): ImportedAccount[] {
    const user = readPayload(driftImporter, payloads, 'user', UserSchema)!;
    const perps = readPayload(driftImporter, payloads, 'perp-markets', PerpMarketsSchema)!;
    const spots = readPayload(driftImporter, payloads, 'spot-markets', SpotMarketsSchema)!;
    const margin = readPayload(driftImporter, payloads, 'margin', MarginSchema);
    const b = new ImportBuilder(venue);
    if (margin?.timestamp !== undefined) b.time(margin.timestamp * 1000);
    const perpMarkets: Record<string, DriftPerpMarket> = {};
    const spotMarkets: Record<string, DriftSpotMarket> = {};
    let borrowsUsd = 0;
    user.spotPositions.forEach((s, i) => {
      if (s.scaledBalance === 0n) return;
      const m = spots.find((x) => x.marketIndex === s.marketIndex);
      if (!m)
        throw new InvalidInputError(
          `drift user spotPositions[${i}].marketIndex`,
          s.marketIndex,
          'must be in the spot-markets payload',
        );
      const asset = assetSymbol(m.name);
      const price = Number(m.oraclePrice) / PRICE;
      b.price(asset, price);
      b.decimals(asset, m.decimals);
      const units = driftTokenAmount(
        s.scaledBalance,
        s.balanceType === 'deposit' ? m.cumulativeDepositInterest : m.cumulativeBorrowInterest,
        m.decimals,
        s.balanceType,
      );
      b.balance(asset, formatDecimal(s.balanceType === 'deposit' ? units : -units, m.decimals));
      if (s.balanceType === 'borrow') borrowsUsd += (Number(units) / 10 ** m.decimals) * price;
      spotMarkets[asset] = {
        initialAssetWeight: m.initialAssetWeight / WEIGHT,
        maintenanceAssetWeight: m.maintenanceAssetWeight / WEIGHT,
        initialLiabilityWeight: m.initialLiabilityWeight / WEIGHT,
        maintenanceLiabilityWeight: m.maintenanceLiabilityWeight / WEIGHT,
        imfFactor: (m.imfFactor ?? 0) / IMF,
      };
    });
    user.perpPositions.forEach((p, i) => {
      if (p.baseAssetAmount === 0n) return;
      const m = perps.find((x) => x.marketIndex === p.marketIndex);
      if (!m)
        throw new InvalidInputError(
          `drift user perpPositions[${i}].marketIndex`,
          p.marketIndex,
          'must be in the perp-markets payload',
        );
      const underlying = assetSymbol(m.name.replace(/-PERP$/, ''));
      const oracle = Number(m.oraclePrice) / PRICE;
      const id = b.id(m.name);
      const units = Number(p.baseAssetAmount) / BASE;
      b.price(underlying, oracle);
      b.instrument({ id, kind: 'perpetual', underlying, markPrice: oracle });
      b.position(id, units, -(Number(p.quoteAssetAmount) / QUOTE) / units);
      perpMarkets[underlying] = {
        initialMarginRatio: m.marginRatioInitial / WEIGHT,
        maintenanceMarginRatio: m.marginRatioMaintenance / WEIGHT,
        imfFactor: (m.imfFactor ?? 0) / IMF,
        unrealizedPnlInitialAssetWeight: (m.unrealizedPnlInitialAssetWeight ?? WEIGHT) / WEIGHT,
        unrealizedPnlMaintenanceAssetWeight: (m.unrealizedPnlMaintenanceAssetWeight ?? WEIGHT) / WEIGHT,
        unrealizedPnlImfFactor: (m.unrealizedPnlImfFactor ?? 0) / IMF,
      };
    });
    const { portfolio, market } = b.build(asOfMs);
    const q = (x: number) => x / QUOTE;
    return [
      {
        venue,
        importer: 'drift',
        portfolio,
        market,
        preset: { model: 'drift', params: { perpMarkets, spotMarkets } },
        ...(margin === undefined
          ? {}
          : {
              reported: {
                initialUsd:
                  q(margin.initialMarginRequirement) -
                  borrowsUsd +
                  q(margin.totalCollateralMaintenance) -
                  q(margin.totalCollateralInitial),
                maintenanceUsd: q(margin.maintenanceMarginRequirement) - borrowsUsd,
                equityUsd: q(margin.totalCollateralMaintenance) - borrowsUsd,
              },
            }),
        notes: ['perp entry = −quoteAssetAmount / baseAssetAmount: unsettled funding is not included'],
      },
    ];
  },
};
