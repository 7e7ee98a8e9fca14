/**
 * @module statistics/var-es
 *
 * Value at Risk and Expected Shortfall of a scenario P&L vector: the tail statistics of
 * historical, filtered-historical and Monte Carlo margin models.
 *
 * Signs: P&L positive = gain; loss L_s = −pnl_s, so VaR and ES are positive for a loss and may be
 * negative when even the tail gains (the margin layer floors at 0). Units: those of the P&L.
 *
 * Definitions (scenario weights w_s ≥ 0, W = Σ w_s; without weights w_s = 1, W = n). Order the
 * scenarios from the largest loss down, L_[1] ≥ L_[2] ≥ …, equal losses by scenario index (the
 * earlier scenario first), and let τ = (1 − α)·W be the tail mass:
 *
 *   b   = the first position with Σ_{i≤b} w_[i] ≥ τ            (the boundary scenario)
 *   VaR = L_[b]                                                (upper α-quantile of the loss)
 *   ES  = (Σ_{i<b} w_[i]·L_[i] + (τ − Σ_{i<b} w_[i])·L_[b]) / τ
 *
 * Equal weights: b = ⌈n(1 − α)⌉, VaR is the ⌈n(1−α)⌉-th worst loss, and ES is the mean of the
 * worst n(1 − α) losses with the boundary counted for its fractional part; e.g. n = 250,
 * α = 0.99: τ = 2.5, VaR = L_[3], ES = (L_[1] + L_[2] + ½·L_[3])/2.5. This is Acerbi & Tasche's
 * estimator, a coherent (subadditive) risk measure on the scenario set, and ES ≥ VaR always.
 * When n(1 − α) < 1 the tail is the single worst scenario (VaR = ES = L_[1]). VaR and ES do not
 * depend on the tie-break; the set of tail scenarios does, and the index order makes it canonical
 * (independent of the algorithm and of the order in which ties happen to be visited).
 *
 * Rounding: 1 − 0.99 = 0.010000000000000009 in float64, so a literal ⌈100·(1 − 0.99)⌉ is 2. The
 * cumulative weight is therefore compared with τ − 1e-9·W: a tail mass within one part in 10⁹
 * of a whole number of scenarios is that whole number. The ES denominator is the tail mass
 * actually used (τ up to that tolerance). ES is clamped to ≥ VaR to absorb summation rounding.
 *
 * Algorithm: one pass gathers the scenarios at or below a pivot guessed from a strided sample
 * (a little beyond the tail fraction), which usually leaves a few % of n to select from; then
 * introselect on the index array (the workspace): a 3-way partition around a median-of-three
 * pivot (heavy ties, e.g. many zero-P&L scenarios, cost nothing) with running weight sums, so
 * weights need no sort. Expected O(n); after 2·log₂n + 4 partitions without convergence the
 * remaining range is heapsorted, so the worst case is O(n log n). A boundary inside a group of
 * m tied scenarios sorts that group by index (O(m log m)); ordering the tail (optional) adds
 * O(m log m) for m tail scenarios. No allocation per call once the workspace holds n indices.
 *
 * References: C. Acerbi, D. Tasche, "On the coherence of expected shortfall", J. Banking &
 * Finance 26 (2002) 1487–1503 (eq. for ES_n^(α)); C. A. R. Hoare, "Algorithm 65: FIND",
 * CACM 4 (1961); D. Musser, "Introspective sorting and selection algorithms", Software: Practice
 * and Experience 27 (1997).
 */
import { InvalidInputError, InvariantError, requireInput } from '../errors.js';
import { heapSortByKey, insertionSortByKey } from './sort-by-key.js';

/** A tail mass within this fraction of W of a whole scenario count is that count. */
const TAIL_MASS_REL_TOL = 1e-9;
/** Ranges this short are finished by insertion sort. */
const SMALL_RANGE = 16;
/** Below this n the pivot guess is not worth its sample. */
const FAST_PATH_MIN_N = 256;
/** Size of the deterministic (strided) sample behind the pivot guess. */
const SAMPLE_SIZE = 64;

/**
 * A P&L level p whose share of scenarios at or below it should exceed the tail fraction q with
 * high probability: the r-th smallest of SAMPLE_SIZE strided values, r = ⌈m·q + 2√(m·q) + 2⌉
 * (q plus about two binomial standard errors). NaN when r ≥ m: the tail is most of the sample
 * and a guess would not save work. Deterministic (strided, not random) and O(m·r).
 */
