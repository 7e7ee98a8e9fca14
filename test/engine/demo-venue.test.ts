/**
 * The demo venue on real history (the FTX week, 2022-11-06 to 11-10, hourly): the venue runtime
 * re-margins every account each hour, liquidates through the planner as journal operations, and
 * nothing is created or lost.
 */
import { describe, expect, it } from 'vitest';
import { createDemoVenue, type DemoVenue } from '../../src/engine/venue/index.js';
import { loadDvol, loadHourlyHistory } from '../../src/adapters/marketdata/history/load-history.js';

const FROM = Date.UTC(2022, 10, 6);
const TO = Date.UTC(2022, 10, 10);
const hourly = loadHourlyHistory({ symbols: ['BTC', 'ETH', 'SOL'], toMs: TO + 3_600_000 });
const dvol = loadDvol({ toMs: TO + 3_600_000 });

function run(seed: number): { demo: DemoVenue; steps: number } {
  const demo = createDemoVenue({ history: { hourly, dvol }, seed, accounts: 60, fromMs: FROM, toMs: TO });
  let steps = 0;
  while (demo.step()) steps++;
  return { demo, steps };
}

describe('demo venue on real history', () => {
  const a = run(3);

  it('replays every hour of the window', () => {
    expect(a.steps).toBe((TO - FROM) / 3_600_000);
  });

  it('conserves every asset across the replay (Σ balances over all ledger accounts = 0)', () => {
    for (const asset of ['USDC', 'BTC', 'ETH']) expect(a.demo.venue.journal.totalOf(asset)).toBe(0n);
  });

  it('liquidates in the FTX week and leaves no liquidated account below MM unless bankrupt', () => {
    const liqs = a.demo.venue.liquidations();
    expect(liqs.length).toBeGreaterThan(0);
    for (const l of liqs) {
      if (l.outcome === 'restored')
        expect(l.after.equityUsd).toBeGreaterThanOrEqual(l.after.maintenanceUsd * (1 - 1e-9));
      expect(l.after.equityUsd - l.after.maintenanceUsd).toBeGreaterThanOrEqual(
        l.before.equityUsd - l.before.maintenanceUsd - 1e-6 * Math.max(1, Math.abs(l.before.equityUsd)),
      );
    }
  });

  it('is deterministic under the seed', () => {
    const b = run(3);
    expect(b.demo.venue.journal.snapshot()).toEqual(a.demo.venue.journal.snapshot());
  });
});
