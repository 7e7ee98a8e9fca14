/**
 * Risk arrays and margin throughput (issue: portfolio margin core), and the Derive SRM expiry margin.
 *
 * - Risk arrays for 2,000 BTC options (20 expiries × 50 strikes × call/put, seeded vols) over a
 *   Deribit-shaped grid (±16% in 9 buckets × 3 vols + 8 extended moves = 35 scenarios) and a
 *   Derive PMRM_2-shaped grid (±4.5/9/13.5% × 3 vols + ±18% vol up + 8 extended + 2 skews = 33).
 * - Margin throughput of the `portfolio` model (risk arrays cached, as in production) and of
 *   `isolated`, for random portfolios of 10, 100 and 1,000 positions on that market.
 */
import { buildMarginMarket } from '../src/core/portfolio/market-file.js';
import { createMarginContext } from '../src/core/margin/margin-model.js';
import { portfolioModel, portfolioRiskArrays } from '../src/core/margin/portfolio-model.js';
import { isolatedModel } from '../src/core/margin/rate-based-models.js';
import { DEFAULT_PORTFOLIO_PARAMS } from '../src/core/margin/portfolio-params.js';
import { buildGridScenarios, evenMoves } from '../src/core/scenarios/grid.js';
import { buildRiskArrays, type RevaluationParams } from '../src/core/risk/risk-arrays.js';
import { priceBlack76 } from '../src/core/pricing/black76.js';
import { priceBlack76Batch } from '../src/core/pricing/black76-batch.js';
import { skewVol, type GridScenario } from '../src/core/scenarios/grid.js';
import { shockVol } from '../src/core/scenarios/vol-shock.js';
import type { MarginMarket } from '../src/core/portfolio/margin-market.js';
import { expiryOptionMargin } from '../src/core/margin/presets/derive/srm-option-margin.js';
import { DEFAULT_DERIVE_SRM_PARAMS } from '../src/core/margin/presets/derive/srm-params.js';

const SRM_OPTIONS = DEFAULT_DERIVE_SRM_PARAMS.defaultMarket.options;
import type { Portfolio } from '../src/core/portfolio/portfolio.js';
import { printTable, seededRandom, timeMedianMs, type BenchRow } from './support/harness.js';

const T0 = Date.UTC(2026, 2, 1);

/** @param smile  one vol per (expiry, strike), shared by the call and the put, as quoted smiles are */
function optionMarketDoc(rnd: () => number, smile = false) {
  const instruments: Record<string, unknown>[] = [
    { id: 'BTC-PERP', kind: 'perpetual', underlying: 'BTC', markPrice: 66_000 },
  ];
  for (let e = 0; e < 20; e++) {
    const expiryMs = T0 + (e + 1) * 7 * 86_400_000;
    for (let k = 0; k < 50; k++) {
      const strike = 40_000 + k * 1_000;
      const shared = 0.4 + 0.4 * rnd();
      for (const optionType of ['call', 'put']) {
        instruments.push({
          id: `BTC-${e}-${strike}-${optionType[0]}`,
          kind: 'option',
          underlying: 'BTC',
          optionType,
          strike,
          expiryMs,
          iv: smile ? shared : 0.4 + 0.4 * rnd(),
          forward: 66_000 * (1 + 0.001 * e),
        });
      }
    }
  }
  return { valuationMs: T0, snapshotId: 'bench', prices: { BTC: 66_000, USDC: 1 }, instruments };
}

