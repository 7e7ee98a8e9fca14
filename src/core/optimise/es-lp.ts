/**
 * The statistical models as LPs (margin-lp.ts): `es` exactly by Rockafellar–Uryasev, and `var`
 * with ES at the same level standing in (VaR is not convex: ES is optimised, VaR reported).
 *
 *   ES_α(L) = min_z  z + (1/τ)·Σ_s max(0, L_s − z),   τ = (1 − α)·S,   L_s = −pnl_s
 *
 * equals the Acerbi–Tasche estimator the model computes (statistics/var-es.ts), boundary
 * scenario counted for its fractional part. Market part M ≥ max(0, ES_current),
 * M ≥ (1 − w)·ES_current + w·ES_stressed (the anti-procyclicality floor), M ≥ G/mmFraction with
 * G ≥ 0, G ≥ −pnl_s over the joint move grid (the move floor, exact).
 * Add-ons on the net delta N_u = |Σ delta|·price of each underlying: concentration
 * rate·max(0, N − threshold·ADV) exactly; liquidity N·(halfSpread + impact·√(N/ADV)) by tangent
 * cuts (convex in N), refined after each solve; the fixed cost per transaction counts the
 * instruments held after the trades (added to the prediction, not the LP).
 * Reference: R. T. Rockafellar, S. Uryasev, "Optimization of conditional value-at-risk",
 * J. Risk 2(3) (2000) 21–41.
 */
import { esScenarios } from '../margin/es-model.js';
import type { EsModelParams } from '../margin/es-params.js';
import type { JointRiskArrays } from '../risk/historical-risk-arrays.js';
import { collateralKey } from '../risk/risk-arrays.js';
import {
  addAffine,
  addEpigraph,
  affine,
  addStableHaircuts,
  evalAffine,
  holdingsOf,
  netQuantities,
  unsupportedCandidate,
  type Affine,
  type MarginLpForm,
  type MarginLpInput,
} from './margin-lp.js';
import { computeBlack76Greeks } from '../pricing/black76.js';

/** Tail mass τ = (1 − α)·S, snapped to a whole count within 1e-9·S (as var-es.ts does). */
function tailMass(alpha: number, n: number): number {
  const t = (1 - alpha) * n;
  const r = Math.round(t);
  return Math.abs(t - r) <= 1e-9 * n ? r : t;
}

/** Adds E ≥ 0, E ≥ z + Σ u_s/τ with u_s ≥ −pnl_s − z; returns E's column. */
function esColumn(
  input: MarginLpInput,
  name: string,
  arrays: JointRiskArrays,
  exposure: Map<string, Affine>,
  alpha: number,
): number {
  const b = input.builder;
  const S = arrays.nScenarios;
  const E = b.addCol(`${name}:es`, 0, Infinity);
  if (S === 0) return E;
  const z = b.addCol(`${name}:z`, -Infinity, Infinity);
  const tau = Math.max(tailMass(alpha, S), 1);
  const u0 = b.nCols;
  for (let s = 0; s < S; s++) b.addCol(`${name}:u${s}`, 0, Infinity);
  const base = new Float64Array(S);
  const termCols: number[] = [];
  const termRows: { row: number; k: number }[] = [];
  for (const [key, e] of exposure) {
    const row = arrays.rowOf.get(key);
    if (row === undefined) continue;
    for (let s = 0; s < S; s++) base[s] = base[s]! + e.constant * arrays.unitPnl[row * S + s]!;
    for (let i = 0; i < e.cols.length; i++) {
      termCols.push(e.cols[i]!);
      termRows.push({ row, k: e.coefs[i]! });
    }
  }
  const cols = [u0, z, ...termCols];
  const coefs = new Array<number>(cols.length).fill(1);
  for (let s = 0; s < S; s++) {
    cols[0] = u0 + s;
    // u_s + z + Σ x·unit[s] ≥ −base[s]
    for (let k = 0; k < termRows.length; k++)
      coefs[k + 2] = termRows[k]!.k * arrays.unitPnl[termRows[k]!.row * S + s]!;
    b.addRow(-base[s]!, Infinity, cols, coefs);
  }
  const rc = [E, z];
  const rv = [1, -1];
  for (let s = 0; s < S; s++) {
    rc.push(u0 + s);
    rv.push(-1 / tau);
  }
  b.addRow(0, Infinity, rc, rv);
  return E;
}

