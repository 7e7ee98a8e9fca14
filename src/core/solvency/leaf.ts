/**
 * @module solvency/leaf
 *
 * What one leaf of an epoch's tree commits to, as the circuit hashes it:
 *
 *   idHash      = Poseidon(idSalt, encodeText(account key))          (salted: hides the key)
 *   positions   = Poseidon(word_0, …, word_{W−1}, positionSalt),  word_k = Σ_j (q[5k+j] + 2^49)·2^(50j)
 *   leaf.hash   = Poseidon(epochTag, idHash, equity, MM, class, positions)
 *   leaf sums   = (equity, MM, 1)
 *
 * The epoch tag makes every leaf, and so the root, specific to one epoch. Quantities are padded
 * with zeros to the circuit's rows. Salts are arguments (never drawn here).
 */
import { encodeText, type FieldHash } from './field.js';
import { checkQuantity, checkValue, SOLVENCY_FIXED_POINT } from './fixed-point.js';
import type { SumNode } from './sum-tree.js';
import { InvalidInputError } from '../errors.js';

/** Everything a leaf opens to (what its owner receives and checks). */
export interface LeafOpening {
  /** the sub-account key, e.g. `trader-0001/main` */
  readonly key: string;
  readonly idSalt: bigint;
  /** micro-USD */
  readonly equity: bigint;
  /** micro-USD */
  readonly mm: bigint;
  /** index into RISK_CLASSES */
  readonly riskClass: number;
  /** micro-units per row of the circuit (padded) */
  readonly quantities: readonly bigint[];
  readonly positionSalt: bigint;
}

/** The epoch tag: Poseidon of the epoch id's text. */
export function epochTagOf(epochId: string, hash: FieldHash): bigint {
  return hash(encodeText(`xmargin-epoch:${epochId}`, 'epochId'));
}

/** The salted hash of an account key. */
export function accountIdHash(key: string, idSalt: bigint, hash: FieldHash): bigint {
  return hash([idSalt, ...encodeText(key, 'key')]);
}

/**
 * The commitment to the quantities.
 * @throws RiskError ERR_SOLVENCY_RANGE when a quantity is out of range
 */
export function positionCommitment(
  quantities: readonly bigint[],
  positionSalt: bigint,
  hash: FieldHash,
): bigint {
  const per = SOLVENCY_FIXED_POINT.quantitiesPerWord;
  const bits = BigInt(SOLVENCY_FIXED_POINT.quantityBits);
  const offset = 1n << (bits - 1n);
  const words = new Array<bigint>(Math.ceil(quantities.length / per)).fill(0n);
  quantities.forEach((q, r) => {
    checkQuantity(`quantities[${r}]`, q);
    words[Math.floor(r / per)] = words[Math.floor(r / per)]! + ((q + offset) << (bits * BigInt(r % per)));
  });
  if (words.length + 1 > 16)
    throw new InvalidInputError('quantities', quantities.length, 'must be at most 75 rows');
  return hash([...words, positionSalt]);
}

/**
 * The leaf node of an opening in epoch `epochTag`.
 * @throws RiskError ERR_SOLVENCY_RANGE when equity, MM or a quantity is out of range
 */
export function leafNode(opening: LeafOpening, epochTag: bigint, hash: FieldHash): SumNode {
  checkValue('equity', opening.equity);
  checkValue('mm', opening.mm);
  // equity < MM is not a range error: such a leaf is committed (its liability counts) but it
  // has no compliance proof.
  const leafHash = hash([
    epochTag,
    accountIdHash(opening.key, opening.idSalt, hash),
    opening.equity,
    opening.mm,
    BigInt(opening.riskClass),
    positionCommitment(opening.quantities, opening.positionSalt, hash),
  ]);
  return { hash: leafHash, equity: opening.equity, mm: opening.mm, count: 1n };
}