const volShock = DEFAULT_PORTFOLIO_PARAMS.volShock;
const DERIBIT_GRID = buildGridScenarios({
  spotMoves: evenMoves(0.16, 9),
  extendedMoves: [-0.66, -0.33, 0.5, 1, 2, 3, 4, 5],
  extendedWeight: 0.16,
  skew: undefined,
});
/** The `portfolio` model's grid with 31 spot buckets: 31 × 3 vols + 5 extended + 2 skews = 100. */
const PORTFOLIO_GRID_100 = buildGridScenarios({
  spotMoves: evenMoves(DEFAULT_PORTFOLIO_PARAMS.grid.maxMove, 31),
  extendedMoves: DEFAULT_PORTFOLIO_PARAMS.grid.extendedMoves,
  extendedWeight: DEFAULT_PORTFOLIO_PARAMS.grid.extendedWeight,
  skew: DEFAULT_PORTFOLIO_PARAMS.grid.skew ?? undefined,
});
const DERIVE_GRID = [
  ...buildGridScenarios({
    spotMoves: [-0.135, -0.09, -0.045, 0, 0.045, 0.09, 0.135],
    extendedMoves: [-0.66, -0.33, 0.5, 1, 2, 3, 4, 5],
    extendedWeight: 0.1386,
    skew: { cap: 0.25, kScale: 2.4, kMin: 0.01 },
  }),
  ...buildGridScenarios({
    spotMoves: [],
    extendedMoves: [-0.18, 0.18],
    extendedWeight: 0.18,
    skew: undefined,
  }),
];

/**
 * The reference the risk arrays are measured against: each option's scenarios through the public
 * batched pricer `priceBlack76Batch` (validated rows, a log and four exponentials per scenario),
 * as the risk arrays were built before the scenario kernel. Returns option rows only, keyed by id.
 */
function referenceOptionArrays(
  market: MarginMarket,
  scenarios: readonly GridScenario[],
  params: RevaluationParams,
): Map<string, Float64Array> {
  const S = scenarios.length;
  const cols = {
    isCall: new Uint8Array(S),
    forward: new Float64Array(S),
    strike: new Float64Array(S),
    tYears: new Float64Array(S),
    vol: new Float64Array(S),
    rate: new Float64Array(S),
  };
  const shocked = new Float64Array(S);
  const out = new Map<string, Float64Array>();
  for (const [id, m] of market.instruments) {
    const inst = m.instrument;
    if (inst.kind !== 'option') continue;
    const [f, t, sigma, r] = [m.forward!, m.tYears!, m.vol!, m.rate ?? 0];
    const up = shockVol(sigma, t, 'up', params.volShock);
    const down = shockVol(sigma, t, 'down', params.volShock);
    scenarios.forEach((sc, s) => {
      cols.forward[s] = f * (1 + sc.spotMove);
      const v = sc.vol === 'up' ? up : sc.vol === 'down' ? down : sigma;
      cols.vol[s] = params.skew && sc.skew !== 0 ? skewVol(v, inst.strike, f, t, sc.skew, params.skew) : v;
    });
    cols.isCall.fill(inst.optionType === 'call' ? 1 : 0);
    cols.strike.fill(inst.strike);
    cols.tYears.fill(t);
    cols.rate.fill(r);
    priceBlack76Batch(cols, shocked);
    const now = priceBlack76({
      type: inst.optionType,
      forward: f,
      strike: inst.strike,
      tYears: t,
      vol: sigma,
      rate: r,
    });
    out.set(
      id,
      Float64Array.from(shocked, (p, s) => (p - now) * inst.contractSize * scenarios[s]!.weight),
    );
  }
  return out;
}

