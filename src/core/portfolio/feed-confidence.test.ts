/**
 * Per-feed oracle confidence and per-expiry rates in the market file, and the Derive presets
 * reading them: a perp pays the oracle contingency on min(perp, spot) confidence, an option on
 * min(spot, forward, vol) (Derive's OracleContingencyParams), written out as (1 − c)·1.0·notional.
 */
import { describe, expect, it } from 'vitest';
import { createMarginContext } from '../margin/margin-model.js';
import { deriveSrmModel } from '../margin/presets/derive/index.js';
import { priceBlack76 } from '../pricing/black76.js';
import { buildMarginMarket } from './market-file.js';
import { parsePortfolio } from './portfolio-file.js';
import { confidenceOf } from './feed-confidence.js';

const T = Date.UTC(2026, 0, 1);
const EXPIRY = T + 30 * 86_400_000;
const doc = (extra: Record<string, unknown>) => ({
  valuationMs: T,
  prices: { ETH: 2000, USDC: 1 },
  instruments: [
    { id: 'ETH-PERP', kind: 'perpetual', underlying: 'ETH', markPrice: 2000 },
    {
      id: 'ETH-C',
      kind: 'option',
      underlying: 'ETH',
      optionType: 'call',
      strike: 2200,
      expiryMs: EXPIRY,
      iv: 0.6,
      forward: 2000,
    },
  ],
  ...extra,
});

describe('feed confidence', () => {
  it('takes the smallest of the feeds read, falling back to the asset, then 1', () => {
    const m = buildMarginMarket(
      doc({ confidence: { ETH: 0.9 }, feedConfidence: { ETH: { perp: 0.3, vol: 0.5 } } }),
    );
    expect(confidenceOf(m, 'ETH', ['perp', 'spot'])).toBe(0.3);
    expect(confidenceOf(m, 'ETH', ['spot', 'forward'])).toBe(0.9);
    expect(confidenceOf(m, 'ETH', ['spot', 'forward', 'vol'])).toBe(0.5);
    expect(confidenceOf(m, 'BTC', ['spot'])).toBe(1);
  });

  it('derive-srm: a low perp feed charges the perp only', () => {
    const pf = {
      collateral: { USDC: '100000' },
      positions: [
        { instrument: 'ETH-PERP', size: -10 },
        { instrument: 'ETH-C', size: -10 },
      ],
    };
    const base = buildMarginMarket(doc({}));
    const low = buildMarginMarket(doc({ feedConfidence: { ETH: { perp: 0.3 } } }));
    const im = (m: typeof base) =>
      deriveSrmModel.compute(parsePortfolio(pf, m), createMarginContext(m), deriveSrmModel.defaultParams)
        .initialUsd;
    // (1 − 0.3)·ocFactor 1·|−10|·2000 = 14,000 more IM; the option's feeds are all at 1
    expect(im(low) - im(base)).toBeCloseTo(0.7 * 10 * 2000, 6);
  });

  it('an option is marked at its expiry rate when the market gives one', () => {
    const m = buildMarginMarket(doc({ expiryRates: [{ underlying: 'ETH', expiryMs: EXPIRY, rate: 0.05 }] }));
    const c = m.instruments.get('ETH-C')!;
    expect(c.rate).toBe(0.05);
    expect(c.markPrice).toBeCloseTo(
      priceBlack76({ type: 'call', forward: 2000, strike: 2200, tYears: c.tYears!, vol: 0.6, rate: 0.05 }),
      12,
    );
  });
});
