/**
 * Plausibility bounds at the edges: notionals of positions, balances and trades, option vols
 * from each source, and expired instruments left out of a market unless a position holds them.
 */
import { describe, expect, it } from 'vitest';
import { EXPIRY_30D, smallMarket, smallMarketDoc, T0 } from '../../../test/support/margin-fixtures.js';
import { applyTrades } from '../margin/efficiency.js';
import { createMarginContext } from '../margin/margin-model.js';
import { buildMarginMarket } from './market-file.js';
import { DEFAULT_PLAUSIBILITY } from './plausibility.js';
import { parsePortfolio } from './portfolio-file.js';

const bounds = DEFAULT_PLAUSIBILITY;

describe('plausibility bounds', () => {
  it('a position beyond 10^10 USD of notional is refused naming the field; without bounds it passes', () => {
    const market = smallMarket();
    const doc = { collateral: { USDC: '1000' }, positions: [{ instrument: 'BTC-PERP', size: 1e12 }] };
    expect(() => parsePortfolio(doc, market, { bounds })).toThrow(
      /^positions\[0\]\.size must keep the notional within the plausibility bound 10,000,000,000 USD \(notional 6\.000e\+16 USD/,
    );
    expect(parsePortfolio(doc, market).positions[0]!.size).toBe(1e12);
    // 10^10 / 60,000 BTC is inside the bound
    expect(() =>
      parsePortfolio({ positions: [{ instrument: 'BTC-PERP', size: 1e10 / 60_000 }] }, market, { bounds }),
    ).not.toThrow();
  });

  it('a collateral balance and a trade beyond the bound are refused too', () => {
    const market = smallMarket();
    expect(() => parsePortfolio({ collateral: { USDC: '20000000000' } }, market, { bounds })).toThrow(
      /^collateral\.USDC must keep the notional/,
    );
    const pf = parsePortfolio({ collateral: { USDC: '1000' } }, market, { bounds });
    expect(() =>
      applyTrades(pf, [{ instrument: 'BTC-PERP', size: -2e6 }], createMarginContext(market), bounds),
    ).toThrow(/^trades\[0\]\.size must keep the notional/);
  });

  it('an option vol above 5 is refused naming its source (iv, surface, implied from the mark)', () => {
    const doc = smallMarketDoc();
    const withIv = (iv: number) => ({
      ...doc,
      instruments: doc.instruments.map((i) => (i.id === 'BTC-C66' ? { ...i, iv } : i)),
    });
    expect(() => buildMarginMarket(withIv(50), { bounds })).toThrow(
      'instruments[BTC-C66].iv must be <= 5 (500%) unless high vols are allowed explicitly; a vol is a fraction (0.5 = 50%): did you mean 0.5?; got 50',
    );
    expect(
      buildMarginMarket(withIv(50), { bounds: { ...bounds, maxVol: Infinity } }).instruments.get('BTC-C66')!
        .vol,
    ).toBe(50);
    expect(buildMarginMarket(withIv(50)).instruments.get('BTC-C66')!.vol).toBe(50); // internal builders
    // a mark that implies a vol above 500%
    const implied = {
      ...doc,
      instruments: [
        {
          id: 'BTC-C1',
          kind: 'option',
          underlying: 'BTC',
          optionType: 'call',
          strike: 60_000,
          expiryMs: EXPIRY_30D,
          forward: 60_000,
          markPrice: 40_000,
        },
      ],
    };
    expect(() => buildMarginMarket(implied, { bounds })).toThrow(
      /^instruments\[BTC-C1\]\.markPrice \(implied vol\) must be <= 5/,
    );
  });

  it('an expired instrument is left out of the market; a portfolio holding it is refused as expired', () => {
    const doc = smallMarketDoc();
    const market = buildMarginMarket({
      ...doc,
      instruments: [
        ...doc.instruments,
        { id: 'BTC-OLD', kind: 'future', underlying: 'BTC', expiryMs: T0 - 86_400_000, markPrice: 59_000 },
        {
          id: 'BTC-NOW',
          kind: 'option',
          underlying: 'BTC',
          optionType: 'put',
          strike: 50_000,
          expiryMs: T0,
          iv: 0.5,
        },
      ],
    });
    expect(market.instruments.has('BTC-OLD')).toBe(false);
    expect([...market.expired!.keys()]).toEqual(['BTC-OLD', 'BTC-NOW']);
    expect(() => parsePortfolio({ positions: [{ instrument: 'BTC-PERP', size: 1 }] }, market)).not.toThrow();
    let err: unknown;
    try {
      parsePortfolio({ positions: [{ instrument: 'BTC-NOW', size: -1 }] }, market);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      code: 'ERR_INSTRUMENT_EXPIRED',
      details: { field: 'positions[0].instrument', expiryMs: T0 },
    });
  });
});
