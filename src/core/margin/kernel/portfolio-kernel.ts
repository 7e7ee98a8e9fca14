/**
 * @module margin/kernel/portfolio-kernel
 *
 * The `portfolio` model's prepared form (portfolio-model.ts has the model, its formulas and its
 * explanation). Per market update it lays out, per row: the underlying and the row of that
 * underlying's risk arrays, the row of the joint stress arrays, the contingency per contract and the
 * gross notional per unit; per underlying: the scenario P&L of one unit, the sign of each scenario's
 * spot move, the oracle-confidence add-on rate; and the correlation matrix. Then, per account,
 * allocation-free (scratch buffers sized once):
 *
 *   pnl_u[s] = Σ_{slots on u} q·unitPnl_u[row, s]       L_u = max(0, −min_s pnl_u[s]), d_u = sign of its move
 *   D = max(√(Σ_uv c_uv·L_u·L_v), minDiversified·Σ L_u),  c_uu = 1, c_uv = ρ_uv·d_u·d_v
 *   scenario part = max(D, stressWeight·(−min_k Σ q·stress[row, k]))
 *   IM = imFactor·scenario part + short options·rate + linear notional·rate
 *        + (1 − confidence)·factor·gross_u (low-confidence underlyings) + stablecoin haircuts
 *   MM = mmFraction·IM
 *
 * Risk arrays of an underlying whose inputs did not change since the previous update are reused.
 * Books the kernel does not cover (instruments on a stablecoin) run through the generic kernel.
 */
import type { MarginContext, MarginModel } from '../margin-model.js';
import { correlationOf, type PortfolioModelParams } from '../portfolio-params.js';
import { collateralKey, type RiskArrays } from '../../risk/risk-arrays.js';
import type { StressArrays } from '../../risk/stress-arrays.js';
import {
  ROW_COLLATERAL,
  ROW_LINEAR,
  ROW_OPTION,
  ROW_SPOT,
  type AccountRowsView,
  type MarketRows,
} from './account-rows.js';
import { prepareGeneric, type MarginOut, type PreparedMargin } from './prepared-margin.js';
import type { SimdKernel } from './simd-kernel.js';

/** What the model gives the kernel (portfolio-model.ts, to avoid an import cycle). */
export interface PortfolioModelParts {
  readonly model: MarginModel<PortfolioModelParams>;
  riskArrays(ctx: MarginContext, p: PortfolioModelParams, underlying: string): RiskArrays;
  stressArrays(ctx: MarginContext, p: PortfolioModelParams): StressArrays;
  correlationPairs(ctx: MarginContext, p: PortfolioModelParams): { pairs: Readonly<Record<string, number>> };
}

/** The prepared portfolio kernel; keeps its per-underlying arrays for reuse at the next update. */
interface PortfolioPrepared extends PreparedMargin {
  readonly params: PortfolioModelParams;
  readonly arraysByU: ReadonlyMap<string, RiskArrays>;
}

