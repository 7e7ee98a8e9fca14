import { describe, expect, it } from 'vitest';
import { RiskError } from '../core/errors.js';
import { ctx, expectRefused, setupJournal, usdc } from '../../test/support/journal-fixtures.js';
import type { Journal } from './journal.js';

const setup = setupJournal;

describe('Journal: margin check', () => {
  function withPosition(bufferFraction = 0) {
    const j = setup(bufferFraction);
    j.apply(
      {
        kind: 'trade',
        key: 'p',
        timeMs: 2,
        subAccount: 'alice/main',
        instrument: 'BTC-PERP',
        size: 1,
        price: 60_000,
        asset: 'USDC',
        cashUnits: 0n,
        feeUnits: 0n,
      },
      { trusted: true } /* the set-up position; the tests check withdrawals */,
    );
    return j;
  }

  it('refuses a withdrawal that leaves equity below IM, with requirement and shortfall', () => {
    const j = withPosition();
    const before = j.snapshot();
    let err: unknown;
    try {
      j.apply(
        { kind: 'withdrawal', key: 'w', timeMs: 3, from: 'alice/main', asset: 'USDC', units: usdc(9_999) },
        { ctx },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RiskError);
    expect((err as RiskError).code).toBe('ERR_INSUFFICIENT_MARGIN');
    const d = (err as RiskError).details as {
      requiredUsd: number;
      equityAfterUsd: number;
      shortfallUsd: number;
    };
    expect(d.requiredUsd).toBeGreaterThan(d.equityAfterUsd);
    expect(d.shortfallUsd).toBeCloseTo(d.requiredUsd - d.equityAfterUsd, 9);
    expect(d.equityAfterUsd).toBeCloseTo(1, 6);
    expect((err as RiskError).message).toMatch(
      /^units must leave alice\/main with equity >= its cross requirement/,
    );
    expect(j.snapshot()).toEqual(before);
  });

  it('allows a withdrawal that keeps equity above IM, and refuses a transfer out past it', () => {
    const j = withPosition();
    j.apply(
      { kind: 'withdrawal', key: 'w', timeMs: 3, from: 'alice/main', asset: 'USDC', units: usdc(100) },
      { ctx },
    );
    expect(j.balanceOf('alice/main', 'USDC')).toBe(usdc(9_900));
    expectRefused(
      j,
      {
        kind: 'transfer',
        key: 'x',
        timeMs: 3,
        from: 'alice/main',
        to: 'alice/hedge',
        asset: 'USDC',
        units: usdc(9_900),
      },
      /shortfall/,
    );
  });

  it('the personal buffer raises the requirement above maintenance', () => {
    const tight = withPosition(0);
    const e0 = tryWithdraw(tight, usdc(9_999));
    const buffered = withPosition(100);
    const e1 = tryWithdraw(buffered, usdc(9_999));
    expect(e1.details['requiredUsd']).toBeGreaterThan(e0.details['requiredUsd'] as number);
  });

  function tryWithdraw(j: Journal, units: bigint): RiskError {
    try {
      j.apply({ kind: 'withdrawal', key: 'w', timeMs: 3, from: 'alice/main', asset: 'USDC', units }, { ctx });
    } catch (e) {
      return e as RiskError;
    }
    throw new Error('expected a refusal');
  }
});