/**
 * Adds G ≥ 0, G ≥ −pnl_s for every scenario of the joint move grid (the worst loss of the move
 * between two checks, the model's move floor); returns G's column.
 */
function gridColumn(input: MarginLpInput, arrays: JointRiskArrays, exposure: Map<string, Affine>): number {
  const b = input.builder;
  const S = arrays.nScenarios;
  const G = b.addCol('move-grid:loss', 0, Infinity);
  const base = new Float64Array(S);
  const terms: { row: number; col: number; k: number }[] = [];
  for (const [key, e] of exposure) {
    const row = arrays.rowOf.get(key);
    if (row === undefined) continue;
    for (let s = 0; s < S; s++) base[s] = base[s]! + e.constant * arrays.unitPnl[row * S + s]!;
    for (let i = 0; i < e.cols.length; i++) terms.push({ row, col: e.cols[i]!, k: e.coefs[i]! });
  }
  const cols = [G, ...terms.map((t) => t.col)];
  const coefs = new Array<number>(cols.length).fill(1);
  for (let s = 0; s < S; s++) {
    // G + Σ x·unit[s] ≥ −base[s]
    for (let k = 0; k < terms.length; k++)
      coefs[k + 1] = terms[k]!.k * arrays.unitPnl[terms[k]!.row * S + s]!;
    b.addRow(-base[s]!, Infinity, cols, coefs);
  }
  return G;
}

