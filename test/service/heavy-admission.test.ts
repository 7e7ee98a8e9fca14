/**
 * The pieces of the heavy requests' admission, without a server: the token bucket charged by cost
 * (the arithmetic written out), the documented cost formula, and a market travelling as its market
 * file (rebuilt with the same fingerprint; a copy of a market does not travel).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { marketFingerprint } from '../../src/adapters/http/explain-protocol.js';
import type { ExplainTask } from '../../src/adapters/http/explain-tasks.js';
import { taskCost } from '../../src/adapters/http/heavy-requests.js';
import { RateLimiter } from '../../src/adapters/http/rate-limit.js';
import { buildMarginMarket, marketFileOf, resolveMarketFile } from '../../src/core/portfolio/market-file.js';
import type { Portfolio } from '../../src/core/portfolio/portfolio.js';

describe('a token bucket charged by cost', () => {
  it('takes the cost, refuses without taking, and caps a cost at the burst', () => {
    const b = new RateLimiter({ ratePerSec: 5, burst: 10 });
    expect(b.take('k', 0, 4)).toEqual({ ok: true }); // 10 - 4 = 6 left
    // 7 > 6: refused; one more token comes every 1000 / 5 = 200 ms
    expect(b.take('k', 0, 7)).toEqual({ ok: false, retryAfterMs: 200 });
    expect(b.take('k', 0, 6)).toEqual({ ok: true }); // the refusal took nothing
    expect(b.take('k', 0, 1)).toEqual({ ok: false, retryAfterMs: 200 });
    // a cost of 20 is charged as the burst, 10: available again after 10 / 5 = 2 s
    expect(b.take('k', 1000, 20)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(b.take('k', 2000, 20)).toEqual({ ok: true });
    expect(b.take('other', 2000, 10)).toEqual({ ok: true }); // each key its own bucket
  });
});

describe('the cost of a heavy request (docs/api.md#heavy-requests)', () => {
  const pf = (n: number): Portfolio => ({
    positions: Array.from({ length: n }, (_, i) => ({ instrument: `I${i}`, size: 1 })),
    collateral: new Map(),
  });
  const six = ['isolated', 'cross', 'portfolio', 'es', 'deribit-pm', 'derive-pm2'].map((name) => ({
    name,
    params: {},
  }));

  it('a what-if: Σ weights × (positions + 1) × 2 passes', () => {
    const task: ExplainTask = {
      kind: 'whatif',
      key: 'a/main',
      seq: 1,
      portfolio: pf(4),
      trade: { instrument: 'I0', size: 1 },
      models: six,
    };
    // weights 1 + 1 + 10 + 100 + 10 + 10 = 132
    expect(taskCost(task)).toBe(132 * 5 * 2);
  });

  it('a liquidation search under es: 100 × positions × 40 passes', () => {
    const account = { key: 'a/main', seq: 1, portfolio: pf(10), mode: 'es', params: {}, fallFactor: 1 };
    expect(taskCost({ kind: 'risk', account, points: 61, head: {} })).toBe(100 * 10 * 40);
    expect(taskCost({ kind: 'risk', account: { ...account, mode: 'cross' }, points: 61, head: {} })).toBe(
      1 * 10 * 40,
    );
  });
});

describe('a market travels as its market file', () => {
  const doc = JSON.parse(
    readFileSync(new URL('../../examples/market.json', import.meta.url), 'utf8'),
  ) as unknown;

  it('is rebuilt with every number equal, and a copy of it has no file', () => {
    const m = buildMarginMarket(doc);
    const file = marketFileOf(m);
    expect(file).toBeDefined();
    const again = resolveMarketFile(structuredClone(file!));
    expect(marketFingerprint(again)).toBe(marketFingerprint(m));
    expect([...again.instruments.values()].map((x) => x.markPrice)).toEqual(
      [...m.instruments.values()].map((x) => x.markPrice),
    );
    expect(marketFileOf({ ...m })).toBeUndefined();
  });

  it('has a fingerprint that moves with any price', () => {
    const m = buildMarginMarket(doc);
    const file = structuredClone(marketFileOf(m)!);
    const [asset, price] = Object.entries(file.prices)[0]!;
    const moved = resolveMarketFile({ ...file, prices: { ...file.prices, [asset]: price * (1 + 1e-12) } });
    expect(marketFingerprint(moved)).not.toBe(marketFingerprint(m));
  });
});
