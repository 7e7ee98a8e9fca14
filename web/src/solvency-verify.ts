/**
 * @module solvency-verify
 * "Verify my account" in the browser (docs/methodology/solvency-proofs.md#verify): the same pure
 * checks as `xmargin verify account`, run here on what the venue published, with nothing trusted
 * but the shipped verification key (its sha256 is compared with the epoch's and shown):
 *
 * 1. the verification key's sha256 is the one the epoch names;
 * 2. the epoch's tag and risk-array hash match its id and arrays (core checkPublishedEpoch);
 * 3. the owner's leaf, recomputed from its opening, is under the published root, every sibling
 *    range-checked (core verifyInclusion);
 * 4. the Groth16 compliance proof verifies against public signals rebuilt from the epoch (snarkjs's
 *    browser build).
 *
 * Loaded on demand (Poseidon, snarkjs and the schemas are a separate chunk).
 */
import { buildPoseidon } from 'circomlibjs';
import * as snarkjs from 'snarkjs';
import { verifyInclusion } from '../../src/core/solvency/inclusion.js';
import { checkPublishedEpoch, compliancePublicSignals } from '../../src/core/solvency/public-signals.js';
import {
  AccountProofDocumentSchema,
  EpochDocumentSchema,
  inclusionOf,
  parseDocument,
  publishedEpochOf,
} from '../../src/adapters/prover/epoch-documents.js';

/** One step of the verification, as shown. */
export interface VerifyStep {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Runs the four checks; stops at the first failure.
 *
 * @param epochJson   GET /solvency/epochs/:id
 * @param accountJson GET /solvency/epochs/:id/accounts/:a/:s
 * @param vkeyBytes   GET /solvency/circuits/:size/vkey, the exact bytes
 */
export async function verifyAccountInBrowser(
  epochJson: unknown,
  accountJson: unknown,
  vkeyBytes: Uint8Array,
): Promise<VerifyStep[]> {
  const steps: VerifyStep[] = [];
  const epoch = parseDocument(EpochDocumentSchema, epochJson, 'epoch');
  const account = parseDocument(AccountProofDocumentSchema, accountJson, 'account proof');
  const sha = await sha256Hex(vkeyBytes);
  steps.push({
    name: 'verification key',
    ok: sha === epoch.circuit.vkeySha256,
    detail: `sha256 ${sha}`,
  });
  if (!steps[0]!.ok) return steps;
  const poseidon = await buildPoseidon();
  const hash = (xs: readonly bigint[]) => poseidon.F.toObject(poseidon(xs));
  const published = publishedEpochOf(epoch);
  try {
    checkPublishedEpoch(published, hash);
    steps.push({ name: 'epoch', ok: true, detail: `tag and risk-array hash match epoch ${epoch.epochId}` });
  } catch (e) {
    steps.push({ name: 'epoch', ok: false, detail: message(e) });
    return steps;
  }
  try {
    if (account.epochId !== epoch.epochId) throw new Error(`the proof is for epoch ${account.epochId}`);
    verifyInclusion(inclusionOf(account), published.root, hash);
    steps.push({
      name: 'inclusion',
      ok: true,
      detail: `slot ${account.index} is under root ${epoch.root.hash.slice(0, 16)}…`,
    });
  } catch (e) {
    steps.push({ name: 'inclusion', ok: false, detail: message(e) });
    return steps;
  }
  if (account.compliance === null) {
    steps.push({
      name: 'compliance',
      ok: false,
      detail: `no compliance proof: the account is ${account.status}`,
    });
    return steps;
  }
  const vkey = JSON.parse(new TextDecoder().decode(vkeyBytes)) as snarkjs.VerificationKey;
  const ok = await snarkjs.groth16.verify(
    vkey,
    compliancePublicSignals(published, account.index),
    account.compliance,
  );
  steps.push({
    name: 'compliance',
    ok,
    detail: ok
      ? `Groth16 proof verified: equity ≥ maintenance, which covers ${epoch.severities[account.opening.riskClass]! / 10}% of the loss in each of ${epoch.arrays.columns.length} scenarios`
      : 'the Groth16 proof does not verify against this epoch',
  });
  return steps;
}
