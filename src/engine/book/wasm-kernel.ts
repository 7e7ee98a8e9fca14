/**
 * @module engine/book/wasm-kernel
 *
 * The WebAssembly SIMD accelerator of the risk kernels (core/margin/kernel/simd-kernel.ts): the
 * module compiled from wasm/risk-kernel.ts by AssemblyScript during `npm run build` into
 * dist/wasm/risk-kernel.wasm (an npm-installed toolchain; nothing is downloaded, nothing beyond
 * Node is needed to run it). When the file is missing or the runtime lacks SIMD, the kernels run
 * their plain loops: same numbers, slower.
 *
 * Memory: a bump allocator over the module's linear memory from 64 KiB (below lies the module's own
 * static data), 16-byte aligned; `reset` frees everything at once (the venue does it once per
 * market update, before preparing the kernels); memory grows in 1 MiB steps.
 */
import { readFileSync } from 'node:fs';
import type { SimdKernel } from '../../core/margin/kernel/simd-kernel.js';

/** The accelerator with its reset. */
export interface WasmKernel extends SimdKernel {
  /** frees every allocation */
  reset(): void;
}

interface Exports {
  readonly memory: WebAssembly.Memory;
  axpy(pnl: number, row: number, q: number, n: number): void;
  zero(pnl: number, n: number): void;
  argmin(pnl: number, n: number): number;
  batchLosses: SimdKernel['batchLosses'];
}

const BASE = 65_536;
let cached: WebAssembly.Module | null | undefined;

/** The compiled module, or null when it is not built (or SIMD is not supported). */
function wasmModule(): WebAssembly.Module | null {
  if (cached !== undefined) return cached;
  cached = null;
  for (const rel of ['../../../wasm/risk-kernel.wasm', '../../../dist/wasm/risk-kernel.wasm']) {
    try {
      cached = new WebAssembly.Module(readFileSync(new URL(rel, import.meta.url)));
      break;
    } catch {
      // not here (running from sources or from dist), or not valid here: try the next place
    }
  }
  return cached;
}

/**
 * A new accelerator instance (each thread and each venue its own), or undefined when the module is
 * not built or cannot run here.
 */
export function loadWasmKernel(): WasmKernel | undefined {
  const mod = wasmModule();
  if (!mod) return undefined;
  const x = new WebAssembly.Instance(mod, {}).exports as unknown as Exports;
  let top = BASE;
  let view = new Float64Array(x.memory.buffer);
  let ints = new Int32Array(x.memory.buffer);
  const ensure = (bytes: number) => {
    const need = bytes - x.memory.buffer.byteLength;
    if (need > 0) x.memory.grow(Math.ceil(need / 65_536) + 16);
    if (view.buffer !== x.memory.buffer) {
      view = new Float64Array(x.memory.buffer);
      ints = new Int32Array(x.memory.buffer);
    }
  };
  ensure(BASE);
  return {
    alloc(n) {
      const ptr = top;
      top += Math.ceil((8 * n) / 16) * 16;
      ensure(top);
      view.fill(0, ptr / 8, ptr / 8 + n);
      return ptr;
    },
    f64: () => view,
    i32: () => ints,
    axpy: x.axpy,
    zero: x.zero,
    argmin: x.argmin,
    batchLosses: x.batchLosses,
    reset() {
      top = BASE;
    },
  };
}