export function runMarginBench(): void {
  const rnd = seededRandom(7);
  const market = buildMarginMarket(optionMarketDoc(rnd));
  const nOptions = market.instruments.size - 1;
  const rows: BenchRow[] = [];
  const grids = [
    ['Deribit-shaped grid', DERIBIT_GRID],
    ['Derive PMRM_2-shaped grid', DERIVE_GRID],
    ["portfolio grid, 31 buckets: the issue's 100 scenarios; target 3 ms, numpy 3.3 ms", PORTFOLIO_GRID_100],
  ] as const;
  const paramsOf = (grid: readonly GridScenario[]): RevaluationParams => ({
    volShock,
    skew:
      grid === PORTFOLIO_GRID_100
        ? (DEFAULT_PORTFOLIO_PARAMS.grid.skew ?? undefined)
        : { cap: 0.25, kScale: 2.4, kMin: 0.01 },
  });
  for (const [name, grid] of grids) {
    const ms = timeMedianMs(() => buildRiskArrays(market, 'BTC', grid, paramsOf(grid)), 5);
    rows.push({
      workload: `risk arrays: ${nOptions} options × ${grid.length} scenarios (${name})`,
      items: nOptions * grid.length,
      ms,
      note: `${ms.toFixed(2)} ms per market update`,
    });
  }
  // The same 100-scenario arrays through the reference path, in this process: the ratio is what
  // the scenario kernel buys whatever the machine's load; the largest difference is its accuracy.
  {
    const grid = PORTFOLIO_GRID_100;
    const p = paramsOf(grid);
    const fast = timeMedianMs(() => buildRiskArrays(market, 'BTC', grid, p), 5);
    const refMs = timeMedianMs(() => referenceOptionArrays(market, grid, p), 5);
    const built = buildRiskArrays(market, 'BTC', grid, p);
    let maxDiff = 0;
    for (const [id, ref] of referenceOptionArrays(market, grid, p)) {
      const base = built.rowOf.get(id)! * built.nScenarios;
      ref.forEach((v, s) => (maxDiff = Math.max(maxDiff, Math.abs(v - built.unitPnl[base + s]!))));
    }
    rows.push({
      workload: `reference: per-option priceBlack76Batch, ${nOptions} options × ${grid.length} scenarios`,
      items: nOptions * grid.length,
      ms: refMs,
      note: `risk arrays are ${(refMs / fast).toFixed(1)}× faster (${fast.toFixed(2)} ms in this pass); max |Δ| ${maxDiff.toExponential(1)} USD per contract`,
    });
    // Quoted smiles give a call and its put the same vol: the pair is priced once.
    const smile = buildMarginMarket(optionMarketDoc(seededRandom(7), true));
    const smileMs = timeMedianMs(() => buildRiskArrays(smile, 'BTC', grid, p), 5);
    rows.push({
      workload: `risk arrays: ${nOptions} options × ${grid.length} scenarios, calls and puts sharing one vol per strike`,
      items: nOptions * grid.length,
      ms: smileMs,
      note: `${smileMs.toFixed(2)} ms per market update (pairs priced once)`,
    });
  }
  const ids = [...market.instruments.keys()];
  const ctx = createMarginContext(market);
  portfolioRiskArrays(ctx, DEFAULT_PORTFOLIO_PARAMS, 'BTC'); // built once per market update, shared by all portfolios
  for (const n of [10, 100, 1000]) {
    const books: Portfolio[] = [];
    for (let b = 0; b < 50; b++) {
      const positions = Array.from({ length: n }, () => ({
        instrument: ids[Math.floor(rnd() * ids.length)]!,
        size: Math.round((rnd() - 0.5) * 20) || 1,
      }));
      books.push({
        positions,
        collateral: new Map([['USDC', { asset: market.assets.getAsset('USDC'), units: 1_000_000_000_000n }]]),
      });
    }
    const reps = n === 1000 ? 2 : n === 100 ? 20 : 200;
    for (const model of [portfolioModel, isolatedModel]) {
      const ms = timeMedianMs(() => {
        for (let r = 0; r < reps; r++)
          for (const b of books) model.compute(b, ctx, model.defaultParams as never);
      }, 3);
      rows.push({
        workload: `${model.name} margin, ${n} positions per portfolio`,
        items: reps * books.length,
        ms,
        note: 'portfolios/s in the next column',
      });
    }
  }
  // Derive SRM: one expiry's margin (isolated vs max loss over {0} ∪ strikes), O(n log n).
  for (const n of [2_000, 20_000]) {
    const options = Array.from({ length: n }, (_, i) => ({
      key: `o${i}`,
      isCall: i % 2 === 0,
      strike: 40_000 + (i % 1_000) * 50,
      units: i % 3 === 0 ? 1 : -1,
      price: 100,
    }));
    const ms = timeMedianMs(() => expiryOptionMargin(options, 66_000, 66_000, 'initial', SRM_OPTIONS), 5);
    rows.push({
      workload: `derive-srm expiry margin, ${n.toLocaleString('en-US')} options in one expiry`,
      items: n,
      ms,
      note: 'max loss from sorted strikes and prefix sums (was Σ payoff at every strike, O(n²))',
    });
  }
  printTable('Risk arrays and margin throughput (one core)', rows);
}
