/**
 * Property tests of the journal: conservation, idempotency, all or nothing, exact transfers.
 * Sequences mix valid and invalid operations (unknown accounts, zero or negative amounts,
 * withdrawals beyond balance or margin), so refusals are exercised as often as commits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ctxOf, smallMarket } from '../../test/support/margin-fixtures.js';
import { Journal } from './journal.js';
import type { Operation } from './operations.js';

const market = smallMarket();
const ctx = ctxOf(market);
const ASSETS = ['USDC', 'BTC'] as const;
const SUBS = ['alice/main', 'alice/hedge', 'bob/main', 'carol/x'] as const;
const PARTIES = [...SUBS, 'settlement', 'fees'] as const;

function freshJournal(): Journal {
  const j = new Journal({
    assets: ASSETS.map((s) => market.assets.getAsset(s)),
    venue: { maxLeverage: 50 },
  });
  j.openSubAccount({ accountId: 'alice', subAccountId: 'main', mode: 'cross' });
  j.openSubAccount({ accountId: 'alice', subAccountId: 'hedge', mode: 'portfolio' });
  j.openSubAccount({
    accountId: 'bob',
    subAccountId: 'main',
    mode: 'isolated',
    limits: { bufferFraction: 0.5 },
  });
  // carol/x is deliberately never opened: operations naming it must be refused.
  return j;
}

// Weighted toward valid operations so that commits (and margin refusals) are frequent.
const sub = fc.oneof(
  { arbitrary: fc.constantFrom('alice/main', 'alice/hedge', 'bob/main'), weight: 9 },
  { arbitrary: fc.constant('carol/x'), weight: 1 },
);
const asset = fc.oneof(
  { arbitrary: fc.constantFrom(...ASSETS), weight: 9 },
  { arbitrary: fc.constant('DOGE'), weight: 1 },
);
const units = fc.oneof(
  { arbitrary: fc.bigInt({ min: -3n, max: 3n }), weight: 1 },
  { arbitrary: fc.bigInt({ min: 1n, max: 10n ** 10n }), weight: 6 },
);
/** Amounts leaving a sub-account: smaller than deposits, so that most are covered by the balance. */
const outUnits = fc.oneof(
  { arbitrary: fc.bigInt({ min: -3n, max: 3n }), weight: 1 },
  { arbitrary: fc.bigInt({ min: 1n, max: 10n ** 8n }), weight: 6 },
);
const instrument = fc.constantFrom('BTC-PERP', 'ETH-PERP');
const size = fc.constantFrom(-2, -1, -0.5, -0.1, 0, 0.1, 0.25, 1, 3);
const price = fc.constantFrom(-1, 2_000, 60_000);

/** An operation without its key and time (assigned per position in the sequence). */
const opBody = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('deposit'), to: sub, asset, units }), weight: 3 },
  fc.record({ kind: fc.constant('withdrawal'), from: sub, asset, units: outUnits }),
  fc.record({ kind: fc.constant('transfer'), from: sub, to: sub, asset, units: outUnits }),
  fc.record({
    kind: fc.constant('trade'),
    subAccount: sub,
    instrument,
    size,
    price,
    asset,
    cashUnits: fc.bigInt({ min: -(10n ** 7n), max: 10n ** 7n }),
    feeUnits: fc.bigInt({ min: -1n, max: 10n ** 6n }),
  }),
  fc.record({
    kind: fc.constant('funding'),
    payer: fc.constantFrom(...PARTIES),
    receiver: fc.constantFrom(...PARTIES),
    asset,
    units,
  }),
  fc.record({
    kind: fc.constant('liquidation'),
    from: sub,
    to: sub,
    instrument,
    size,
    price,
    asset,
    cashUnits: fc.bigInt({ min: -(10n ** 7n), max: 10n ** 7n }),
    penaltyUnits: fc.bigInt({ min: -1n, max: 10n ** 6n }),
  }),
);

const FUNDING = (['alice/main', 'alice/hedge', 'bob/main'] as const).flatMap((to) => [
  { kind: 'deposit' as const, to, asset: 'USDC', units: 10n ** 10n },
  { kind: 'deposit' as const, to, asset: 'BTC', units: 10n ** 8n },
]);

