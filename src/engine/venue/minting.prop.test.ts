/**
 * No money from nowhere: whatever sequence of operations non-admin keys may submit (deposits,
 * withdrawals, transfers between their own sub-accounts, orders of any size in any listed
 * instrument, and the forbidden fields an attacker would try: a cash amount, a fee), at the
 * unchanged prices a non-admin key cannot move:
 *
 * 1. every asset sums to zero over every ledger account (double entry);
 * 2. `external` ≤ 0 for every asset: nothing ever leaves the venue that did not come in;
 * 3. the attacker never withdraws more value than it deposited (an account that deposits nothing
 *    withdraws nothing);
 * 4. the value held by users and the insurance fund (balances plus positions at the marks) never
 *    grows except by deposits less withdrawals: spreads go to the venue's market maker and fees to
 *    `fees`, so it can only fall.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromUnits } from '../../core/ledger/convert.js';
import { valuePortfolio } from '../../core/portfolio/valuation.js';
import { buildSimMarket, createSimTemplate } from '../simulation/sim-market.js';
import type { OracleStates } from '../policy/oracle-policy.js';
import type { UserOperation } from '../operations.js';
import { Venue } from './venue.js';

const T0 = Date.UTC(2024, 0, 1);
const PRICES = { BTC: 50_000, ETH: 2_500, SOL: 100 };
const tpl = createSimTemplate(T0, PRICES, { BTC: 0.6, ETH: 0.7 }, 'flat');
const market = buildSimMarket(tpl, T0, PRICES);
const ASSETS = ['USDC', 'BTC', 'ETH'].map((s) => market.assets.getAsset(s));
const INSTRUMENTS = [...market.instruments.keys()];
const oracle: OracleStates = Object.fromEntries(
  Object.entries(PRICES).map(([a, price]) => [
    a,
    {
      result: {
        price,
        method: 'median' as const,
        used: ['x'],
        rejected: [],
        median: price,
        oldestUsedMs: T0,
      },
      lastFreshMs: T0,
    },
  ]),
);
const SUBS = ['attacker/a', 'attacker/b', 'saver/main'];

function freshVenue(): Venue {
  const v = new Venue({ assets: ASSETS, limits: { maxLeverage: 20 } });
  for (const key of SUBS) {
    const [accountId, subAccountId] = key.split('/') as [string, string];
    v.openSubAccount({ accountId, subAccountId, mode: key === 'attacker/b' ? 'portfolio' : 'cross' });
  }
  v.restore({
    kind: 'deposit',
    key: 'if',
    timeMs: T0,
    to: 'insurance-fund',
    asset: 'USDC',
    units: 10n ** 11n,
  });
  v.restore({
    kind: 'deposit',
    key: 'saver',
    timeMs: T0,
    to: 'saver/main',
    asset: 'USDC',
    units: 10n ** 10n,
  });
  v.updateMarket(market, T0, { oracle });
  return v;
}

/** Users' and the insurance fund's value at the marks, USD. */
function heldValueUsd(v: Venue): number {
  let total = 0;
  for (const key of SUBS) total += valuePortfolio(v.journal.portfolioOf(key), market).equityUsd;
  for (const a of ASSETS)
    total +=
      fromUnits(v.journal.balanceOf('insurance-fund', a.symbol), a.decimals) *
      (market.prices.get(a.symbol) ?? 0);
  return total;
}

const units = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt({ min: 10n ** 8n, max: 10n ** 11n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 10n ** 15n }) },
  { weight: 1, arbitrary: fc.constant(10n ** 30n) },
);
const own = fc.constantFrom('attacker/a', 'attacker/b');
const asset = fc.constantFrom('USDC', 'BTC', 'ETH');
const opArb = fc.oneof(
  fc.record({ kind: fc.constant('deposit' as const), to: own, asset, units }),
  fc.record({ kind: fc.constant('withdrawal' as const), from: own, asset, units }),
  fc.record({ kind: fc.constant('transfer' as const), from: own, to: own, asset, units }),
  fc.record({
    kind: fc.constant('trade' as const),
    subAccount: own,
    instrument: fc.constantFrom(...INSTRUMENTS),
    size: fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -0.5, max: 0.5, noNaN: true }) },
      { weight: 1, arbitrary: fc.double({ min: -50, max: 50, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(1e9, -1e9, 1e-9, 0) },
    ),
    // what an attacker would add: a cash amount or a fee of its choosing (always refused)
    forged: fc.oneof(
      { weight: 5, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('cashUnits' as const, 'feeUnits' as const) },
    ),
  }),
  fc.record({ kind: fc.constant('deposit-to-venue' as const), units }),
);

