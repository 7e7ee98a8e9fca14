/**
 * @module statistics/seeded-rng
 *
 * A seeded, reproducible pseudo-random generator for Monte Carlo scenarios and bootstraps. The
 * core never reads a global random source (docs/adr/0001, STYLE §3.7): every draw comes from a
 * `SeededRng` built from a seed the caller passes and records.
 *
 * Generator: xoshiro128** (Blackman & Vigna), 128 bits of state in four uint32 words, period
 * 2^128 − 1, 32-bit outputs; passes BigCrush. Its state is seeded from the seed by SplitMix64
 * (two 64-bit outputs, low word first), the seeding the authors recommend; SplitMix64 never
 * yields an all-zero state in practice, and an all-zero state is refused anyway.
 *
 * Derived draws, each a fixed function of the uint32 stream (so one seed gives one stream, bit
 * for bit, on every platform: only 32-bit integer operations and IEEE float64 arithmetic):
 * - uniform on [0, 1): 53 bits from two outputs, (a>>>5)·2^26 + (b>>>6), divided by 2^53;
 * - uniform on (0, 1): the same 53 bits plus ½, divided by 2^53 (never 0, never 1);
 * - standard normal: Marsaglia's polar method; each accepted pair yields two normals, the
 *   second kept for the next call (the spare is part of the generator's state);
 * - gamma(k, 1): Marsaglia & Tsang (2000) squeeze method for k ≥ 1; for k < 1 the boost
 *   gamma(k) = gamma(k + 1)·U^{1/k};
 * - chi-square(ν) = 2·gamma(ν/2); Student-t(ν) = Z/√(χ²_ν/ν), Z and χ² independent.
 *
 * References: D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS
 * 47 (2021), https://prng.di.unimi.it/; G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom
 * number generators" (SplitMix), OOPSLA 2014; G. Marsaglia, T. Bray, "A convenient method for
 * generating normal variables", SIAM Review 6 (1964); G. Marsaglia, W. W. Tsang, "A simple method
 * for generating gamma variables", ACM TOMS 26 (2000).
 */
import { requireInput } from '../errors.js';

/** 2^-53: the spacing of 53-bit uniforms. */
const TWO_POW_M53 = 1 / 9007199254740992;
/** 2^26 */
const TWO_POW_26 = 67108864;
const MASK64 = (1n << 64n) - 1n;

/** A seed: a non-negative safe integer, or a bigint in [0, 2^64). */
export type Seed = number | bigint;

/** SplitMix64 step: returns [new state, output], both as bigint in [0, 2^64). */
function splitMix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

/**
 * Seeded xoshiro128** generator with uniform, normal, gamma, chi-square and Student-t draws.
 *
 * Reproducibility contract: the same seed and the same sequence of method calls give the same
 * numbers, bit for bit. Methods consume the stream as documented on each; changing the order of
 * calls changes the numbers (record the seed and the call order with any result).
 *
 * @example
 *   const rng = new SeededRng(42);
 *   const u = rng.nextUniform();   // in [0, 1)
 *   const z = rng.nextNormal();    // N(0, 1)
 */
export class SeededRng {
  /** the seed this generator was built from (record it with every result) */
  readonly seed: Seed;
  // xoshiro128** state, each an unsigned 32-bit integer held in a number.
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  // Second normal of the last polar pair, valid while hasSpare.
  private spare = 0;
  private hasSpare = false;

  /**
   * @param seed  non-negative safe integer, or bigint in [0, 2^64)
   * @throws InvalidInputError ERR_INVALID_INPUT when the seed is negative, fractional, unsafe or ≥ 2^64
   */
  constructor(seed: Seed) {
    if (typeof seed === 'bigint') {
      requireInput(seed >= 0n && seed <= MASK64, 'seed', seed, 'must be a bigint in [0, 2^64)');
    } else {
      requireInput(
        Number.isSafeInteger(seed) && seed >= 0,
        'seed',
        seed,
        'must be a non-negative safe integer',
      );
    }
    this.seed = seed;
    const [st1, a] = splitMix64(BigInt(seed));
    const [, b] = splitMix64(st1);
    this.s0 = Number(a & 0xffffffffn);
    this.s1 = Number(a >> 32n);
    this.s2 = Number(b & 0xffffffffn);
    this.s3 = Number(b >> 32n);
    // xoshiro's one forbidden state; unreachable from SplitMix64 outputs, checked regardless.
    requireInput(
      (this.s0 | this.s1 | this.s2 | this.s3) !== 0,
      'seed',
      seed,
      'must not map to the all-zero state',
    );
  }

