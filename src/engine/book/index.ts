/**
 * @module engine/book
 *
 * The venue's columnar book: every sub-account's holdings as slots in typed arrays, margined by
 * the prepared kernels (core/margin/kernel), and the WebAssembly SIMD accelerator of their scenario
 * loops. @see docs/methodology/engine-book.md
 */
export { RiskBook, type SlotSpec } from './risk-book.js';
export { loadWasmKernel, type WasmKernel } from './wasm-kernel.js';
