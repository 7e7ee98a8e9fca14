/**
 * @module solvency/sum-tree
 *
 * A Merkle sum tree (Maxwell's summation tree with both child sums in every hash, the fix of Hu,
 * Zhang and Guo 2019): each node carries the sums of equity, maintenance margin (MM) and account
 * count below it, and its hash commits to its two children's hashes AND sums:
 *
 *   node.hash = Poseidon(left.hash, pack(left), right.hash, pack(right))
 *   node.{equity, mm, count} = left + right,  pack = equity + mm·2^88 + count·2^176
 *
 * A tree has 2^depth leaf slots; slots past the last account are empty nodes (hash 0, sums 0), so
 * a tree of a few accounts costs a few hashes per level. Range checks are part of the tree: a leaf
 * holds 0 ≤ equity, MM < 2^56 and count 1; a node at level l (2^l slots) holds sums < 2^(56+l) and
 * count ≤ 2^l, and a verifier refuses any sibling outside those bounds, so no negative balance can
 * hide inside a sum and no sum can wrap the field.
 *
 * Pure and deterministic: the hash is an argument.
 */
import { InvalidInputError, RiskError } from '../errors.js';
import { type FieldHash } from './field.js';
import { checkValue, packSums, SOLVENCY_FIXED_POINT } from './fixed-point.js';

/** A node of the tree (a leaf is a node with count 1). Values in micro-USD. */
export interface SumNode {
  readonly hash: bigint;
  readonly equity: bigint;
  readonly mm: bigint;
  readonly count: bigint;
}

/** A built tree: the non-empty prefix of every level, leaves first. */
export interface SumTree {
  readonly depth: number;
  /** levels[0] = leaves, levels[depth] = [root] */
  readonly levels: readonly (readonly SumNode[])[];
  /** the empty node of each level */
  readonly empty: readonly SumNode[];
  readonly root: SumNode;
}

/** One step of an inclusion path: the sibling at that level (leaf level first). */
export type SumPath = readonly SumNode[];

/** The hash of a parent from its two children (the circuit's node). */
export function hashSumNode(left: SumNode, right: SumNode, hash: FieldHash): SumNode {
  return {
    hash: hash([
      left.hash,
      packSums(left.equity, left.mm, left.count),
      right.hash,
      packSums(right.equity, right.mm, right.count),
    ]),
    equity: left.equity + right.equity,
    mm: left.mm + right.mm,
    count: left.count + right.count,
  };
}

/**
 * The range rule of a node at `level`: 0 ≤ equity, mm < 2^(56+level), 0 ≤ count ≤ 2^level.
 * @throws RiskError ERR_SOLVENCY_RANGE naming `field` when it is broken
 */
export function checkSumNode(node: SumNode, level: number, field: string): void {
  const bits = SOLVENCY_FIXED_POINT.valueBits + level;
  checkValue(`${field}.equity`, node.equity, bits);
  checkValue(`${field}.mm`, node.mm, bits);
  if (!(node.count >= 0n && node.count <= 1n << BigInt(level)))
    throw new RiskError(
      'ERR_SOLVENCY_RANGE',
      `${field}.count must be in [0, 2^${level}]; got ${node.count}`,
      {
        field: `${field}.count`,
        value: node.count.toString(),
        rule: `in [0, 2^${level}]`,
      },
    );
}

/** The empty node of every level 0..depth. */
export function emptyNodes(depth: number, hash: FieldHash): SumNode[] {
  const out: SumNode[] = [{ hash: 0n, equity: 0n, mm: 0n, count: 0n }];
  for (let l = 0; l < depth; l++) out.push(hashSumNode(out[l]!, out[l]!, hash));
  return out;
}