function guessPivot(pnl: Float64Array, q: number, buf: Float64Array): number {
  const m = SAMPLE_SIZE;
  const r = Math.ceil(m * q + 2 * Math.sqrt(m * q) + 2);
  if (!(r < m)) return Number.NaN;
  const n = pnl.length;
  // buf[0, filled) holds the smallest sampled values so far, ascending, at most r of them.
  let filled = 0;
  for (let i = 0; i < m; i++) {
    const v = pnl[Math.floor((i * n) / m)]!;
    if (filled === r && !(v < buf[r - 1]!)) continue;
    let j = filled === r ? r - 2 : filled - 1;
    while (j >= 0 && buf[j]! > v) {
      buf[j + 1] = buf[j]!;
      j--;
    }
    buf[j + 1] = v;
    if (filled < r) filled++;
  }
  return buf[r - 1]!;
}

/** Options of the VaR/ES kernel. */
export interface VarEsOptions {
  /** confidence level α ∈ (0, 1 − 1e-8], e.g. 0.99 or 0.975; the tail has mass 1 − α */
  readonly alpha: number;
  /** scenario weights w_s ≥ 0 (any scale, Σ > 0), length n; absent = equal weights */
  readonly weights?: Float64Array;
  /** order the tail scenarios worst first in the workspace (O(m log m)); default false */
  readonly sortTail?: boolean;
}

/**
 * Reusable scratch and output of `computeVarEs`. After a call:
 * `index[0 … tailCount − 1)` are the scenarios fully in the tail (before the boundary in the
 * canonical order: worse, or tied and of lower index; worst first when `sortTail`),
 * `index[tailCount − 1]` is the boundary (VaR) scenario, which enters ES with weight
 * `boundaryWeight`. Entries from `tailCount` on are scratch.
 */
export class VarEsWorkspace {
  /** scenario indices, permuted by each call; grows (allocates) only when n exceeds its length */
  index: Int32Array;
  /** VaR, a loss in P&L units (positive = loss) */
  valueAtRisk = Number.NaN;
  /** ES, a loss in P&L units, ≥ valueAtRisk */
  expectedShortfall = Number.NaN;
  /** number of tail scenarios m, including the boundary one */
  tailCount = 0;
  /** tail mass τ used, in weight units (n(1 − α) without weights) */
  tailMass = Number.NaN;
  /** weight of the boundary scenario inside ES, in (0, w_boundary] */
  boundaryWeight = Number.NaN;
  /**
   * Partition rounds before the heapsort fallback; undefined (the default) = 2·⌊log₂n⌋ + 4.
   * Results do not depend on it (only the cost does); tests set 0 to exercise the fallback.
   */
  partitionLimit: number | undefined = undefined;
  /** scratch of the pivot guess (a few sampled P&L values) */
  readonly sample = new Float64Array(SAMPLE_SIZE);

  /** @param capacity  initial number of scenarios (≥ 0) */
  constructor(capacity = 0) {
    this.index = new Int32Array(capacity);
  }
}

/** Weight of scenario e: 1 without weights. */
function weightOf(weights: Float64Array | undefined, e: number): number {
  return weights === undefined ? 1 : weights[e]!;
}

/**
 * VaR and ES of a P&L vector at confidence α, into a reusable workspace (no allocation).
 *
 *   VaR = L_[b], ES = (Σ_{i<b} w_[i]·L_[i] + (τ − Σ_{i<b} w_[i])·L_[b]) / τ,  τ = (1 − α)·W
 *
 * (module header for the full definition). The P&L vector is not modified.
 *
 * @param pnl        scenario P&L, positive = gain (any unit: USD, or returns), length n ≥ 1
 * @param options    α, optional weights, optional tail ordering
 * @param workspace  scratch and results; reused across calls
 * @throws InvalidInputError ERR_INVALID_INPUT when n = 0, a P&L is NaN/±∞, α is outside
 *         (0, 1 − 1e-8], or a weight is negative/non-finite or all weights are 0
 * @throws InvariantError ERR_INVARIANT when the weights' length differs from n
 * @see Acerbi & Tasche (2002); docs/methodology/var-es.md#estimators
 * @example
 *   const ws = new VarEsWorkspace(pnl.length);
 *   computeVarEs(pnl, { alpha: 0.99 }, ws);
 *   ws.expectedShortfall; // mean of the worst 1% of losses
 */
