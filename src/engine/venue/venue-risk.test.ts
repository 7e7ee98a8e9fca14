/**
 * Incremental re-margining: a market update re-margins only the accounts it can change (those
 * holding an asset whose inputs moved), and what it leaves untouched equals a full re-margin of
 * the same market, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { createMarginContext } from '../../core/margin/margin-model.js';
import { buildSimMarket, createSimTemplate } from '../simulation/sim-market.js';
import { Venue } from './venue.js';

const T0 = Date.UTC(2024, 0, 1);
const P0 = { BTC: 50_000, ETH: 2_500, SOL: 100 };
const tpl = createSimTemplate(T0, P0, { BTC: 0.6, ETH: 0.7 }, 'flat');

function venueWithBooks() {
  const m0 = buildSimMarket(tpl, T0, P0);
  const v = new Venue({
    assets: ['USDC', 'BTC', 'ETH'].map((s) => m0.assets.getAsset(s)),
    limits: { maxLeverage: 50 },
  });
  const books: [string, string, number][] = [
    ['btc', 'BTC-PERP', 1],
    ['sol', 'SOL-PERP', -100],
    ['eth', 'ETH-PERP', 5],
    ['btc2', 'BTC-PERP', -0.5],
  ];
  for (const [id, instrument, size] of books) {
    const key = v.openSubAccount({ accountId: id, subAccountId: 'main', mode: 'portfolio' }).key;
    v.restore({
      kind: 'deposit',
      key: `d-${id}`,
      timeMs: T0,
      to: key,
      asset: 'USDC',
      units: 100_000_000_000n,
    });
    v.restore({
      kind: 'trade',
      key: `t-${id}`,
      timeMs: T0,
      subAccount: key,
      instrument,
      size,
      price: P0[instrument.slice(0, 3) as 'BTC'],
      asset: 'USDC',
      cashUnits: 0n,
      feeUnits: 0n,
    });
  }
  v.updateMarket(m0, T0);
  return v;
}

describe('incremental re-margin', () => {
  it("a SOL move at the same time re-margins the SOL holder only; the others keep a full re-margin's numbers", () => {
    const v = venueWithBooks();
    const margins: string[] = [];
    v.subscribe((e) => {
      if (e.type === 'margin') margins.push(e.account.key);
    });
    const moved = buildSimMarket(tpl, T0, { ...P0, SOL: 90 });
    v.updateMarket(moved, T0);
    expect(margins).toEqual(['sol/main']);
    // A fresh venue margined from scratch on the moved market gives the same numbers for everyone.
    const w = venueWithBooks();
    w.restoreMarket(moved, T0);
    expect(v.healthAll()).toEqual(w.healthAll());
    expect(createMarginContext(moved).market.prices.get('SOL')).toBe(90);
  });

  it('when the time moves, holders of an asset with dated instruments are re-margined, the rest is not', () => {
    const v = venueWithBooks();
    const margins: string[] = [];
    v.subscribe((e) => {
      if (e.type === 'margin') margins.push(e.account.key);
    });
    v.updateMarket(buildSimMarket(tpl, T0 + 3_600_000, P0), T0 + 3_600_000);
    // BTC and ETH list options and a future, which decay and converge: their holders are re-margined;
    // SOL lists a perpetual only and its price did not move: its holder is not
    expect(margins).toEqual(['btc/main', 'eth/main', 'btc2/main']);
  });
});
