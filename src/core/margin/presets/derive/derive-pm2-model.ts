/**
 * `derive-pm2`: Derive's PMRM_2 portfolio margin (derivexyz/v2-core `PMRMLib_2.sol`,
 * `PMRM_2.sol`) as an xmargin `MarginModel`. docs/methodology/presets-derive.md#pm2.
 *
 * Per currency book b (pm2-book.ts), Derive's net margin is
 *   worst_b  = min(basis_b, min_s pnl_b(s))                          (≤ 0)
 *   factor   = IM ? imFactor + pegLossFactor·max(0, pegLossThreshold − stable) : mmFactor
 *   margin_b = worst_b·factor − (IM ? IMCont_b : 0) − MMCont_b + MtM_b + cash
 * and an account passes when margin ≥ 0. xmargin states requirements against equity instead:
 *   equity   = cash + Σ collateral value + Σ option MtM + Σ perp unrealised P&L  (= Derive's MtM + cash)
 *   IM       = Σ_b (−worst_b·factorIM + IMCont_b + MMCont_b) + loose-collateral charges
 *   MM       = Σ_b (−worst_b·mmFactor + MMCont_b) + loose-collateral MM charges
 * so that Derive's margin = equity − requirement, and margin ≥ 0 ⇔ equity ≥ requirement. With one
 * book this is Derive's number exactly; several books add up (no cross-currency netting, which
 * Derive does not offer either: one currency per sub-account).
 *
 * Contributions (sum to IM): −factorIM × each holding's P&L at its book's worst scenario (Euler:
 * the P&L is linear in each holding given the scenario and the expiry's discount branch), plus
 * each contingency on the holding that causes it.
 */
import type {
  Contribution,
  MarginComponent,
  MarginModel,
  MarginResult,
  WorstScenario,
} from '../../margin-model.js';
import { paramsVersion } from '../../params-version.js';
import { ensureFinite, InvariantError } from '../../../errors.js';
import {
  DEFAULT_DERIVE_PM2_PARAMS,
  parseDerivePm2Params,
  type DerivePm2Params,
  type Pm2Scenario,
} from './pm2-params.js';
import { arrangePm2Account, type Pm2Book } from './pm2-book.js';
import { bookBasisContingency, bookScenarioPnl, prepareExpiries } from './pm2-scenario-pnl.js';
import { bookContingencies, looseCollateralContingencies, type Pm2Charge } from './pm2-contingencies.js';

/** The worst outcome of one book: a scenario index, or the basis contingency (index −1). */
export interface Pm2BookWorst {
  readonly index: number;
  /** P&L (≤ 0) in cash units */
  readonly pnlUsd: number;
  /** every scenario's P&L, in the params' order */
  readonly scenarioPnlUsd: readonly number[];
  readonly basisUsd: number;
  /** each holding's share of `pnlUsd` */
  readonly parts: ReadonlyMap<string, number>;
  /** Derive's option MtM of the book, Σ units·Black76 at today's forward, vol and DF */
  readonly optionMtmUsd: number;
}

/**
 * Worst outcome of a book: Derive starts from the basis contingency and takes a scenario only
 * when it is strictly worse (ties keep the earlier one).
 */
export function findBookWorst(book: Pm2Book, p: DerivePm2Params): Pm2BookWorst {
  const states = prepareExpiries(book, p);
  const basisUsd = bookBasisContingency(states, p);
  const scenarioPnlUsd = p.scenarios.map((s) => bookScenarioPnl(book, states, s, p));
  let index = -1;
  let pnlUsd = basisUsd;
  scenarioPnlUsd.forEach((x, i) => {
    if (x < pnlUsd) [index, pnlUsd] = [i, x];
  });
  const parts = new Map<string, number>();
  if (index < 0) bookBasisContingency(states, p, parts);
  else bookScenarioPnl(book, states, p.scenarios[index]!, p, parts);
  const optionMtmUsd = states.reduce((a, st) => a + st.mtm, 0);
  return { index, pnlUsd, scenarioPnlUsd, basisUsd, parts, optionMtmUsd };
}

function scenarioLabel(s: Pm2Scenario): string {
  const move = s.spotShock === 1 ? 'spot unchanged' : `spot ×${s.spotShock}`;
  const vol =
    s.volShock === 'linear' || s.volShock === 'abs' ? `${s.volShock} skew shock` : `vol ${s.volShock}`;
  return `${move}, ${vol}, dampening ${s.dampening}`;
}

