/**
 * @module margin/kernel/es-kernel
 *
 * The prepared form of the statistical models `es` and `var` (es-model.ts has the model and its
 * explanation). Per market update: the joint risk arrays of the current and the stressed scenario
 * sets (built once and shared), per row its row in each, its delta per unit of quantity (options:
 * Black-76 delta × contract size) and its underlying. Per account, allocation-free:
 *
 *   pnl[s] = Σ q·unitPnl[row, s] over the current set; ES_α (or VaR_α) by partial selection
 *            (statistics/var-es.ts `computeVarEs`, no sort); the same over the stressed set
 *   market part = max(ES, (1 − w)·ES + w·ES_stressed, gridLoss / mmFraction), gridLoss the worst
 *                 loss over the joint move grid when the move floor is on (scenarios/move-grid.ts)
 *   + per underlying with net delta N (USD): N·(halfSpread + impact·√(N/ADV)) + gas × rows on it,
 *     and rate·max(0, N − threshold·ADV); + stablecoin haircuts
 *   MM = mmFraction·IM
 */
import { computeBlack76Greeks } from '../../pricing/black76.js';
import { collateralKey } from '../../risk/risk-arrays.js';
import { computeVarEs, VarEsWorkspace } from '../../statistics/var-es.js';
import type { JointRiskArrays } from '../../risk/historical-risk-arrays.js';
import type { MarginContext, MarginModel } from '../margin-model.js';
import type { EsModelParams } from '../es-params.js';
import { ROW_COLLATERAL, ROW_OPTION, ROW_SPOT, type MarketRows } from './account-rows.js';
import type { PreparedMargin } from './prepared-margin.js';

/** The scenario sets the model built for this market (es-model.ts `esScenarios`). */
export interface EsArrays {
  readonly current: JointRiskArrays;
  readonly stressed: JointRiskArrays;
  /** the move grid's arrays, when the move floor is on */
  readonly grid?: { readonly arrays: JointRiskArrays } | undefined;
}