export function computeVarEs(pnl: Float64Array, options: VarEsOptions, workspace: VarEsWorkspace): void {
  const n = pnl.length;
  const { alpha, weights } = options;
  requireInput(n >= 1, 'pnl.length', n, 'must be >= 1');
  requireInput(alpha > 0 && alpha <= 1 - 1e-8, 'alpha', alpha, 'must be in (0, 1 - 1e-8]');
  let total = n;
  if (weights !== undefined) {
    if (weights.length !== n)
      throw new InvariantError('weights length differs from pnl', { weights: weights.length, n });
    total = 0;
    for (let s = 0; s < n; s++) {
      const w = weights[s]!;
      if (!(w >= 0 && w < Infinity))
        throw new InvalidInputError(`weights[${s}]`, w, 'must be finite and >= 0');
      total += w;
    }
    requireInput(total > 0 && total < Infinity, 'weights', total, 'must have a finite positive sum');
  }
  if (workspace.index.length < n) workspace.index = new Int32Array(n);
  const idx = workspace.index;

  const tau = (1 - alpha) * total;
  const tol = TAIL_MASS_REL_TOL * total;
  const reach = tau - tol; // cumulative weight that closes the tail
  // Invariant: idx[0, lo) are worse than (P&L below) everything in idx[lo, hi), idx[hi, n) better
  // (and need not be materialised); acc, accPnl = Σ w and Σ w·pnl over idx[0, lo); acc < reach.
  let lo = 0;
  let hi = n;
  let acc = 0;
  let accPnl = 0;

  // First pass (also the finiteness check): gather the scenarios at or below a guessed pivot p,
  // a sample quantile a little beyond the tail fraction. The tail is usually a few % of n, so
  // this pass moves few indices, its branch is predictable, and the selection below runs on the
  // gathered few. A wrong guess costs one more pass, never correctness.
  const p = n >= FAST_PATH_MIN_N ? guessPivot(pnl, tau / total, workspace.sample) : Number.NaN;
  let c = 0;
  let wc = 0;
  let pc = 0;
  for (let s = 0; s < n; s++) {
    const v = pnl[s]!;
    if (!Number.isFinite(v)) throw new InvalidInputError(`pnl[${s}]`, v, 'must be finite');
    // NaN p (no guess): nothing is gathered and the complement below is everything.
    if (v <= p) {
      idx[c++] = s;
      const w = weightOf(weights, s);
      wc += w;
      pc += w * v;
    }
  }
  if (wc >= reach) {
    hi = c; // the boundary is among the gathered; the rest is better and stays unmaterialised
  } else {
    // All gathered scenarios are fully in the tail; select among the rest.
    acc = wc;
    accPnl = pc;
    lo = c;
    for (let s = 0; s < n; s++) if (!(pnl[s]! <= p)) idx[c++] = s;
  }
  let budget = workspace.partitionLimit ?? 2 * Math.floor(Math.log2(n)) + 4;
  // Found below: the boundary's position j in idx and its weight; acc/accPnl then cover idx[0, j).
  let j = -1;
  let wBoundary = 0;
  search: for (;;) {
    if (hi - lo <= SMALL_RANGE || budget <= 0) {
      if (hi - lo <= SMALL_RANGE) insertionSortByKey(idx, pnl, lo, hi);
      else heapSortByKey(idx, pnl, lo, hi);
      for (let k = lo; k < hi; k++) {
        const e = idx[k]!;
        const w = weightOf(weights, e);
        if (acc + w >= reach) {
          j = k;
          wBoundary = w;
          break search;
        }
        acc += w;
        accPnl += w * pnl[e]!;
      }
      break search; // not reached: acc + Σ w over [lo, hi) ≥ reach by the invariant
    }
    budget--;
    // Median of three pivot value (deterministic; no random pivot in the pure core).
    const a = pnl[idx[lo]!]!;
    const b = pnl[idx[(lo + hi) >>> 1]!]!;
    const c = pnl[idx[hi - 1]!]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // 3-way partition: [lo, lt) < pivot (worse), [lt, gt) = pivot, [gt, hi) > pivot.
    let lt = lo;
    let i = lo;
    let gt = hi;
    let wWorse = 0;
    let pWorse = 0;
    let wEqual = 0;
    while (i < gt) {
      const e = idx[i]!;
      const v = pnl[e]!;
      if (v < pivot) {
        const w = weightOf(weights, e);
        wWorse += w;
        pWorse += w * v;
        idx[i] = idx[lt]!;
        idx[lt] = e;
        lt++;
        i++;
      } else if (v > pivot) {
        gt--;
        idx[i] = idx[gt]!;
        idx[gt] = e;
      } else {
        wEqual += weightOf(weights, e);
        i++;
      }
    }
    if (acc + wWorse >= reach) {
      hi = lt; // the boundary is among the worse part
    } else if (acc + wWorse + wEqual >= reach) {
      // The boundary is in the tied group: walk it in index order (the canonical tie-break)
      // until the tail closes.
      acc += wWorse;
      accPnl += pWorse;
      if (gt - lt <= SMALL_RANGE) insertionSortByKey(idx, pnl, lt, gt);
      else heapSortByKey(idx, pnl, lt, gt);
      for (let k = lt; k < gt; k++) {
        const w = weightOf(weights, idx[k]!);
        if (acc + w >= reach) {
          j = k;
          wBoundary = w;
          break search;
        }
        acc += w;
        accPnl += w * pivot;
      }
      break search; // not reached: acc + wEqual ≥ reach
    } else {
      acc += wWorse + wEqual;
      accPnl += pWorse + wEqual * pivot;
      lo = gt;
    }
  }
  if (j < 0) throw new InvariantError('VaR/ES tail boundary not found', { n, alpha, acc, tau });

  const boundaryPnl = pnl[idx[j]!]!;
  // Partial weight of the boundary: what the tail still needs (> tol, since acc < tau − tol);
  // its whole weight when that is within tolerance, so a whole tail count averages exactly.
  const need = tau - acc;
  const partial = need >= wBoundary - tol ? wBoundary : need;
  const mass = acc + partial;
  // 0 − x rather than −x: a zero P&L gives a VaR of +0, never −0.
  const valueAtRisk = 0 - boundaryPnl;
  const es = (0 - (accPnl + partial * boundaryPnl)) / mass;
  workspace.valueAtRisk = valueAtRisk;
  // ES ≥ VaR holds exactly in real arithmetic; clamp away summation rounding.
  workspace.expectedShortfall = es > valueAtRisk ? es : valueAtRisk;
  workspace.tailCount = j + 1;
  workspace.tailMass = mass;
  workspace.boundaryWeight = partial;
  if (!Number.isFinite(workspace.expectedShortfall)) {
    throw new InvariantError('ES is not finite', { es: workspace.expectedShortfall, mass, accPnl });
  }
  // Every full tail scenario is at least as bad as the boundary, so ordering idx[0, j) keeps
  // the boundary last and the whole tail worst first.
  if (options.sortTail === true) heapSortByKey(idx, pnl, 0, j);
}

