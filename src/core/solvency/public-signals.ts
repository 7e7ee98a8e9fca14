/**
 * @module solvency/public-signals
 *
 * What a verifier rebuilds from a PUBLISHED epoch, never from a prover's output: the epoch's
 * own consistency (its tag is the hash of its id, its arrays hash is the hash of its arrays, its
 * arrays and severities fit the circuit) and the public signals of a compliance proof, in the
 * circuit's order: epochTag, root hash, total equity, total MM, account count, leaf index,
 * severities (one per class), risk arrays (rows × scenarios, row-major, mod p).
 */
import { RiskError } from '../errors.js';
import { toField, type FieldHash } from './field.js';
import { checkSeverity } from './fixed-point.js';
import { epochTagOf } from './leaf.js';
import { hashScanArrays, paddedRiskArrays, type CircuitShape, type ScanArrays } from './scan-arrays.js';
import type { SumNode } from './sum-tree.js';

/** The public part of an epoch a verifier holds. */
export interface PublishedEpoch {
  readonly epochId: string;
  readonly epochTag: bigint;
  readonly root: SumNode;
  readonly arraysHash: bigint;
  readonly scan: ScanArrays;
  readonly severities: readonly number[];
  readonly shape: CircuitShape;
}

/**
 * Checks a published epoch's own commitments.
 * @throws RiskError ERR_PROOF_INVALID when the tag or the arrays hash does not match;
 *         ERR_SOLVENCY_SHAPE / ERR_SOLVENCY_RANGE when arrays or severities do not fit the circuit
 */
export function checkPublishedEpoch(e: PublishedEpoch, hash: FieldHash): void {
  const invalid = (field: string, expected: bigint) =>
    new RiskError('ERR_PROOF_INVALID', `${field} does not match the published data`, {
      field,
      expected: expected.toString(),
    });
  if (e.severities.length !== e.shape.classes)
    throw new RiskError(
      'ERR_SOLVENCY_SHAPE',
      `severities must have ${e.shape.classes} entries; got ${e.severities.length}`,
      {
        field: 'severities',
        value: e.severities.length,
      },
    );
  e.severities.forEach((s, i) => checkSeverity(`severities[${i}]`, s));
  const tag = epochTagOf(e.epochId, hash);
  if (e.epochTag !== tag) throw invalid('epochTag', tag);
  const arraysHash = hashScanArrays(e.scan, e.shape, hash); // also checks shape and value ranges
  if (e.arraysHash !== arraysHash) throw invalid('arrays.hash', arraysHash);
}

/**
 * The public signals of slot `index` (decimal strings, as snarkjs takes them).
 * @throws RiskError ERR_SOLVENCY_SHAPE / ERR_SOLVENCY_RANGE when the arrays do not fit the circuit
 */
export function compliancePublicSignals(e: PublishedEpoch, index: number): string[] {
  const s = (x: bigint) => toField(x).toString();
  return [
    s(e.epochTag),
    s(e.root.hash),
    s(e.root.equity),
    s(e.root.mm),
    s(e.root.count),
    String(index),
    ...e.severities.map(String),
    ...paddedRiskArrays(e.scan, e.shape).map(s),
  ];
}
