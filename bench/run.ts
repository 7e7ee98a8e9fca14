/**
 * `npm run bench`: runs every benchmark (or those named on the command line) and prints figures.
 * Never part of `npm test`. Usage: npm run bench [-- pricing]
 */
import { describeMachine } from './support/harness.js';
import { runPricingBench } from './pricing.bench.js';
import { runMarginBench } from './margin.bench.js';
import { runHistoryBench } from './history.bench.js';
import { runEsBench } from './es.bench.js';
import { runTraderViewBench } from './trader-view.bench.js';
import { runOptimiseBench } from './optimise.bench.js';
import { runVenueBench } from './venue.bench.js';
import { runCompareBench } from './compare.bench.js';

const benches: Record<string, () => void | Promise<void>> = {
  pricing: () => runPricingBench(),
  margin: () => runMarginBench(),
  history: () => runHistoryBench(),
  es: () => runEsBench(),
  'trader-view': () => runTraderViewBench(),
  optimise: () => runOptimiseBench(),
  venue: () => runVenueBench(),
  compare: () => runCompareBench(),
};

const wanted = process.argv.slice(2);
console.log(`# xmargin benchmarks\n${describeMachine()}`);
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length === 0 || wanted.includes(name)) await run();
}