/** VaR and ES with their tail, as plain values (allocating convenience over `computeVarEs`). */
export interface VarEsResult {
  /** confidence level α */
  readonly alpha: number;
  /** VaR, a loss in P&L units (positive = loss) */
  readonly valueAtRisk: number;
  /** ES, a loss in P&L units, ≥ valueAtRisk */
  readonly expectedShortfall: number;
  /** tail scenarios, worst first; the last one is the VaR scenario */
  readonly tailIndices: Int32Array;
  /** ES weight of each tail scenario (w_s/τ, the boundary's partial share), summing to 1 */
  readonly tailWeights: Float64Array;
}

/**
 * VaR, ES, and the tail scenarios that drive them, worst first, with their ES weights:
 * ES = −Σ_k tailWeights[k]·pnl[tailIndices[k]] (up to the ES ≥ VaR rounding clamp). The tail
 * weights also give the Euler (marginal) allocation of ES to positions: position i contributes
 * −Σ_k tailWeights[k]·pnl_i[tailIndices[k]].
 *
 * @param pnl      scenario P&L, positive = gain, length n ≥ 1
 * @param options  α and optional weights (`sortTail` is implied)
 * @returns        VaR, ES (loss units), tail indices and weights
 * @throws InvalidInputError ERR_INVALID_INPUT as `computeVarEs`
 * @see computeVarEs; Acerbi & Tasche (2002)
 * @example computeVarEsResult(Float64Array.of(-5, 1, -2, 3), { alpha: 0.5 })
 *          // VaR 2 (= −(−2)), ES (5 + 2)/2 = 3.5, tail [0, 2]
 */
export function computeVarEsResult(pnl: Float64Array, options: VarEsOptions): VarEsResult {
  const ws = new VarEsWorkspace(pnl.length);
  computeVarEs(pnl, { ...options, sortTail: true }, ws);
  const m = ws.tailCount;
  const tailIndices = ws.index.slice(0, m);
  const tailWeights = new Float64Array(m);
  for (let k = 0; k < m - 1; k++) tailWeights[k] = weightOf(options.weights, tailIndices[k]!) / ws.tailMass;
  tailWeights[m - 1] = ws.boundaryWeight / ws.tailMass;
  return {
    alpha: options.alpha,
    valueAtRisk: ws.valueAtRisk,
    expectedShortfall: ws.expectedShortfall,
    tailIndices,
    tailWeights,
  };
}