describe('no money from nowhere (non-admin operations)', () => {
  it('keeps every asset at zero, external ≤ 0, no withdrawal without a deposit, and held value ≤ deposits − withdrawals', () => {
    const applied = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ kind: fc.constant('deposit' as const), to: own, asset: fc.constant('USDC'), units }),
        ),
        fc.array(opArb, { minLength: 1, maxLength: 16 }),
        (funding, rest) => {
          const ops = [...funding.slice(0, 2), ...rest];
          const v = freshVenue();
          const value0 = heldValueUsd(v);
          let k = 0;
          for (const o of ops) {
            const key = `op-${++k}`;
            let req: UserOperation;
            if (o.kind === 'trade') {
              req = {
                kind: 'trade',
                key,
                timeMs: T0,
                subAccount: o.subAccount,
                instrument: o.instrument,
                size: o.size,
              };
              if (o.forged) req = { ...req, [o.forged]: 10n ** 12n } as unknown as UserOperation;
            } else if (o.kind === 'deposit-to-venue') {
              req = { kind: 'deposit', key, timeMs: T0, to: v.liquidatorKey, asset: 'USDC', units: o.units };
            } else req = { ...o, key, timeMs: T0 } as UserOperation;
            try {
              v.apply(req);
              applied.set(o.kind, (applied.get(o.kind) ?? 0) + 1);
              expect(o.kind === 'trade' && o.forged !== undefined).toBe(false);
              expect(o.kind).not.toBe('deposit-to-venue');
            } catch (e) {
              expect((e as { code?: string }).code).toMatch(/^ERR_/); // refused with a code, never a crash
            }
            for (const a of ASSETS) {
              expect(v.journal.totalOf(a.symbol)).toBe(0n);
              expect(v.journal.balanceOf('external', a.symbol)).toBeLessThanOrEqual(0n);
            }
          }
          // value held by users and the fund: initial + (deposits − withdrawals) at the marks, at most
          let netInUsd = 0;
          for (const a of ASSETS)
            netInUsd +=
              -fromUnits(v.journal.balanceOf('external', a.symbol), a.decimals) *
              (market.prices.get(a.symbol) ?? 0);
          const initialInUsd = fromUnits(10n ** 11n + 10n ** 10n, 6); // the fund and the saver, before any op
          const grownUsd = heldValueUsd(v) - value0 - (netInUsd - initialInUsd);
          expect(grownUsd).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(netInUsd)));
          // the attacker never takes out more value than it put in (at the marks it cannot move)
          const priceOf = (sym: string) => market.prices.get(sym) ?? 0;
          const decimalsOf = (sym: string) => ASSETS.find((a) => a.symbol === sym)!.decimals;
          let inUsd = 0;
          let outUsd = 0;
          for (const e of v.journal.entries())
            for (const p of e.postings) {
              if (!p.account.startsWith('attacker/')) continue;
              const usd = fromUnits(p.units, decimalsOf(p.asset)) * priceOf(p.asset);
              if (e.kind === 'deposit') inUsd += usd;
              else if (e.kind === 'withdrawal') outUsd -= usd;
            }
          expect(outUsd).toBeLessThanOrEqual(inUsd * (1 + 1e-12));
        },
      ),
      { numRuns: 60 },
    );
    // The sequences did exercise the venue: orders, deposits and withdrawals went through.
    expect(applied.get('trade') ?? 0).toBeGreaterThan(10);
    expect(applied.get('deposit') ?? 0).toBeGreaterThan(10);
    expect(applied.get('withdrawal') ?? 0).toBeGreaterThan(0);
  });
});