/**
 * Builds the tree over `leaves` in slot order.
 *
 * @param leaves  leaf nodes (count 1, values range-checked here)
 * @param depth   levels above the leaves; 2^depth ≥ leaves.length, 1 ≤ depth ≤ 32
 * @throws InvalidInputError ERR_INVALID_INPUT on a bad depth; RiskError ERR_SOLVENCY_SHAPE when
 *         the leaves do not fit; ERR_SOLVENCY_RANGE on a leaf out of range
 */
export function buildSumTree(leaves: readonly SumNode[], depth: number, hash: FieldHash): SumTree {
  if (!(Number.isInteger(depth) && depth >= 1 && depth <= 32))
    throw new InvalidInputError('depth', depth, 'must be an integer in [1, 32]');
  if (!(leaves.length <= 2 ** depth))
    throw new RiskError('ERR_SOLVENCY_SHAPE', `accounts must be at most 2^${depth}; got ${leaves.length}`, {
      field: 'accounts',
      value: leaves.length,
      rule: `<= 2^${depth}`,
    });
  leaves.forEach((leaf, i) => {
    checkSumNode(leaf, 0, `leaves[${i}]`);
    if (leaf.count !== 1n)
      throw new RiskError('ERR_SOLVENCY_RANGE', `leaves[${i}].count must be 1; got ${leaf.count}`, {
        field: `leaves[${i}].count`,
        value: leaf.count.toString(),
        rule: 'must be 1',
      });
  });
  const empty = emptyNodes(depth, hash);
  const levels: SumNode[][] = [leaves.slice()];
  for (let l = 0; l < depth; l++) {
    const below = levels[l]!;
    const up: SumNode[] = [];
    for (let i = 0; i < below.length; i += 2)
      up.push(hashSumNode(below[i]!, below[i + 1] ?? empty[l]!, hash));
    levels.push(up);
  }
  const root = levels[depth]![0] ?? empty[depth]!;
  return { depth, levels, empty, root };
}

/**
 * The siblings of leaf `index` from the leaf level up.
 * @throws InvalidInputError ERR_INVALID_INPUT when the index is not a leaf of the tree
 */
export function sumTreePath(tree: SumTree, index: number): SumNode[] {
  if (!(Number.isInteger(index) && index >= 0 && index < tree.levels[0]!.length))
    throw new InvalidInputError('index', index, `must be a leaf index in [0, ${tree.levels[0]!.length})`);
  const path: SumNode[] = [];
  let i = index;
  for (let l = 0; l < tree.depth; l++) {
    path.push(tree.levels[l]![i ^ 1] ?? tree.empty[l]!);
    i >>= 1;
  }
  return path;
}

/**
 * Recomputes the root from a leaf, its index and its path, checking every sibling's range on the
 * way (the verifier's half of the range checks).
 *
 * @returns the recomputed root
 * @throws RiskError ERR_SOLVENCY_RANGE when the leaf or a sibling is out of range;
 *         InvalidInputError ERR_INVALID_INPUT when the index does not fit the path's depth
 */
export function rootFromPath(leaf: SumNode, index: number, path: SumPath, hash: FieldHash): SumNode {
  const depth = path.length;
  if (!(Number.isInteger(index) && index >= 0 && index < 2 ** depth))
    throw new InvalidInputError('index', index, `must be an integer in [0, 2^${depth})`);
  checkSumNode(leaf, 0, 'leaf');
  if (leaf.count !== 1n) throw new InvalidInputError('leaf.count', leaf.count, 'must be 1');
  let node = leaf;
  let i = index;
  path.forEach((sibling, l) => {
    checkSumNode(sibling, l, `path[${l}]`);
    node = i % 2 === 0 ? hashSumNode(node, sibling, hash) : hashSumNode(sibling, node, hash);
    i = Math.floor(i / 2);
  });
  return node;
}

/** True when two nodes are equal in hash and sums. */
export function sameSumNode(a: SumNode, b: SumNode): boolean {
  return a.hash === b.hash && a.equity === b.equity && a.mm === b.mm && a.count === b.count;
}
