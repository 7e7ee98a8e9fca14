import { describe, expect, it } from 'vitest';
import type { OracleResult } from '../../core/market/oracle-aggregate.js';
import { RiskError } from '../../core/errors.js';
import {
  checkOraclePolicy,
  classifyAction,
  enforceOraclePolicy,
  pricesForAction,
  purposeFor,
} from './oracle-policy.js';
import type { OracleStates, PolicyAction } from './oracle-policy.js';

const NOW = 1_700_000_000_000;

function result(price: number, oldestUsedMs: number): OracleResult {
  return {
    price,
    method: 'median',
    used: ['a', 'b'],
    rejected: [{ source: 'c', reason: 'stale', detail: 'age 200000 ms > maxAgeMs 180000' }],
    median: price,
    oldestUsedMs,
  };
}

const staleBtc: OracleStates = {
  BTC: { result: result(60_000, NOW - 75_000), lastFreshMs: NOW - 75_000 },
  USDC: { result: result(1, NOW - 1_000), lastFreshMs: NOW - 1_000 },
};

const trade = (before: number, after: number): PolicyAction => ({
  kind: 'trade',
  riskClass: classifyAction('trade', before, after),
  assets: ['BTC', 'USDC'],
});

describe('classifyAction', () => {
  it('classifies trades by |position| and sign', () => {
    expect(classifyAction('trade', 0, 1)).toBe('risk-increasing');
    expect(classifyAction('trade', 2, 3)).toBe('risk-increasing');
    expect(classifyAction('trade', 1, -1)).toBe('risk-increasing');
    expect(classifyAction('trade', -3, -1)).toBe('risk-reducing');
    expect(classifyAction('trade', 2, 2)).toBe('neutral');
  });
  it('classifies cash movements and liquidation', () => {
    expect(classifyAction('withdrawal')).toBe('risk-increasing');
    expect(classifyAction('transfer-out')).toBe('risk-increasing');
    expect(classifyAction('deposit')).toBe('risk-reducing');
    expect(classifyAction('transfer-in')).toBe('risk-reducing');
    expect(classifyAction('liquidation')).toBe('risk-reducing');
    expect(classifyAction('funding')).toBe('neutral');
  });
});

describe('checkOraclePolicy', () => {
  it('blocks a risk-increasing trade on a stale oracle, naming the asset, the age and the remedy', () => {
    const d = checkOraclePolicy(trade(0, 1), staleBtc, NOW);
    expect(d.allowed).toBe(false);
    if (d.allowed) return;
    expect(d.error).toBeInstanceOf(RiskError);
    expect(d.error.code).toBe('ERR_ORACLE_STALE');
    expect(d.error.message).toContain('BTC: oracle stale by 75 s');
    expect(d.error.message).toContain('sources rejected: c (stale)');
    expect(d.error.message).toMatch(/Unblocks with a fresh aggregate for BTC \(age ≤ 60 s\)/);
    expect(d.problems.map((p) => p.asset)).toEqual(['BTC']);
    expect(() => enforceOraclePolicy(trade(0, 1), staleBtc, NOW)).toThrow(/BTC.*75 s/);
  });

  it('allows a risk-reducing trade on the same stale oracle, with a warning', () => {
    const d = checkOraclePolicy(trade(2, 1), staleBtc, NOW);
    expect(d.allowed).toBe(true);
    if (d.allowed) expect(d.warnings.map((w) => w.reason)).toEqual(['stale']);
  });

  it('blocks a withdrawal when the oracle failed, with its code', () => {
    const states: OracleStates = {
      BTC: {
        error: { code: 'ERR_ORACLE_INSUFFICIENT_SOURCES', message: '1 source left' },
        lastFreshMs: NOW - 10_000,
      },
    };
    const d = checkOraclePolicy(
      { kind: 'withdrawal', riskClass: 'risk-increasing', assets: ['BTC'] },
      states,
      NOW,
    );
    expect(d.allowed).toBe(false);
    if (!d.allowed) {
      expect(d.error.code).toBe('ERR_ORACLE_INSUFFICIENT_SOURCES');
      expect(d.error.message).toContain('BTC: oracle failed');
    }
  });

  it('refuses liquidation on a price older than the strict limit, accepts a fresh one', () => {
    const liq: PolicyAction = { kind: 'liquidation', riskClass: 'risk-reducing', assets: ['BTC'] };
    const at = (ageMs: number): OracleStates => ({
      BTC: { result: result(60_000, NOW - ageMs), lastFreshMs: NOW - ageMs },
    });
    const d = checkOraclePolicy(liq, at(6_000), NOW);
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.error.message).toContain('age 6000 ms > maxAgeMs 5000 ms');
    expect(checkOraclePolicy(liq, at(5_000), NOW).allowed).toBe(true);
    // the same 6 s price is fine for trading
    expect(checkOraclePolicy(trade(0, 1), { ...at(6_000), USDC: staleBtc.USDC! }, NOW).allowed).toBe(true);
  });
});

describe('pricesForAction', () => {
  const states: OracleStates = {
    BTC: { result: result(60_000, NOW), stablePrice: 58_000, lastFreshMs: NOW },
    ETH: { result: result(3_000, NOW), stablePrice: 3_100, lastFreshMs: NOW },
  };
  it('IM valuation uses the conservative price: assets at min, liabilities at max', () => {
    const p = pricesForAction(purposeFor(trade(0, 1)), ['BTC', 'ETH'], states);
    expect(p.BTC).toMatchObject({ asset: 58_000, liability: 60_000, stableUsed: true });
    expect(p.ETH).toMatchObject({ asset: 3_000, liability: 3_100, stableUsed: true });
  });
  it('maintenance and liquidation use the oracle', () => {
    const p = pricesForAction('liquidation', ['BTC'], states);
    expect(p.BTC).toMatchObject({ asset: 60_000, liability: 60_000, stableUsed: false });
  });
  it('fails closed without an oracle price', () => {
    expect(() => pricesForAction('maintenance', ['SOL'], states)).toThrow(/no oracle price for SOL/);
  });
});
