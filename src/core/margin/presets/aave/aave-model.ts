/**
 * The `aave-v3` preset: an Aave v3 position (supplied collateral, borrowed debt) as a margin
 * account (`GenericLogic.calculateUserAccountData`, `LiquidationLogic.sol`).
 *
 * With c_i the USD value of a supplied asset that is enabled as collateral, s_j one that is not,
 * and d the USD value of the debt (negative balances):
 *
 *   health factor HF = Σ c_i·LT_i / d                (liquidatable when HF < 1)
 *   equity = Σ c_i + Σ s_j − d
 *   MM     = Σ c_i·(1 − LT_i) + Σ s_j                 so that equity − MM = Σ c_i·LT_i − d
 *   IM     = Σ c_i·(1 − LTV_i) + Σ s_j                so that equity ≥ IM ⇔ d ≤ Σ c_i·LTV_i
 *
 * i.e. equity < MM ⇔ HF < 1 and equity ≥ IM ⇔ the borrowing power covers the debt. A supplied
 * asset without reserve parameters counts as not collateral. Aave keeps a supply and a debt of the
 * same asset apart (aToken and debt token): when the portfolio carries its venue balances
 * (`venueBalances`, as imported), each is taken gross; otherwise the net balance per asset. Aave has no derivatives: any position
 * fails closed; a spot-instrument position is a holding, supplied like a balance. Units: USD;
 * fractions as in aave-params.ts.
 */
import type { MarginContext, MarginResult } from '../../margin-model.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { valuePortfolio } from '../../../portfolio/valuation.js';
import { fromUnits } from '../../../ledger/convert.js';
import { perPositionResult, unsupportedInstrument, type PositionCharge } from '../preset-result.js';
import type { AaveParams } from './aave-params.js';

/** Model name. */
export const AAVE_MODEL_NAME = 'aave-v3';

/**
 * HF = Σ collateral·LT / debt (Infinity when there is no debt, as Aave returns type(uint256).max).
 * @example aaveHealthFactor([{ valueUsd: 20000, liquidationThreshold: 0.83 }], 10000) // 1.66
 */
export function aaveHealthFactor(
  collateral: readonly { readonly valueUsd: number; readonly liquidationThreshold: number }[],
  debtUsd: number,
): number {
  const weighted = collateral.reduce((s, c) => s + c.valueUsd * c.liquidationThreshold, 0);
  return debtUsd > 0 ? weighted / debtUsd : Infinity;
}

/**
 * The close factor of a liquidation (v3.3 `LiquidationLogic.executeLiquidationCall`): the whole
 * debt may be repaid when HF ≤ 0.95, or when the collateral or the debt is below $2,000; otherwise
 * half of it.
 */
export function aaveCloseFactor(
  healthFactor: number,
  collateralUsd: number,
  debtUsd: number,
  p: AaveParams['closeFactor'],
): number {
  if (healthFactor <= p.fullBelowHealthFactor) return 1;
  if (collateralUsd < p.fullBelowUsd || debtUsd < p.fullBelowUsd) return 1;
  return p.default;
}

/**
 * Collateral a liquidator receives for repaying `debtToCoverUsd`, and the protocol's share
 * (`LiquidationLogic._calculateAvailableCollateralToLiquidate`):
 *
 *   seized   = debtToCover·(1 + bonus)            (in USD; capped by the collateral held)
 *   protocol = (seized − seized/(1 + bonus))·protocolFee
 *   liquidator receives seized − protocol
 *
 * When the collateral held is less than `seized`, all of it is seized and the debt repaid is
 * collateral/(1 + bonus).
 */
export function aaveLiquidation(o: {
  readonly debtToCoverUsd: number;
  readonly collateralHeldUsd: number;
  readonly reserve: { readonly liquidationBonus: number; readonly liquidationProtocolFee: number };
}): {
  debtRepaidUsd: number;
  collateralSeizedUsd: number;
  protocolFeeUsd: number;
  liquidatorReceivesUsd: number;
} {
  const m = 1 + o.reserve.liquidationBonus;
  let seized = o.debtToCoverUsd * m;
  let repaid = o.debtToCoverUsd;
  if (seized > o.collateralHeldUsd) {
    seized = o.collateralHeldUsd;
    repaid = seized / m;
  }
  const protocol = (seized - seized / m) * o.reserve.liquidationProtocolFee;
  return {
    debtRepaidUsd: repaid,
    collateralSeizedUsd: seized,
    protocolFeeUsd: protocol,
    liquidatorReceivesUsd: seized - protocol,
  };
}

