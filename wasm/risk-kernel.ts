// The hot loops of the risk kernels in WebAssembly with 128-bit SIMD (two float64 lanes), compiled
// from this file by AssemblyScript during `npm run build` (npm run build:wasm). The plain
// TypeScript kernels (src/core/margin/kernel/) are the reference and the fallback; the engine's
// test holds both equal (src/engine/book/wasm-kernel.test.ts).
//
// Memory is owned by the caller (JS): it places the risk arrays and a scratch vector in this
// module's linear memory and passes byte offsets. Layout and units as risk/risk-arrays.ts:
// `row` is one instrument's P&L per unit in each of `n` scenarios, USD.

/** pnl[0..n) += q · row[0..n)  (float64, two lanes at a time). */
export function axpy(pnl: usize, row: usize, q: f64, n: i32): void {
  const qq = f64x2.splat(q);
  let i: i32 = 0;
  const n2 = n & ~1;
  for (; i < n2; i += 2) {
    const off = (<usize>i) << 3;
    v128.store(pnl + off, f64x2.add(v128.load(pnl + off), f64x2.mul(qq, v128.load(row + off))));
  }
  if (i < n) {
    const off = (<usize>i) << 3;
    store<f64>(pnl + off, load<f64>(pnl + off) + q * load<f64>(row + off));
  }
}

/** Sets pnl[0..n) to 0. */
export function zero(pnl: usize, n: i32): void {
  memory.fill(pnl, 0, (<usize>n) << 3);
}

/** Index of the first minimum of pnl[0..n) (n ≥ 1). */
export function argmin(pnl: usize, n: i32): i32 {
  let best = load<f64>(pnl);
  let at: i32 = 0;
  for (let i: i32 = 1; i < n; i++) {
    const x = load<f64>(pnl + ((<usize>i) << 3));
    if (x < best) {
      best = x;
      at = i;
    }
  }
  return at;
}

/**
 * Worst losses of a batch of accounts, all scenario loops in one call. Account k's slots are
 * [accStart[k], accStart[k+1]) of the slot arrays: the underlying `slotU` (0..nU), the byte offset
 * `slotRow` of the slot's risk row (its underlying's scenarios, `uS[u]` of them) and the quantity
 * `slotQ`. Per account and underlying u it writes loss = max(0, −min_s pnl_u[s]) to
 * lossOut[k·nU + u] and the index of the first worst scenario to idxOut[k·nU + u] (−1 when the
 * account holds nothing on u). `pnl` is scratch of Σ uS float64, u's part at uOff[u].
 */
export function batchLosses(
  nAcc: i32,
  accStart: usize,
  slotU: usize,
  slotRow: usize,
  slotQ: usize,
  nU: i32,
  uS: usize,
  uOff: usize,
  pnl: usize,
  lossOut: usize,
  idxOut: usize,
): void {
  for (let k: i32 = 0; k < nAcc; k++) {
    const s0 = load<i32>(accStart + ((<usize>k) << 2));
    const s1 = load<i32>(accStart + ((<usize>(k + 1)) << 2));
    let used: u32 = 0;
    for (let s = s0; s < s1; s++) {
      const u = load<i32>(slotU + ((<usize>s) << 2));
      const n = load<i32>(uS + ((<usize>u) << 2));
      const region = pnl + ((<usize>load<i32>(uOff + ((<usize>u) << 2))) << 3);
      if ((used & (1 << u)) === 0) {
        used |= 1 << u;
        memory.fill(region, 0, (<usize>n) << 3);
      }
      axpy(region, <usize>load<i32>(slotRow + ((<usize>s) << 2)), load<f64>(slotQ + ((<usize>s) << 3)), n);
    }
    for (let u: i32 = 0; u < nU; u++) {
      const o = <usize>(k * nU + u);
      if ((used & (1 << u)) === 0) {
        store<f64>(lossOut + (o << 3), 0);
        store<i32>(idxOut + (o << 2), -1);
        continue;
      }
      const n = load<i32>(uS + ((<usize>u) << 2));
      const region = pnl + ((<usize>load<i32>(uOff + ((<usize>u) << 2))) << 3);
      const at = argmin(region, n);
      const worst = load<f64>(region + ((<usize>at) << 3));
      store<f64>(lossOut + (o << 3), worst < 0 ? -worst : 0);
      store<i32>(idxOut + (o << 2), at);
    }
  }
}
