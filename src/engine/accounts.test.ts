import { describe, expect, it } from 'vitest';
import { AccountBook, createSubAccount, resolveUserLimits, validateVenueLimits } from './accounts.js';

const venue = { maxLeverage: 20 };

describe('resolveUserLimits', () => {
  it('defaults to the venue maximum and a zero buffer', () => {
    expect(resolveUserLimits(undefined, venue)).toEqual({
      maxLeverage: 20,
      bufferFraction: 0,
      collateralOrder: [],
      autoTopUp: false,
    });
  });
  it('accepts stricter limits', () => {
    expect(
      resolveUserLimits(
        { maxLeverage: 5, bufferFraction: 0.25, collateralOrder: ['ETH', 'BTC'], autoTopUp: true },
        venue,
      ),
    ).toEqual({ maxLeverage: 5, bufferFraction: 0.25, collateralOrder: ['ETH', 'BTC'], autoTopUp: true });
  });
  it('refuses a repeated collateral asset or a non-boolean top-up', () => {
    expect(() => resolveUserLimits({ collateralOrder: ['BTC', 'BTC'] }, venue)).toThrow(
      'limits.collateralOrder must be a list of distinct asset symbols',
    );
    expect(() => resolveUserLimits({ autoTopUp: 'yes' as unknown as boolean }, venue)).toThrow(
      'limits.autoTopUp must be true or false',
    );
  });
  it('refuses a leverage above the venue maximum, naming field, rule and value', () => {
    expect(() => resolveUserLimits({ maxLeverage: 25 }, venue)).toThrow(
      'limits.maxLeverage must be <= the venue maximum 20 (user limits may only be stricter); got 25',
    );
  });
  it('refuses a non-positive or NaN leverage', () => {
    expect(() => resolveUserLimits({ maxLeverage: 0 }, venue)).toThrow(
      'limits.maxLeverage must be a finite number > 0; got 0',
    );
    expect(() => resolveUserLimits({ maxLeverage: Number.NaN }, venue)).toThrow('got NaN');
  });
  it('refuses a negative or NaN buffer', () => {
    expect(() => resolveUserLimits({ bufferFraction: -0.1 }, venue)).toThrow(
      'limits.bufferFraction must be a finite fraction >= 0 above maintenance; got -0.1',
    );
    expect(() => resolveUserLimits({ bufferFraction: Number.NaN }, venue)).toThrow('limits.bufferFraction');
  });
});

describe('createSubAccount and AccountBook', () => {
  it('refuses an unknown margin mode', () => {
    expect(() =>
      createSubAccount({ accountId: 'a', subAccountId: 'b', mode: 'yolo' as never }, venue),
    ).toThrow(/^mode must be one of isolated, cross, portfolio, es, var, .*; got "yolo"$/);
  });
  it("accepts every registry model as a mode (a venue may run another venue's rules)", () => {
    for (const mode of ['deribit-pm', 'derive-pm2', 'dydx', 'drift'])
      expect(createSubAccount({ accountId: 'a', subAccountId: 'b', mode }, venue).mode).toBe(mode);
  });
  it('refuses an id with a slash', () => {
    expect(() => createSubAccount({ accountId: 'a/b', subAccountId: 'c', mode: 'cross' }, venue)).toThrow(
      /^accountId must match .*; got "a\/b"$/,
    );
    expect(() => createSubAccount({ accountId: 'a', subAccountId: '', mode: 'cross' }, venue)).toThrow(
      /^subAccountId must match/,
    );
  });
  it('refuses invalid venue limits', () => {
    expect(() => validateVenueLimits({ maxLeverage: -1 })).toThrow(
      'venue.maxLeverage must be a finite number > 0; got -1',
    );
  });
  it('opens sub-accounts once each', () => {
    const book = new AccountBook(venue);
    const s = book.open({ accountId: 'alice', subAccountId: 'main', mode: 'portfolio' });
    expect(s.key).toBe('alice/main');
    expect(book.get('alice/main', 'x')).toBe(s);
    expect(() => book.open({ accountId: 'alice', subAccountId: 'main', mode: 'cross' })).toThrow(
      'subAccountId must not already be open; got "alice/main"',
    );
    expect(() => book.get('bob/main', 'to')).toThrow('to must name an open sub-account; got "bob/main"');
    expect(book.list()).toHaveLength(1);
  });
});
