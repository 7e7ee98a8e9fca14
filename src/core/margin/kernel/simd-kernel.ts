/**
 * @module margin/kernel/simd-kernel
 *
 * The port through which a prepared kernel runs its hot loops elsewhere than in plain JavaScript:
 * the WebAssembly SIMD build of wasm/risk-kernel.ts (loaded by the engine, engine/book/wasm-kernel.ts).
 * Core stays pure: it only calls these functions on memory it was given. Every kernel works
 * without one (the plain loops are the reference), and gives the same numbers with one.
 *
 * Memory: `alloc` hands out float64 arrays inside the accelerator's memory (their byte offset,
 * 16-byte aligned); they stay valid until the owner resets it (once per market update, before
 * preparing). Memory may grow on `alloc`, which detaches earlier views: read and write through
 * `f64()`, taken again after any `alloc`.
 */

/** An accelerator of the scenario loops (module header). */
export interface SimdKernel {
  /** a fresh array of `n` float64 in the accelerator's memory, zeroed; its byte offset */
  alloc(n: number): number;
  /** the accelerator's whole memory as float64 (index = byte offset / 8) */
  f64(): Float64Array;
  /** the accelerator's whole memory as int32 (index = byte offset / 4) */
  i32(): Int32Array;
  /** pnl[0..n) += q · row[0..n); both byte offsets */
  axpy(pnlPtr: number, rowPtr: number, q: number, n: number): void;
  /** pnl[0..n) = 0 */
  zero(pnlPtr: number, n: number): void;
  /** index of the first minimum of pnl[0..n) (n ≥ 1) */
  argmin(pnlPtr: number, n: number): number;
  /**
   * Worst losses of a batch of accounts (wasm/risk-kernel.ts `batchLosses`): every argument a byte
   * offset into the accelerator's memory, but `nAcc` and `nU`.
   */
  batchLosses(
    nAcc: number,
    accStart: number,
    slotU: number,
    slotRow: number,
    slotQ: number,
    nU: number,
    uS: number,
    uOff: number,
    pnl: number,
    lossOut: number,
    idxOut: number,
  ): void;
}
