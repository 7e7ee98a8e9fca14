/**
 * A venue's own liquidation pricing through the engine's one liquidation chain: the same account
 * (10,000 USDC, long BTC-PERP from 50,000) falls under the dYdX preset with dYdX's liquidation
 * maths (4 BTC, to 48,050), and under the Drift preset with Drift's fees (1.5 BTC, to 45,000). The planner chooses what to
 * close; the charges are checked against the venues' formulas written out here, from the account's
 * figures at the liquidation (TNC, TMMR) and the size closed:
 *
 * dYdX v4 (docs.dydx.xyz, "Liquidations"; v4-chain protocol/x/clob/keeper/liquidations.go):
 *   ABR = clamp(BA·(1 − TNC/TMMR), 0, 1), BA = 1;  p_f = oracle − ABR·SMMR·PMMR/PS, SMMR = 1.5
 *   spread = c·(oracle − p_f);  q_b = c·oracle − TNC·DMMR/TMMR, DMMR = PMMR·c/PS;  q_f = c·p_f
 *   insurance fund = min(q_f − q_b, 1.5%·q_f) when q_f ≥ q_b
 * Drift v2 (protocol-v2 math/liquidation.rs; discussion 600): liquidator fee 1% of the notional
 *   closed; insurance fund fee min(1%, max(0, TNC/notional − 1%)) of it.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIQUIDATION_PARAMS } from '../../core/liquidation/liquidation-params.js';
import { driftLiquidationPricing } from '../../core/margin/presets/drift/liquidation-math.js';
import { dydxLiquidationPricing } from '../../core/margin/presets/dydx/liquidation-math.js';
import type { LiquidationPricing } from '../../core/margin/liquidation-pricing.js';
import { aggregateOracle } from '../../core/market/oracle-aggregate.js';
import type { OracleStates } from '../policy/oracle-policy.js';
import { buildSimMarket, createSimTemplate } from '../simulation/sim-market.js';
import { Venue } from './venue.js';
import type { VenueEvent } from './venue-types.js';

const T0 = Date.UTC(2024, 0, 1);
/** dYdX's MMF on BTC is 1.2%: at 48,050 TNC 2,200 < TMMR 2,306.4 */
const DYDX_AT = 48_050;
const HOUR = 3_600_000;
const tpl = createSimTemplate(T0, { BTC: 50_000, ETH: 2_500, SOL: 100 }, { BTC: 0.6, ETH: 0.7 }, 'flat');
const marketAt = (btc: number, t = T0) => buildSimMarket(tpl, t, { BTC: btc, ETH: 2_500, SOL: 100 });
const m0 = marketAt(50_000);
const USDC = m0.assets.getAsset('USDC');
const BTC = m0.assets.getAsset('BTC');
const usdc = (x: number) => BigInt(Math.round(x * 100)) * 10n ** BigInt(USDC.decimals - 2);
/** A fresh one-source quote of each asset at `timeMs` (liquidation needs a fresh price). */
const oracle = (timeMs: number): OracleStates =>
  Object.fromEntries(
    ['BTC', 'ETH', 'SOL'].map((asset) => {
      const quote = { source: 'test', price: 1, timestampMs: timeMs };
      const rule = { method: 'median' as const, minSources: 1, maxAgeMs: HOUR, maxDeviation: 0.5 };
      return [asset, { result: aggregateOracle([quote], rule, timeMs), lastFreshMs: timeMs }];
    }),
  );