/** Prepares `es` or `var` (module header). */
export function prepareEsKernel(
  model: MarginModel<EsModelParams>,
  measure: 'es' | 'var',
  ctx: MarginContext,
  p: EsModelParams,
  rows: MarketRows,
  arrays: EsArrays,
): PreparedMargin {
  const market = ctx.market;
  const stable = new Set([...p.stableAssets, market.quoteCurrency]);
  const n = rows.size;
  const nU = rows.underlyings.length;
  const rowCur = new Int32Array(n).fill(-1);
  const rowStr = new Int32Array(n).fill(-1);
  const rowGrid = new Int32Array(n).fill(-1);
  const gridArrays = arrays.grid?.arrays;
  const deltaPerQty = new Float64Array(n);
  const isStable = new Uint8Array(n);
  const hairIm = new Float64Array(n);
  const uPrice = new Float64Array(nU);
  const uAdv = new Float64Array(nU);
  const uStable = new Uint8Array(nU);
  rows.underlyings.forEach((u, i) => {
    uPrice[i] = market.prices.get(u) ?? NaN;
    uAdv[i] = p.liquidity.advUsd[u] ?? p.liquidity.defaultAdvUsd;
    uStable[i] = stable.has(u) ? 1 : 0;
  });
  for (let g = 0; g < n; g++) {
    if (rows.priced[g] === 0) continue;
    const kind = rows.kind[g]!;
    const u = rows.underlyings[rows.underlying[g]!]!;
    if (kind === ROW_COLLATERAL && stable.has(u)) {
      isStable[g] = 1;
      hairIm[g] = (p.haircuts[u] ?? p.defaultHaircut).im;
      continue;
    }
    const key = kind === ROW_COLLATERAL || kind === ROW_SPOT ? collateralKey(u) : rows.universe.keys[g]!;
    rowCur[g] = arrays.current.rowOf.get(key) ?? -1;
    rowStr[g] = arrays.stressed.rowOf.get(key) ?? -1;
    if (gridArrays) rowGrid[g] = gridArrays.rowOf.get(key) ?? -1;
    const cs = rows.contractSize[g]!;
    if (kind === ROW_OPTION) {
      const m = market.instruments.get(rows.universe.keys[g]!)!;
      const inst = m.instrument;
      if (inst.kind === 'option')
        deltaPerQty[g] =
          cs *
          computeBlack76Greeks({
            type: inst.optionType,
            forward: m.forward!,
            strike: inst.strike,
            tYears: m.tYears!,
            vol: m.vol!,
            rate: m.rate ?? 0,
          }).delta;
    } else deltaPerQty[g] = kind === ROW_COLLATERAL ? 1 : cs;
  }
  const liabIm = p.liabilityWeight.im - 1;
  const Sc = arrays.current.nScenarios;
  const Ss = arrays.stressed.nScenarios;
  const pnlCur = new Float64Array(Sc);
  const pnlStr = new Float64Array(Ss);
  const Sg = gridArrays?.nScenarios ?? 0;
  const pnlGrid = new Float64Array(Sg);
  const ws = new VarEsWorkspace(Math.max(Sc, Ss));
  const delta = new Float64Array(nU);
  const rowsOnU = new Int32Array(nU);
  const touched = new Uint8Array(nU);

  /** max(0, ES or VaR) of `pnl`; 0 for an empty set. */
  const tailLoss = (pnl: Float64Array): number => {
    if (pnl.length === 0) return 0;
    computeVarEs(pnl, { alpha: p.alpha }, ws);
    return Math.max(0, measure === 'es' ? ws.expectedShortfall : ws.valueAtRisk);
  };

  return {
    model: measure,
    explain: (pf) => model.compute(pf, ctx, p),
    margin(view, ids, count, out) {
      for (let k = 0; k < count; k++) {
        const a = ids[k]!;
        pnlCur.fill(0);
        pnlStr.fill(0);
        pnlGrid.fill(0);
        delta.fill(0);
        rowsOnU.fill(0);
        touched.fill(0);
        let haircut = 0;
        let held = 0;
        let bad = false;
        const s1 = view.start[a]! + view.count[a]!;
        for (let s = view.start[a]!; s < s1; s++) {
          const g = view.row[s]!;
          if (g >= n || rows.priced[g] === 0) {
            bad = true;
            break;
          }
          const q = view.qty[s]!;
          if (isStable[g] === 1) {
            const v = q * rows.mark[g]!;
            if (v >= 0) {
              if (v * hairIm[g]! > 0) haircut += v * hairIm[g]!;
            } else if (-v * liabIm > 0) haircut += -v * liabIm;
            continue;
          }
          const rc = rowCur[g]!;
          const rs = rowStr[g]!;
          const rg = rowGrid[g]!;
          if (rc < 0 || (Ss > 0 && rs < 0) || (Sg > 0 && rg < 0)) {
            bad = true;
            break;
          }
          held++;
          const kind = rows.kind[g]!;
          // a spot instrument is the asset held: its quantity in units of the asset
          const qr = kind === ROW_SPOT ? q * rows.contractSize[g]! : q;
          const cur = arrays.current.unitPnl;
          const bc = rc * Sc;
          for (let x = 0; x < Sc; x++) pnlCur[x] = pnlCur[x]! + qr * cur[bc + x]!;
          if (Ss > 0) {
            const str = arrays.stressed.unitPnl;
            const bs = rs * Ss;
            for (let x = 0; x < Ss; x++) pnlStr[x] = pnlStr[x]! + qr * str[bs + x]!;
          }
          if (Sg > 0) {
            const gr = gridArrays!.unitPnl;
            const bg = rg * Sg;
            for (let x = 0; x < Sg; x++) pnlGrid[x] = pnlGrid[x]! + qr * gr[bg + x]!;
          }
          const u = rows.underlying[g]!;
          touched[u] = 1;
          rowsOnU[u] = rowsOnU[u]! + 1;
          delta[u] = delta[u]! + q * deltaPerQty[g]!;
        }
        if (bad) {
          out.im[a] = NaN;
          out.mm[a] = NaN;
          continue;
        }
        const esCur = held > 0 ? tailLoss(pnlCur) : 0;
        const esStr = held > 0 ? tailLoss(pnlStr) : 0;
        const blended = (1 - p.stressWeight) * esCur + p.stressWeight * esStr;
        // Move floor: MM = mmFraction·IM covers the worst loss of the joint move grid.
        let gridLoss = 0;
        if (held > 0) for (let x = 0; x < Sg; x++) if (-pnlGrid[x]! > gridLoss) gridLoss = -pnlGrid[x]!;
        const gridFloor = gridLoss > 0 ? gridLoss / p.mmFraction : 0;
        let addOns = 0;
        for (let u = 0; u < nU; u++) {
          if (touched[u] === 0 || uStable[u] === 1) continue;
          const net = Math.abs(delta[u]!) * uPrice[u]!;
          const adv = uAdv[u]!;
          const cost =
            net * (p.liquidity.halfSpread + p.liquidity.impact * Math.sqrt(net / adv)) +
            p.liquidity.gasUsdPerTransaction * rowsOnU[u]!;
          if (cost > 0) addOns += cost;
          const conc = p.concentration.rate * Math.max(0, net - p.concentration.thresholdOfAdv * adv);
          if (conc > 0) addOns += conc;
        }
        const im = Math.max(esCur, blended, gridFloor) + addOns + haircut;
        out.im[a] = im;
        out.mm[a] = p.mmFraction * im;
      }
    },
  };
}
