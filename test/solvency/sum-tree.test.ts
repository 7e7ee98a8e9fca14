/**
 * The Merkle sum tree (src/core/solvency/sum-tree.ts) with the real Poseidon: sums are the sums of
 * the leaves (the math), each node's hash is the formula written out here, every leaf's path
 * leads back to the root, and the range checks refuse negative balances and sums that would wrap
 * the field. Expected values come from the definitions, never from the code under test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FIELD_PRIME, type FieldHash } from '../../src/core/solvency/field.js';
import { buildSumTree, rootFromPath, sumTreePath, type SumNode } from '../../src/core/solvency/sum-tree.js';
import { createPoseidonHash } from '../../src/adapters/prover/poseidon-hash.js';

let hash: FieldHash;
beforeAll(async () => {
  hash = await createPoseidonHash();
}, 60_000);

const leaf = (h: bigint, equity: bigint, mm: bigint): SumNode => ({ hash: h, equity, mm, count: 1n });
const pack = (n: SumNode) => n.equity + (n.mm << 88n) + (n.count << 176n);

describe('Poseidon', () => {
  it('is the circomlib Poseidon (published vector: Poseidon(1, 2))', () => {
    // Test vector of the Poseidon reference implementation for t = 3 over BN254, as published in
    // circomlib's and circomlibjs's test suites.
    expect(hash([1n, 2n])).toBe(
      7853200120776062878684798364095072458815029376092732009249414926327459813530n,
    );
  });
});

describe('sum tree', () => {
  it('hashes each node as Poseidon(left hash, left sums, right hash, right sums) and sums the children', () => {
    const a = leaf(11n, 5_000_000n, 1_000_000n);
    const b = leaf(22n, 7_000_000n, 3_000_000n);
    const c = leaf(33n, 1n, 0n);
    const tree = buildSumTree([a, b, c], 2, hash);
    const empty: SumNode = { hash: 0n, equity: 0n, mm: 0n, count: 0n };
    const ab = {
      hash: hash([a.hash, pack(a), b.hash, pack(b)]),
      equity: a.equity + b.equity,
      mm: a.mm + b.mm,
      count: 2n,
    };
    const c0 = { hash: hash([c.hash, pack(c), 0n, 0n]), equity: c.equity, mm: c.mm, count: 1n };
    expect(pack(empty)).toBe(0n);
    expect(tree.root).toEqual({
      hash: hash([ab.hash, pack(ab), c0.hash, pack(c0)]),
      equity: 12_000_001n,
      mm: 4_000_000n,
      count: 3n,
    });
  });

  it('totals are the sums of the leaves, and every path leads back to the root', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.bigInt({ min: 0n, max: (1n << 56n) - 1n }),
            fc.bigInt({ min: 0n, max: (1n << 56n) - 1n }),
          ),
          {
            minLength: 1,
            maxLength: 9,
          },
        ),
        (values) => {
          const leaves = values.map(([e, m], i) => leaf(BigInt(i + 1) * 1_000_003n, e, m));
          const tree = buildSumTree(leaves, 4, hash);
          expect(tree.root.equity).toBe(values.reduce((s, [e]) => s + e, 0n));
          expect(tree.root.mm).toBe(values.reduce((s, [, m]) => s + m, 0n));
          expect(tree.root.count).toBe(BigInt(values.length));
          leaves.forEach((l, i) => expect(rootFromPath(l, i, sumTreePath(tree, i), hash)).toEqual(tree.root));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('refuses a leaf with a negative balance (ERR_SOLVENCY_RANGE)', () => {
    expect(() => buildSumTree([leaf(1n, -1n, 0n)], 2, hash)).toThrow(
      expect.objectContaining({ code: 'ERR_SOLVENCY_RANGE' }),
    );
    expect(() => buildSumTree([leaf(1n, 5n, -1n)], 2, hash)).toThrow(
      expect.objectContaining({ code: 'ERR_SOLVENCY_RANGE' }),
    );
  });

  it('refuses a leaf at 2^56 micro-USD and a count other than 1', () => {
    expect(() => buildSumTree([leaf(1n, 1n << 56n, 0n)], 2, hash)).toThrow(
      expect.objectContaining({ code: 'ERR_SOLVENCY_RANGE' }),
    );
    expect(() => buildSumTree([{ hash: 1n, equity: 1n, mm: 0n, count: 2n }], 2, hash)).toThrow(
      expect.objectContaining({ code: 'ERR_SOLVENCY_RANGE' }),
    );
  });

  it('refuses more leaves than the depth holds (ERR_SOLVENCY_SHAPE)', () => {
    const leaves = Array.from({ length: 5 }, (_, i) => leaf(BigInt(i + 1), 1n, 0n));
    expect(() => buildSumTree(leaves, 2, hash)).toThrow(
      expect.objectContaining({ code: 'ERR_SOLVENCY_SHAPE' }),
    );
  });

  it('a verifier refuses a sibling hiding a negative account inside its sum', () => {
    // An operator's forged path: the sibling subtree holds +X and −(X + 1), i.e. sums to −1.
    const me = leaf(7n, 1_000_000n, 0n);
    const forged: SumNode = { hash: 99n, equity: -1n, mm: 0n, count: 1n };
    expect(() => rootFromPath(me, 0, [forged, { hash: 0n, equity: 0n, mm: 0n, count: 0n }], hash)).toThrow(
      expect.objectContaining({ code: 'ERR_SOLVENCY_RANGE' }),
    );
  });

  it('a verifier refuses a sibling sum that would wrap the field', () => {
    // p − 1 000 000 added to my 1 000 000 is 0 mod p: the total would hide my balance.
    const me = leaf(7n, 1_000_000n, 0n);
    const wrap: SumNode = { hash: 99n, equity: FIELD_PRIME - 1_000_000n, mm: 0n, count: 1n };
    expect(() => rootFromPath(me, 1, [wrap], hash)).toThrow(
      expect.objectContaining({ code: 'ERR_SOLVENCY_RANGE' }),
    );
    // and at level l a subtree of 2^l leaves may not exceed 2^(56+l)
    const big: SumNode = { hash: 99n, equity: 1n << 57n, mm: 0n, count: 1n };
    expect(() => rootFromPath(me, 0, [{ hash: 0n, equity: 0n, mm: 0n, count: 0n }, big], hash)).toThrow(
      expect.objectContaining({ code: 'ERR_SOLVENCY_RANGE' }),
    );
  });
});
