/**
 * Aave v3: `Pool.getUserAccountData`, `UiPoolDataProviderV3.getUserReservesData` and
 * `UiPoolDataProviderV3.getReservesData` results, integers as decimal strings
 * (https://aave.com/docs/developers/smart-contracts/pool#view-methods-getuseraccountdata,
 * https://aave.com/docs/developers/smart-contracts/view-contracts#uipooldataproviderv3).
 *
 * Mapping (exact, in base units):
 * - supplied = scaledATokenBalance·liquidityIndex / 1e27 and debt = scaledVariableDebt·
 *   variableBorrowIndex / 1e27 (ray math; supplied rounded down, debt up), balances of the
 *   reserve's symbol (WETH → ETH, WBTC → BTC), debt negative;
 * - price USD = priceInMarketReferenceCurrency / marketReferenceCurrencyUnit ×
 *   marketReferenceCurrencyPriceInUsd / 1e8;
 * - preset `aave-v3`: each reserve's LTV, liquidation threshold and bonus (bps / 1e4, bonus −
 *   1), liquidationProtocolFee; reserves the user does not use as collateral are listed;
 * - reported (account data, base currency USD with 8 decimals): equity = totalCollateralBase −
 *   totalDebtBase + supplied non-collateral; MM = totalCollateralBase·(1 − LT) + non-collateral;
 *   IM = totalCollateralBase·(1 − LTV) + non-collateral, LT and LTV the account's weighted
 *   averages (bps). So that equity < MM ⇔ healthFactor < 1.
 * The payloads carry no time: `--as-of` (or the accounts directory's `asOf`) gives it.
 */
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import { formatDecimal } from '../../core/ledger/decimal.js';
import type { AaveReserve } from '../../core/margin/presets/aave/aave-params.js';
import { assetSymbol, ImportBuilder, type ImportedAccount } from './import-builder.js';
import { num } from './parse-payload.js';
import { readPayload, type VenueImporter } from './venue-importer.js';

const int = z
  .union([z.string().regex(/^\d+$/, 'must be a non-negative integer string'), z.number().int().min(0)])
  .transform((x) => BigInt(x));
const AccountSchema = z.object({
  totalCollateralBase: int,
  totalDebtBase: int,
  availableBorrowsBase: int,
  currentLiquidationThreshold: int,
  ltv: int,
  healthFactor: int,
});
const UserReservesSchema = z.array(
  z.object({
    underlyingAsset: z.string().min(1),
    scaledATokenBalance: int,
    usageAsCollateralEnabledOnUser: z.boolean(),
    scaledVariableDebt: int,
  }),
);
const ReserveSchema = z.object({
  underlyingAsset: z.string().min(1),
  symbol: z.string().min(1),
  decimals: num.pipe(z.number().int().min(0).max(36)),
  baseLTVasCollateral: num,
  reserveLiquidationThreshold: num,
  reserveLiquidationBonus: num,
  liquidationProtocolFee: num.optional(),
  liquidityIndex: int,
  variableBorrowIndex: int,
  priceInMarketReferenceCurrency: int,
});
const ReservesSchema = z.object({
  reservesData: z.array(ReserveSchema),
  baseCurrencyInfo: z.object({ marketReferenceCurrencyUnit: int, marketReferenceCurrencyPriceInUsd: int }),
});

const RAY = 10n ** 27n;
const rayMulDown = (a: bigint, b: bigint) => (a * b) / RAY;
const rayMulUp = (a: bigint, b: bigint) => (a * b + RAY - 1n) / RAY;
const BPS = 1e4;
const BASE_UNIT = 1e8;

