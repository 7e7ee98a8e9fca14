/** Loading the shipped hourly history: 15 assets × 4 years, every file hash-checked and parsed. */
import { loadHourlyHistory } from '../src/adapters/marketdata/history/load-history.js';
import { printTable, timeMedianMs } from './support/harness.js';

export function runHistoryBench(): void {
  const symbols = 'BTC ETH SOL BNB XRP DOGE ADA AVAX LINK LTC MATIC USDC BUSD TUSD FTT'.split(' ');
  let bars = 0;
  const ms = timeMedianMs(() => {
    bars = loadHourlyHistory({ symbols, fromMs: Date.UTC(2020, 0, 1), toMs: Date.UTC(2024, 0, 1) }).close
      .length;
  }, 3);
  printTable('Market history loading', [
    {
      workload: 'hourly history, 15 assets × 4 years (gunzip, sha256, parse, align)',
      items: bars,
      ms,
      note: 'bars/s',
    },
  ]);
}
