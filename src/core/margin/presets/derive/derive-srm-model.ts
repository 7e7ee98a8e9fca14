/**
 * `derive-srm`: Derive's StandardManager (derivexyz/v2-core `src/risk-managers/StandardManager.sol`)
 * as an xmargin `MarginModel`. docs/methodology/presets-derive.md#srm.
 *
 * Derive sums a net margin over markets (one per underlying) and passes the account when it is
 * ≥ 0; per market, in Derive's signs (requirements negative, credits positive):
 *   perp     −|u|·perpPrice·(IM ? imPerpReq : mmPerpReq)  − IM: (1 − conf)·ocFactor·S·|u| if conf < perpThreshold
 *   options  Σ_expiry max(Σ isolated, max loss)           − IM: (1 − conf)·ocFactor·S·Σ shorts if conf < optionThreshold
 *   base     +qty·S·marginFactor (IM: ·imScale)           − IM: (1 − conf)·ocFactor·qty·S if conf < baseThreshold
 *   depeg    − IM: (threshold − stable)·depegFactor·S·(Σ shorts + Σ|perps|) when stable < threshold
 *   plus unrealised perp P&L, plus cash.
 * xmargin's requirement is equity − Derive's margin, with equity = cash + option marks (Black-76,
 * DF = 1, as Derive marks them) + perp P&L + base value qty·S/stable; so Derive's margin ≥ 0 ⇔
 * equity ≥ requirement. Long options count in equity but not as margin: their mark reappears in
 * the requirement (Derive does not lend against long options).
 *
 * Extensions (Derive has neither): dated futures are margined as perps at their mark; several
 * perps of one underlying each get the perp rule. A raw requirement below 0 (possible only with
 * a stable above 1/marginFactor) is floored at 0 with an explicit adjustment component.
 */
import type {
  Contribution,
  MarginComponent,
  MarginContext,
  MarginModel,
  MarginResult,
} from '../../margin-model.js';
import { paramsVersion } from '../../params-version.js';
import { ensureFinite, InvalidInputError, InvariantError, RiskError } from '../../../errors.js';
import { fromUnits } from '../../../ledger/convert.js';
import { priceBlack76 } from '../../../pricing/black76.js';
import { confidenceOf } from '../../../portfolio/feed-confidence.js';
import type { Portfolio } from '../../../portfolio/portfolio.js';
import { DEFAULT_DERIVE_SRM_PARAMS, parseDeriveSrmParams, type DeriveSrmParams } from './srm-params.js';
import { expiryOptionMargin, type SrmKind, type SrmOption } from './srm-option-margin.js';
import { stablePriceOf } from './stable-price.js';

interface Market {
  readonly underlying: string;
  readonly linears: { key: string; units: number; price: number; pnl: number }[];
  readonly expiries: Map<number, { forward: number; options: SrmOption[] }>;
}

function missing(field: string): RiskError {
  return new RiskError('ERR_MISSING_MARKET_DATA', `${field} is required by derive-srm`, { field });
}

/** Per-key requirement amounts of one kind (≥ 0 in total), grouped into named components. */
class Ledger {
  readonly byComponent = new Map<string, Map<string, number>>();
  add(component: string, key: string, x: number): void {
    if (x === 0) return;
    let m = this.byComponent.get(component);
    if (!m) this.byComponent.set(component, (m = new Map()));
    m.set(key, (m.get(key) ?? 0) + x);
  }
  total(component: string): number {
    return [...(this.byComponent.get(component)?.values() ?? [])].reduce((a, b) => a + b, 0);
  }
}