/** The Aave v3 importer (module header). */
export const aaveImporter: VenueImporter = {
  name: 'aave',
  venue: 'aave',
  kinds: [
    { name: 'account-data', required: true, docs: 'Pool.getUserAccountData', schema: AccountSchema },
    {
      name: 'user-reserves',
      required: true,
      docs: 'UiPoolDataProviderV3.getUserReservesData',
      schema: UserReservesSchema,
    },
    {
      name: 'reserves',
      required: true,
      docs: 'UiPoolDataProviderV3.getReservesData',
      schema: ReservesSchema,
    },
  ],
  read(payloads, { venue, asOfMs }): ImportedAccount[] {
    const acct = readPayload(aaveImporter, payloads, 'account-data', AccountSchema)!;
    const mine = readPayload(aaveImporter, payloads, 'user-reserves', UserReservesSchema)!;
    const { reservesData, baseCurrencyInfo } = readPayload(
      aaveImporter,
      payloads,
      'reserves',
      ReservesSchema,
    )!;
    const refUsd = Number(baseCurrencyInfo.marketReferenceCurrencyPriceInUsd) / BASE_UNIT;
    const refUnit = Number(baseCurrencyInfo.marketReferenceCurrencyUnit);
    const b = new ImportBuilder(venue);
    const reserves: Record<string, AaveReserve> = {};
    const collateralDisabled: string[] = [];
    let nonCollateralUsd = 0;
    mine.forEach((u, i) => {
      if (u.scaledATokenBalance === 0n && u.scaledVariableDebt === 0n) return;
      const r = reservesData.find((x) => x.underlyingAsset.toLowerCase() === u.underlyingAsset.toLowerCase());
      if (!r)
        throw new InvalidInputError(
          `aave user-reserves [${i}].underlyingAsset`,
          u.underlyingAsset,
          'must be in the reserves payload',
        );
      const asset = assetSymbol(r.symbol);
      const price = (Number(r.priceInMarketReferenceCurrency) / refUnit) * refUsd;
      b.price(asset, price);
      b.decimals(asset, r.decimals);
      const supplied = rayMulDown(u.scaledATokenBalance, r.liquidityIndex);
      const debt = rayMulUp(u.scaledVariableDebt, r.variableBorrowIndex);
      if (supplied > 0n) b.balance(asset, formatDecimal(supplied, r.decimals));
      // A spot instrument per supplied reserve: engines that cannot hold a debt next to a balance
      // (the crash replay) hold the collateral as a spot position bought with the debt asset.
      if (supplied > 0n && !['USDC', 'USDT', 'DAI'].includes(asset))
        b.instrument({ id: b.id(asset), kind: 'spot', underlying: asset });
      if (debt > 0n) b.balance(asset, formatDecimal(-debt, r.decimals));
      reserves[asset] = {
        ltv: r.baseLTVasCollateral / BPS,
        liquidationThreshold: r.reserveLiquidationThreshold / BPS,
        liquidationBonus: Math.max(0, r.reserveLiquidationBonus / BPS - 1),
        liquidationProtocolFee: (r.liquidationProtocolFee ?? 0) / BPS,
      };
      const usesAsCollateral = u.usageAsCollateralEnabledOnUser && r.reserveLiquidationThreshold > 0;
      if (!usesAsCollateral && supplied > 0n) {
        collateralDisabled.push(asset);
        nonCollateralUsd += (Number(supplied) / 10 ** r.decimals) * price;
      }
    });
    const tc = Number(acct.totalCollateralBase) / BASE_UNIT;
    const td = Number(acct.totalDebtBase) / BASE_UNIT;
    const lt = Number(acct.currentLiquidationThreshold) / BPS;
    const ltv = Number(acct.ltv) / BPS;
    const { portfolio, market } = b.build(asOfMs);
    return [
      {
        venue,
        importer: 'aave',
        portfolio,
        market,
        preset: { model: 'aave-v3', params: { reserves, collateralDisabled } },
        reported: {
          initialUsd: tc * (1 - ltv) + nonCollateralUsd,
          maintenanceUsd: tc * (1 - lt) + nonCollateralUsd,
          equityUsd: tc - td + nonCollateralUsd,
        },
        notes: [`health factor reported: ${(Number(acct.healthFactor) / 1e18).toFixed(4)}`],
      },
    ];
  },
};
