/**
 * @module solvency/inclusion
 *
 * An owner's inclusion proof: the opening of their leaf, its slot and the siblings up to the root.
 * Verifying it recomputes the leaf from the opening (so the owner checks the values they can see:
 * key, equity, MM, class, quantities), the root from the path with every sibling range-checked, and
 * compares with the published root (hash, and the totals when given). What it shows: the owner's
 * account, as they know it, is counted in the published liabilities; that no other account adds a
 * negative amount to them (range checks); not that the venue's assets cover them.
 */
import { RiskError } from '../errors.js';
import type { FieldHash } from './field.js';
import { epochTagOf, leafNode, type LeafOpening } from './leaf.js';
import { rootFromPath, type SumNode } from './sum-tree.js';

/** What an owner receives for one epoch. */
export interface InclusionProof {
  readonly epochId: string;
  readonly index: number;
  readonly opening: LeafOpening;
  /** siblings from the leaf level up */
  readonly path: readonly SumNode[];
}

/** The published root to check against: the hash, and the totals when known. */
export interface PublishedRoot {
  readonly hash: bigint;
  readonly equity?: bigint;
  readonly mm?: bigint;
  readonly count?: bigint;
}

/** Result of a verified inclusion proof. */
export interface InclusionResult {
  readonly leaf: SumNode;
  readonly root: SumNode;
}

/**
 * Verifies an inclusion proof against a published root (module header).
 * @throws RiskError ERR_PROOF_INVALID when the recomputed root differs from the published one;
 *         ERR_SOLVENCY_RANGE when the leaf or a sibling is out of range
 */
export function verifyInclusion(
  proof: InclusionProof,
  published: PublishedRoot,
  hash: FieldHash,
): InclusionResult {
  const leaf = leafNode(proof.opening, epochTagOf(proof.epochId, hash), hash);
  const root = rootFromPath(leaf, proof.index, proof.path, hash);
  const mismatch = (field: string, got: bigint, want: bigint) =>
    new RiskError(
      'ERR_PROOF_INVALID',
      `root ${field} recomputed from the proof is ${got}; the published one is ${want}`,
      {
        field: `root.${field}`,
        value: got.toString(),
        expected: want.toString(),
      },
    );
  if (root.hash !== published.hash) throw mismatch('hash', root.hash, published.hash);
  if (published.equity !== undefined && root.equity !== published.equity)
    throw mismatch('equity', root.equity, published.equity);
  if (published.mm !== undefined && root.mm !== published.mm) throw mismatch('mm', root.mm, published.mm);
  if (published.count !== undefined && root.count !== published.count)
    throw mismatch('count', root.count, published.count);
  return { leaf, root };
}
