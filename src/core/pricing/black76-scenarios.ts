/**
 * @module pricing/black76-scenarios
 *
 * Black-76 repricing of one option under many scenarios, the inner loop of every risk array
 * (grid, historical, move grid). The option's own pieces are computed once (ln(F/K), √t, the
 * discount factor); each scenario brings a forward growth g (F' = F·g, with ln g given, so no
 * logarithm per scenario) and a vol σ'. Per scenario the price costs ONE exponential.
 *
 * Formula (the out-of-the-money twin plus intrinsic, as `undiscountedPrice` in black76.ts):
 * with x = ln(F'/K), s = σ'√t, a = |x|, G = min(F', K), H = max(F', K),
 *
 *   u = −a/s + s/2,  w = u − s,   OTM = G·N(u) − H·N(w)
 *
 * (the OTM call when F' ≤ K, the OTM put when F' > K). Since u² − w² = −2a and H·e^{−a} = G,
 *
 *   H·e^{−w²/2} = G·e^{−u²/2}
 *
 * so every Gaussian factor in N(u) and N(w) is G·E with E = e^{−u²/2}, one `Math.exp` per
 * scenario; N's rational parts are Cody's (numeric/normal.ts: `erfOverZSmall` for |x| ≤ TAIL_X,
 * `erfcxTail` beyond). u² is split exactly (Dekker's product) before the exponential, so E
 * keeps full relative precision where e^{−u²/2} computed naively would lose up to 2e-13.
 *
 * Accuracy (black76-scenarios.test.ts): the OTM part within 4e-15 relative of the 700-digit
 * reference wherever it is above 1e-300 (the same bound as the scalar `priceBlack76`), and
 * every price within 4e-16·(F' + K) of `priceBlack76`, the scalar API, on random inputs. The
 * prices are not bit-identical to `priceBlack76`: x is formed as ln(F/K) + ln g rather than
 * ln(F'/K), and the Gaussian factor is shared rather than evaluated twice.
 *
 * Edge cases as the scalar API: t ≤ 0 → undiscounted intrinsic; σ'√t < S_POINT_MASS →
 * discounted intrinsic; lower tails below −UNDERFLOW_X are 0.
 */
import { InvalidInputError } from '../errors.js';
import { erfcxTail, erfOverZSmall, TAIL_X, UNDERFLOW_X } from '../numeric/normal.js';
import { S_POINT_MASS } from './black76.js';

const INV_SQRT2 = 0.7071067811865476;
/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134217729;

/** One option's fixed inputs (validated by `repriceBlack76Scenarios`). */
export interface Black76Option {
  readonly isCall: boolean;
  /** forward F (> 0) */
  readonly forward: number;
  /** strike K (> 0) */
  readonly strike: number;
  /** years to expiry; ≤ 0 is expired (intrinsic) */
  readonly tYears: number;
  /** continuously compounded rate */
  readonly rate: number;
}

/** Per-scenario forward moves shared by every option on one underlying: F' = F·growth[s]. */
export interface ForwardMoves {
  /** growth factors g (> 0): 1 + move for a relative move, e^{r} for a log return */
  readonly growth: Float64Array;
  /** ln g, the same scenarios (log1p(move), or r itself) */
  readonly lnGrowth: Float64Array;
}

/** Forward moves from relative moves m (F' = F·(1 + m)). */
export function relativeForwardMoves(moves: ArrayLike<number>): ForwardMoves {
  const growth = new Float64Array(moves.length);
  const lnGrowth = new Float64Array(moves.length);
  for (let s = 0; s < moves.length; s++) {
    growth[s] = 1 + moves[s]!;
    lnGrowth[s] = Math.log1p(moves[s]!);
  }
  return { growth, lnGrowth };
}

/** Forward moves from log returns r (F' = F·e^{r}), read at `returns[s·stride + offset]`. */
export function logForwardMoves(returns: ArrayLike<number>, n: number, stride = 1, offset = 0): ForwardMoves {
  const growth = new Float64Array(n);
  const lnGrowth = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const r = returns[s * stride + offset]!;
    growth[s] = Math.exp(r);
    lnGrowth[s] = r;
  }
  return { growth, lnGrowth };
}

function checkOption(o: Black76Option): void {
  if (!(o.forward > 0 && o.forward < Infinity))
    throw new InvalidInputError('forward', o.forward, 'must be finite and > 0');
  if (!(o.strike > 0 && o.strike < Infinity))
    throw new InvalidInputError('strike', o.strike, 'must be finite and > 0');
  if (!Number.isFinite(o.tYears)) throw new InvalidInputError('tYears', o.tYears, 'must be finite');
  if (!Number.isFinite(o.rate)) throw new InvalidInputError('rate', o.rate, 'must be finite');
}

/**
 * Undiscounted out-of-the-money value G·N(u) − H·N(w) (module header), for s ≥ S_POINT_MASS.
 * @param a  |ln(F'/K)|;  g, h  min and max of F', K;  s  σ'√t
 */