function requirements(portfolio: Portfolio, ctx: MarginContext, p: DeriveSrmParams, kind: SrmKind) {
  const market = ctx.market;
  const stable = stablePriceOf(market, p.cashAsset, 'derive-srm');
  const depegMultiplier =
    kind === 'initial' ? Math.max(0, p.depeg.threshold - stable) * p.depeg.depegFactor : 0;
  const ledger = new Ledger();
  let equity = 0;
  const markets = new Map<string, Market>();
  const marketOf = (u: string) => {
    let m = markets.get(u);
    if (!m) markets.set(u, (m = { underlying: u, linears: [], expiries: new Map() }));
    return m;
  };
  const base = new Map<string, { key: string; qty: number; field: string }[]>();
  const addBase = (asset: string, key: string, qty: number, field: string) =>
    base.set(asset, [...(base.get(asset) ?? []), { key, qty, field }]);
  for (const [symbol, bal] of portfolio.collateral) {
    const qty = fromUnits(bal.units, bal.asset.decimals);
    if (symbol === p.cashAsset || symbol === market.quoteCurrency) equity += qty;
    else addBase(symbol, `collateral:${symbol}`, qty, `collateral.${symbol}`);
  }
  for (const pos of portfolio.positions) {
    const marked = market.instruments.get(pos.instrument)!;
    const inst = marked.instrument;
    const units = pos.size * inst.contractSize;
    if (inst.kind === 'spot') {
      addBase(inst.asset, inst.id, units, `positions[${inst.id}]`);
    } else if (inst.kind === 'option') {
      const { forward, vol } = marked;
      if (forward === undefined) throw missing(`instruments[${inst.id}].forward`);
      if (vol === undefined) throw missing(`instruments[${inst.id}].iv`);
      // Derive's SRM marks options at the forward without discounting (DF = 1).
      const price = priceBlack76({
        type: inst.optionType,
        forward,
        strike: inst.strike,
        tYears: inst.tYears,
        vol,
      });
      const m = marketOf(inst.underlying);
      const e = m.expiries.get(inst.expiryMs) ?? { forward, options: [] };
      e.options.push({ key: inst.id, isCall: inst.optionType === 'call', strike: inst.strike, units, price });
      m.expiries.set(inst.expiryMs, e);
      equity += units * price;
    } else {
      const pnl = pos.entryPrice === undefined ? 0 : units * (marked.markPrice - pos.entryPrice);
      marketOf(inst.underlying).linears.push({ key: inst.id, units, price: marked.markPrice, pnl });
      equity += pnl;
    }
  }
  for (const asset of base.keys()) marketOf(asset);
  for (const m of markets.values()) {
    const u = m.underlying;
    const mp = p.markets[u] ?? p.defaultMarket;
    const spot = market.prices.get(u);
    if (spot === undefined) throw missing(`prices.${u}`);
    // Each position reads its own feeds: perps the perp and spot feeds, options spot, forward and
    // vol, base assets the spot feed (Derive's OracleContingencyParams).
    const perpConf = confidenceOf(market, u, ['perp', 'spot']);
    const optionConf = confidenceOf(market, u, ['spot', 'forward', 'vol']);
    const oc = (threshold: number, notional: number, conf: number) =>
      kind === 'initial' && threshold > 0 && conf < threshold
        ? (1 - conf) * mp.oracle.ocFactor * notional
        : 0;
    for (const l of m.linears) {
      const rate = kind === 'initial' ? mp.perp.imPerpReq : mp.perp.mmPerpReq;
      ledger.add(`perp:${u}`, l.key, Math.abs(l.units) * l.price * rate);
      ledger.add(`oracle:${u}`, l.key, oc(mp.oracle.perpThreshold, Math.abs(l.units) * spot, perpConf));
      ledger.add(`depeg:${u}`, l.key, depegMultiplier * spot * Math.abs(l.units));
    }
    for (const e of m.expiries.values()) {
      const r = expiryOptionMargin(e.options, spot, e.forward, kind, mp.options);
      // requirement share = mark − Derive's (negative) margin share: longs give back their mark.
      for (const o of e.options)
        ledger.add(`options:${u}`, o.key, o.units * o.price - (r.shares.get(o.key) ?? 0));
      for (const o of e.options) {
        if (o.units >= 0) continue;
        ledger.add(`oracle:${u}`, o.key, oc(mp.oracle.optionThreshold, -o.units * spot, optionConf));
        ledger.add(`depeg:${u}`, o.key, depegMultiplier * spot * -o.units);
      }
    }
    for (const h of base.get(u) ?? []) {
      if (h.qty === 0) continue;
      const bp = p.base[u];
      if (!bp)
        throw new RiskError(
          'ERR_INVALID_PARAMS',
          `derive-srm params: base.${u} is not listed, and the StandardManager refuses unlisted assets (${h.field})`,
          { field: `base.${u}`, asset: u },
        );
      if (!(h.qty > 0))
        throw new InvalidInputError(
          h.field,
          h.qty,
          'must be >= 0 under derive-srm (only cash can be borrowed)',
        );
      const notional = h.qty * spot;
      const value = notional / stable;
      const credit = notional * bp.marginFactor * (kind === 'initial' ? bp.imScale : 1);
      equity += value;
      ledger.add(`base:${u}`, h.key, value - credit);
      ledger.add(
        `oracle:${u}`,
        h.key,
        oc(mp.oracle.baseThreshold, notional, confidenceOf(market, u, ['spot'])),
      );
    }
  }
  return { ledger, equity, stable };
}

