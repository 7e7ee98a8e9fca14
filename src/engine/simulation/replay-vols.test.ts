import { describe, expect, it } from 'vitest';
import { attachReplayVols, REPLAY_VOL_SPOT } from './replay-vols.js';
import type { PriceHistory } from '../../core/history/price-history.js';
import { loadDvol, loadHourlyHistory } from '../../adapters/marketdata/history/load-history.js';

const H = 3_600_000;
const D = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

const hourly: PriceHistory = {
  assets: ['BTC'],
  timesMs: Float64Array.from({ length: 48 }, (_, t) => T0 + t * H),
  stepMs: H,
  close: Float64Array.from({ length: 48 }, (_, t) => (t < 23 ? 100 : 80)),
};

describe('attachReplayVols', () => {
  const steps = [
    { timeMs: T0 + 10 * H, prices: { BTC: 100 } },
    { timeMs: T0 + 30 * H, prices: { BTC: 80 } },
  ];

  it('before DVOL: the flat vol at the start moved by the spot rule σ·exp(k₁x + k₂|x|), x = ln(S/S₀)', () => {
    const r = attachReplayVols({ steps, underlyings: ['BTC'], hourly, flatVol: 0.6 });
    expect(r.startSource.BTC).toBe('flat');
    expect(r.steps[0]!.vols!.BTC).toBe(0.6);
    const x = Math.log(80 / 100);
    const k = REPLAY_VOL_SPOT.BTC!;
    expect(r.steps[1]!.vols!.BTC).toBeCloseTo(0.6 * Math.exp(k.k1 * x + k.k2 * Math.abs(x)), 12);
    // A 20% fall raises BTC vol by about 18%: (−0.439 − 0.302)·ln 0.8 = 0.165.
    expect(r.steps[1]!.vols!.BTC! / 0.6).toBeGreaterThan(1.15);
  });

  it('with DVOL: the last daily close sets the level, anchored at the spot of that close', () => {
    // DVOL 50% for day T0 (closes at T0 + 1 day, when BTC is 80): at T0 + 30 h, BTC 80 → σ = 50%.
    const dvol: PriceHistory = {
      assets: ['BTC'],
      timesMs: Float64Array.of(T0),
      stepMs: D,
      close: Float64Array.of(0.5),
    };
    const r = attachReplayVols({ steps, underlyings: ['BTC'], hourly, dvol, flatVol: 0.6 });
    expect(r.startSource.BTC).toBe('flat'); // no DVOL close yet at T0 + 10 h
    expect(r.steps[1]!.vols!.BTC).toBeCloseTo(0.5, 12);
  });

  it('the coefficients are the least-squares fit of daily Δln DVOL on r and |r| over the shipped history', () => {
    const h = loadHourlyHistory({ symbols: ['BTC', 'ETH'] });
    const dv = loadDvol();
    for (const [a, asset] of ['BTC', 'ETH'].entries()) {
      // Normal equations of y = k₁·r + k₂·|r| over consecutive days with DVOL and a 23:00 close.
      let srr = 0;
      let sra = 0;
      let saa = 0;
      let sry = 0;
      let say = 0;
      const close = (dayMs: number) => {
        const t = (dayMs + 23 * H - h.timesMs[0]!) / H;
        return t >= 0 && t < h.timesMs.length ? h.close[t * 2 + a]! : NaN;
      };
      for (let d = 1; d < dv.timesMs.length; d++) {
        const r = Math.log(close(dv.timesMs[d]!) / close(dv.timesMs[d - 1]!));
        const y = Math.log(dv.close[d * 2 + a]! / dv.close[(d - 1) * 2 + a]!);
        if (!Number.isFinite(r) || !Number.isFinite(y)) continue;
        const ar = Math.abs(r);
        [srr, sra, saa, sry, say] = [srr + r * r, sra + r * ar, saa + ar * ar, sry + r * y, say + ar * y];
      }
      const det = srr * saa - sra * sra;
      const k1 = (sry * saa - say * sra) / det;
      const k2 = (say * srr - sry * sra) / det;
      expect(REPLAY_VOL_SPOT[asset]!.k1).toBeCloseTo(k1, 3);
      expect(REPLAY_VOL_SPOT[asset]!.k2).toBeCloseTo(k2, 3);
    }
  });
});
