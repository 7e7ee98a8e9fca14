/**
 * Grid models as LPs (margin-lp.ts): `deribit-pm` and xmargin's `portfolio`.
 *
 * Both revalue every instrument in every scenario once per market (risk arrays), so a book's
 * scenario P&L is linear in its quantities and the worst loss per underlying u is
 *
 *   L_u = min t_u   s.t.  t_u ≥ 0,  t_u ≥ −(base_u[s] + Σ_c x_c·unit_c[s])   for every scenario s
 *
 * deribit-pm: IM = Σ_u L_u, exact.
 * portfolio:  IM = imFactor·S + contingencies, with S ≥ √(LᵀCL) (correlation, C_uv = ρ_uv·d_u·d_v),
 *             S ≥ minDiversifiedFraction·Σ L_u, S ≥ stressWeight·(−stress P&L_k) for every named
 *             stress k; contingencies (short options, linear notional, low oracle confidence,
 *             stablecoin haircuts) are convex piecewise-linear rows. With one underlying
 *             √(LᵀCL) = L_u and the form is exact; across underlyings the root is replaced by
 *             Kelley cuts S ≥ (C·L⁰/√(L⁰ᵀCL⁰))·L at trial points L⁰ (valid below √(LᵀCL) when C
 *             is positive semidefinite, by Cauchy–Schwarz), added after each solve.
 * Reference: J. E. Kelley, "The cutting-plane method for solving convex programs", J. SIAM 8 (1960).
 */
import type { DeribitPmParams } from '../margin/presets/deribit/deribit-pm-params.js';
import { deribitPmUnitPnl } from '../margin/presets/deribit/deribit-pm-model.js';
import { correlationOf, type PortfolioModelParams } from '../margin/portfolio-params.js';
import { correlationPairs, portfolioRiskArrays } from '../margin/portfolio-model.js';
import { buildStressArrays } from '../risk/stress-arrays.js';
import { collateralKey } from '../risk/risk-arrays.js';
import { NAMED_STRESSES } from '../scenarios/stress.js';
import {
  addAffine,
  addAffineRow,
  addEpigraph,
  affine,
  addStableHaircuts,
  holdingsOf,
  netQuantities,
  type Affine,
  type MarginLpForm,
  type MarginLpInput,
} from './margin-lp.js';

/**
 * Scenario rows first added per underlying, the worst at the current book first. Measured
 * (bench/optimise.bench.ts): with HiGHS solving each round from scratch, generating a few rows
 * per round costs more rounds than it saves, so every row goes in at once; `refine` still adds
 * any row a smaller first set would have missed.
 */
const FIRST_ROWS = Infinity;
/** Rows added per underlying and round: the worst scenarios not yet in the LP. */
const ROWS_PER_ROUND = 6;

/**
 * The worst loss of one underlying, t ≥ 0, t ≥ −(base[s] + Σ x·unit[s]), with its scenario rows
 * generated lazily (constraint generation): the LP starts with the FIRST_ROWS worst scenarios
 * of the current book and `refine` adds the worst ones a trial answer breaks. The LP is then a
 * relaxation of the full one (its value a valid lower bound); once no scenario is broken its
 * answer is feasible for every row, hence optimal for the full LP, and the model's IM equals it.
 */
class WorstLoss {
  readonly col: number;
  readonly #added = new Set<number>();
  constructor(
    readonly input: MarginLpInput,
    name: string,
    readonly base: Float64Array,
    readonly terms: readonly { cand: number; col: number; unit: Float64Array; scale: number }[],
  ) {
    this.col = input.builder.addCol(name, 0, Infinity);
    this.#addWorst(new Float64Array(input.candidates.length), FIRST_ROWS);
  }

  /** Scenario P&L at a trade vector. */
  pnlAt(trades: Float64Array): Float64Array {
    const pnl = Float64Array.from(this.base);
    for (const t of this.terms) {
      const q = trades[t.cand]! * t.scale;
      if (q === 0) continue;
      for (let s = 0; s < pnl.length; s++) pnl[s] = pnl[s]! + q * t.unit[s]!;
    }
    return pnl;
  }