/** `es` and `var` (module header). */
export function statisticalLp(measure: 'es' | 'var', input: MarginLpInput): MarginLpForm {
  const p = input.params as EsModelParams;
  const { ctx, builder: b } = input;
  const market = ctx.market;
  const stable = new Set([...p.stableAssets, market.quoteCurrency]);
  const sc = esScenarios(ctx, p);
  const h = holdingsOf(input.portfolio, ctx);
  const net = netQuantities(h, input);
  for (const c of input.candidates)
    if (!sc.current.rowOf.has(c.instrument))
      throw unsupportedCandidate(
        measure,
        c,
        `its underlying ${c.underlying} has no price history in the scenarios`,
      );
  // Exposure rows: instruments (contracts), spot positions and non-stable collateral (asset units).
  const exposure = new Map<string, Affine>();
  const delta = new Map<string, Affine>();
  const deltaOf = (u: string) => {
    let d = delta.get(u);
    if (!d) delta.set(u, (d = affine()));
    return d;
  };
  const keysOf = new Map<string, Set<string>>();
  for (const [id, e] of net) {
    const m = market.instruments.get(id)!;
    const inst = m.instrument;
    const key = inst.kind === 'spot' ? collateralKey(inst.underlying) : id;
    const prev = exposure.get(key) ?? affine();
    addAffine(prev, e, inst.kind === 'spot' ? inst.contractSize : 1);
    exposure.set(key, prev);
    let d = inst.contractSize;
    if (inst.kind === 'option')
      d *= computeBlack76Greeks({
        type: inst.optionType,
        forward: m.forward!,
        strike: inst.strike,
        tYears: m.tYears!,
        vol: m.vol!,
        rate: m.rate ?? 0,
      }).delta;
    addAffine(deltaOf(inst.underlying), e, d);
    keysOf.set(inst.underlying, (keysOf.get(inst.underlying) ?? new Set()).add(key));
  }
  for (const [asset, qty] of h.collateral) {
    if (stable.has(asset)) continue;
    const key = collateralKey(asset);
    const prev = exposure.get(key) ?? affine();
    prev.constant += qty;
    exposure.set(key, prev);
    deltaOf(asset).constant += qty;
    keysOf.set(asset, (keysOf.get(asset) ?? new Set()).add(key));
  }
  const E1 = esColumn(input, 'current', sc.current, exposure, p.alpha);
  const E2 = esColumn(input, 'stressed', sc.stressed, exposure, p.alpha);
  const M = b.addCol('market-part', 0, Infinity);
  b.addRow(0, Infinity, [M, E1], [1, -1]);
  b.addRow(0, Infinity, [M, E1, E2], [1, -(1 - p.stressWeight), -p.stressWeight]);
  // The move floor: M ≥ worst loss of the joint move grid / mmFraction (exact: an epigraph).
  if (sc.grid !== undefined && exposure.size > 0)
    b.addRow(0, Infinity, [M, gridColumn(input, sc.grid.arrays, exposure)], [1, -1 / p.mmFraction]);
  const im = affine();
  im.cols.push(M);
  im.coefs.push(1);
  // Add-ons on |net delta| in USD.
  const liq = new Map<string, { col: number; abs: number; adv: number }>();
  for (const [u, d] of delta) {
    if (stable.has(u)) continue;
    const price = market.prices.get(u)!;
    const adv = p.liquidity.advUsd[u] ?? p.liquidity.defaultAdvUsd;
    const n = affine();
    addAffine(n, d, price);
    const abs = addEpigraph(
      b,
      `net-delta:${u}`,
      n,
      [
        { slope: 1, intercept: 0 },
        { slope: -1, intercept: 0 },
      ],
      0,
    );
    const conc = b.addCol(`concentration:${u}`, 0, Infinity);
    b.addRow(
      -p.concentration.rate * p.concentration.thresholdOfAdv * adv,
      Infinity,
      [conc, abs],
      [1, -p.concentration.rate],
    );
    const l = b.addCol(`liquidity:${u}`, 0, Infinity);
    b.addRow(0, Infinity, [l, abs], [1, -p.liquidity.halfSpread]);
    liq.set(u, { col: l, abs, adv });
    im.cols.push(conc, l);
    im.coefs.push(1, 1);
  }
  const liquidityCut = (u: string, n0: number) => {
    const x = liq.get(u)!;
    // f(N) = N·hs + impact·N^1.5/√ADV; tangent at n0: f(n0) + f'(n0)(N − n0).
    const { halfSpread: hs, impact } = p.liquidity;
    const f = n0 * hs + (impact * n0 ** 1.5) / Math.sqrt(x.adv);
    const g = hs + (1.5 * impact * Math.sqrt(n0)) / Math.sqrt(x.adv);
    b.addRow(f - g * n0, Infinity, [x.col, x.abs], [1, -g]);
  };
  for (const [u, d] of delta) if (liq.has(u)) liquidityCut(u, Math.abs(d.constant * market.prices.get(u)!));
  const cashCorrection = addStableHaircuts(b, h, input, im, p, (asset) => !stable.has(asset));
  const deltaAt = (u: string, trades: Float64Array) => {
    const d = delta.get(u)!;
    let v = d.constant;
    for (let i = 0; i < d.cols.length; i++) v += d.coefs[i]! * trades[input.x.indexOf(d.cols[i]!)]!;
    return v;
  };
  /** Fixed cost per transaction: the instruments of u held after the trades. */
  const gasAt = (trades: Float64Array) => {
    let n = 0;
    for (const [u, keys] of keysOf) {
      if (stable.has(u)) continue;
      let k = 0;
      for (const key of keys) {
        const e = exposure.get(key)!;
        let q = e.constant;
        for (let i = 0; i < e.cols.length; i++) q += e.coefs[i]! * trades[input.x.indexOf(e.cols[i]!)]!;
        if (q !== 0 || key.startsWith('collateral:')) k++;
      }
      n += k;
    }
    return n * p.liquidity.gasUsdPerTransaction;
  };
  return {
    im,
    exactness: measure === 'es' ? 'linearised' : 'upper-bound',
    method:
      measure === 'es'
        ? 'Expected Shortfall by Rockafellar–Uryasev (exact LP), stressed floor, liquidity add-on by tangent cuts'
        : 'VaR is not convex: ES at the same level optimised by Rockafellar–Uryasev (an upper bound), VaR verified',
    refine: (trades: Float64Array) => {
      let rows = 0;
      for (const u of liq.keys()) {
        liquidityCut(u, Math.abs(deltaAt(u, trades) * market.prices.get(u)!));
        rows++;
      }
      return rows;
    },
    predict: (col, trades) => evalAffine(im, col) + gasAt(trades) + cashCorrection(col, trades),
  };
}