/** Prepares the portfolio kernel (module header). */
export function preparePortfolioKernel(
  parts: PortfolioModelParts,
  ctx: MarginContext,
  p: PortfolioModelParams,
  rows: MarketRows,
  previous?: PreparedMargin,
  changed?: ReadonlySet<string>,
  simd?: SimdKernel,
): PreparedMargin {
  const market = ctx.market;
  const stable = new Set([...p.stableAssets, market.quoteCurrency]);
  for (const m of market.instruments.values())
    if (stable.has(m.instrument.underlying)) return prepareGeneric(parts.model, ctx, p);
  const prev = previous as PortfolioPrepared | undefined;
  const reuse = prev !== undefined && prev.params === p && changed !== undefined ? prev.arraysByU : undefined;

  // Underlyings: every priced non-stable asset.
  const U = [...market.prices.keys()].filter((a) => !stable.has(a));
  const nU = U.length;
  const uIndex = new Map(U.map((u, i) => [u, i]));
  const arraysByU = new Map<string, RiskArrays>();
  const unitPnl: Float64Array[] = [];
  const nScen = new Int32Array(nU);
  const spotDir: Float64Array[] = [];
  const offset = new Int32Array(nU);
  let total = 0;
  U.forEach((u, i) => {
    const old = reuse?.get(u);
    const arrays = old !== undefined && !changed!.has(u) ? old : parts.riskArrays(ctx, p, u);
    arraysByU.set(u, arrays);
    unitPnl.push(arrays.unitPnl);
    nScen[i] = arrays.nScenarios;
    spotDir.push(Float64Array.from(arrays.scenarios, (s) => Math.sign(s.spotMove)));
    offset[i] = total;
    total += arrays.nScenarios;
  });
  const pairs = parts.correlationPairs(ctx, p).pairs;
  const corr = new Float64Array(nU * nU);
  for (let i = 0; i < nU; i++)
    for (let j = 0; j < nU; j++) corr[i * nU + j] = correlationOf(p, U[i]!, U[j]!, pairs);
  const confRate = new Float64Array(nU);
  U.forEach((u, i) => {
    const conf = market.confidence.get(u);
    if (conf !== undefined && conf < p.contingencies.confidenceThreshold)
      confRate[i] = (1 - conf) * p.contingencies.confidenceFactor;
  });
  const stress = p.stressWeight > 0 ? parts.stressArrays(ctx, p) : undefined;
  const K = stress?.stresses.length ?? 0;

  // Per row.
  const n = rows.size;
  const gU = new Int32Array(n).fill(-1);
  const gRow = new Int32Array(n).fill(-1);
  const gStress = new Int32Array(n).fill(-1);
  const gUnits = new Float64Array(n); // units of the underlying per quantity (contract size; 1 for a balance)
  const gCont = new Float64Array(n); // contingency per unit of |quantity| (options: short only)
  const gGross = new Float64Array(n); // gross notional per unit of |quantity|
  const gStable = new Uint8Array(n); // a stablecoin balance: haircut only
  const gHairIm = new Float64Array(n);
  for (let g = 0; g < n; g++) {
    if (rows.priced[g] === 0) continue;
    const key = rows.universe.keys[g]!;
    const kind = rows.kind[g]!;
    const asset = rows.underlyings[rows.underlying[g]!]!;
    if (kind === ROW_COLLATERAL && stable.has(asset)) {
      gStable[g] = 1;
      const h = p.haircuts[asset] ?? p.defaultHaircut;
      gHairIm[g] = h.im;
      continue;
    }
    const u = uIndex.get(asset);
    if (u === undefined) continue;
    const arrays = arraysByU.get(asset)!;
    const rowKey = kind === ROW_COLLATERAL || kind === ROW_SPOT ? collateralKey(asset) : key;
    const r = arrays.rowOf.get(rowKey);
    if (r === undefined) continue;
    gU[g] = u;
    gRow[g] = r;
    // A spot instrument counts as the asset held: its quantity in units of the asset.
    gUnits[g] = kind === ROW_SPOT ? rows.contractSize[g]! : 1;
    const index = rows.index[g]!;
    const cs = rows.contractSize[g]!;
    gGross[g] = kind === ROW_COLLATERAL || kind === ROW_SPOT ? index : index * cs;
    if (kind === ROW_OPTION) gCont[g] = cs * index * p.contingencies.shortOptionRate;
    else if (kind === ROW_LINEAR) gCont[g] = cs * index * p.contingencies.linearRate;
    if (stress) gStress[g] = stress.rowOf.get(kind === ROW_SPOT ? collateralKey(asset) : key) ?? -1;
  }
  const liabIm = p.liabilityWeight.im - 1;

  // Scratch, sized once.
  const pnl = new Float64Array(total);
  const used = new Uint8Array(nU);
  const loss = new Float64Array(nU);
  const dir = new Float64Array(nU);
  const gross = new Float64Array(nU);
  const stressPnl = new Float64Array(Math.max(K, 1));

  /**
   * imFactor × the scenario part, from the worst losses and directions in `loss`, `dir`, `used`
   * and the stress P&L in `stressPnl` (module header).
   */
  const combine = (sumLoss: number, exposed: boolean): number => {
    let quad = 0;
    for (let u = 0; u < nU; u++) {
      const lu = loss[u]!;
      if (used[u] === 0) continue;
      let grad = 0;
      for (let v = 0; v < nU; v++) {
        if (used[v] === 0) continue;
        grad += (u === v ? 1 : corr[u * nU + v]! * dir[u]! * dir[v]!) * loss[v]!;
      }
      quad += lu * grad;
    }
    let scenarioPart = Math.sqrt(Math.max(quad, 0));
    const floor = p.minDiversifiedFraction * sumLoss;
    if (scenarioPart < floor) scenarioPart = floor;
    if (K > 0 && exposed) {
      let worst = 0;
      let found = false;
      for (let x = 0; x < K; x++)
        if (stressPnl[x]! < worst) {
          worst = stressPnl[x]!;
          found = true;
        }
      const stressLoss = -worst * p.stressWeight;
      if (found && stressLoss > scenarioPart) scenarioPart = stressLoss;
    }
    return p.imFactor * scenarioPart;
  };
  /** The oracle-confidence add-on from `gross` and `used`. */
  const confidenceOf = (): number => {
    let confidence = 0;
    for (let u = 0; u < nU; u++)
      if (used[u] === 1 && confRate[u]! > 0) confidence += confRate[u]! * gross[u]!;
    return confidence;
  };

  /**
   * The same computation with the scenario loops in the accelerator, a batch of accounts per call
   * (wasm/risk-kernel.ts `batchLosses`): a first pass lays out the batch's slots and does what is
   * not per scenario, the accelerator returns each account's worst loss and worst scenario per
   * underlying, a second pass combines them. Same operations in the same order per scenario: the
   * same numbers (engine/book/wasm-kernel.test.ts).
   */
  const BATCH_ACCOUNTS = 2048;
  const BATCH_SLOTS = 32_768;
  const w = simd
    ? {
        uPtr: Int32Array.from(unitPnl, (arr) => {
          const ptr = simd.alloc(Math.max(arr.length, 1));
          simd.f64().set(arr, ptr / 8);
          return ptr;
        }),
        accStart: simd.alloc(BATCH_ACCOUNTS / 2 + 1),
        slotU: simd.alloc(BATCH_SLOTS / 2),
        slotRow: simd.alloc(BATCH_SLOTS / 2),
        slotQ: simd.alloc(BATCH_SLOTS),
        uS: simd.alloc(Math.max(nU, 1)),
        uOff: simd.alloc(Math.max(nU, 1)),
        pnl: simd.alloc(Math.max(total, 1)),
        loss: simd.alloc(BATCH_ACCOUNTS * Math.max(nU, 1)),
        idx: simd.alloc((BATCH_ACCOUNTS * Math.max(nU, 1)) / 2 + 1),
      }
    : undefined;
  if (simd && w) {
    simd.i32().set(nScen, w.uS / 4);
    simd.i32().set(offset, w.uOff / 4);
  }
  const bAcc = new Int32Array(BATCH_ACCOUNTS);
  const bCont = new Float64Array(BATCH_ACCOUNTS);
  const bHair = new Float64Array(BATCH_ACCOUNTS);
  const bFlags = new Uint8Array(BATCH_ACCOUNTS); // 1 exposed, 2 bad
  const bGross = new Float64Array(BATCH_ACCOUNTS * Math.max(nU, 1));
  const bStress = new Float64Array(BATCH_ACCOUNTS * Math.max(K, 1));
  const batched = (view: AccountRowsView, ids: Int32Array, count: number, out: MarginOut) => {
    let k = 0;
    while (k < count) {
      const ints = simd!.i32();
      const f64 = simd!.f64();
      const startI = w!.accStart / 4;
      let nb = 0;
      let ns = 0;
      bGross.fill(0);
      bStress.fill(0);
      // Pass 1: slots of as many accounts as fit, and everything that is not per scenario.
      while (k < count && nb < BATCH_ACCOUNTS) {
        const a = ids[k]!;
        const s0 = view.start[a]!;
        const s1 = s0 + view.count[a]!;
        if (ns + (s1 - s0) > BATCH_SLOTS && nb > 0) break;
        ints[startI + nb] = ns;
        bAcc[nb] = a;
        let cont = 0;
        let haircut = 0;
        let flags = 0;
        for (let s = s0; s < s1; s++) {
          const g = view.row[s]!;
          if (g >= n || rows.priced[g] === 0) {
            flags |= 2;
            break;
          }
          const q = view.qty[s]!;
          if (gStable[g] === 1) {
            const v = q * rows.mark[g]!;
            if (v >= 0) haircut += v * gHairIm[g]!;
            else haircut += -v * liabIm;
            continue;
          }
          const u = gU[g]!;
          if (u < 0) {
            flags |= 2;
            break;
          }
          flags |= 1;
          const qu = q * gUnits[g]!;
          ints[w!.slotU / 4 + ns] = u;
          ints[w!.slotRow / 4 + ns] = w!.uPtr[u]! + 8 * gRow[g]! * nScen[u]!;
          f64[w!.slotQ / 8 + ns] = qu;
          ns++;
          bGross[nb * nU + u] = bGross[nb * nU + u]! + Math.abs(qu) * gGross[g]!;
          const kind = rows.kind[g]!;
          if (kind === ROW_OPTION) {
            if (q < 0) cont += -q * gCont[g]!;
          } else if (kind === ROW_LINEAR) cont += Math.abs(q) * gCont[g]!;
          const sr = gStress[g]!;
          if (sr >= 0)
            for (let x = 0; x < K; x++)
              bStress[nb * K + x] = bStress[nb * K + x]! + qu * stress!.unitPnl[sr * K + x]!;
        }
        if (flags & 2) ns = ints[startI + nb]!; // a bad account's slots are dropped
        bCont[nb] = cont;
        bHair[nb] = haircut;
        bFlags[nb] = flags;
        nb++;
        k++;
      }
      ints[startI + nb] = ns;
      simd!.batchLosses(
        nb,
        w!.accStart,
        w!.slotU,
        w!.slotRow,
        w!.slotQ,
        nU,
        w!.uS,
        w!.uOff,
        w!.pnl,
        w!.loss,
        w!.idx,
      );
      // Pass 2: the combination across underlyings, the stress floor, the add-ons.
      const lossV = simd!.f64();
      const idxV = simd!.i32();
      for (let b = 0; b < nb; b++) {
        const a = bAcc[b]!;
        if (bFlags[b]! & 2) {
          out.im[a] = NaN;
          out.mm[a] = NaN;
          continue;
        }
        let sumLoss = 0;
        for (let u = 0; u < nU; u++) {
          const at = idxV[w!.idx / 4 + b * nU + u]!;
          used[u] = at >= 0 ? 1 : 0;
          const l = at >= 0 ? lossV[w!.loss / 8 + b * nU + u]! : 0;
          loss[u] = l;
          dir[u] = at >= 0 ? spotDir[u]![at]! : 0;
          sumLoss += l;
        }
        for (let x = 0; x < K; x++) stressPnl[x] = bStress[b * K + x]!;
        for (let u = 0; u < nU; u++) gross[u] = bGross[b * nU + u]!;
        const im = combine(sumLoss, (bFlags[b]! & 1) === 1) + bCont[b]! + confidenceOf() + bHair[b]!;
        out.im[a] = im;
        out.mm[a] = p.mmFraction * im;
      }
    }
  };

  const prepared: PortfolioPrepared = {
    model: 'portfolio',
    params: p,
    arraysByU,
    explain: (pf) => parts.model.compute(pf, ctx, p),
    margin(view, ids, count, out) {
      if (simd) {
        batched(view, ids, count, out);
        return;
      }
      for (let k = 0; k < count; k++) {
        const a = ids[k]!;
        used.fill(0);
        gross.fill(0);
        stressPnl.fill(0);
        let cont = 0;
        let haircut = 0;
        let exposed = false;
        let bad = false;
        const s1 = view.start[a]! + view.count[a]!;
        for (let s = view.start[a]!; s < s1; s++) {
          const g = view.row[s]!;
          if (g >= n || rows.priced[g] === 0) {
            bad = true;
            break;
          }
          const q = view.qty[s]!;
          if (gStable[g] === 1) {
            const v = q * rows.mark[g]!;
            if (v >= 0) haircut += v * gHairIm[g]!;
            else haircut += -v * liabIm;
            continue;
          }
          const u = gU[g]!;
          if (u < 0) {
            bad = true;
            break;
          }
          exposed = true;
          const S = nScen[u]!;
          const o = offset[u]!;
          const qu = q * gUnits[g]!;
          if (used[u] === 0) {
            used[u] = 1;
            for (let x = 0; x < S; x++) pnl[o + x] = 0;
          }
          const arr = unitPnl[u]!;
          const base = gRow[g]! * S;
          for (let x = 0; x < S; x++) pnl[o + x] = pnl[o + x]! + qu * arr[base + x]!;
          gross[u] = gross[u]! + Math.abs(qu) * gGross[g]!;
          const kind = rows.kind[g]!;
          if (kind === ROW_OPTION) {
            if (q < 0) cont += -q * gCont[g]!;
          } else if (kind === ROW_LINEAR) cont += Math.abs(q) * gCont[g]!;
          const sr = gStress[g]!;
          if (sr >= 0)
            for (let x = 0; x < K; x++) stressPnl[x] = stressPnl[x]! + qu * stress!.unitPnl[sr * K + x]!;
        }
        if (bad) {
          out.im[a] = NaN;
          out.mm[a] = NaN;
          continue;
        }
        let sumLoss = 0;
        for (let u = 0; u < nU; u++) {
          if (used[u] === 0) {
            loss[u] = 0;
            dir[u] = 0;
            continue;
          }
          const S = nScen[u]!;
          const o = offset[u]!;
          let worst = Infinity;
          let at = 0;
          for (let x = 0; x < S; x++)
            if (pnl[o + x]! < worst) {
              worst = pnl[o + x]!;
              at = x;
            }
          const l = Math.max(0, -worst);
          loss[u] = l;
          dir[u] = spotDir[u]![at]!;
          sumLoss += l;
        }
        const im = combine(sumLoss, exposed) + cont + confidenceOf() + haircut;
        out.im[a] = im;
        out.mm[a] = p.mmFraction * im;
      }
    },
  };
  return prepared;
}