  /** Adds the rows of the `n` worst scenarios not yet added whose loss exceeds the LP's; returns the count. */
  #addWorst(trades: Float64Array, n: number, lpLoss = -Infinity): number {
    const pnl = this.pnlAt(trades);
    const order = Array.from(pnl.keys()).filter((s) => !this.#added.has(s) && -pnl[s]! > lpLoss);
    order.sort((a, b) => pnl[a]! - pnl[b]!);
    const b = this.input.builder;
    const cols = [this.col, ...this.terms.map((t) => t.col)];
    const coefs = new Array<number>(cols.length);
    coefs[0] = 1;
    let added = 0;
    for (const s of order.slice(0, n)) {
      for (let k = 0; k < this.terms.length; k++)
        coefs[k + 1] = this.terms[k]!.scale * this.terms[k]!.unit[s]!;
      b.addRow(-this.base[s]!, Infinity, cols, coefs);
      this.#added.add(s);
      added++;
    }
    return added;
  }

  /**
   * Adds rows for scenarios the trial answer breaks: any loss above the LP's t beyond float noise
   * (the verification tolerance applies to the total over underlyings, not to one row).
   */
  refine(trades: Float64Array, lpLoss: number): number {
    return this.#addWorst(trades, ROWS_PER_ROUND, lpLoss + 1e-9 * Math.max(1, Math.abs(lpLoss)));
  }
}

const WEIGHTS = new WeakMap<readonly { weight: number }[], Float64Array>();
/** The weights of a (cached) scenario list, built once per list. */
function scenarioWeights(sc: readonly { weight: number }[]): Float64Array {
  let w = WEIGHTS.get(sc);
  if (w === undefined) WEIGHTS.set(sc, (w = Float64Array.from(sc, (s) => s.weight)));
  return w;
}

/** `deribit-pm` (module header): exact. */
export function deribitPmLp(input: MarginLpInput): MarginLpForm {
  const p = input.params as DeribitPmParams;
  const ctx = input.ctx;
  const h = holdingsOf(input.portfolio, ctx);
  const stable = new Set(p.stableAssets);
  // Base scenario P&L per underlying (weighted), from the model's own cached unit arrays.
  const base = new Map<string, Float64Array>();
  const baseOf = (u: string, n: number) => {
    let a = base.get(u);
    if (!a) base.set(u, (a = new Float64Array(n)));
    return a;
  };
  const weights = scenarioWeights;
  for (const [id, q] of h.positions) {
    const m = ctx.market.instruments.get(id)!;
    if (m.instrument.kind === 'spot' && stable.has(m.instrument.underlying)) continue;
    const { scenarios, unitPnl } = deribitPmUnitPnl(ctx, p, `instrument:${id}`);
    const w = weights(scenarios);
    const a = baseOf(m.instrument.underlying, scenarios.length);
    const units = q * m.instrument.contractSize;
    for (let s = 0; s < a.length; s++) a[s] = a[s]! + w[s]! * units * unitPnl[s]!;
  }
  for (const [asset, qty] of h.collateral) {
    if (stable.has(asset)) continue;
    const { scenarios, unitPnl } = deribitPmUnitPnl(ctx, p, `asset:${asset}`);
    const w = weights(scenarios);
    const a = baseOf(asset, scenarios.length);
    for (let s = 0; s < a.length; s++) a[s] = a[s]! + w[s]! * qty * unitPnl[s]!;
  }
  const terms = new Map<string, { cand: number; col: number; unit: Float64Array; scale: number }[]>();
  input.candidates.forEach((c, k) => {
    const { scenarios, unitPnl } = deribitPmUnitPnl(ctx, p, `instrument:${c.instrument}`);
    const w = weights(scenarios);
    baseOf(c.underlying, scenarios.length);
    const unit = Float64Array.from(unitPnl, (v, s) => v * w[s]!);
    const list = terms.get(c.underlying) ?? [];
    list.push({ cand: k, col: input.x[k]!, unit, scale: c.contractSize });
    terms.set(c.underlying, list);
  });
  const im = affine();
  const losses: WorstLoss[] = [];
  for (const [u, a] of base) {
    const w = new WorstLoss(input, `loss:${u}`, a, terms.get(u) ?? []);
    losses.push(w);
    im.cols.push(w.col);
    im.coefs.push(1);
  }
  return {
    im,
    exactness: 'exact',
    method:
      'worst loss per underlying over the risk matrix as an LP (min t, t ≥ −P&L_s), scenario rows generated as needed',
    refine: (trades, col) => losses.reduce((n, w) => n + w.refine(trades, col[w.col]!), 0),
    predict: (col) => evalIm(im, col),
  };
}

function evalIm(im: Affine, col: Float64Array): number {
  let v = im.constant;
  for (let i = 0; i < im.cols.length; i++) v += im.coefs[i]! * col[im.cols[i]!]!;
  return v;
}

