/**
 * What-if verdicts: each rule of the venue (risk-reducing trades pass, reduce-only, initial
 * margin with the personal buffer, leverage), with the shortfall computed here from the model's
 * own results on the portfolio after the trade.
 */
import { describe, expect, it } from 'vitest';
import { book, ctxOf, smallMarket } from '../../../test/support/margin-fixtures.js';
import { applyTrades } from '../margin/efficiency.js';
import { getMarginModel } from '../margin/registry.js';
import { increasesRisk, judgeWhatIf } from './whatif-verdict.js';

const market = smallMarket();
const ctx = ctxOf(market);
const cross = getMarginModel('cross');

describe('what-if verdict', () => {
  it('refuses a risk-increasing trade beyond equity: rule initial-margin, shortfall = IM after − equity after', () => {
    const pf = book(market, { USD: '5000' }, []);
    const trades = [{ instrument: 'BTC-PERP', size: 5 }];
    const v = judgeWhatIf(pf, trades, ctx, cross, cross.defaultParams);
    const after = cross.compute(applyTrades(pf, trades, ctx), ctx, cross.defaultParams);
    expect(v.verdict).toBe('refused');
    expect(v.rule).toBe('initial-margin');
    // 5 BTC × 60,000 × 2% = 6,000 USD of IM against 5,000 USD of equity
    expect(after.initialUsd).toBeCloseTo(5 * 60_000 * 0.02, 6);
    expect(v.shortfallUsd).toBeCloseTo(after.initialUsd - after.equityUsd, 9);
    expect(v.reason).toContain('equity after 5000.00 USD < requirement');
    expect(v.after.initialUsd).toBe(after.initialUsd);
    expect(v.after.liquidation.underlyings[0]!.down!.priceUsd).toBeCloseTo(
      (5 * 60_000 - 5_000) / (5 * 0.99),
      4,
    );
  });

  it('accepts the same trade with enough collateral, with its headroom; the buffer can refuse it', () => {
    const pf = book(market, { USD: '6500' }, []);
    const trades = [{ instrument: 'BTC-PERP', size: 5 }];
    const ok = judgeWhatIf(pf, trades, ctx, cross, cross.defaultParams);
    expect(ok).toMatchObject({
      verdict: 'accepted',
      rule: 'initial-margin',
      shortfallUsd: null,
      riskIncreasing: true,
    });
    expect(ok.requiredUsd).toBeCloseTo(6_000, 6);
    // MM after = 1% × 300,000 = 3,000; a buffer of 150% asks for 7,500 > IM
    const buffered = judgeWhatIf(pf, trades, ctx, cross, cross.defaultParams, { bufferFraction: 1.5 });
    expect(buffered).toMatchObject({ verdict: 'refused', rule: 'initial-margin' });
    expect(buffered.shortfallUsd).toBeCloseTo(7_500 - 6_500, 6);
  });

  it('accepts a risk-reducing trade on an account under water, without a margin check', () => {
    const pf = book(market, { USD: '1000' }, [{ instrument: 'BTC-PERP', size: 2, entryPrice: 64_000 }]);
    const v = judgeWhatIf(pf, [{ instrument: 'BTC-PERP', size: -1 }], ctx, cross, cross.defaultParams);
    expect(v.before.status).toBe('bankrupt'); // equity 1,000 − 8,000 < 0
    expect(v).toMatchObject({
      verdict: 'accepted',
      rule: 'risk-reducing',
      riskIncreasing: false,
      shortfallUsd: null,
    });
  });

  it('refuses a risk-increasing trade while reduce-only (1 ≤ equity/MM < 1.1), shortfall to 1.1 × MM', () => {
    // long 1 perp at 60,000, mark 60,000: MM = 600; equity 640 → health 1.067
    const pf = book(market, { USD: '640' }, [{ instrument: 'BTC-PERP', size: 1, entryPrice: 60_000 }]);
    const v = judgeWhatIf(pf, [{ instrument: 'ETH-PERP', size: 0.01 }], ctx, cross, cross.defaultParams);
    expect(v.before.status).toBe('reduce-only');
    expect(v).toMatchObject({ verdict: 'refused', rule: 'reduce-only' });
    expect(v.shortfallUsd).toBeCloseTo(1.1 * 600 - 640, 9);
  });

  it('refuses beyond the leverage limit: shortfall = notional / limit − equity after', () => {
    const pf = book(market, { USD: '20000' }, []);
    const v = judgeWhatIf(pf, [{ instrument: 'BTC-PERP', size: 2 }], ctx, cross, cross.defaultParams, {
      maxLeverage: 5,
    });
    expect(v).toMatchObject({ verdict: 'refused', rule: 'leverage' });
    expect(v.shortfallUsd).toBeCloseTo(120_000 / 5 - 20_000, 6);
  });

  it('trades filled off the mark with a fee: equity after falls by the spread paid and the fee', () => {
    const pf = book(market, { USD: '20000' }, []);
    const mark = market.instruments.get('BTC-C66')!.markPrice;
    const trades = [
      { instrument: 'BTC-PERP', size: 2, price: 60_030 }, // bought 30 USD above the mark
      { instrument: 'BTC-C66', size: -1, price: mark - 5 }, // sold 5 USD below the mark
    ];
    const v = judgeWhatIf(pf, trades, ctx, cross, cross.defaultParams, { feesUsd: 12.5 });
    expect(v.tradingCostUsd).toBeCloseTo(2 * 30 + 1 * 5 + 12.5, 9);
    expect(v.delta.equityUsd).toBeCloseTo(-(2 * 30 + 5 + 12.5), 5); // exact units: credits round down
  });

  it('risk class of a list of trades: growing or flipping any position increases risk', () => {
    const pf = book(market, {}, [{ instrument: 'BTC-PERP', size: 2 }]);
    expect(increasesRisk(pf, [{ instrument: 'BTC-PERP', size: -1 }])).toBe(false);
    expect(increasesRisk(pf, [{ instrument: 'BTC-PERP', size: -3 }])).toBe(true); // flips
    expect(increasesRisk(pf, [{ instrument: 'BTC-PERP', size: 1 }])).toBe(true);
    expect(
      increasesRisk(pf, [
        { instrument: 'BTC-PERP', size: -1 },
        { instrument: 'ETH-PERP', size: 1 },
      ]),
    ).toBe(true);
    expect(increasesRisk(pf, [{ instrument: 'BTC-PERP', size: -2 }])).toBe(false); // closes
  });
});
