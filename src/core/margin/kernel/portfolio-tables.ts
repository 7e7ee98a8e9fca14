/**
 * @module margin/kernel/portfolio-tables
 *
 * The `portfolio` kernel as data and a function of it: `PortfolioTables` holds everything the
 * kernel reads (typed arrays and numbers only, so they can live on shared memory and be read by
 * worker threads), and `runPortfolioTables` margins a range of accounts from them, allocating
 * nothing per account. The formulas are portfolio-kernel.ts's (and portfolio-model.ts's).
 *
 * Two runners, the same numbers: the plain loops, and the accelerated one (simd-kernel.ts: the
 * scenario loops of a batch of accounts in one WebAssembly SIMD call, `batchLosses`), which
 * performs the same float64 operations in the same order per scenario.
 */
import { ROW_LINEAR, ROW_OPTION, type AccountRowsView } from './account-rows.js';
import type { MarginOut } from './prepared-margin.js';
import type { SimdKernel } from './simd-kernel.js';

/** The portfolio kernel's data for one market update (module header). */
export interface PortfolioTables {
  /** rows, underlyings, joint stresses, Σ scenarios over underlyings */
  readonly n: number;
  readonly nU: number;
  readonly K: number;
  readonly total: number;
  /** params: imFactor, mmFraction, minDiversifiedFraction, stressWeight, liability weight − 1 */
  readonly scalars: Float64Array;
  /** per row (MarketRows): priced, kind, mark */
  readonly priced: Uint8Array;
  readonly kind: Uint8Array;
  readonly mark: Float64Array;
  /** per row: underlying index (−1: none), row in its risk arrays, row in the stress arrays (−1: none) */
  readonly gU: Int32Array;
  readonly gRow: Int32Array;
  readonly gStress: Int32Array;
  /** per row: units of the underlying per quantity, contingency and gross notional per |quantity| */
  readonly gUnits: Float64Array;
  readonly gCont: Float64Array;
  readonly gGross: Float64Array;
  /** per row: a stablecoin balance (haircut only) and its IM haircut */
  readonly gStable: Uint8Array;
  readonly gHairIm: Float64Array;
  /** per underlying: scenarios, offset of its part in the scratch and in `spotDir`, start in `unitPnl` */
  readonly nScen: Int32Array;
  readonly offset: Int32Array;
  readonly uBase: Int32Array;
  /** every underlying's risk arrays, concatenated (rows × scenarios each) */
  readonly unitPnl: Float64Array;
  /** sign of each scenario's spot move, per underlying at `offset` */
  readonly spotDir: Float64Array;
  /** nU × nU correlations; per underlying the oracle-confidence add-on rate */
  readonly corr: Float64Array;
  readonly confRate: Float64Array;
  /** joint stress arrays, rows × K */
  readonly stress: Float64Array;
}

/** Slots of the scalars array. */
export const S_IM_FACTOR = 0;
export const S_MM_FRACTION = 1;
export const S_MIN_DIVERSIFIED = 2;
export const S_STRESS_WEIGHT = 3;
export const S_LIABILITY = 4;

/** Reusable buffers of one thread. */
export interface PortfolioScratch {
  readonly pnl: Float64Array;
  readonly used: Uint8Array;
  readonly loss: Float64Array;
  readonly dir: Float64Array;
  readonly gross: Float64Array;
  readonly stressPnl: Float64Array;
}

/** The buffers of one thread for these tables. */
export function createPortfolioScratch(T: PortfolioTables): PortfolioScratch {
  return {
    pnl: new Float64Array(Math.max(T.total, 1)),
    used: new Uint8Array(T.nU),
    loss: new Float64Array(T.nU),
    dir: new Float64Array(T.nU),
    gross: new Float64Array(T.nU),
    stressPnl: new Float64Array(Math.max(T.K, 1)),
  };
}

/** imFactor × the scenario part from `loss`, `dir`, `used` and `stressPnl` (module header). */
function combine(T: PortfolioTables, sc: PortfolioScratch, sumLoss: number, exposed: boolean): number {
  const { nU, K, corr } = T;
  const { used, loss, dir, stressPnl } = sc;
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
  const floor = T.scalars[S_MIN_DIVERSIFIED]! * sumLoss;
  if (scenarioPart < floor) scenarioPart = floor;
  if (K > 0 && exposed) {
    let worst = 0;
    let found = false;
    for (let x = 0; x < K; x++)
      if (stressPnl[x]! < worst) {
        worst = stressPnl[x]!;
        found = true;
      }
    const stressLoss = -worst * T.scalars[S_STRESS_WEIGHT]!;
    if (found && stressLoss > scenarioPart) scenarioPart = stressLoss;
  }
  return T.scalars[S_IM_FACTOR]! * scenarioPart;
}