/** Supplied and borrowed USD per asset: gross from the venue balances when present (module header). */
function grossBalances(
  portfolio: Portfolio,
  net: readonly {
    readonly asset: string;
    readonly qty: number;
    readonly priceUsd: number;
    readonly valueUsd: number;
  }[],
): { asset: string; valueUsd: number }[] {
  if (portfolio.venueBalances === undefined)
    return net.map((c) => ({ asset: c.asset, valueUsd: c.valueUsd }));
  const price = new Map(net.map((c) => [c.asset, c.priceUsd]));
  const out = new Map<string, [number, number]>();
  for (const b of portfolio.venueBalances) {
    const usd = fromUnits(b.units, b.asset.decimals) * (price.get(b.asset.symbol) ?? 0);
    const prev = out.get(b.asset.symbol) ?? [0, 0];
    out.set(b.asset.symbol, usd >= 0 ? [prev[0] + usd, prev[1]] : [prev[0], prev[1] + usd]);
  }
  return [...out].flatMap(([asset, [sup, bor]]) => [
    ...(sup > 0 ? [{ asset, valueUsd: sup }] : []),
    ...(bor < 0 ? [{ asset, valueUsd: bor }] : []),
  ]);
}

/** Adds spot holdings to the supplied balance of their asset. */
function mergeSupplied(
  balances: { asset: string; valueUsd: number }[],
  spots: readonly { asset: string; valueUsd: number }[],
): { asset: string; valueUsd: number }[] {
  const out = balances.map((b) => ({ ...b }));
  for (const s of spots) {
    const held = out.find((b) => b.asset === s.asset && b.valueUsd >= 0);
    if (held) held.valueUsd += s.valueUsd;
    else out.push({ ...s });
  }
  return out;
}

/**
 * Computes the Aave v3 requirement (module header); the components' detail carries HF.
 * @throws RiskError ERR_UNSUPPORTED_INSTRUMENT for a position other than a spot holding
 */
export function computeAaveMargin(portfolio: Portfolio, ctx: MarginContext, p: AaveParams): MarginResult {
  const market = ctx.market;
  const v = valuePortfolio(portfolio, market);
  // A spot-instrument position is a holding of its asset: supplied like a balance. Anything else
  // (a derivative) is not an Aave position.
  const spots: { asset: string; valueUsd: number }[] = [];
  for (const pv of v.positions) {
    const inst = pv.marked.instrument;
    if (inst.kind !== 'spot')
      throw unsupportedInstrument(
        AAVE_MODEL_NAME,
        portfolio,
        inst.id,
        inst.kind,
        'Aave holds supplied and borrowed assets only',
      );
    spots.push({ asset: inst.asset, valueUsd: pv.units * pv.marked.markPrice });
  }
  const disabled = new Set(p.collateralDisabled);
  const charges: PositionCharge[] = [];
  const weighted: { valueUsd: number; liquidationThreshold: number }[] = [];
  let debt = 0;
  let collateralUsd = 0;
  for (const c of mergeSupplied(grossBalances(portfolio, v.collateral), spots)) {
    if (c.valueUsd < 0) {
      debt -= c.valueUsd;
      continue;
    }
    const r = p.reserves[c.asset];
    const isCollateral = r !== undefined && !disabled.has(c.asset) && r.liquidationThreshold > 0;
    if (isCollateral) {
      weighted.push({ valueUsd: c.valueUsd, liquidationThreshold: r.liquidationThreshold });
      collateralUsd += c.valueUsd;
    }
    charges.push({
      key: `collateral:${c.asset}`,
      imUsd: isCollateral ? c.valueUsd * (1 - r.ltv) : c.valueUsd,
      mmUsd: isCollateral ? c.valueUsd * (1 - r.liquidationThreshold) : c.valueUsd,
      detail: isCollateral
        ? { ltv: r.ltv, liquidationThreshold: r.liquidationThreshold }
        : { collateral: false },
    });
  }
  const hf = aaveHealthFactor(weighted, debt);
  charges.push({
    key: 'collateral:debt',
    imUsd: 0,
    mmUsd: 0,
    detail: {
      debtUsd: debt,
      collateralUsd,
      healthFactor: Number.isFinite(hf) ? hf : null,
      closeFactor: debt > 0 ? aaveCloseFactor(hf, collateralUsd, debt, p.closeFactor) : null,
    },
  });
  return perPositionResult(AAVE_MODEL_NAME, p, market, charges, v.equityUsd);
}