  /**
   * Next raw output of xoshiro128**: an integer in [0, 2^32). Consumes one output.
   * @returns an unsigned 32-bit integer
   */
  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(s1, 5);
    const result = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /**
   * Uniform double on [0, 1) with 53 random bits: ((a >>> 5)·2^26 + (b >>> 6))·2^-53, a then b
   * the next two outputs. Every multiple of 2^-53 in [0, 1) has probability 2^-53.
   * @returns u ∈ [0, 1)
   */
  nextUniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * TWO_POW_26 + b) * TWO_POW_M53;
  }

  /**
   * Uniform double on the open interval (0, 1): ((a >>> 5)·2^26 + (b >>> 6) + ½)·2^-53. Safe
   * under log and 1/u. Consumes two outputs.
   * @returns u ∈ (0, 1), never 0 or 1
   */
  nextUniformOpen(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * TWO_POW_26 + b + 0.5) * TWO_POW_M53;
  }

  /**
   * Standard normal draw, Marsaglia's polar method: draw v1, v2 uniform on (−1, 1) until
   * s = v1² + v2² ∈ (0, 1); then v1·m and v2·m with m = √(−2·ln s / s) are independent N(0, 1).
   * The first is returned, the second kept and returned by the next call (acceptance π/4, so
   * 2.55 outputs of 32 bits per normal on average).
   * @returns z ~ N(0, 1)
   */
  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    for (;;) {
      const v1 = 2 * this.nextUniform() - 1;
      const v2 = 2 * this.nextUniform() - 1;
      const s = v1 * v1 + v2 * v2;
      if (s < 1 && s > 0) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v2 * m;
        this.hasSpare = true;
        return v1 * m;
      }
    }
  }

  /**
   * Fills `out` with standard normals, in index order: the same numbers as `out.length`
   * successive `nextNormal()` calls. Allocates nothing.
   * @param out  buffer to overwrite
   */
  fillNormal(out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.nextNormal();
  }

  /**
   * Gamma(shape k, scale 1) draw, Marsaglia & Tsang (2000). For k ≥ 1, with d = k − 1/3 and
   * c = 1/√(9d): draw z ~ N(0, 1), v = (1 + c·z)³ until v > 0 and, for u ~ U(0, 1),
   * u < 1 − 0.0331·z⁴ (squeeze) or ln u < z²/2 + d·(1 − v + ln v); return d·v. For k < 1:
   * gamma(k) = gamma(k + 1)·u^{1/k} (Marsaglia & Tsang §6).
   * @param shape  k > 0 (finite)
   * @returns      x ≥ 0 with mean k and variance k; may be 0 for very small k (underflow)
   * @throws InvalidInputError ERR_INVALID_INPUT when shape is not finite and > 0
   */
  nextGamma(shape: number): number {
    requireInput(shape > 0 && shape < Infinity, 'shape', shape, 'must be finite and > 0');
    if (shape < 1) {
      const g = this.nextGamma(shape + 1);
      return g * Math.pow(this.nextUniformOpen(), 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const z = this.nextNormal();
      const t = 1 + c * z;
      if (t <= 0) continue;
      const v = t * t * t;
      const u = this.nextUniformOpen();
      const z2 = z * z;
      // Squeeze first: avoids both logarithms ~98% of the time.
      if (u < 1 - 0.0331 * z2 * z2) return d * v;
      if (Math.log(u) < 0.5 * z2 + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /**
   * Chi-square draw with ν degrees of freedom: 2·gamma(ν/2).
   * @param dof  ν > 0 (need not be an integer)
   * @returns    x ≥ 0 with mean ν and variance 2ν
   * @throws InvalidInputError ERR_INVALID_INPUT when dof is not finite and > 0
   */
  nextChiSquare(dof: number): number {
    requireInput(dof > 0 && dof < Infinity, 'dof', dof, 'must be finite and > 0');
    return 2 * this.nextGamma(0.5 * dof);
  }

  /**
   * Student-t draw with ν degrees of freedom: z/√(w/ν), z ~ N(0, 1) drawn first, then
   * w ~ χ²_ν. Variance ν/(ν − 2) for ν > 2; excess kurtosis 6/(ν − 4) for ν > 4. ν = ∞ returns
   * a standard normal (and consumes no chi-square draw).
   * @param dof  ν > 0, or Infinity
   * @returns    t ~ Student-t(ν), unscaled
   * @throws InvalidInputError ERR_INVALID_INPUT when dof is not > 0
   */
  nextStudentT(dof: number): number {
    requireInput(dof > 0, 'dof', dof, 'must be > 0 (Infinity for a normal)');
    const z = this.nextNormal();
    if (dof === Infinity) return z;
    return z / Math.sqrt(this.nextChiSquare(dof) / dof);
  }
}
