import { describe, expect, it } from 'vitest';
import { buildMarginMarket } from './market-file.js';
import { parsePortfolio } from './portfolio-file.js';
import { valuePortfolio } from './valuation.js';
import { smallMarketDoc } from '../../../test/support/margin-fixtures.js';

const err = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected an error');
};

describe('market file', () => {
  it('resolves marks: option mark = Black-76 at its iv and forward; future mark = its forward', () => {
    const m = buildMarginMarket(smallMarketDoc());
    expect(m.instruments.get('BTC-F30')!.forward).toBe(60_300);
    expect(m.instruments.get('BTC-C66')!.markPrice).toBeGreaterThan(0);
    expect(m.prices.get('USD')).toBe(1); // the quote currency is priced at 1
  });
  it('an option without forward takes the future of the same expiry', () => {
    const m = buildMarginMarket(smallMarketDoc());
    expect(m.instruments.get('BTC-C66')!.forward).toBe(60_300);
  });
  it('an option without vol, surface or mark fails closed naming the field', () => {
    const doc = smallMarketDoc({
      instruments: [
        {
          id: 'X',
          kind: 'option',
          underlying: 'BTC',
          optionType: 'call',
          strike: 1,
          expiryMs: Date.UTC(2027, 0, 1),
          forward: 1,
        },
      ],
    });
    const e = err(() => buildMarginMarket(doc));
    expect(e.code).toBe('ERR_MISSING_MARKET_DATA');
    expect(e.message).toContain('instruments[X].iv');
  });
  it('unknown fields and an unknown underlying are named', () => {
    expect(err(() => buildMarginMarket({ ...smallMarketDoc(), price: {} })).message).toContain(
      'price: unknown field "price"',
    );
    const e = err(() =>
      buildMarginMarket(
        smallMarketDoc({ instruments: [{ id: 'DOGE-PERP', kind: 'perpetual', underlying: 'DOGE' }] }),
      ),
    );
    expect(e.code).toBe('ERR_UNKNOWN_UNDERLYING');
  });
  it('an option needs its strike', () => {
    const e = err(() =>
      buildMarginMarket(
        smallMarketDoc({
          instruments: [
            {
              id: 'Y',
              kind: 'option',
              underlying: 'BTC',
              optionType: 'put',
              expiryMs: Date.UTC(2027, 0, 1),
              iv: 0.5,
              forward: 1,
            },
          ],
        }),
      ),
    );
    expect(e.message).toBe('instruments[Y].strike is required for a option; got undefined');
  });
});

describe('portfolio file', () => {
  const m = buildMarginMarket(smallMarketDoc());
  it('collateral is exact; sizes accept decimal strings; equity = collateral + option MtM + uPnL', () => {
    const p = parsePortfolio(
      {
        collateral: { USDC: '1000.5', BTC: '0.00000001' },
        positions: [
          { instrument: 'BTC-C66', size: '2' },
          { instrument: 'BTC-PERP', size: 1, entryPrice: 59_000 },
        ],
      },
      m,
    );
    expect(p.collateral.get('USDC')!.units).toBe(1_000_500_000n);
    expect(p.collateral.get('BTC')!.units).toBe(1n);
    const v = valuePortfolio(p, m);
    const mark = m.instruments.get('BTC-C66')!.markPrice;
    expect(v.equityUsd).toBeCloseTo(1000.5 + 0.00000001 * 60_000 + 2 * mark + 1_000, 9);
  });
  it.each([
    [{ collateral: { USDC: '1.0000001' } }, 'ERR_INEXACT', 'collateral.USDC'],
    [{ collateral: { XYZ: '1' } }, 'ERR_UNKNOWN_ASSET', 'collateral.XYZ'],
    [{ positions: [{ instrument: 'NOPE', size: 1 }] }, 'ERR_UNKNOWN_INSTRUMENT', 'positions[0].instrument'],
    [{ positions: [{ instrument: 'BTC-PERP', size: 0 }] }, 'ERR_INVALID_INPUT', 'positions[0].size'],
    [
      { positions: [{ instrument: 'BTC-C66', size: 1, entryPrice: 5 }] },
      'ERR_INVALID_INPUT',
      'positions[0].entryPrice',
    ],
    [{ collateral: { USDC: '1e5' } }, 'ERR_VALIDATION', 'collateral.USDC'],
  ])('%j → %s naming %s', (doc, code, field) => {
    const e = err(() => parsePortfolio(doc, m));
    expect(e.code).toBe(code);
    expect(e.message).toContain(field);
  });
});
