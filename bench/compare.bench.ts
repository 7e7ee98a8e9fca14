/**
 * `xmargin compare` on a large portfolio (`npm run bench -- compare`): 10⁴ distinct options (BTC,
 * ETH, SOL; strikes from 50% to 150% of spot, calls and puts, the example market's first BTC
 * expiry and vol) plus the example market's linear instruments, every model at its defaults, the
 * shipped price history loaded for `es` and `var`. Rows: the whole comparison (what the CLI runs
 * after reading its files), and the same without the statistical models, whose historical risk
 * arrays reprice every option in every historical scenario (10⁴ × the scenario count Black-76
 * evaluations). Target (issue "one engine"): ≤ 0.5 s for the whole comparison.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCompare } from '../src/adapters/cli/margin-commands.js';
import { loadMarketHistory } from '../src/adapters/marketdata/history/load-market-history.js';
import { findPackageRoot } from '../src/adapters/system/package-root.js';
import { createMarginContext } from '../src/core/margin/margin-model.js';
import { MARGIN_MODELS, STATISTICAL_MODELS } from '../src/core/margin/registry.js';
import { buildMarginMarket } from '../src/core/portfolio/market-file.js';
import { parsePortfolio } from '../src/core/portfolio/portfolio-file.js';
import { DEFAULT_PLAUSIBILITY } from '../src/core/portfolio/plausibility.js';
import { printTable, seededRandom, type BenchRow } from './support/harness.js';

const N = 10_000;

function inputs() {
  const doc = JSON.parse(readFileSync(join(findPackageRoot(), 'examples', 'market.json'), 'utf8')) as {
    prices: Record<string, number>;
    instruments: Record<string, unknown>[];
  };
  const template = doc.instruments.find((i) => i.kind === 'option' && i.underlying === 'BTC')!;
  const rnd = seededRandom(5);
  const instruments = doc.instruments.filter((i) => i.kind !== 'option');
  const positions: { instrument: string; size: number }[] = [];
  for (let k = 0; k < N; k++) {
    const underlying = ['BTC', 'ETH', 'SOL'][Math.floor(rnd() * 3)]!;
    const spot = doc.prices[underlying]!;
    const optionType = rnd() < 0.5 ? 'call' : 'put';
    const id = `${underlying}-X${k}-${optionType[0]}`;
    instruments.push({
      ...template,
      id,
      underlying,
      optionType,
      strike: Math.round(spot * (0.5 + k / N) * 100) / 100,
      forward: spot,
    });
    positions.push({ instrument: id, size: [-2, -1, 1, 2][Math.floor(rnd() * 4)]! });
  }
  const market = buildMarginMarket({ ...doc, instruments });
  const portfolio = parsePortfolio({ collateral: { USDC: '100000000' }, positions }, market);
  return { market, portfolio };
}

/** Prints the rows (module header). */
export function runCompareBench(): void {
  const { market, portfolio } = inputs();
  const history = loadMarketHistory(market);
  const rows: BenchRow[] = [];
  const all = MARGIN_MODELS.map((m) => m.name);
  for (const [label, models] of [
    ['every model', all],
    ['every model but es and var', all.filter((m) => !STATISTICAL_MODELS.has(m))],
  ] as const) {
    // A new context per run: nothing cached from the previous one (as for a CLI run).
    const t0 = performance.now();
    const out = runCompare(
      { portfolio, ctx: createMarginContext(market, history), warnings: [], bounds: DEFAULT_PLAUSIBILITY },
      { models },
    );
    const ms = performance.now() - t0;
    rows.push({
      workload: `compare, ${N.toLocaleString('en-US')} distinct options, ${label}`,
      items: out.rows.length,
      ms,
      note: 'models compared (one run); target ≤ 0.5 s for every model',
    });
  }
  printTable('xmargin compare on a 10⁴-option portfolio (history loaded before the clock)', rows);
}