/** `portfolio` (module header). */
export function portfolioLp(input: MarginLpInput): MarginLpForm {
  const p = input.params as PortfolioModelParams;
  const { ctx, builder: b } = input;
  const market = ctx.market;
  const h = holdingsOf(input.portfolio, ctx);
  const stable = new Set([...p.stableAssets, market.quoteCurrency]);
  const net = netQuantities(h, input);
  // Exposure keys per underlying: instrument ids (contracts) and collateral rows (asset units).
  const exposures = new Map<string, Map<string, Affine>>();
  const expose = (u: string, key: string, e: Affine) => {
    let m = exposures.get(u);
    if (!m) exposures.set(u, (m = new Map()));
    m.set(key, e);
  };
  const spotQty = new Map<string, Affine>();
  for (const [id, e] of net) {
    const inst = market.instruments.get(id)!.instrument;
    if (inst.kind === 'spot') {
      const s = spotQty.get(inst.underlying) ?? affine();
      addAffine(s, e, inst.contractSize);
      spotQty.set(inst.underlying, s);
    } else expose(inst.underlying, id, e);
  }
  for (const [asset, qty] of h.collateral) {
    const e = affine(qty);
    const spot = spotQty.get(asset);
    if (spot) addAffine(e, spot);
    if (!stable.has(asset) || exposures.has(asset)) expose(asset, collateralKey(asset), e);
  }
  for (const [asset, e] of spotQty) if (!h.collateral.has(asset)) expose(asset, collateralKey(asset), e);

  // 1. Worst loss per underlying.
  const lossCol = new Map<string, number>();
  const lossRows: WorstLoss[] = [];
  const scenarioPnl = (u: string, row: number, s: number) => {
    const arr = portfolioRiskArrays(ctx, p, u);
    return arr.unitPnl[row * arr.nScenarios + s]!;
  };
  for (const [u, keys] of exposures) {
    const arr = portfolioRiskArrays(ctx, p, u);
    const S = arr.nScenarios;
    const base = new Float64Array(S);
    const terms: { cand: number; col: number; unit: Float64Array; scale: number }[] = [];
    for (const [key, e] of keys) {
      const row = arr.rowOf.get(key)!;
      for (let s = 0; s < S; s++) base[s] = base[s]! + e.constant * arr.unitPnl[row * S + s]!;
      for (let i = 0; i < e.cols.length; i++)
        terms.push({
          cand: input.x.indexOf(e.cols[i]!),
          col: e.cols[i]!,
          unit: arr.unitPnl.subarray(row * S, row * S + S),
          scale: e.coefs[i]!,
        });
    }
    const w = new WorstLoss(input, `loss:${u}`, base, terms);
    lossRows.push(w);
    lossCol.set(u, w.col);
  }
  const us = [...exposures.keys()];
  // 2. Scenario part S ≥ floor, ≥ stresses, ≥ correlation cuts.
  const S = b.addCol('scenario-part', 0, Infinity);
  const lossSum = affine();
  for (const u of us) {
    lossSum.cols.push(lossCol.get(u)!);
    lossSum.coefs.push(1);
  }
  b.addRow(0, Infinity, [S, ...lossSum.cols], [1, ...lossSum.coefs.map(() => -p.minDiversifiedFraction)]);
  if (p.stressWeight > 0 && us.length > 0) {
    const st = buildStressArrays(market, NAMED_STRESSES, stable);
    const K = st.stresses.length;
    for (let k = 0; k < K; k++) {
      const row = affine();
      for (const keys of exposures.values())
        for (const [key, e] of keys)
          addAffine(row, e, p.stressWeight * st.unitPnl[st.rowOf.get(key)! * K + k]!);
      row.cols.push(S);
      row.coefs.push(1);
      addAffineRow(b, 0, Infinity, row); // S + w·pnl_k ≥ 0
    }
  }
  const pairs = correlationPairs(ctx, p).pairs;
  const cut = (L: Float64Array, dir: Float64Array) => {
    const g = us.map((u, i) =>
      us.reduce(
        (acc, v, j) => acc + (u === v ? 1 : correlationOf(p, u, v, pairs) * dir[i]! * dir[j]!) * L[j]!,
        0,
      ),
    );
    const quad = us.reduce((acc, _u, i) => acc + L[i]! * g[i]!, 0);
    if (!(quad > 0)) return 0;
    const d = Math.sqrt(quad);
    // A negative coefficient (a loss that offsets another) would reward the LP for inflating that
    // epigraph column t_u above the loss it bounds, and the cuts would chase a point the model
    // never sees: clamped at 0, each cut is tight at its trial point, S never rewards a larger
    // t_u, and the columns stay at the losses (module header).
    b.addRow(0, Infinity, [S, ...us.map((u) => lossCol.get(u)!)], [1, ...g.map((x) => -Math.max(0, x) / d)]);
    return 1;
  };
  /** Losses and directions of the worst scenarios at a trade vector. */
  const lossesAt = (trades: Float64Array) => {
    const L = new Float64Array(us.length);
    const dir = new Float64Array(us.length);
    us.forEach((u, i) => {
      const arr = portfolioRiskArrays(ctx, p, u);
      let worst = Infinity;
      let ws = 0;
      for (let s = 0; s < arr.nScenarios; s++) {
        let pnl = 0;
        for (const [key, e] of exposures.get(u)!) {
          let q = e.constant;
          for (let j = 0; j < e.cols.length; j++) q += e.coefs[j]! * trades[input.x.indexOf(e.cols[j]!)]!;
          pnl += q * scenarioPnl(u, arr.rowOf.get(key)!, s);
        }
        if (pnl < worst) [worst, ws] = [pnl, s];
      }
      L[i] = Math.max(0, -worst);
      dir[i] = Math.sign(arr.scenarios[ws]!.spotMove);
    });
    return { L, dir };
  };
  const exact = us.length <= 1;
  if (exact) {
    if (us.length === 1) b.addRow(0, Infinity, [S, lossCol.get(us[0]!)!], [1, -1]);
  } else {
    const at0 = lossesAt(new Float64Array(input.candidates.length));
    cut(at0.L, at0.dir);
    cut(
      Float64Array.from(us, () => 1),
      at0.dir,
    );
  }
  const im = affine();
  im.cols.push(S);
  im.coefs.push(p.imFactor);
  // 3. Contingencies on the netted positions.
  for (const [id, e] of net) {
    const inst = market.instruments.get(id)!.instrument;
    const index = market.prices.get(inst.underlying)!;
    const k = index * inst.contractSize;
    if (inst.kind === 'option' && p.contingencies.shortOptionRate > 0) {
      const c = addEpigraph(
        b,
        `short-option:${id}`,
        e,
        [{ slope: -k * p.contingencies.shortOptionRate, intercept: 0 }],
        0,
      );
      im.cols.push(c);
      im.coefs.push(1);
    }
    if ((inst.kind === 'perpetual' || inst.kind === 'future') && p.contingencies.linearRate > 0) {
      const r = k * p.contingencies.linearRate;
      const c = addEpigraph(
        b,
        `linear:${id}`,
        e,
        [
          { slope: r, intercept: 0 },
          { slope: -r, intercept: 0 },
        ],
        0,
      );
      im.cols.push(c);
      im.coefs.push(1);
    }
  }
  for (const [u, keys] of exposures) {
    const conf = market.confidence.get(u);
    if (conf === undefined || conf >= p.contingencies.confidenceThreshold) continue;
    const index = market.prices.get(u)!;
    const f = (1 - conf) * p.contingencies.confidenceFactor * index;
    for (const [key, e] of keys) {
      const cs = key.startsWith('collateral:') ? 1 : market.instruments.get(key)!.instrument.contractSize;
      const a = addEpigraph(
        b,
        `gross:${key}`,
        e,
        [
          { slope: 1, intercept: 0 },
          { slope: -1, intercept: 0 },
        ],
        0,
      );
      im.cols.push(a);
      im.coefs.push(f * cs);
    }
  }
  // Stablecoin haircuts (the settlement asset moves with premiums).
  const cashCorrection = addStableHaircuts(
    b,
    h,
    input,
    im,
    p,
    (asset) => !stable.has(asset) || exposures.has(asset),
  );
  return {
    im,
    exactness: exact ? 'exact' : 'linearised',
    method: exact
      ? 'worst grid loss of the one underlying as an LP, stress and floor rows, contingencies as convex piecewise-linear rows'
      : 'worst grid loss per underlying as an LP; the correlation combination √(LᵀCL) by Kelley cutting planes refined at each solve',
    refine: (trades, col) => {
      const rows = lossRows.reduce((n, w) => n + w.refine(trades, col[w.col]!), 0);
      if (exact || rows > 0) return rows;
      const at = lossesAt(trades);
      return cut(at.L, at.dir);
    },
    predict: (col, trades) => evalIm(im, col) + cashCorrection(col, trades),
  };
}