/** The oracle-confidence add-on from `gross` and `used`. */
function confidenceOf(T: PortfolioTables, sc: PortfolioScratch): number {
  let confidence = 0;
  for (let u = 0; u < T.nU; u++)
    if (sc.used[u] === 1 && T.confRate[u]! > 0) confidence += T.confRate[u]! * sc.gross[u]!;
  return confidence;
}

/** Margins accounts ids[from..to) with the plain loops (module header). */
export function runPortfolioTables(
  T: PortfolioTables,
  view: AccountRowsView,
  ids: Int32Array,
  from: number,
  to: number,
  out: MarginOut,
  sc: PortfolioScratch,
): void {
  const { n, nU, K, nScen, offset, uBase, unitPnl, spotDir, stress } = T;
  const { pnl, used, loss, dir, gross, stressPnl } = sc;
  const liabIm = T.scalars[S_LIABILITY]!;
  const mmFraction = T.scalars[S_MM_FRACTION]!;
  for (let k = from; k < to; k++) {
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
      if (g >= n || T.priced[g] === 0) {
        bad = true;
        break;
      }
      const q = view.qty[s]!;
      if (T.gStable[g] === 1) {
        const v = q * T.mark[g]!;
        if (v >= 0) haircut += v * T.gHairIm[g]!;
        else haircut += -v * liabIm;
        continue;
      }
      const u = T.gU[g]!;
      if (u < 0) {
        bad = true;
        break;
      }
      exposed = true;
      const S = nScen[u]!;
      const o = offset[u]!;
      const qu = q * T.gUnits[g]!;
      if (used[u] === 0) {
        used[u] = 1;
        for (let x = 0; x < S; x++) pnl[o + x] = 0;
      }
      const base = uBase[u]! + T.gRow[g]! * S;
      for (let x = 0; x < S; x++) pnl[o + x] = pnl[o + x]! + qu * unitPnl[base + x]!;
      gross[u] = gross[u]! + Math.abs(qu) * T.gGross[g]!;
      const kind = T.kind[g]!;
      if (kind === ROW_OPTION) {
        if (q < 0) cont += -q * T.gCont[g]!;
      } else if (kind === ROW_LINEAR) cont += Math.abs(q) * T.gCont[g]!;
      const sr = T.gStress[g]!;
      if (sr >= 0) for (let x = 0; x < K; x++) stressPnl[x] = stressPnl[x]! + qu * stress[sr * K + x]!;
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
      dir[u] = spotDir[o + at]!;
      sumLoss += l;
    }
    const im = combine(T, sc, sumLoss, exposed) + cont + confidenceOf(T, sc) + haircut;
    out.im[a] = im;
    out.mm[a] = mmFraction * im;
  }
}

const BATCH_ACCOUNTS = 2048;
const BATCH_SLOTS = 32_768;

/** The accelerator's copy of the tables and its batch buffers (byte offsets in its memory). */
export interface SimdTables {
  readonly simd: SimdKernel;
  readonly uPtr: Int32Array;
  readonly accStart: number;
  readonly slotU: number;
  readonly slotRow: number;
  readonly slotQ: number;
  readonly uS: number;
  readonly uOff: number;
  readonly pnl: number;
  readonly loss: number;
  readonly idx: number;
  /** per batch account: account, contingencies, haircut, flags (1 exposed, 2 bad), gross, stress */
  readonly bAcc: Int32Array;
  readonly bCont: Float64Array;
  readonly bHair: Float64Array;
  readonly bFlags: Uint8Array;
  readonly bGross: Float64Array;
  readonly bStress: Float64Array;
}

/** Places the tables' risk arrays and the batch buffers in the accelerator's memory. */
export function prepareSimdTables(T: PortfolioTables, simd: SimdKernel): SimdTables {
  const nU = Math.max(T.nU, 1);
  const uPtr = new Int32Array(T.nU);
  for (let u = 0; u < T.nU; u++) {
    const len = Math.max(1, (u + 1 < T.nU ? T.uBase[u + 1]! : T.unitPnl.length) - T.uBase[u]!);
    uPtr[u] = simd.alloc(len);
    simd.f64().set(T.unitPnl.subarray(T.uBase[u]!, T.uBase[u]! + len), uPtr[u]! / 8);
  }
  const w = {
    simd,
    uPtr,
    accStart: simd.alloc(BATCH_ACCOUNTS / 2 + 1),
    slotU: simd.alloc(BATCH_SLOTS / 2),
    slotRow: simd.alloc(BATCH_SLOTS / 2),
    slotQ: simd.alloc(BATCH_SLOTS),
    uS: simd.alloc(nU),
    uOff: simd.alloc(nU),
    pnl: simd.alloc(Math.max(T.total, 1)),
    loss: simd.alloc(BATCH_ACCOUNTS * nU),
    idx: simd.alloc((BATCH_ACCOUNTS * nU) / 2 + 1),
    bAcc: new Int32Array(BATCH_ACCOUNTS),
    bCont: new Float64Array(BATCH_ACCOUNTS),
    bHair: new Float64Array(BATCH_ACCOUNTS),
    bFlags: new Uint8Array(BATCH_ACCOUNTS),
    bGross: new Float64Array(BATCH_ACCOUNTS * nU),
    bStress: new Float64Array(BATCH_ACCOUNTS * Math.max(T.K, 1)),
  };
  simd.i32().set(T.nScen, w.uS / 4);
  simd.i32().set(T.offset, w.uOff / 4);
  return w;
}