const sequence = fc
  .array(opBody, { minLength: 1, maxLength: 40 })
  // Funding deposits first, so that withdrawals, transfers and margin refusals are reached.
  .map((bodies) =>
    [...FUNDING, ...bodies].map((b, i) => ({ ...b, key: `k${i}`, timeMs: 1_000 + i }) as Operation),
  );

/** Applies `op`; returns whether it was committed (a refusal is any thrown error). */
function tryApply(j: Journal, op: Operation): boolean {
  try {
    j.apply(op, { ctx });
    return true;
  } catch {
    return false;
  }
}

/** Σ balances of `asset` over every ledger account except `external`. */
function heldInside(j: Journal, a: string): bigint {
  return j.totalOf(a) - j.balanceOf('external', a);
}

describe('journal properties', () => {
  it('conservation: Σ all balances = 0; Σ inside = Σ deposits − Σ withdrawals; only those change it', () => {
    fc.assert(
      fc.property(sequence, (ops) => {
        const j = freshJournal();
        const net = new Map<string, bigint>(ASSETS.map((a) => [a, 0n]));
        for (const op of ops) {
          const inside = ASSETS.map((a) => heldInside(j, a));
          const ok = tryApply(j, op);
          if (ok && (op.kind === 'deposit' || op.kind === 'withdrawal')) {
            const sign = op.kind === 'deposit' ? 1n : -1n;
            net.set(op.asset, net.get(op.asset)! + sign * op.units);
          } else {
            ASSETS.forEach((a, i) => expect(heldInside(j, a)).toBe(inside[i]));
          }
          for (const a of ASSETS) {
            expect(j.totalOf(a)).toBe(0n);
            expect(heldInside(j, a)).toBe(net.get(a));
          }
        }
      }),
    );
  });

  it('a refused operation changes nothing (deep snapshot before = after)', () => {
    fc.assert(
      fc.property(sequence, (ops) => {
        const j = freshJournal();
        for (const op of ops) {
          const before = j.snapshot();
          if (!tryApply(j, op)) expect(j.snapshot()).toEqual(before);
        }
      }),
    );
  });

  it('idempotency: the committed operations applied twice, or each twice in a row, = applied once', () => {
    fc.assert(
      fc.property(sequence, (ops) => {
        const once = freshJournal();
        const committed = ops.filter((op) => tryApply(once, op));
        const twice = freshJournal();
        for (const op of committed) expect(tryApply(twice, op)).toBe(true);
        for (const op of committed) expect(tryApply(twice, { ...op })).toBe(true);
        expect(twice.snapshot()).toEqual(once.snapshot());
        const doubled = freshJournal();
        for (const op of ops) {
          const first = tryApply(doubled, op);
          expect(tryApply(doubled, op)).toBe(first);
        }
        expect(doubled.snapshot()).toEqual(once.snapshot());
      }),
    );
  });

  it('transfers never create or lose a base unit', () => {
    fc.assert(
      fc.property(
        sequence,
        fc.array(fc.tuple(sub, sub, asset, outUnits), { maxLength: 20 }),
        (ops, transfers) => {
          const j = freshJournal();
          for (const op of ops) tryApply(j, op);
          transfers.forEach(([from, to, a, u], i) => {
            const before = j.snapshot();
            const op: Operation = {
              kind: 'transfer',
              key: `t${i}`,
              timeMs: 9_000 + i,
              from,
              to,
              asset: a,
              units: u,
            };
            const fromBefore = j.balanceOf(from, a);
            const toBefore = j.balanceOf(to, a);
            if (!tryApply(j, op)) {
              expect(j.snapshot()).toEqual(before);
              return;
            }
            expect(j.balanceOf(from, a)).toBe(fromBefore - u);
            expect(j.balanceOf(to, a)).toBe(toBefore + u);
            expect(j.balanceOf(from, a)).toBeGreaterThanOrEqual(0n);
            const after = j.snapshot();
            for (const acct of new Set([...Object.keys(before.balances), ...Object.keys(after.balances)])) {
              if (acct === from || acct === to) continue;
              expect(after.balances[acct]).toEqual(before.balances[acct]);
            }
            expect(after.positions).toEqual(before.positions);
          });
        },
      ),
    );
  });
});
