/**
 * Point in time on the shipped history: the scenario sets at a valuation time depend only on
 * bars closed by then, and a crash enters the stress library the hour its bar closes.
 */
import { describe, expect, it } from 'vitest';
import { buildHistoricalScenarios, type MarketHistory } from './historical-scenarios.js';
import { DEFAULT_ES_PARAMS } from '../margin/es-params.js';
import { STRESS_LIBRARY } from './stress-library.js';
import { loadSplicedHourly } from '../../adapters/marketdata/history/load-market-history.js';
import { loadDvol } from '../../adapters/marketdata/history/load-history.js';

const H = 3_600_000;
const P = DEFAULT_ES_PARAMS.scenarios;
const ASSETS = ['BTC', 'ETH'];
const full: MarketHistory = {
  hourly: loadSplicedHourly({ symbols: ASSETS, toMs: Date.UTC(2020, 3, 1) }),
  dvol: loadDvol({ toMs: Date.UTC(2020, 3, 1) }),
};

/** The history cut so that nothing closes after `ms`. */
function cutAt(h: MarketHistory, ms: number): MarketHistory {
  const T = h.hourly.timesMs.findIndex((t) => t + H > ms);
  const A = h.hourly.assets.length;
  return {
    hourly: {
      ...h.hourly,
      timesMs: h.hourly.timesMs.subarray(0, T),
      close: h.hourly.close.subarray(0, T * A),
    },
  };
}

describe('historical scenarios are point in time', () => {
  it('the daily splice reaches 2014: BTC from 2014-09-17, ETH proxied by β·BTC before 2017-11', () => {
    expect(full.hourly.timesMs[0]).toBe(Date.UTC(2014, 8, 17, 23));
    const sc = buildHistoricalScenarios(full, ASSETS, Date.UTC(2020, 2, 1), P);
    expect(sc.proxiedShare.BTC).toBe(0);
    // ETH has no data before 2017-11-09: about 3 of the 5.5 years are proxied.
    expect(sc.proxiedShare.ETH).toBeGreaterThan(0.5);
    expect(sc.proxiedShare.ETH).toBeLessThan(0.6);
  });

  it('no look-ahead: the sets at 2020-03-12 09:00 are identical with the history cut at that hour', () => {
    const v = Date.UTC(2020, 2, 12, 9);
    const a = buildHistoricalScenarios(full, ASSETS, v, P);
    const b = buildHistoricalScenarios(cutAt(full, v), ASSETS, v, P);
    for (const k of ['current', 'stressed'] as const) {
      expect(a[k].nScenarios).toBe(b[k].nScenarios);
      expect([...a[k].returns]).toEqual([...b[k].returns]);
      expect([...a[k].endTimesMs]).toEqual([...b[k].endTimesMs]);
    }
  });

  it('a crash enters the scenarios the hour its bar closes: BTC −18.7% in the bar closing 2020-03-12 11:00', () => {
    const before = buildHistoricalScenarios(full, ASSETS, Date.UTC(2020, 2, 12, 10), P);
    const after = buildHistoricalScenarios(full, ASSETS, Date.UTC(2020, 2, 12, 11), P);
    const last = (s: typeof after) => s.current.endTimesMs[s.current.nScenarios - 1];
    expect(last(before)).toBe(Date.UTC(2020, 2, 12, 10));
    expect(last(after)).toBe(Date.UTC(2020, 2, 12, 11));
    // The stressed set's last window is raw: the 24h BTC move into 11:00, with the 10:00 bar's
    // close-to-close ln(5981.07 / 7357.61) = −20.7% in it (shipped closes).
    const s = after.stressed;
    const i = s.nScenarios - 1;
    expect(s.endTimesMs[i]).toBe(Date.UTC(2020, 2, 12, 11));
    expect(s.returns[i * 2]).toBeLessThan(Math.log(5981.07 / 7357.61));
    expect(before.stressed.endTimesMs[before.stressed.nScenarios - 1]).toBeLessThan(
      Date.UTC(2020, 2, 12, 11),
    );
  });

  it('the stress library covers the pre-2020 episodes from daily closes (BTC −23.8% on 2015-01-14)', () => {
    const sc = buildHistoricalScenarios(full, ASSETS, Date.UTC(2020, 0, 1), P);
    const s = sc.stressed;
    const worst = Math.min(...Array.from({ length: s.nScenarios }, (_, k) => s.returns[k * 2]!));
    // Yahoo BTC-USD closes (source CSV): 2015-01-13 225.86099, 2015-01-14 178.103.
    expect(worst).toBeCloseTo(Math.log(178.103 / 225.86099), 6);
    for (const p of STRESS_LIBRARY.filter((x) => x.toMs < Date.UTC(2020, 0, 1)))
      expect(
        [...s.endTimesMs].some((t) => t > p.fromMs && t <= p.toMs),
        p.id,
      ).toBe(true);
    // Nothing after the valuation time, not even from the later library entries.
    expect(Math.max(...s.endTimesMs)).toBeLessThanOrEqual(Date.UTC(2020, 0, 1));
  });
});
