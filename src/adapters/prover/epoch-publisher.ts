/**
 * The service's solvency epochs: committing an epoch is fast (the tree), proving every account
 * takes about a second or two each, so proofs are made in the background, in slot order, and an
 * owner asking for their proof before its turn gets it proven at once. Epochs live in memory (the
 * published files are the durable record: `xmargin prove --out`); the oldest are dropped past
 * `maxEpochs`.
 */
import type { Groth16Proof } from 'snarkjs';
import { InvalidInputError } from '../../core/errors.js';
import type { SeverityChoice, SolvencyEpoch } from '../../core/solvency/build-epoch.js';
import type { FieldHash } from '../../core/solvency/field.js';
import { loadCircuit, type CircuitArtifacts, type CircuitSize } from './circuit-artifacts.js';
import { complianceInput, proveCompliance, releaseProverThreads } from './compliance-proof.js';
import {
  toAccountDocument,
  toEpochDocument,
  type AccountProofDocument,
  type EpochDocument,
  type ProofsDocument,
} from './epoch-documents.js';
import { createPoseidonHash } from './poseidon-hash.js';
import { commitEpoch } from './prove-epoch.js';
import type { VenueEpochInput } from './venue-epoch.js';

interface Published {
  readonly epoch: SolvencyEpoch;
  readonly doc: EpochDocument;
  readonly circuit: CircuitArtifacts;
  readonly proofs: Map<number, Promise<Groth16Proof>>;
  readonly done: Map<number, Groth16Proof>;
}

/** Options of a commit. */
export interface CommitOptions {
  readonly epochId: string;
  readonly venue: string;
  readonly size: CircuitSize;
  readonly severity: SeverityChoice;
}

/** Summary of an epoch in the list. */
export interface EpochSummary {
  readonly epochId: string;
  readonly timeMs: number;
  readonly rootHash: string;
  readonly accounts: number;
  readonly compliant: number;
  /** compliance proofs made so far */
  readonly proven: number;
}

/** Holds the service's epochs and proves their accounts. */
export class EpochPublisher {
  readonly #epochs = new Map<string, Published>();
  readonly #secret: Uint8Array;
  readonly #maxEpochs: number;
  #hash: FieldHash | undefined;
  #closed = false;

  constructor(secret: Uint8Array, maxEpochs = 8) {
    this.#secret = secret;
    this.#maxEpochs = maxEpochs;
  }

  /**
   * Commits an epoch of `input` and starts proving its accounts in the background.
   * @throws InvalidInputError ERR_INVALID_INPUT when the epoch id is taken; the errors of buildEpoch
   */
  async commit(input: VenueEpochInput, o: CommitOptions): Promise<EpochDocument> {
    if (this.#epochs.has(o.epochId))
      throw new InvalidInputError('epochId', o.epochId, 'must not name an existing epoch');
    const hash = (this.#hash ??= await createPoseidonHash());
    const circuit = loadCircuit(o.size);
    const epoch = commitEpoch(input, { ...o, secret: this.#secret }, circuit.shape, hash);
    const p: Published = {
      epoch,
      doc: toEpochDocument(epoch, o.venue, circuit),
      circuit,
      proofs: new Map(),
      done: new Map(),
    };
    this.#epochs.set(o.epochId, p);
    while (this.#epochs.size > this.#maxEpochs) this.#epochs.delete(this.#epochs.keys().next().value!);
    void this.#proveAll(p);
    return p.doc;
  }

  /** The epochs, oldest first. */
  list(): EpochSummary[] {
    return [...this.#epochs.values()].map((p) => ({
      epochId: p.doc.epochId,
      timeMs: p.doc.timeMs,
      rootHash: p.doc.root.hash,
      accounts: p.doc.accounts,
      compliant: p.doc.compliant,
      proven: p.done.size,
    }));
  }

  /** The public document of an epoch, or undefined. */
  epoch(epochId: string): EpochDocument | undefined {
    return this.#epochs.get(epochId)?.doc;
  }

  /** The compliance proofs made so far, and whether they are all there. */
  proofs(epochId: string): (ProofsDocument & { complete: boolean }) | undefined {
    const p = this.#epochs.get(epochId);
    if (!p) return undefined;
    const proofs = [...p.done].sort((a, b) => a[0] - b[0]).map(([index, proof]) => ({ index, proof }));
    return {
      format: 'xmargin-solvency-proofs/1',
      epochId,
      proofs,
      complete: proofs.length === p.doc.compliant,
    };
  }

  /**
   * An owner's file, proving their account now if its proof is not made yet.
   * @returns undefined when the epoch or the account is unknown
   */
  async account(epochId: string, key: string): Promise<AccountProofDocument | undefined> {
    const p = this.#epochs.get(epochId);
    const record = p?.epoch.records.find((r) => r.opening.key === key);
    if (!p || !record) return undefined;
    const proof = record.compliant ? await this.#proof(p, record.index) : null;
    return toAccountDocument(epochId, record, proof);
  }

  /** Stops background proving and, once proofs under way finish, the prover's threads. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#epochs.values()) await Promise.allSettled(p.proofs.values());
    await releaseProverThreads();
  }

  #proof(p: Published, index: number): Promise<Groth16Proof> {
    let pr = p.proofs.get(index);
    if (!pr) {
      const record = p.epoch.records[index]!;
      pr = proveCompliance(complianceInput(p.epoch, record, this.#hash!), p.circuit).then((r) => {
        p.done.set(index, r.proof);
        return r.proof;
      });
      p.proofs.set(index, pr);
    }
    return pr;
  }

  async #proveAll(p: Published): Promise<void> {
    for (const record of p.epoch.records) {
      if (this.#closed || !this.#epochs.has(p.doc.epochId)) return;
      if (!record.compliant) continue;
      // Errors are kept in the promise; the owner's request reports them.
      await this.#proof(p, record.index).catch(() => undefined);
    }
  }
}