export function otmValue(a: number, g: number, h: number, s: number): number {
  const u = -a / s + 0.5 * s;
  if (u <= -UNDERFLOW_X) return 0; // both tails underflow, as normCdf does
  const w = u - s;
  // E = e^{−u²/2} with u² = p + lo exactly (Dekker), so E = e^{−p/2}·e^{−lo/2}, e^{−lo/2} ≈ 1 − lo/2.
  const p = u * u;
  const c = SPLITTER * u;
  const uh = c - (c - u);
  const ul = u - uh;
  const lo = uh * uh - p + 2 * uh * ul + ul * ul;
  const ge = 0.5 * g * Math.exp(-0.5 * p) * (1 - 0.5 * lo); // ½·G·E = ½·H·e^{−w²/2}
  let otm: number;
  if (u < -TAIL_X) {
    // Both lower tails: ½·G·E·(R(−u/√2) − R(−w/√2)).
    otm = ge * (erfcxTail(-u * INV_SQRT2) - erfcxTail(-w * INV_SQRT2));
  } else {
    const zu = u * INV_SQRT2;
    const gn = u <= TAIL_X ? g * (0.5 + 0.5 * zu * erfOverZSmall(zu)) : g - ge * erfcxTail(zu);
    const zw = w * INV_SQRT2;
    const hn =
      w < -TAIL_X
        ? ge * erfcxTail(-zw)
        : w <= TAIL_X
          ? h * (0.5 + 0.5 * zw * erfOverZSmall(zw))
          : h - ge * erfcxTail(zw);
    otm = gn - hn;
  }
  // Rounding can make the difference a few ulps negative when both terms are tiny.
  return otm > 0 ? otm : 0;
}

/** Undiscounted OTM value at forward fs, x = ln(fs/K), sd = σ'√t ≥ 0 (0 for a point mass). */
function scenarioOtm(fs: number, k: number, x: number, sd: number): number {
  if (sd < S_POINT_MASS) return 0;
  const below = fs <= k;
  return otmValue(x < 0 ? -x : x, below ? fs : k, below ? k : fs, sd);
}

/** Price from the OTM value at forward fs: df·(OTM + intrinsic). */
export function priceFromOtm(isCall: boolean, fs: number, k: number, otm: number, df: number): number {
  const below = fs <= k;
  return df * (otm + (isCall ? (below ? 0 : fs - k) : below ? k - fs : 0));
}

/** The discount factor the kernel applies: e^{−rt}, or 1 when expired (t ≤ 0). */
export function kernelDiscount(o: Pick<Black76Option, 'tYears' | 'rate'>): number {
  return o.tYears <= 0 ? 1 : Math.exp(-o.rate * o.tYears);
}

/**
 * The option's price at its own inputs (growth 1, vol σ), by the same arithmetic as
 * `repriceBlack76Scenarios`, so a scenario that moves nothing reprices to exactly this value.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the field
 */
export function priceBlack76Kernel(o: Black76Option, vol: number): number {
  checkOption(o);
  if (!(vol >= 0 && vol < Infinity)) throw new InvalidInputError('vol', vol, 'must be finite and >= 0');
  const { forward: f, strike: k, tYears: t } = o;
  const otm = t <= 0 ? 0 : scenarioOtm(f, k, Math.log(f / k), vol * Math.sqrt(t));
  return priceFromOtm(o.isCall, f, k, otm, kernelDiscount(o));
}

/**
 * Undiscounted out-of-the-money values under scenarios 0..n−1, written to otm[0..n−1]: the part
 * a call and a put on the same forward, strike, expiry and vols share (put-call parity), so a
 * pair costs one evaluation. `pricesFromOtm` turns them into either option's prices.
 * @param o  forward, strike, tYears, rate (`isCall` is not used)
 * @throws InvalidInputError ERR_INVALID_INPUT naming the option field or `vol[s]`/`growth[s]`
 */
export function otmBlack76Scenarios(
  o: Black76Option,
  moves: ForwardMoves,
  vol: Float64Array,
  otm: Float64Array,
  n: number,
): void {
  checkOption(o);
  const { growth, lnGrowth } = moves;
  const { forward: f, strike: k, tYears: t } = o;
  const sqrtT = t <= 0 ? 0 : Math.sqrt(t); // expired: sd = 0, no time value
  const lnFK = Math.log(f / k);
  for (let s = 0; s < n; s++) {
    const fs = f * growth[s]!;
    const v = vol[s]!;
    if (!(v >= 0 && v < Infinity)) throw new InvalidInputError(`vol[${s}]`, v, 'must be finite and >= 0');
    if (!(fs > 0 && fs < Infinity))
      throw new InvalidInputError(`growth[${s}]`, growth[s], 'must be finite and > 0');
    otm[s] = scenarioOtm(fs, k, lnFK + lnGrowth[s]!, v * sqrtT);
  }
}

/**
 * Prices from OTM values (`otmBlack76Scenarios` of the same forward, strike, expiry, rate and
 * moves): out[base + s] = df·(otm[s] + intrinsic at F·growth[s]). `otm` may be `out` itself
 * (with base 0). Equals `repriceBlack76Scenarios` bit for bit.
 */
export function pricesFromOtm(
  o: Black76Option,
  moves: ForwardMoves,
  otm: Float64Array,
  out: Float64Array,
  base: number,
  n: number,
): void {
  const { growth } = moves;
  const { forward: f, strike: k, isCall } = o;
  const df = kernelDiscount(o);
  for (let s = 0; s < n; s++) out[base + s] = priceFromOtm(isCall, f * growth[s]!, k, otm[s]!, df);
}

/**
 * Prices of `o` under scenarios 0..n−1: out[base + s] = B76(F·growth[s], K, t, vol[s], r).
 * @param vol  σ' per scenario (≥ 0), annualised
 * @throws InvalidInputError ERR_INVALID_INPUT naming the option field or `vol[s]`/`growth[s]`
 */
export function repriceBlack76Scenarios(
  o: Black76Option,
  moves: ForwardMoves,
  vol: Float64Array,
  out: Float64Array,
  base: number,
  n: number,
): void {
  const otm = base === 0 ? out : out.subarray(base, base + n);
  otmBlack76Scenarios(o, moves, vol, otm, n);
  pricesFromOtm(o, moves, otm, otm, 0, n);
}