function computeDerivePm2(
  portfolio: Parameters<MarginModel['compute']>[0],
  ctx: Parameters<MarginModel['compute']>[1],
  p: DerivePm2Params,
): MarginResult {
  const market = ctx.market;
  const account = arrangePm2Account(portfolio, market, p);
  const o = p.otherContingency;
  const pegLoss = Math.max(0, o.pegLossThreshold - account.stablePrice) * o.pegLossFactor;
  const imFactor = p.margin.imFactor + pegLoss;
  const components: MarginComponent[] = [];
  const contributions = new Map<string, number>();
  const add = (key: string, x: number) => contributions.set(key, (contributions.get(key) ?? 0) + x);
  let equity = account.cashUsd;
  let im = 0;
  let mm = 0;
  let worst: WorstScenario | undefined;
  let worstLoss = -1;
  const charge = (label: string, charges: readonly Pm2Charge[]) => {
    for (const kind of ['perp', 'option', 'collateral', 'oracle'] as const) {
      const mine = charges.filter((c) => c.kind === kind && (c.mmUsd > 0 || c.imUsd > 0));
      if (mine.length === 0) continue;
      const mmUsd = mine.reduce((a, c) => a + c.mmUsd, 0);
      const imUsd = mine.reduce((a, c) => a + c.imUsd, 0);
      components.push({
        name: `${kind}-contingency:${label}`,
        initialUsd: mmUsd + imUsd,
        maintenanceUsd: mmUsd,
        detail: { byHolding: Object.fromEntries(mine.map((c) => [c.key, c.mmUsd + c.imUsd])) },
      });
      for (const c of mine) add(c.key, c.mmUsd + c.imUsd);
      im += mmUsd + imUsd;
      mm += mmUsd;
    }
  };
  for (const book of account.books) {
    const w = findBookWorst(book, p);
    const loss = -w.pnlUsd;
    const scenario = w.index < 0 ? undefined : p.scenarios[w.index]!;
    const id = `${book.currency}:${w.index < 0 ? 'basis' : `s${w.index}`}`;
    const label = `${book.currency} ${scenario ? scenarioLabel(scenario) : 'basis contingency (forward ±, vols static)'}`;
    components.push({
      name: `scenario:${book.currency}`,
      initialUsd: loss * imFactor,
      maintenanceUsd: loss * p.margin.mmFactor,
      detail: {
        worst: id,
        label,
        worstPnlUsd: w.pnlUsd,
        basisContingencyUsd: w.basisUsd,
        scenarioPnlUsd: w.scenarioPnlUsd,
        imFactor,
        pegLossFactorAdded: pegLoss,
      },
    });
    for (const [key, x] of w.parts) add(key, -x * imFactor);
    im += loss * imFactor;
    mm += loss * p.margin.mmFactor;
    if (loss * imFactor > worstLoss) {
      worstLoss = loss * imFactor;
      worst = { id, label, underlying: book.currency, pnlUsd: w.pnlUsd };
    }
    charge(book.currency, bookContingencies(book, p));
    // Equity: Derive's MtM of the book (options at its own Black-76 price, perp P&L, collateral).
    equity += w.optionMtmUsd;
    for (const l of book.linears) equity += l.valueUsd;
    for (const c of book.collaterals) equity += c.valueUsd;
  }
  charge('unassigned', looseCollateralContingencies(account.looseCollateral, p));
  for (const c of account.looseCollateral) equity += c.valueUsd;
  ensureFinite(im, 'derive-pm2 initial margin');
  ensureFinite(mm, 'derive-pm2 maintenance margin');
  ensureFinite(equity, 'derive-pm2 equity');
  if (!(im >= mm && mm >= 0)) throw new InvariantError('derive-pm2: IM >= MM >= 0 broken', { im, mm });
  const list: Contribution[] = [...contributions].map(([key, initialUsd]) => ({ key, initialUsd }));
  return {
    model: 'derive-pm2',
    initialUsd: im,
    maintenanceUsd: mm,
    equityUsd: equity,
    components,
    ...(worst ? { worstScenario: worst } : {}),
    contributions: list,
    paramsVersion: paramsVersion('derive-pm2', p),
    snapshotId: market.snapshotId,
    valuationMs: market.valuationMs,
  };
}

/**
 * `derive-pm2`: Derive's PMRM_2 portfolio margin per currency (module header).
 * @throws (compute) RiskError ERR_MISSING_MARKET_DATA, ERR_INVALID_PARAMS (unlisted collateral);
 *         InvalidInputError ERR_INVALID_INPUT (borrowed non-cash collateral); ERR_NUMERIC
 * @example derivePm2Model.compute(portfolio, createMarginContext(market), derivePm2Model.defaultParams)
 */
export const derivePm2Model: MarginModel<DerivePm2Params> = {
  name: 'derive-pm2',
  description:
    'Derive PMRM_2: 33 spot/vol scenarios per currency with tail dampening, skew shocks, static discounting and contingencies',
  source: 'docs/methodology/presets-derive.md#pm2 (derivexyz/v2-core src/risk-managers/PMRMLib_2.sol)',
  defaultParams: DEFAULT_DERIVE_PM2_PARAMS,
  parseParams: parseDerivePm2Params,
  compute: computeDerivePm2,
};
