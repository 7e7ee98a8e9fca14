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
import { ROW_COLLATERAL, ROW_LINEAR, ROW_OPTION, ROW_SPOT, type MarketRows } from './account-rows.js';
import { prepareGeneric, type PreparedMargin } from './prepared-margin.js';
import {
  createPortfolioScratch,
  prepareSimdTables,
  runPortfolioTables,
  runPortfolioTablesSimd,
  type PortfolioTables,
} from './portfolio-tables.js';
import type { SimdKernel } from './simd-kernel.js';

/** What the model gives the kernel (portfolio-model.ts, to avoid an import cycle). */
export interface PortfolioModelParts {
  readonly model: MarginModel<PortfolioModelParams>;
  riskArrays(ctx: MarginContext, p: PortfolioModelParams, underlying: string): RiskArrays;
  stressArrays(ctx: MarginContext, p: PortfolioModelParams): StressArrays;
  correlationPairs(ctx: MarginContext, p: PortfolioModelParams): { pairs: Readonly<Record<string, number>> };
}

/**
 * The prepared portfolio kernel; keeps its per-underlying arrays for reuse at the next update, and
 * exposes its tables (plain data) for worker threads.
 */
export interface PortfolioPrepared extends PreparedMargin {
  readonly params: PortfolioModelParams;
  readonly arraysByU: ReadonlyMap<string, RiskArrays>;
  readonly tables: PortfolioTables;
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
  // Every underlying's risk arrays end to end, so the kernel (and a worker) reads one array.
  const uBase = new Int32Array(nU);
  let size = 0;
  unitPnl.forEach((arr, u) => {
    uBase[u] = size;
    size += arr.length;
  });
  const all = new Float64Array(size);
  unitPnl.forEach((arr, u) => all.set(arr, uBase[u]!));
  const dirAll = new Float64Array(Math.max(total, 1));
  spotDir.forEach((d, u) => dirAll.set(d, offset[u]!));
  const tables: PortfolioTables = {
    n,
    nU,
    K,
    total,
    scalars: Float64Array.of(
      p.imFactor,
      p.mmFraction,
      p.minDiversifiedFraction,
      p.stressWeight,
      p.liabilityWeight.im - 1,
    ),
    priced: rows.priced,
    kind: rows.kind,
    mark: rows.mark,
    gU,
    gRow,
    gStress,
    gUnits,
    gCont,
    gGross,
    gStable,
    gHairIm,
    nScen,
    offset,
    uBase,
    unitPnl: all,
    spotDir: dirAll,
    corr,
    confRate,
    stress: stress?.unitPnl ?? new Float64Array(0),
  };
  const scratch = createPortfolioScratch(tables);
  const simdTables = simd ? prepareSimdTables(tables, simd) : undefined;
  const prepared: PortfolioPrepared = {
    model: 'portfolio',
    params: p,
    arraysByU,
    tables,
    explain: (pf) => parts.model.compute(pf, ctx, p),
    margin(view, ids, count, out) {
      if (simdTables) runPortfolioTablesSimd(tables, simdTables, view, ids, 0, count, out, scratch);
      else runPortfolioTables(tables, view, ids, 0, count, out, scratch);
    },
  };
  return prepared;
}
