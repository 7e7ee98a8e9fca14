/**
 * The `dydx` preset: dYdX v4 cross-margin requirement of a subaccount (ANCHORS §2.5).
 *
 * Per perpetual position (netted by instrument), with N = |units|·index price (dYdX's oracle
 * price) and the position's tier T (params.underlyingTiers, else params.defaultTier):
 *
 *   IMR = N·IMF_OI(T, OI)          IMF_OI: initial-margin-fraction.ts (OI = market.openInterestUsd
 *                                  of the instrument, 0 when absent)
 *   MMR = N·IMF_base(T)·MF(T)      (never OI-scaled)
 *   IM = Σ IMR,  MM = Σ MMR        (dYdX: liquidatable when TNC < TMMR)
 *
 * Equity (dYdX total net collateral): USDC balances at index + unrealised P&L of the positions
 * (valuation.ts); other assets count 0 when held and in full when owed.
 *
 * Fails closed (ERR_UNSUPPORTED_INSTRUMENT naming the position, `details.reason = 'unsupported-instrument'`):
 * options and spot instruments (dYdX lists perpetuals only); dated futures too when
 * params.datedFutures = 'reject' (by default they are margined like the perpetual).
 * Not reproduced: user-chosen leverage (custom IMF), order margin, isolated subaccounts.
 */
import { RiskError, ensureFinite } from '../../../errors.js';
import type { Contribution, MarginComponent, MarginContext, MarginResult } from '../../margin-model.js';
import { paramsVersion } from '../../params-version.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { valuePortfolio, type PositionValue } from '../../../portfolio/valuation.js';
import type { DydxParams } from './dydx-params.js';
import { initialMarginFraction, maintenanceMarginFraction } from './initial-margin-fraction.js';

/** Model name. */
export const DYDX_MODEL_NAME = 'dydx';

/** One netted position: its first position's valuation, with units and value summed over the instrument. */
interface NetPosition {
  readonly pv: PositionValue;
  readonly units: number;
  readonly valueUsd: number;
}

/** Nets positions in the same instrument (a subaccount holds one position per perpetual). */
function netByInstrument(positions: readonly PositionValue[]): NetPosition[] {
  const byId = new Map<string, NetPosition>();
  for (const pv of positions) {
    const prev = byId.get(pv.position.instrument);
    byId.set(
      pv.position.instrument,
      prev === undefined
        ? { pv, units: pv.units, valueUsd: pv.valueUsd }
        : { pv: prev.pv, units: prev.units + pv.units, valueUsd: prev.valueUsd + pv.valueUsd },
    );
  }
  return [...byId.values()];
}

/** Refuses an instrument the venue does not list: margin fails closed, naming the position. */
function unsupported(portfolio: Portfolio, instrument: string, kind: string, why: string): RiskError {
  const i = portfolio.positions.findIndex((p) => p.instrument === instrument);
  return new RiskError(
    'ERR_UNSUPPORTED_INSTRUMENT',
    `positions[${i}].instrument ${JSON.stringify(instrument)} is a ${kind}: not supported by the dydx model (${why})`,
    {
      field: `positions[${i}].instrument`,
      id: instrument,
      kind,
      model: DYDX_MODEL_NAME,
      reason: 'unsupported-instrument',
    },
  );
}

/**
 * Computes the dYdX v4 requirement of a portfolio (module header).
 * @param portfolio  positions and collateral (valued at the market's marks and index prices)
 * @param ctx        the market (index prices, open interest per instrument)
 * @param p          parsed params (parseDydxParams)
 * @returns          MarginResult: IM = Σ IMR ≥ MM = Σ MMR ≥ 0; one component and one
 *                   contribution per netted position; equity = USDC + unrealised P&L
 * @throws RiskError ERR_UNSUPPORTED_INSTRUMENT for an option or spot position (or a dated future when
 *         params.datedFutures = 'reject'), naming `positions[i].instrument`
 * @throws XmarginError ERR_NUMERIC if a result is not finite
 */
export function computeDydxMargin(portfolio: Portfolio, ctx: MarginContext, p: DydxParams): MarginResult {
  const market = ctx.market;
  const v = valuePortfolio(portfolio, market);
  for (const pv of v.positions) {
    const kind = pv.marked.instrument.kind;
    if (kind === 'option')
      throw unsupported(portfolio, pv.position.instrument, kind, 'dYdX v4 lists no options');
    if (kind === 'spot')
      throw unsupported(portfolio, pv.position.instrument, kind, 'dYdX v4 has no spot market');
    if (kind === 'future' && p.datedFutures === 'reject')
      throw unsupported(portfolio, pv.position.instrument, kind, "params.datedFutures is 'reject'");
  }

  const components: MarginComponent[] = [];
  const contributions: Contribution[] = [];
  let im = 0;
  let mm = 0;
  let positionsUsd = 0;
  for (const np of netByInstrument(v.positions)) {
    const inst = np.pv.marked.instrument;
    positionsUsd += np.valueUsd;
    const tierName = p.underlyingTiers[inst.underlying] ?? p.defaultTier;
    const tier = p.tiers[tierName]!; // the params rules guarantee every named tier exists
    const index = market.prices.get(inst.underlying)!; // resolved instruments have priced underlyings
    const notionalUsd = Math.abs(np.units) * index;
    const openInterestUsd = market.openInterestUsd.get(inst.id) ?? 0;
    const imf = initialMarginFraction(tier, openInterestUsd);
    const mmf = maintenanceMarginFraction(tier);
    const imUsd = notionalUsd * imf;
    const mmUsd = notionalUsd * mmf;
    im += imUsd;
    mm += mmUsd;
    components.push({
      name: `position:${inst.id}`,
      initialUsd: imUsd,
      maintenanceUsd: mmUsd,
      detail: { tier: tierName, notionalUsd, openInterestUsd, imf, baseImf: tier.initialMarginFraction, mmf },
    });
    contributions.push({ key: inst.id, initialUsd: imUsd });
  }

  // dYdX total net collateral: USDC (the only collateral) + P&L. Other assets held count 0; an
  // owed balance of any asset is a liability and always counts (never overstate equity).
  const collateral = new Set(p.collateralAssets);
  let collateralUsd = 0;
  for (const c of v.collateral) if (collateral.has(c.asset) || c.valueUsd < 0) collateralUsd += c.valueUsd;

  const details = { snapshotId: market.snapshotId };
  return {
    model: DYDX_MODEL_NAME,
    initialUsd: ensureFinite(im, 'dydx initial margin', details),
    maintenanceUsd: ensureFinite(mm, 'dydx maintenance margin', details),
    equityUsd: ensureFinite(collateralUsd + positionsUsd, 'dydx equity', details),
    components,
    contributions,
    paramsVersion: paramsVersion(DYDX_MODEL_NAME, p),
    snapshotId: market.snapshotId,
    valuationMs: market.valuationMs,
  };
}
