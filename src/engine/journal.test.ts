import { describe, expect, it } from 'vitest';
import { ctx, expectRefused, setupJournal, usdc } from '../../test/support/journal-fixtures.js';
import { assertBalancedPostings } from './journal.js';
import type { Operation } from './operations.js';

const setup = setupJournal;

describe('Journal: postings', () => {
  it('a deposit moves units from external; conservation holds', () => {
    const j = setup();
    expect(j.balanceOf('alice/main', 'USDC')).toBe(usdc(10_000));
    expect(j.balanceOf('external', 'USDC')).toBe(-usdc(60_000));
    expect(j.totalOf('USDC')).toBe(0n);
  });

  it('a trade posts its cash leg via settlement and its fee to fees, and opens a position', () => {
    const j = setup();
    const e = j.apply(
      {
        kind: 'trade',
        key: 't1',
        timeMs: 2,
        subAccount: 'alice/main',
        instrument: 'BTC-C66',
        size: 1,
        price: 1_500,
        asset: 'USDC',
        cashUnits: -usdc(1_500),
        feeUnits: usdc(3),
      },
      { ctx },
    );
    expect(e.postings).toEqual([
      { account: 'settlement', asset: 'USDC', units: usdc(1_500) },
      { account: 'alice/main', asset: 'USDC', units: -usdc(1_500) },
      { account: 'alice/main', asset: 'USDC', units: -usdc(3) },
      { account: 'fees', asset: 'USDC', units: usdc(3) },
    ]);
    const p = j.portfolioOf('alice/main');
    expect(p.positions).toEqual([{ instrument: 'BTC-C66', size: 1, entryPrice: 1_500 }]);
    expect(p.collateral.get('USDC')?.units).toBe(usdc(10_000 - 1_503));
  });

  it('averages entry price when a position grows and keeps it when it shrinks', () => {
    const j = setup();
    const t = (key: string, size: number, price: number): Operation => ({
      kind: 'trade',
      key,
      timeMs: 3,
      subAccount: 'bob/main',
      instrument: 'BTC-PERP',
      size,
      price,
      asset: 'USDC',
      cashUnits: 0n,
      feeUnits: 0n,
    });
    j.apply(t('a', 1, 60_000), { ctx });
    j.apply(t('b', 1, 62_000), { ctx });
    expect(j.portfolioOf('bob/main').positions[0]).toEqual({
      instrument: 'BTC-PERP',
      size: 2,
      entryPrice: 61_000,
    });
    j.apply(t('c', -1.5, 63_000));
    expect(j.portfolioOf('bob/main').positions[0]).toEqual({
      instrument: 'BTC-PERP',
      size: 0.5,
      entryPrice: 61_000,
    });
    j.apply(t('d', -0.5, 63_000));
    expect(j.portfolioOf('bob/main').positions).toEqual([]);
  });

  it('funding between two sub-accounts and via settlement', () => {
    const j = setup();
    j.apply({
      kind: 'funding',
      key: 'f1',
      timeMs: 4,
      payer: 'bob/main',
      receiver: 'alice/main',
      asset: 'USDC',
      units: 7n,
    });
    j.apply({
      kind: 'funding',
      key: 'f2',
      timeMs: 4,
      payer: 'settlement',
      receiver: 'bob/main',
      asset: 'USDC',
      units: 2n,
    });
    expect(j.balanceOf('alice/main', 'USDC')).toBe(usdc(10_000) + 7n);
    expect(j.balanceOf('bob/main', 'USDC')).toBe(usdc(50_000) - 5n);
    expect(j.balanceOf('settlement', 'USDC')).toBe(-2n);
    expect(j.totalOf('USDC')).toBe(0n);
  });

  it('a liquidation transfer moves the position, the cash leg and the penalty', () => {
    const j = setup();
    const trade = {
      kind: 'trade',
      timeMs: 5,
      instrument: 'BTC-PERP',
      price: 60_000,
      asset: 'USDC',
      cashUnits: 0n,
      feeUnits: 0n,
    } as const;
    j.apply({ ...trade, key: 't-a', subAccount: 'alice/main', size: 1 }, { ctx });
    j.apply({
      kind: 'liquidation',
      key: 'l1',
      timeMs: 6,
      from: 'alice/main',
      to: 'bob/main',
      instrument: 'BTC-PERP',
      size: 0.4,
      price: 59_000,
      asset: 'USDC',
      cashUnits: -usdc(400),
      penaltyUnits: usdc(100),
    });
    expect(j.portfolioOf('alice/main').positions).toEqual([
      { instrument: 'BTC-PERP', size: 0.6, entryPrice: 60_000 },
    ]);
    expect(j.portfolioOf('bob/main').positions).toEqual([
      { instrument: 'BTC-PERP', size: 0.4, entryPrice: 59_000 },
    ]);
    expect(j.balanceOf('insurance-fund', 'USDC')).toBe(usdc(100));
    expect(j.balanceOf('alice/main', 'USDC')).toBe(usdc(10_000 - 500));
    expect(j.totalOf('USDC')).toBe(0n);
    expectRefused(
      j,
      {
        kind: 'liquidation',
        key: 'l2',
        timeMs: 6,
        from: 'alice/main',
        to: 'bob/main',
        instrument: 'BTC-PERP',
        size: 0.7,
        price: 59_000,
        asset: 'USDC',
        cashUnits: 0n,
        penaltyUnits: 0n,
      },
      "size must have the sign of alice/main's BTC-PERP position 0.6 and not exceed it; got 0.7",
    );
  });

  it('an unbalanced set of postings is an invariant error', () => {
    expect(() => assertBalancedPostings([{ account: 'fees', asset: 'USDC', units: 1n }], 'k')).toThrow(
      'postings of k must sum to 0 per asset; USDC sums to 1',
    );
    expect(() => assertBalancedPostings([{ account: 'fees', asset: 'USDC', units: -2n }], 'k')).toThrow(
      expect.objectContaining({ code: 'ERR_INVARIANT' }),
    );
  });
});