/** The account liquidated at 47,800 under `mode` with `pricing`: the record and the size closed. */
function liquidateAt(mode: string, pricing: LiquidationPricing | undefined, size: number, price: number) {
  const v = new Venue({
    assets: [USDC, BTC],
    limits: { maxLeverage: 50 },
    liquidation: { ...DEFAULT_LIQUIDATION_PARAMS, gasUsd: 0 },
    ...(pricing ? { liquidationPricing: pricing } : {}),
  });
  v.openSubAccount({ accountId: 'alice', subAccountId: 'main', mode });
  v.apply({ kind: 'deposit', key: 'd1', timeMs: T0, to: 'alice/main', asset: 'USDC', units: usdc(10_000) });
  v.restore({
    kind: 'deposit',
    key: 'if',
    timeMs: T0,
    to: 'insurance-fund',
    asset: 'USDC',
    units: usdc(1e6),
  });
  v.restore({ kind: 'deposit', key: 'bs', timeMs: T0, to: v.liquidatorKey, asset: 'USDC', units: usdc(1e7) });
  v.updateMarket(m0, T0, { oracle: oracle(T0) });
  v.apply({
    kind: 'trade',
    key: 't1',
    timeMs: T0,
    subAccount: 'alice/main',
    instrument: 'BTC-PERP',
    size,
    price: 50_000,
  });
  const fundBefore = v.journal.balanceOf('insurance-fund', 'USDC');
  const t1 = T0 + HOUR;
  const events: VenueEvent[] = v.updateMarket(marketAt(price, t1), t1, { oracle: oracle(t1) });
  const record = v.liquidations()[0]!;
  const closed = events
    .flatMap((e) => (e.type === 'operation' && e.op.kind === 'liquidation' ? [e.op.size] : []))
    .reduce((s, x) => s + x, 0);
  const fundTake = Number(v.journal.balanceOf('insurance-fund', 'USDC') - fundBefore) / 10 ** USDC.decimals;
  return { record, closed, fundTake, after: v.health('alice/main') };
}

describe('a venue liquidating by its own maths through the engine', () => {
  it("dYdX: the fill at the fillable price and the insurance fund's fee, as the formulas give", () => {
    const { record, closed, fundTake, after } = liquidateAt('dydx', dydxLiquidationPricing(), 4, DYDX_AT);
    expect(record.pricing).toBe('dYdX v4 liquidation maths');
    const tnc = record.before.equityUsd;
    const tmmr = record.before.maintenanceUsd; // one position: PMMR = TMMR
    expect(tnc).toBeGreaterThan(0);
    expect(tnc).toBeLessThan(tmmr);
    expect(closed).toBeGreaterThan(0);
    const oracleUsd = DYDX_AT;
    const ps = 4;
    const abr = Math.min(1, Math.max(0, 1 * (1 - tnc / tmmr)));
    const pf = oracleUsd - (abr * 1.5 * tmmr) / ps;
    const spread = closed * (oracleUsd - pf);
    const dmmr = (tmmr * closed) / ps;
    const qb = closed * oracleUsd - (tnc * dmmr) / tmmr;
    const qf = closed * pf;
    const fund = qf >= qb ? Math.min(qf - qb, 0.015 * qf) : 0;
    expect(record.costUsd).toBeCloseTo(spread, 4);
    expect(record.insuranceUsd).toBeCloseTo(fund, 4);
    expect(record.feeUsd).toBeCloseTo(fund, 4);
    expect(fundTake).toBeCloseTo(fund, 4); // rounded up to the cent's base units
    // the account pays exactly the spread and the fund's fee (the closed part moves at its mark value)
    expect(after.equityUsd).toBeCloseTo(tnc - spread - fund, 2);
  });

  it("Drift: the liquidator's fee and the insurance fund's fee on the notional closed", () => {
    const { record, closed, fundTake, after } = liquidateAt('drift', driftLiquidationPricing(), 1.5, 45_000);
    expect(record.pricing).toBe('Drift v2 liquidation maths');
    const tnc = record.before.equityUsd;
    expect(tnc).toBeLessThan(record.before.maintenanceUsd);
    expect(closed).toBeGreaterThan(0);
    const notionalClosed = closed * 45_000;
    const marginRatio = Math.max(0, tnc) / (1.5 * 45_000);
    const liquidatorFee = 0.01 * notionalClosed;
    const ifFee = Math.min(0.01, Math.max(0, marginRatio - 0.01)) * notionalClosed;
    expect(record.costUsd).toBeCloseTo(0, 9);
    expect(record.insuranceUsd).toBeCloseTo(ifFee, 4);
    expect(record.feeUsd).toBeCloseTo(liquidatorFee + ifFee, 4);
    expect(fundTake).toBeCloseTo(ifFee, 4);
    expect(after.equityUsd).toBeCloseTo(tnc - liquidatorFee - ifFee, 2);
  });

  it('without a pricing hook the planner charges its own costs (the record says so)', () => {
    const own = liquidateAt('dydx', dydxLiquidationPricing(), 4, DYDX_AT).record;
    const { record } = liquidateAt('dydx', undefined, 4, DYDX_AT);
    expect(record.pricing).toBe('planner');
    expect(record.feeUsd).not.toBeCloseTo(own.feeUsd, 2);
  });
});
