/**
 * Shared fixtures of the journal tests: a small market, a journal with three sub-accounts
 * (alice/main cross, alice/hedge portfolio, bob/main isolated) funded in USDC, and a check that a
 * refused operation leaves the state exactly as it was.
 */
import { expect } from 'vitest';
import { ctxOf, smallMarket } from './margin-fixtures.js';
import { Journal } from '../../src/engine/journal.js';
import type { Operation } from '../../src/engine/operations.js';

export const market = smallMarket();
export const ctx = ctxOf(market);
export const USDC = market.assets.getAsset('USDC');
export const BTC = market.assets.getAsset('BTC');
/** Whole USDC to base units. */
export const usdc = (x: number) => BigInt(x) * 10n ** BigInt(USDC.decimals);

/** alice/main holds 10,000 USDC, bob/main 50,000 USDC. */
export function setupJournal(bufferFraction = 0): Journal {
  const j = new Journal({ assets: [USDC, BTC], venue: { maxLeverage: 50 } });
  j.openSubAccount({ accountId: 'alice', subAccountId: 'main', mode: 'cross', limits: { bufferFraction } });
  j.openSubAccount({ accountId: 'alice', subAccountId: 'hedge', mode: 'portfolio' });
  j.openSubAccount({ accountId: 'bob', subAccountId: 'main', mode: 'isolated' });
  j.apply({ kind: 'deposit', key: 'd-a', timeMs: 1, to: 'alice/main', asset: 'USDC', units: usdc(10_000) });
  j.apply({ kind: 'deposit', key: 'd-b', timeMs: 1, to: 'bob/main', asset: 'USDC', units: usdc(50_000) });
  return j;
}

/** Expects `op` to be refused with `message` and to leave the state exactly as it was. */
export function expectRefused(j: Journal, op: Operation, message: string | RegExp, withCtx = true): void {
  const before = j.snapshot();
  expect(() => j.apply(op, withCtx ? { ctx } : {})).toThrow(message);
  expect(j.snapshot()).toEqual(before);
}
