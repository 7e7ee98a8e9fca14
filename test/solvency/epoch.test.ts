/**
 * Published risk arrays, the exact account scan and the epoch builder (src/core/solvency), with
 * the real Poseidon. Expected values are the fixtures' numbers put through the formulas of
 * docs/methodology/solvency-proofs.md, written out below.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FieldHash } from '../../src/core/solvency/field.js';
import { encodeText } from '../../src/core/solvency/field.js';
import { buildScanArrays, hashScanArrays } from '../../src/core/solvency/scan-arrays.js';
import { coversScan, scanFloorMicroUsd, scanLoss, scanPnl } from '../../src/core/solvency/account-scan.js';
import { buildEpoch } from '../../src/core/solvency/build-epoch.js';
import { accountIdHash, epochTagOf } from '../../src/core/solvency/leaf.js';
import {
  equityToMicroUsd,
  requirementToMicroUsd,
  quantityToMicro,
} from '../../src/core/solvency/fixed-point.js';
import { verifyInclusion } from '../../src/core/solvency/inclusion.js';
import { checkPublishedEpoch, compliancePublicSignals } from '../../src/core/solvency/public-signals.js';
import { createPoseidonHash } from '../../src/adapters/prover/poseidon-hash.js';
import { ACCOUNTS, BTC, ETH, SALTS } from './fixtures.js';

let hash: FieldHash;
beforeAll(async () => {
  hash = await createPoseidonHash();
}, 60_000);

const SHAPE = { rows: 8, scenarios: 8, depth: 3, classes: 4 };
const M = 1_000_000n; // micro
const scan = () => buildScanArrays([BTC, ETH], 0.75);

describe('fixed point', () => {
  it('rounds equity down and requirements up, to the micro-USD', () => {
    expect(equityToMicroUsd(0.0000019, 'e')).toBe(1n);
    expect(equityToMicroUsd(-0.0000011, 'e')).toBe(-2n); // floor: toward −∞
    expect(requirementToMicroUsd(0.0000011, 'mm')).toBe(2n);
    // nearest, on the exact binary value: the double nearest 2.5e-6 is 2.50000000000000010e-6
    expect(quantityToMicro(0.0000025, 'q')).toBe(3n);
    expect(quantityToMicro(0.0000024999, 'q')).toBe(2n);
    expect(quantityToMicro(-1.5, 'q')).toBe(-1_500_000n);
  });

  it('refuses values outside the circuit ranges (ERR_SOLVENCY_RANGE)', () => {
    expect(() => equityToMicroUsd(2 ** 56 / 1e6 + 1, 'e')).toThrow(
      expect.objectContaining({ code: 'ERR_SOLVENCY_RANGE' }),
    );
    expect(() => requirementToMicroUsd(-1, 'mm')).toThrow(
      expect.objectContaining({ code: 'ERR_SOLVENCY_RANGE' }),
    );
    expect(() => quantityToMicro(2 ** 49 / 1e6, 'q')).toThrow(
      expect.objectContaining({ code: 'ERR_SOLVENCY_RANGE' }),
    );
    expect(() => equityToMicroUsd(Number.NaN, 'e')).toThrow(
      expect.objectContaining({ code: 'ERR_SOLVENCY_RANGE' }),
    );
  });
});

describe('published risk arrays', () => {
  it('scale the engine arrays to micro-USD and drop the zero column and the repeated one', () => {
    const s = scan();
    expect(s.rows).toEqual(['collateral:BTC', 'BTC-PERP', 'BTC-7D-C', 'ETH-PERP']);
    // BTC 0%/none is all zeros; ETH −10%/none repeats ETH −10%/up.
    expect(s.columns.map((c) => c.id)).toEqual([
      'BTC:-10%/none',
      'BTC:+10%/none',
      'BTC:0%/up',
      'ETH:-10%/up',
      'ETH:+10%/up',
    ]);
    const v = (usd: number) => BigInt(Math.round(0.75 * usd * 1e6)); // value = scale · pnl · 10^6
    expect(s.values).toEqual([
      v(-2000),
      v(2000),
      0n,
      0n,
      0n,
      v(-2000),
      v(2000),
      0n,
      0n,
      0n,
      v(-300),
      v(500),
      v(100),
      0n,
      0n,
      0n,
      0n,
      0n,
      v(-150),
      v(150),
    ]);
  });

  it('hash as a Poseidon sponge over the padded table', () => {
    const s = scan();
    const flat: bigint[] = [8n, 8n];
    for (let r = 0; r < 8; r++)
      for (let c = 0; c < 8; c++) flat.push(r < 4 && c < 5 ? s.values[r * 5 + c]! : 0n);
    const mod = (x: bigint) =>
      ((x % 21888242871839275222246405745257275088548364400416034343698204186575808495617n) +
        21888242871839275222246405745257275088548364400416034343698204186575808495617n) %
      21888242871839275222246405745257275088548364400416034343698204186575808495617n;
    let acc = 0n;
    for (let i = 0; i < flat.length; i += 15) acc = hash([acc, ...flat.slice(i, i + 15).map(mod)]);
    expect(hashScanArrays(s, SHAPE, hash)).toBe(acc);
  });
});

describe('account scan', () => {
  it('is Σ q·RA per scenario, the worst loss and its floor', () => {
    const s = scan();
    // dave: short 1 call: pnl = −1e6 micro-units × RA
    const q = [0n, 0n, -M, 0n];
    const pnl = scanPnl(q, s);
    expect(pnl).toEqual([225n * M * M, -375n * M * M, -75n * M * M, 0n, 0n]);
    expect(scanLoss(pnl)).toBe(375n * M * M);
    // floor at severity 250 (25%): ⌈250 · 375e12 / 1e9⌉ micro-USD = 93.75 USD
    expect(scanFloorMicroUsd(250, scanLoss(pnl))).toBe(93_750_000n);
    expect(coversScan(93_750_000n, 250, pnl)).toBe(true);
    expect(coversScan(93_749_999n, 250, pnl)).toBe(false); // one micro-USD short
  });
});

describe('epoch', () => {
  const build = () =>
    buildEpoch({
      epochId: 'e-1',
      timeMs: 1_700_000_000_000,
      shape: SHAPE,
      scan: scan(),
      severity: 'auto',
      accounts: ACCOUNTS,
      salts: SALTS,
      hash,
    });

  it('sets each class to the strongest severity every member meets, and commits MM raised to the floor', () => {
    const e = build();
    // scenario: alice, loss 1500 ≤ equity 10000 at 100% → 1000. rate: bob (loss 225, equity 1000) and
    // dave (loss 375, equity 100): 100% and 75% and 50% fail for dave (375, 281.25, 187.5 > 100), 25% holds (93.75).
    // statistical: carol is below her own MM, so she does not lower it → 1000; other: no account → 1000.
    expect(e.statement.severities).toEqual([1000, 1000, 250, 1000]);
    const byKey = new Map(e.records.map((r) => [r.opening.key, r]));
    expect(byKey.get('alice/main')!.opening.mm).toBe(1_500n * M); // max(1500, 1000‰ × 1500)
    expect(byKey.get('bob/main')!.opening.mm).toBe(100n * M); // max(100, 250‰ × 225 = 56.25)
    expect(byKey.get('dave/main')!.opening.mm).toBe(93_750_000n); // max(10, 93.75)
    expect(byKey.get('carol/main')!.reason).toBe('below-maintenance');
    expect(byKey.get('erin/main')!.reason).toBe('negative-equity');
    expect(byKey.get('erin/main')!.opening.equity).toBe(0n); // a liability is never negative
    expect(e.statement.compliant).toBe(3);
    expect(e.statement.notCompliant).toEqual({
      'negative-equity': 1,
      'below-maintenance': 1,
      'below-scan': 0,
    });
    // totals: 10000 + 1000 + 50 + 100 + 0 equity; 1500 + 100 + 60 + 93.75 + 0 MM
    expect(e.statement.root.equity).toBe(11_150n * M);
    expect(e.statement.root.mm).toBe(1_753_750_000n);
    expect(e.statement.root.count).toBe(5n);
  });

  it('orders slots by salted id hash, Poseidon(salt, byte length, 31-byte words)', () => {
    const e = build();
    const word = BigInt('0x' + Buffer.from('alice/main').toString('hex'));
    expect(encodeText('alice/main', 'k')).toEqual([10n, word]);
    expect(accountIdHash('alice/main', 1000n, hash)).toBe(hash([1000n, 10n, word]));
    const ids = e.records.map((r) => accountIdHash(r.opening.key, r.opening.idSalt, hash));
    expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ids);
  });

  it('is deterministic, and every inclusion proof verifies against the root', () => {
    const a = build();
    const b = build();
    expect(b.statement.root).toEqual(a.statement.root);
    for (const r of a.records)
      verifyInclusion(
        { epochId: 'e-1', index: r.index, opening: r.opening, path: r.path },
        a.statement.root,
        hash,
      );
  });

  it('applies given severities and reports who falls short', () => {
    const e = buildEpoch({
      epochId: 'e-2',
      timeMs: 0,
      shape: SHAPE,
      scan: scan(),
      severity: { scenario: 1000, rate: 500 },
      accounts: ACCOUNTS,
      salts: SALTS,
      hash,
    });
    expect(e.statement.severities).toEqual([1000, 0, 500, 0]);
    // dave at 50%: floor 187.5 > equity 100
    expect(e.records.find((r) => r.opening.key === 'dave/main')!.reason).toBe('below-scan');
  });

  it('refuses a holding in a row the arrays do not publish (ERR_SOLVENCY_SHAPE)', () => {
    expect(() =>
      buildEpoch({
        epochId: 'e-3',
        timeMs: 0,
        shape: SHAPE,
        scan: scan(),
        severity: 'auto',
        accounts: [
          {
            key: 'x/main',
            mode: 'cross',
            equityUsd: 1,
            maintenanceUsd: 0,
            holdings: [{ row: 'SOL-PERP', quantity: 1 }],
          },
        ],
        salts: new Map([['x/main', { idSalt: 1n, positionSalt: 2n }]]),
        hash,
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_SOLVENCY_SHAPE' }));
  });

  it('publishes commitments a verifier can check, and the public signals in circuit order', () => {
    const e = build();
    const pub = {
      epochId: 'e-1',
      epochTag: e.statement.epochTag,
      root: e.statement.root,
      arraysHash: e.statement.arraysHash,
      scan: e.scan,
      severities: e.statement.severities,
      shape: SHAPE,
    };
    expect(pub.epochTag).toBe(epochTagOf('e-1', hash));
    checkPublishedEpoch(pub, hash);
    const signals = compliancePublicSignals(pub, 3);
    expect(signals.length).toBe(6 + 4 + 64);
    expect(signals.slice(5, 10)).toEqual(['3', '1000', '1000', '250', '1000']);
    expect(() => checkPublishedEpoch({ ...pub, epochId: 'e-2' }, hash)).toThrow(
      expect.objectContaining({ code: 'ERR_PROOF_INVALID' }),
    );
  });
});