function computeDeriveSrm(portfolio: Portfolio, ctx: MarginContext, p: DeriveSrmParams): MarginResult {
  const im = requirements(portfolio, ctx, p, 'initial');
  const mm = requirements(portfolio, ctx, p, 'maintenance');
  const names = [...new Set([...im.ledger.byComponent.keys(), ...mm.ledger.byComponent.keys()])];
  const components: MarginComponent[] = names.map((name) => ({
    name,
    initialUsd: im.ledger.total(name),
    maintenanceUsd: mm.ledger.total(name),
    detail: { byHolding: Object.fromEntries(im.ledger.byComponent.get(name) ?? []) },
  }));
  const contributions = new Map<string, number>();
  for (const m of im.ledger.byComponent.values())
    for (const [k, x] of m) contributions.set(k, (contributions.get(k) ?? 0) + x);
  let initialUsd = components.reduce((a, c) => a + c.initialUsd, 0);
  let maintenanceUsd = components.reduce((a, c) => a + c.maintenanceUsd, 0);
  // Floors (module header): never a negative requirement; IM never below MM.
  if (maintenanceUsd < 0 || initialUsd < Math.max(maintenanceUsd, 0)) {
    const imAdj = Math.max(maintenanceUsd, 0) - initialUsd;
    const mmAdj = Math.max(0, -maintenanceUsd);
    components.push({ name: 'adjustment:floor', initialUsd: Math.max(imAdj, 0), maintenanceUsd: mmAdj });
    if (imAdj > 0) contributions.set('adjustment:floor', imAdj);
    initialUsd += Math.max(imAdj, 0);
    maintenanceUsd += mmAdj;
  }
  ensureFinite(initialUsd, 'derive-srm initial margin');
  ensureFinite(maintenanceUsd, 'derive-srm maintenance margin');
  if (!(initialUsd >= maintenanceUsd && maintenanceUsd >= 0))
    throw new InvariantError('derive-srm: IM >= MM >= 0 broken', { initialUsd, maintenanceUsd });
  const list: Contribution[] = [...contributions].map(([key, initial]) => ({ key, initialUsd: initial }));
  return {
    model: 'derive-srm',
    initialUsd,
    maintenanceUsd,
    equityUsd: ensureFinite(im.equity, 'derive-srm equity'),
    components,
    contributions: list,
    paramsVersion: paramsVersion('derive-srm', p),
    snapshotId: ctx.market.snapshotId,
    valuationMs: ctx.market.valuationMs,
  };
}

/**
 * `derive-srm`: Derive's StandardManager, position by position per market (module header).
 * @throws (compute) RiskError ERR_MISSING_MARKET_DATA, ERR_INVALID_PARAMS (unlisted base asset);
 *         InvalidInputError ERR_INVALID_INPUT (borrowed non-cash asset); ERR_NUMERIC
 * @example deriveSrmModel.compute(portfolio, createMarginContext(market), deriveSrmModel.defaultParams)
 */
export const deriveSrmModel: MarginModel<DeriveSrmParams> = {
  name: 'derive-srm',
  description:
    'Derive StandardManager: perp rates, per-expiry option margin (isolated vs max loss), base assets as discounted cash',
  source: 'docs/methodology/presets-derive.md#srm (derivexyz/v2-core src/risk-managers/StandardManager.sol)',
  defaultParams: DEFAULT_DERIVE_SRM_PARAMS,
  parseParams: parseDeriveSrmParams,
  compute: computeDeriveSrm,
};
