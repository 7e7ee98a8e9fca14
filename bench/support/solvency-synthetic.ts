/**
 * Synthetic accounts for the solvency benchmark: seeded, 3 positions each on the full circuit's
 * 48 rows, equity and MM in [0, 10^6) USD. `commitSlice` commits accounts [from, from + 2^depth)
 * into a subtree: exactly the product's leaf and node hashing (core leafNode, buildSumTree).
 */
import { createPoseidonHash } from '../../src/adapters/prover/poseidon-hash.js';
import { leafNode, type LeafOpening } from '../../src/core/solvency/leaf.js';
import { buildSumTree, type SumNode } from '../../src/core/solvency/sum-tree.js';
import { seededRandom } from './harness.js';

/** What a worker commits. */
export interface CommitSliceInput {
  readonly seed: number;
  readonly from: number;
  readonly count: number;
  /** the subtree's depth: 2^depth ≥ count */
  readonly depth: number;
  readonly rows: number;
  readonly epochTag: string;
}

/** The opening of synthetic account `i` (deterministic in seed and i). */
export function syntheticOpening(seed: number, i: number, rows: number): LeafOpening {
  const rnd = seededRandom(seed ^ Math.imul(i + 1, 0x9e3779b1));
  const quantities = new Array<bigint>(rows).fill(0n);
  for (let k = 0; k < 3; k++) quantities[Math.floor(rnd() * rows)] = BigInt(Math.round((rnd() - 0.5) * 2e7));
  const equity = BigInt(Math.floor(rnd() * 1e12));
  return {
    key: `acct-${String(i).padStart(7, '0')}/main`,
    idSalt: BigInt(Math.floor(rnd() * 2 ** 52)) * 1_000_003n,
    equity,
    mm: equity / 3n,
    riskClass: i % 4,
    quantities,
    positionSalt: BigInt(Math.floor(rnd() * 2 ** 52)),
  };
}

/** Commits a slice and returns its subtree root. */
export async function commitSlice(o: CommitSliceInput): Promise<SumNode> {
  const hash = await createPoseidonHash();
  const tag = BigInt(o.epochTag);
  const leaves: SumNode[] = [];
  for (let i = 0; i < o.count; i++)
    leaves.push(leafNode(syntheticOpening(o.seed, o.from + i, o.rows), tag, hash));
  return buildSumTree(leaves, o.depth, hash).root;
}
