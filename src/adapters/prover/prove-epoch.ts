/**
 * Proves an epoch: builds it in the core (salts from the venue's secret), proves every compliant
 * account with the shipped circuit, and returns (or writes) its files:
 *
 *   <dir>/epoch.json, <dir>/proofs.json, <dir>/accounts/<encoded key>.json
 *
 * Salts: HMAC-SHA256(secret, "<epoch id>\n<key>\n<id|positions>") reduced into the field; the
 * secret stays with the venue, each owner receives only their own salts (in their file).
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Groth16Proof } from 'snarkjs';
import {
  buildEpoch,
  type AccountSalts,
  type SeverityChoice,
  type SolvencyEpoch,
} from '../../core/solvency/build-epoch.js';
import { FIELD_PRIME, type FieldHash } from '../../core/solvency/field.js';
import type { CircuitShape } from '../../core/solvency/scan-arrays.js';
import { loadCircuit, type CircuitSize } from './circuit-artifacts.js';
import { complianceInput, proveCompliance } from './compliance-proof.js';
import {
  toAccountDocument,
  toEpochDocument,
  type AccountProofDocument,
  type EpochDocument,
  type ProofsDocument,
} from './epoch-documents.js';
import { createPoseidonHash } from './poseidon-hash.js';
import type { VenueEpochInput } from './venue-epoch.js';

/** Options of {@link proveEpoch}. */
export interface ProveEpochOptions {
  readonly epochId: string;
  /** a label of the venue, published */
  readonly venue: string;
  readonly size: CircuitSize;
  readonly severity: SeverityChoice;
  /** the venue's salt secret (≥ 16 bytes) */
  readonly secret: Uint8Array;
  /** prove on one thread (the benchmark's per-core figure) */
  readonly singleThread?: boolean;
  /** called after each proof */
  readonly onProof?: (done: number, total: number) => void;
}

/** A proven epoch's documents. */
export interface ProvenEpoch {
  readonly epoch: SolvencyEpoch;
  readonly epochDoc: EpochDocument;
  readonly proofsDoc: ProofsDocument;
  readonly accountDocs: readonly AccountProofDocument[];
  /** wall time of each proof, ms */
  readonly proveMs: readonly number[];
}

/** Salts of one account from the venue's secret (module header). */
export function deriveSalts(secret: Uint8Array, epochId: string, key: string): AccountSalts {
  const salt = (purpose: string) =>
    BigInt(`0x${createHmac('sha256', secret).update(`${epochId}\n${key}\n${purpose}`).digest('hex')}`) %
    FIELD_PRIME;
  return { idSalt: salt('id'), positionSalt: salt('positions') };
}

/**
 * Builds (commits) an epoch of a venue's accounts, with salts from the venue's secret.
 * @throws the errors of buildEpoch
 */
export function commitEpoch(
  input: VenueEpochInput,
  o: { readonly epochId: string; readonly severity: SeverityChoice; readonly secret: Uint8Array },
  shape: CircuitShape,
  hash: FieldHash,
): SolvencyEpoch {
  return buildEpoch({
    epochId: o.epochId,
    timeMs: input.timeMs,
    shape,
    scan: input.scan,
    severity: o.severity,
    accounts: input.accounts,
    salts: new Map(input.accounts.map((a) => [a.key, deriveSalts(o.secret, o.epochId, a.key)])),
    hash,
  });
}

/**
 * Builds and proves an epoch.
 * @throws the errors of buildEpoch; XmarginError ERR_DATA_INTEGRITY when the circuit's files
 *         do not match their manifest; RiskError ERR_NOT_COMPLIANT when the circuit refuses an
 *         account the core found compliant (a disagreement between the two: a bug)
 */
export async function proveEpoch(input: VenueEpochInput, o: ProveEpochOptions): Promise<ProvenEpoch> {
  const circuit = loadCircuit(o.size);
  const hash: FieldHash = await createPoseidonHash();
  const epoch = commitEpoch(input, o, circuit.shape, hash);
  const proofs: { index: number; proof: Groth16Proof }[] = [];
  const accountDocs: AccountProofDocument[] = [];
  const proveMs: number[] = [];
  const compliant = epoch.records.filter((r) => r.compliant).length;
  for (const record of epoch.records) {
    let proof: Groth16Proof | null = null;
    if (record.compliant) {
      const t = performance.now();
      proof = (
        await proveCompliance(complianceInput(epoch, record, hash), circuit, {
          singleThread: o.singleThread ?? false,
        })
      ).proof;
      proveMs.push(performance.now() - t);
      proofs.push({ index: record.index, proof });
      o.onProof?.(proofs.length, compliant);
    }
    accountDocs.push(toAccountDocument(o.epochId, record, proof));
  }
  return {
    epoch,
    epochDoc: toEpochDocument(epoch, o.venue, circuit),
    proofsDoc: { format: 'xmargin-solvency-proofs/1', epochId: o.epochId, proofs },
    accountDocs,
    proveMs,
  };
}

/** The file name of an owner's proof. */
export function accountFileName(key: string): string {
  return `${encodeURIComponent(key)}.json`;
}

/** Writes a proven epoch's files under `dir` (created). */
export function writeEpochFiles(dir: string, p: ProvenEpoch): void {
  mkdirSync(join(dir, 'accounts'), { recursive: true });
  writeFileSync(join(dir, 'epoch.json'), JSON.stringify(p.epochDoc) + '\n');
  writeFileSync(join(dir, 'proofs.json'), JSON.stringify(p.proofsDoc) + '\n');
  for (const d of p.accountDocs)
    writeFileSync(join(dir, 'accounts', accountFileName(d.opening.key)), JSON.stringify(d, null, 1) + '\n');
}
