/**
 * `xmargin optimise` and `xmargin allocate` end to end (in process): the issue's own command on
 * the shipped examples, every bad input refused with exit 2 and a message naming the field and
 * the rule, and the allocation verified per sub-account.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/adapters/cli/run-cli.js';

const root = new URL('../../', import.meta.url).pathname;
const ex = (f: string) => `${root}examples/${f}`;
const dir = mkdtempSync(join(tmpdir(), 'xmargin-optimise-'));
const file = (name: string, doc: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(doc));
  return p;
};

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const BASE = ['optimise', '--portfolio', ex('hedged-btc-options.json'), '--market', ex('market.json')];

describe('xmargin optimise', () => {
  it('the hedged options book under portfolio: verified IM below today, with the gap', async () => {
    const r = await run([...BASE, '--model', 'portfolio', '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as {
      status: string;
      trades: { instrument: string; size: number }[];
      before: { initialUsd: number };
      after: { initialUsd: number };
      solver: { gapUsd: number; boundUsd: number; objectiveUsd: number };
      verification: { verifiedImUsd: number; solverImUsd: number; toleranceUsd: number; agrees: boolean };
      sideBySide: { model: string }[];
      capitalFreedUsd: number;
    };
    expect(j.status).toBe('improved');
    expect(j.trades.length).toBeGreaterThan(0);
    expect(j.after.initialUsd).toBeLessThan(j.before.initialUsd);
    expect(j.verification.agrees).toBe(true);
    expect(Math.abs(j.verification.verifiedImUsd - j.verification.solverImUsd)).toBeLessThanOrEqual(
      j.verification.toleranceUsd,
    );
    expect(j.solver.boundUsd).toBeLessThanOrEqual(j.solver.objectiveUsd + 1e-6);
    expect(j.solver.gapUsd).toBeGreaterThanOrEqual(0);
    expect(j.capitalFreedUsd).toBeGreaterThan(0);
    expect(j.sideBySide.map((s) => s.model)).toEqual(
      expect.arrayContaining(['isolated', 'cross', 'deribit-pm', 'es']),
    );
  });

  it('text output names the trades, the gap and the verification', async () => {
    const r = await run([...BASE, '--model', 'deribit-pm', '--max-trades', '2', '--budget-usd', '500']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/MILP/);
    expect(r.out).toMatch(/gap/);
    expect(r.out).toMatch(/verified: deribit-pm's own IM/);
  });

  it('close-only reduces positions held only', async () => {
    const r = await run([...BASE, '--model', 'cross', '--goal', 'close-only', '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { trades: { instrument: string; size: number }[] };
    const held = new Map([
      ['BTC-27MAR26-66000-C', -10],
      ['BTC-27MAR26-66000-P', -10],
      ['BTC-27MAR26-62000-P', 10],
      ['BTC-27MAR26-70000-C', 10],
      ['BTC-PERP', 0.5],
    ]);
    for (const t of j.trades) {
      const q = held.get(t.instrument)!;
      expect(Math.sign(t.size)).toBe(-Math.sign(q));
      expect(Math.abs(t.size)).toBeLessThanOrEqual(Math.abs(q) + 1e-9);
    }
  });

  it('a target IM: the cheapest trades that reach it', async () => {
    const r = await run([
      ...BASE,
      '--model',
      'deribit-pm',
      '--goal',
      'target',
      '--target-im',
      '5000',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { after: { initialUsd: number } };
    expect(j.after.initialUsd).toBeLessThanOrEqual(5000.01);
  });

  const bad: [string, string[], RegExp][] = [
    ['budget ≤ 0', ['--budget-usd', '0'], /--budget-usd must be a number > 0/],
    ['target without a level', ['--goal', 'target'], /--target-im is required/],
    ['an unknown goal', ['--goal', 'maximise'], /--goal must be one of/],
    [
      'an unreachable target',
      ['--goal', 'target', '--target-im', '0'],
      /ERR_OPTIMISATION_INFEASIBLE.*targetImUsd/,
    ],
    [
      'a model without an LP form',
      ['--model', 'drift'],
      /model must be one the optimiser has an LP form for/,
    ],
    ['a bad delta band', ['--keep-delta', 'BTC=-1'], /--keep-delta must give BTC a band >= 0/],
    [
      'an empty candidate set',
      ['--candidates', file('empty.json', { candidates: [] })],
      /candidates must list at least one candidate/,
    ],
    [
      'a candidate without depth',
      ['--candidates', file('nodepth.json', { candidates: [{ instrument: 'BTC-PERP' }] })],
      /candidates\[0\]\.depth/,
    ],
    [
      'a candidate with an empty book',
      [
        '--candidates',
        file('nobook.json', {
          candidates: [{ instrument: 'BTC-PERP', depth: { kind: 'book', bids: [], asks: [] } }],
        }),
      ],
      /candidates\[0\]\.depth\.bids must be a non-empty array/,
    ],
    [
      'a candidate without a price in the market',
      [
        '--candidates',
        file('noprice.json', {
          candidates: [
            {
              instrument: 'XRP-PERP',
              depth: { kind: 'book', bids: [{ price: 1, qty: 1 }], asks: [{ price: 2, qty: 1 }] },
            },
          ],
        }),
      ],
      /candidates\[0\]\.instrument: "XRP-PERP" is not in the market/,
    ],
  ];
  it.each(bad)('%s: exit 2 naming the field and the rule', async (_n, extra, message) => {
    const r = await run([...BASE, ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('xmargin allocate', () => {
  it('the multi-sub-account example: every sub-account covers (1 + buffer)·IM on its posted collateral', async () => {
    const r = await run([
      'allocate',
      '--accounts',
      ex('sub-accounts.json'),
      '--market',
      ex('market.json'),
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as {
      transfers: { asset: string; from: string; to: string; valueUsd: number }[];
      accounts: { id: string; buffer: number; after: { initialUsd: number; equityUsd: number } }[];
      freeUsd: number;
      shortfallTodayUsd: number;
      solver: { gapUsd: number };
    };
    expect(j.shortfallTodayUsd).toBeGreaterThan(0); // the options sub-account is short today
    for (const a of j.accounts)
      expect(a.after.equityUsd).toBeGreaterThanOrEqual((1 + a.buffer) * a.after.initialUsd - 0.01);
    expect(j.transfers.length).toBeGreaterThan(0);
    expect(j.transfers.length).toBeLessThanOrEqual(4);
    expect(j.freeUsd).toBeGreaterThan(0);
  });

  it('collateral that cannot cover the buffers: exit 2, ERR_OPTIMISATION_INFEASIBLE', async () => {
    const accounts = file('short.json', {
      subAccounts: [
        {
          id: 'a',
          model: 'cross',
          portfolio: { collateral: { USDC: '10' }, positions: [{ instrument: 'BTC-PERP', size: 5 }] },
        },
      ],
    });
    const r = await run(['allocate', '--accounts', accounts, '--market', ex('market.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/ERR_OPTIMISATION_INFEASIBLE/);
  });
});
