/**
 * @module engine/book/book-kernel
 *
 * The pure hot path of the columnar book: an account's `portfolio`-model initial margin from typed
 * arrays, and the re-margin loop over one shard of accounts. No imports, no allocation per account,
 * no node APIs: the same functions run on the main thread and inside every shard worker
 * (docs/methodology/engine-book.md).
 *
 * Per account a (positions p in [accountStart[a], accountStart[a+1])):
 *
 *   pnl_u[s] = Σ_{p on u} qty[p]·unitPnl_u[row(p)·S_u + s]            (USD, scratch buffer)
 *   L_u = max(0, −min_s pnl_u[s]),  d_u = sign(spot move of the first worst scenario)
 *   D = max(√(Σ_uv c_uv·L_u·L_v), minDiversifiedFraction·Σ_u L_u),  c_uu = 1, c_uv = ρ_uv·d_u·d_v
 *   IM = imFactor·D + Σ_p contingency_p + fixedAddOn_a,  MM = mmFraction·IM
 *
 * contingency_p: short options −units·index·shortOptionRate, perpetuals/futures
 * |units|·index·linearRate (units = qty·contractSize; index of the underlying in USD).
 */

/** Health states, from best to worst (the index is the stored code). */
export const HEALTH_STATES = ['healthy', 'margin-call', 'reduce-only', 'liquidatable'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** A crossing of a health threshold by one account. */
export interface HealthEvent {
  /** account index in the book */
  readonly account: number;
  readonly from: HealthState;
  readonly to: HealthState;
}

/** Instrument kinds as far as contingencies are concerned. */
export const KIND_NONE = 0;
export const KIND_OPTION = 1;
export const KIND_LINEAR = 2;

/** Slots of `BookData.params`. */
export const P_IM_FACTOR = 0;
export const P_MM_FRACTION = 1;
export const P_MIN_DIVERSIFIED = 2;
export const P_SHORT_OPTION_RATE = 3;
export const P_LINEAR_RATE = 4;
/** margin call when equity < MM × this (e.g. 1.2) */
export const P_MARGIN_CALL_RATIO = 5;
/** reduce-only when equity < MM × this (e.g. 1.05); liquidatable when equity < MM */
export const P_REDUCE_ONLY_RATIO = 6;
export const N_PARAMS = 7;

/** `changedMask` value meaning "every account" (a full re-margin). */
export const ALL_UNDERLYINGS = -1;

/**
 * The book as plain typed arrays (all backed by SharedArrayBuffer so shard workers read and write
 * them in place). Indices: a account, p position, g instrument (global row key), u underlying.
 */
export interface BookData {
  readonly nAccounts: number;
  readonly nUnderlyings: number;
  /** nAccounts + 1: positions of account a are [accountStart[a], accountStart[a+1]) */
  readonly accountStart: Int32Array;
  /** per position: global instrument index g */
  readonly posInstrument: Int32Array;
  /** per position: contracts (instruments) or asset units (collateral, spot), signed */
  readonly qty: Float64Array;
  /** per account: collateral value, USD (informative; equity is what health compares) */
  readonly collateralUsd: Float64Array;
  /** per account: equity, USD (collateral + position values), set by the caller */
  readonly equityUsd: Float64Array;
  /** per account: requirement that does not move with the scenario (stablecoin haircuts), USD */
  readonly fixedAddOnUsd: Float64Array;
  /** per instrument: underlying index u */
  readonly instUnderlying: Int32Array;
  /** per instrument: row in its underlying's risk array */
  readonly instRow: Int32Array;
  /** per instrument: KIND_* */
  readonly instKind: Int32Array;
  /** per instrument: units of underlying per contract (1 for collateral rows) */
  readonly instContractSize: Float64Array;
  /** CSR instrument → accounts holding it: accounts of g are instAccounts[instAccountStart[g] ..] */
  readonly instAccountStart: Int32Array;
  readonly instAccounts: Int32Array;
  /** per underlying: number of scenarios S_u */
  readonly nScenarios: Int32Array;
  /** per underlying: rows × S_u, USD per unit (risk/risk-arrays.ts layout) */
  readonly unitPnl: readonly Float64Array[];
  /** per underlying: sign of each scenario's spot move (−1, 0, 1) */
  readonly spotDir: readonly Float64Array[];
  /** per underlying: index price, USD */
  readonly indexUsd: Float64Array;
  /** nU × nU correlation ρ_uv of returns (1 on the diagonal) */
  readonly correlation: Float64Array;
  /** model params and thresholds, P_* slots */
  readonly params: Float64Array;
  /** outputs per account: IM, MM, equity − MM (USD), equity / MM, health state code */
  readonly imUsd: Float64Array;
  readonly mmUsd: Float64Array;
  readonly healthUsd: Float64Array;
  readonly healthRatio: Float64Array;
  readonly state: Uint8Array;
  /** per account: last epoch it was re-margined in (dedupes accounts reached via several instruments) */
  readonly stamp: Int32Array;
}

/** Reusable per-thread buffers of the kernel. */
export interface KernelScratch {
  /** Σ_u S_u: pnl_u at [offset[u], offset[u] + S_u) */
  readonly pnl: Float64Array;
  readonly offset: Int32Array;
  readonly loss: Float64Array;
  readonly dir: Float64Array;
  readonly used: Uint8Array;
}

/** Allocates the scratch buffers for one thread. */
export function createScratch(d: BookData): KernelScratch {
  const nU = d.nUnderlyings;
  const offset = new Int32Array(nU);
  let total = 0;
  for (let u = 0; u < nU; u++) {
    offset[u] = total;
    total += d.nScenarios[u]!;
  }
  return {
    pnl: new Float64Array(total),
    offset,
    loss: new Float64Array(nU),
    dir: new Float64Array(nU),
    used: new Uint8Array(nU),
  };
}

/**
 * Initial margin of account `a`, USD (module header). Allocates nothing.
 * Shapes are checked when the book is built (columnar-book.ts), hence the `!` reads.
 */
export function accountInitialMargin(d: BookData, a: number, sc: KernelScratch): number {
  const nU = d.nUnderlyings;
  const pnl = sc.pnl;
  const used = sc.used;
  used.fill(0);
  const p0 = d.accountStart[a]!;
  const p1 = d.accountStart[a + 1]!;
  let contingencies = 0;
  const shortRate = d.params[P_SHORT_OPTION_RATE]!;
  const linearRate = d.params[P_LINEAR_RATE]!;
  const posInstrument = d.posInstrument;
  const instUnderlying = d.instUnderlying;
  const instRow = d.instRow;
  const nScenarios = d.nScenarios;
  const qtyArr = d.qty;
  const offset = sc.offset;
  for (let p = p0; p < p1; p++) {
    const g = posInstrument[p]!;
    const u = instUnderlying[g]!;
    const S = nScenarios[u]!;
    const o = offset[u]!;
    if (used[u] === 0) {
      used[u] = 1;
      for (let s = 0; s < S; s++) pnl[o + s] = 0;
    }
    const q = qtyArr[p]!;
    const arr = d.unitPnl[u]!;
    const base = instRow[g]! * S;
    for (let s = 0; s < S; s++) pnl[o + s] = pnl[o + s]! + q * arr[base + s]!;
  }
  for (let p = p0; p < p1; p++) {
    const g = d.posInstrument[p]!;
    const kind = d.instKind[g]!;
    if (kind === KIND_NONE) continue;
    const units = d.qty[p]! * d.instContractSize[g]!;
    const index = d.indexUsd[d.instUnderlying[g]!]!;
    let amount = 0;
    if (kind === KIND_OPTION) amount = units < 0 ? -units * index * shortRate : 0;
    else amount = Math.abs(units) * index * linearRate;
    if (amount > 0) contingencies += amount;
  }
  let sumLoss = 0;
  for (let u = 0; u < nU; u++) {
    if (used[u] === 0) {
      sc.loss[u] = 0;
      sc.dir[u] = 0;
      continue;
    }
    const S = d.nScenarios[u]!;
    const o = sc.offset[u]!;
    let worst = Infinity;
    let idx = 0;
    for (let s = 0; s < S; s++) {
      const x = pnl[o + s]!;
      if (x < worst) {
        worst = x;
        idx = s;
      }
    }
    const loss = Math.max(0, -worst);
    sc.loss[u] = loss;
    sc.dir[u] = d.spotDir[u]![idx]!;
    sumLoss += loss;
  }
  let quad = 0;
  for (let u = 0; u < nU; u++) {
    const lu = sc.loss[u]!;
    if (lu === 0) continue;
    let grad = 0;
    for (let v = 0; v < nU; v++) {
      const lv = sc.loss[v]!;
      if (lv === 0) continue;
      grad += (u === v ? 1 : d.correlation[u * nU + v]! * sc.dir[u]! * sc.dir[v]!) * lv;
    }
    quad += lu * grad;
  }
  let diversified = Math.sqrt(Math.max(quad, 0));
  const floor = d.params[P_MIN_DIVERSIFIED]! * sumLoss;
  if (diversified < floor) diversified = floor;
  contingencies += d.fixedAddOnUsd[a]!;
  return d.params[P_IM_FACTOR]! * diversified + contingencies;
}

/** Health state code of equity against MM (thresholds in `params`). */
export function healthStateOf(d: BookData, equity: number, mm: number): number {
  if (equity < mm) return 3;
  if (equity < mm * d.params[P_REDUCE_ONLY_RATIO]!) return 2;
  if (equity < mm * d.params[P_MARGIN_CALL_RATIO]!) return 1;
  return 0;
}

/** Margins account a, stores its outputs; appends (a, from, to) to `events` on a crossing. */
function remarginAccount(
  d: BookData,
  a: number,
  sc: KernelScratch,
  events: Int32Array,
  counts: Int32Array,
): void {
  const im = accountInitialMargin(d, a, sc);
  const mm = d.params[P_MM_FRACTION]! * im;
  const eq = d.equityUsd[a]!;
  d.imUsd[a] = im;
  d.mmUsd[a] = mm;
  d.healthUsd[a] = eq - mm;
  d.healthRatio[a] = mm > 0 ? eq / mm : eq >= 0 ? Infinity : -Infinity;
  const next = healthStateOf(d, eq, mm);
  const prev = d.state[a]!;
  counts[0] = counts[0]! + 1;
  if (next !== prev) {
    d.state[a] = next;
    const k = counts[1]!;
    events[3 * k] = a;
    events[3 * k + 1] = prev;
    events[3 * k + 2] = next;
    counts[1] = k + 1;
  }
}

/**
 * Re-margins the accounts of shard `shard` of `nShards` (account index mod nShards): all of them
 * when `changedMask` is ALL_UNDERLYINGS, else only those holding an instrument on an underlying
 * whose bit is set (found through the instrument → accounts index, deduped with `epoch`).
 * Writes counts[0] = accounts re-margined, counts[1] = events written to `events` as triples
 * (account, from code, to code); `events` must hold 3 × the shard's account count.
 */
export function remarginShard(
  d: BookData,
  changedMask: number,
  shard: number,
  nShards: number,
  epoch: number,
  sc: KernelScratch,
  events: Int32Array,
  counts: Int32Array,
): void {
  counts[0] = 0;
  counts[1] = 0;
  if (changedMask === ALL_UNDERLYINGS) {
    for (let a = shard; a < d.nAccounts; a += nShards) remarginAccount(d, a, sc, events, counts);
    return;
  }
  const nInst = d.instUnderlying.length;
  for (let g = 0; g < nInst; g++) {
    if (((changedMask >>> d.instUnderlying[g]!) & 1) === 0) continue;
    const k1 = d.instAccountStart[g + 1]!;
    for (let k = d.instAccountStart[g]!; k < k1; k++) {
      const a = d.instAccounts[k]!;
      if (a % nShards !== shard || d.stamp[a] === epoch) continue;
      d.stamp[a] = epoch;
      remarginAccount(d, a, sc, events, counts);
    }
  }
}

/** Decodes `n` event triples into HealthEvents, sorted by account. */
export function decodeEvents(events: Int32Array, n: number, out: HealthEvent[]): void {
  for (let k = 0; k < n; k++) {
    out.push({
      account: events[3 * k]!,
      from: HEALTH_STATES[events[3 * k + 1]!]!,
      to: HEALTH_STATES[events[3 * k + 2]!]!,
    });
  }
}