/**
 * Margins accounts ids[from..to) with the scenario loops in the accelerator, a batch of accounts
 * per call: a first pass lays out the batch's slots and does what is not per scenario, the
 * accelerator returns each account's worst loss and worst scenario per underlying, a second pass
 * combines them (module header).
 */
export function runPortfolioTablesSimd(
  T: PortfolioTables,
  W: SimdTables,
  view: AccountRowsView,
  ids: Int32Array,
  from: number,
  to: number,
  out: MarginOut,
  sc: PortfolioScratch,
): void {
  const { n, nU, K, nScen, stress } = T;
  const { simd, bAcc, bCont, bHair, bFlags, bGross, bStress } = W;
  const liabIm = T.scalars[S_LIABILITY]!;
  const mmFraction = T.scalars[S_MM_FRACTION]!;
  let k = from;
  while (k < to) {
    const ints = simd.i32();
    const f64 = simd.f64();
    const startI = W.accStart / 4;
    let nb = 0;
    let ns = 0;
    bGross.fill(0);
    bStress.fill(0);
    // Pass 1: the slots of as many accounts as fit, and everything that is not per scenario.
    while (k < to && nb < BATCH_ACCOUNTS) {
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
        if (g >= n || T.priced[g] === 0) {
          flags |= 2;
          break;
        }
        const q = view.qty[s]!;
        if (T.gStable[g] === 1) {
          const v = q * T.mark[g]!;
          if (v >= 0) haircut += v * T.gHairIm[g]!;
          else haircut += -v * liabIm;
          continue;
        }
        const u = T.gU[g]!;
        if (u < 0) {
          flags |= 2;
          break;
        }
        flags |= 1;
        const qu = q * T.gUnits[g]!;
        ints[W.slotU / 4 + ns] = u;
        ints[W.slotRow / 4 + ns] = W.uPtr[u]! + 8 * T.gRow[g]! * nScen[u]!;
        f64[W.slotQ / 8 + ns] = qu;
        ns++;
        bGross[nb * nU + u] = bGross[nb * nU + u]! + Math.abs(qu) * T.gGross[g]!;
        const kind = T.kind[g]!;
        if (kind === ROW_OPTION) {
          if (q < 0) cont += -q * T.gCont[g]!;
        } else if (kind === ROW_LINEAR) cont += Math.abs(q) * T.gCont[g]!;
        const sr = T.gStress[g]!;
        if (sr >= 0)
          for (let x = 0; x < K; x++) bStress[nb * K + x] = bStress[nb * K + x]! + qu * stress[sr * K + x]!;
      }
      if (flags & 2) ns = ints[startI + nb]!; // a bad account's slots are dropped
      bCont[nb] = cont;
      bHair[nb] = haircut;
      bFlags[nb] = flags;
      nb++;
      k++;
    }
    ints[startI + nb] = ns;
    simd.batchLosses(nb, W.accStart, W.slotU, W.slotRow, W.slotQ, nU, W.uS, W.uOff, W.pnl, W.loss, W.idx);
    // Pass 2: the combination across underlyings, the stress floor, the add-ons.
    const lossV = simd.f64();
    const idxV = simd.i32();
    for (let b = 0; b < nb; b++) {
      const a = bAcc[b]!;
      if (bFlags[b]! & 2) {
        out.im[a] = NaN;
        out.mm[a] = NaN;
        continue;
      }
      let sumLoss = 0;
      for (let u = 0; u < nU; u++) {
        const at = idxV[W.idx / 4 + b * nU + u]!;
        sc.used[u] = at >= 0 ? 1 : 0;
        const l = at >= 0 ? lossV[W.loss / 8 + b * nU + u]! : 0;
        sc.loss[u] = l;
        sc.dir[u] = at >= 0 ? T.spotDir[T.offset[u]! + at]! : 0;
        sumLoss += l;
      }
      for (let x = 0; x < K; x++) sc.stressPnl[x] = bStress[b * K + x]!;
      for (let u = 0; u < nU; u++) sc.gross[u] = bGross[b * nU + u]!;
      const im =
        combine(T, sc, sumLoss, (bFlags[b]! & 1) === 1) + bCont[b]! + confidenceOf(T, sc) + bHair[b]!;
      out.im[a] = im;
      out.mm[a] = mmFraction * im;
    }
  }
}
