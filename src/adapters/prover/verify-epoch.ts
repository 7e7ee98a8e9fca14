/**
 * Verification of a published epoch and of an owner's proofs, from the files alone:
 *
 * - the epoch: its tag is the hash of its id, its arrays hash is the hash of its arrays, its
 *   circuit's verification key is the shipped one, its arrays and severities fit the circuit;
 * - an owner's inclusion proof: recomputed leaf and root, every sibling range-checked (core);
 * - an owner's compliance proof: Groth16 against the public signals rebuilt from epoch.json;
 * - the aggregate: every proof in proofs.json verifies, for distinct slots, and their number
 *   equals the number of compliant accounts published (so, with the root's count, every account
 *   is accounted for).
 */
import { RiskError } from '../../core/errors.js';
import type { FieldHash } from '../../core/solvency/field.js';
import { verifyInclusion, type InclusionResult, type PublishedRoot } from '../../core/solvency/inclusion.js';
import { checkPublishedEpoch } from '../../core/solvency/public-signals.js';
import { loadCircuit, type CircuitArtifacts } from './circuit-artifacts.js';
import { publicSignalsOf, SLOT_SIGNAL, verifyCompliance } from './compliance-proof.js';
import { prepareEpochVerifier } from './epoch-verifier.js';
import {
  inclusionOf,
  publishedEpochOf,
  rootOf,
  type AccountProofDocument,
  type EpochDocument,
  type ProofsDocument,
} from './epoch-documents.js';

const invalid = (field: string, message: string, details: Record<string, unknown> = {}) =>
  new RiskError('ERR_PROOF_INVALID', `${field} ${message}`, { field, ...details });

/**
 * Checks an epoch document on its own and returns its circuit.
 * @throws RiskError ERR_PROOF_INVALID when its tag, arrays hash or verification key do not match;
 *         ERR_SOLVENCY_SHAPE / ERR_SOLVENCY_RANGE when its arrays do not fit the circuit;
 *         XmarginError ERR_DATA_INTEGRITY when the shipped circuit files are modified
 */
export function checkEpochDocument(doc: EpochDocument, hash: FieldHash): CircuitArtifacts {
  const circuit = loadCircuit(doc.circuit.size);
  if (JSON.stringify(doc.circuit.shape) !== JSON.stringify(circuit.shape))
    throw invalid('circuit.shape', 'differs from the shipped circuit of this size');
  if (doc.circuit.vkeySha256 !== circuit.vkeySha256)
    throw invalid('circuit.vkeySha256', 'is not the shipped verification key', {
      expected: circuit.vkeySha256,
    });
  checkPublishedEpoch(publishedEpochOf(doc), hash);
  return circuit;
}

/** Result of verifying an owner's file. */
export interface AccountVerification {
  readonly inclusion: InclusionResult;
  /** true: proven compliant; false: the proof does not verify; null: no proof (status says why) */
  readonly compliance: boolean | null;
  readonly status: AccountProofDocument['status'];
}

/**
 * Verifies an owner's file against a published epoch.
 * @throws RiskError ERR_PROOF_INVALID when the file is for another epoch or the inclusion fails;
 *         ERR_SOLVENCY_RANGE on an out-of-range leaf or sibling
 */
export async function verifyAccountDocument(
  account: AccountProofDocument,
  epoch: EpochDocument,
  hash: FieldHash,
): Promise<AccountVerification> {
  const circuit = checkEpochDocument(epoch, hash);
  if (account.epochId !== epoch.epochId)
    throw invalid('epochId', `is ${account.epochId}; the epoch is ${epoch.epochId}`, {
      value: account.epochId,
    });
  const root = rootOf(epoch);
  const inclusion = verifyInclusion(inclusionOf(account), root, hash);
  const compliance =
    account.compliance === null
      ? null
      : await verifyCompliance(epoch, account.index, account.compliance, circuit);
  return { inclusion, compliance, status: account.status };
}

/**
 * Verifies an inclusion proof against a root given alone (`xmargin verify inclusion --root R`).
 * @throws RiskError ERR_PROOF_INVALID / ERR_SOLVENCY_RANGE (core verifyInclusion)
 */
export function verifyAccountInclusion(
  account: AccountProofDocument,
  root: PublishedRoot,
  hash: FieldHash,
): InclusionResult {
  return verifyInclusion(inclusionOf(account), root, hash);
}

/** Result of the aggregate check. */
export interface AggregateVerification {
  readonly accounts: number;
  readonly proven: number;
  readonly failed: readonly number[];
  /** every account of the root has a verifying proof */
  readonly complete: boolean;
}

/**
 * Verifies every compliance proof of an epoch (the aggregate).
 * @throws RiskError ERR_PROOF_INVALID when the proofs are for another epoch, repeat a slot or name
 *         a slot outside the tree, or their number differs from the published compliant count
 */
export async function verifyAggregate(
  epoch: EpochDocument,
  proofs: ProofsDocument,
  hash: FieldHash,
  onProgress?: (done: number, total: number) => void,
): Promise<AggregateVerification> {
  const circuit = checkEpochDocument(epoch, hash);
  if (proofs.epochId !== epoch.epochId)
    throw invalid('proofs.epochId', `is ${proofs.epochId}; the epoch is ${epoch.epochId}`);
  const count = Number(rootOf(epoch).count);
  const seen = new Set<number>();
  for (const p of proofs.proofs) {
    if (seen.has(p.index)) throw invalid('proofs', `repeat slot ${p.index}`);
    if (!(p.index < count)) throw invalid('proofs', `name slot ${p.index} outside the ${count} accounts`);
    seen.add(p.index);
  }
  if (proofs.proofs.length !== epoch.compliant)
    throw invalid(
      'proofs',
      `hold ${proofs.proofs.length} proofs; the epoch publishes ${epoch.compliant} compliant accounts`,
    );
  const failed: number[] = [];
  let done = 0;
  // vk_x's epoch part once, then one scalar multiplication and a pairing check per proof.
  const verify = await prepareEpochVerifier(circuit.vkey, publicSignalsOf(epoch, 0), SLOT_SIGNAL);
  for (const p of proofs.proofs) {
    if (!(await verify(p.index, p.proof))) failed.push(p.index);
    onProgress?.(++done, proofs.proofs.length);
  }
  const proven = proofs.proofs.length - failed.length;
  return { accounts: count, proven, failed, complete: failed.length === 0 && proven === count };
}