describe('Journal: idempotency', () => {
  it('a replay returns the first entry and changes nothing', () => {
    const j = setup();
    const op: Operation = {
      kind: 'transfer',
      key: 'x1',
      timeMs: 9,
      from: 'bob/main',
      to: 'alice/hedge',
      asset: 'USDC',
      units: 5n,
    };
    const first = j.apply(op, { ctx });
    const before = j.snapshot();
    expect(j.apply({ ...op }, { ctx })).toBe(first);
    expect(j.snapshot()).toEqual(before);
  });
  it('the same key with different content is refused (ERR_IDEMPOTENCY_CONFLICT)', () => {
    const j = setup();
    expect(() =>
      j.apply({
        kind: 'deposit',
        key: 'd-a',
        timeMs: 1,
        to: 'alice/main',
        asset: 'USDC',
        units: usdc(10_001),
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_IDEMPOTENCY_CONFLICT' }));
    expectRefused(
      j,
      { kind: 'deposit', key: 'd-a', timeMs: 1, to: 'alice/main', asset: 'USDC', units: usdc(10_001) },
      'key must not be reused with different content (first used by deposit #1); got "d-a"',
    );
  });
  it('a refused key can be used later with valid content', () => {
    const j = setup();
    expect(() =>
      j.apply({ kind: 'deposit', key: 'z', timeMs: 1, to: 'nobody/x', asset: 'USDC', units: 1n }),
    ).toThrow();
    expect(
      j.apply({ kind: 'deposit', key: 'z', timeMs: 1, to: 'bob/main', asset: 'USDC', units: 1n }).seq,
    ).toBe(3);
  });
});

describe('Journal: refusals name field, rule and value and change nothing', () => {
  const j = setup();
  const base = { key: 'r', timeMs: 10 } as const;
  it.each<[string, Operation, string]>([
    [
      'empty key',
      { kind: 'deposit', key: '', timeMs: 1, to: 'alice/main', asset: 'USDC', units: 1n },
      'key must be a non-empty idempotency key of at most 200 characters; got ""',
    ],
    [
      'negative time',
      { kind: 'deposit', key: 'r', timeMs: -1, to: 'alice/main', asset: 'USDC', units: 1n },
      'timeMs must be an integer number of ms since the epoch >= 0; got -1',
    ],
    [
      'unknown sub-account',
      { ...base, kind: 'deposit', to: 'carol/main', asset: 'USDC', units: 1n },
      'to must name an open sub-account; got "carol/main"',
    ],
    [
      'unknown asset',
      { ...base, kind: 'deposit', to: 'alice/main', asset: 'DOGE', units: 1n },
      'asset must be a defined asset; got "DOGE"',
    ],
    [
      'zero deposit',
      { ...base, kind: 'deposit', to: 'alice/main', asset: 'USDC', units: 0n },
      'units must be a bigint of base units > 0; got 0',
    ],
    [
      'withdrawal above balance',
      { ...base, kind: 'withdrawal', from: 'alice/main', asset: 'BTC', units: 1n },
      'units must be <= the BTC balance 0 of alice/main; got 1',
    ],
    [
      'transfer to itself',
      { ...base, kind: 'transfer', from: 'alice/main', to: 'alice/main', asset: 'USDC', units: 1n },
      'to must differ from `from`; got "alice/main"',
    ],
    [
      'trade with NaN size',
      {
        ...base,
        kind: 'trade',
        subAccount: 'alice/main',
        instrument: 'BTC-PERP',
        size: Number.NaN,
        price: 1,
        asset: 'USDC',
        cashUnits: 0n,
        feeUnits: 0n,
      },
      'size must be a finite non-zero number of contracts; got NaN',
    ],
    [
      'trade with a negative price',
      {
        ...base,
        kind: 'trade',
        subAccount: 'alice/main',
        instrument: 'BTC-PERP',
        size: 1,
        price: -5,
        asset: 'USDC',
        cashUnits: 0n,
        feeUnits: 0n,
      },
      'price must be a finite price >= 0; got -5',
    ],
    [
      'trade with a negative fee',
      {
        ...base,
        kind: 'trade',
        subAccount: 'alice/main',
        instrument: 'BTC-PERP',
        size: 1,
        price: 5,
        asset: 'USDC',
        cashUnits: 0n,
        feeUnits: -1n,
      },
      'feeUnits must be a bigint of base units >= 0; got -1',
    ],
    [
      'funding to itself',
      { ...base, kind: 'funding', payer: 'settlement', receiver: 'settlement', asset: 'USDC', units: 1n },
      'receiver must differ from `payer`; got "settlement"',
    ],
    [
      'funding from a system account other than settlement',
      { ...base, kind: 'funding', payer: 'fees', receiver: 'bob/main', asset: 'USDC', units: 1n },
      'payer must name an open sub-account; got "fees"',
    ],
    [
      'unknown kind',
      { ...base, kind: 'mint', to: 'alice/main' } as unknown as Operation,
      'kind must be one of deposit, withdrawal, transfer, trade, funding, liquidation, collateral-sale, ' +
        'liquidation-charge, insurance-payout, adl, expiry; got "mint"',
    ],
  ])('%s', (_name, op, message) => {
    expectRefused(j, op, message);
  });
  it('a withdrawal without a margin context', () => {
    expectRefused(
      j,
      { ...base, kind: 'withdrawal', from: 'alice/main', asset: 'USDC', units: 1n },
      'ctx must be given for a withdrawal (margin check); got undefined',
      false,
    );
  });
});
