/**
 * The service's solvency epochs: committing an epoch is fast (the tree), proving every account
 * takes a few seconds each, so proofs are made in the background, in slot order, and an owner
 * asking for their proof before its turn gets it proven at once.
 *
 * Durability (the service's rule: nothing acknowledged is lost, a restart rebuilds the same
 * state): an epoch is written to the store — document, every account's leaf and opening — BEFORE
 * the commit is acknowledged, and each compliance proof is written before anyone is given it.
 * After a restart the stored epochs are listed again, an epoch's tree is rebuilt from its stored
 * leaves when first needed (checked against the published root), and the proofs not made yet are
 * made in the background. At most `maxLoaded` epochs are held in memory at once (the least
 * recently used is let go and reloaded on demand); every epoch stays in the store.
 */
import type { Groth16Proof } from 'snarkjs';
import { InvalidInputError, XmarginError } from '../../core/errors.js';
import type { SeverityChoice, SolvencyEpoch } from '../../core/solvency/build-epoch.js';
import type { FieldHash } from '../../core/solvency/field.js';
import { epochTagOf, leafNode } from '../../core/solvency/leaf.js';
import { sameSumNode } from '../../core/solvency/sum-tree.js';
import type { Store } from '../store/store.js';
import { loadCircuit, type CircuitArtifacts, type CircuitSize } from './circuit-artifacts.js';
import { complianceInput, proveCompliance, releaseProverThreads } from './compliance-proof.js';
import {
  toAccountDocument,
  toEpochDocument,
  type AccountProofDocument,
  type EpochDocument,
  type ProofsDocument,
} from './epoch-documents.js';
import { restoreEpoch, storedEpochDocument, toStoredEpoch } from './epoch-records.js';
import { createPoseidonHash } from './poseidon-hash.js';
import { commitEpoch } from './prove-epoch.js';
import type { VenueEpochInput } from './venue-epoch.js';

/** The part of the store the publisher uses. */
export type EpochArchive = Pick<
  Store,
  | 'saveSolvencyEpoch'
  | 'saveSolvencyProof'
  | 'listSolvencyEpochs'
  | 'loadSolvencyAccounts'
  | 'loadSolvencyProofs'
>;

/** An epoch held in memory: its tree and accounts, its proofs. */
interface Loaded {
  readonly epoch: SolvencyEpoch;
  readonly circuit: CircuitArtifacts;
  readonly proofs: Map<number, Promise<Groth16Proof>>;
  readonly done: Map<number, Groth16Proof>;
}

/** Every epoch, loaded or not. */
interface Entry {
  readonly doc: EpochDocument;
  proven: number;
  loaded?: Promise<Loaded>;
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

/** Holds the service's epochs (in its store) and proves their accounts. */
export class EpochPublisher {
  readonly #archive: EpochArchive;
  readonly #entries = new Map<string, Entry>();
  /** epoch ids being committed (refused to a second commit at once) */
  readonly #committing = new Set<string>();
  /** loaded epochs, least recently used first */
  readonly #recent: string[] = [];
  readonly #secret: Uint8Array;
  readonly #maxLoaded: number;
  readonly #running = new Set<Promise<unknown>>();
  #opened: Promise<void> | undefined;
  #hash: FieldHash | undefined;
  #closed = false;

  constructor(archive: EpochArchive, secret: Uint8Array, maxLoaded = 8) {
    this.#archive = archive;
    this.#secret = secret;
    this.#maxLoaded = maxLoaded;
  }

  /**
   * Lists the stored epochs and resumes proving those not finished (once; every method awaits it).
   * @throws ValidationError ERR_VALIDATION when a stored document is malformed
   */
  open(): Promise<void> {
    this.#opened ??= (async () => {
      for (const h of await this.#archive.listSolvencyEpochs())
        this.#entries.set(h.epochId, { doc: storedEpochDocument(h.document), proven: h.proofs });
      for (const [id, e] of this.#entries)
        if (e.proven < e.doc.compliant) this.#track(this.#load(id, e).then((l) => this.#proveAll(id, l)));
    })();
    return this.#opened;
  }

  /**
   * Commits an epoch of `input`, writes it to the store, then starts proving its accounts in the
   * background; resolves once the epoch is stored.
   * @throws InvalidInputError ERR_INVALID_INPUT when the epoch id is taken; the errors of buildEpoch
   *         and of the store
   */
  async commit(input: VenueEpochInput, o: CommitOptions): Promise<EpochDocument> {
    await this.open();
    if (this.#entries.has(o.epochId) || this.#committing.has(o.epochId))
      throw new InvalidInputError('epochId', o.epochId, 'must not name an existing epoch');
    this.#committing.add(o.epochId);
    try {
      const circuit = loadCircuit(o.size);
      const epoch = commitEpoch(input, { ...o, secret: this.#secret }, circuit.shape, await this.#poseidon());
      const doc = toEpochDocument(epoch, o.venue, circuit);
      await this.#archive.saveSolvencyEpoch(toStoredEpoch(epoch, doc));
      const entry: Entry = { doc, proven: 0 };
      const loaded: Loaded = { epoch, circuit, proofs: new Map(), done: new Map() };
      entry.loaded = Promise.resolve(loaded);
      this.#entries.set(o.epochId, entry);
      this.#touch(o.epochId);
      this.#track(this.#proveAll(o.epochId, loaded));
      return doc;
    } finally {
      this.#committing.delete(o.epochId);
    }
  }

  /** The epochs, oldest first. */
  async list(): Promise<EpochSummary[]> {
    await this.open();
    return [...this.#entries.values()].map((e) => ({
      epochId: e.doc.epochId,
      timeMs: e.doc.timeMs,
      rootHash: e.doc.root.hash,
      accounts: e.doc.accounts,
      compliant: e.doc.compliant,
      proven: e.proven,
    }));
  }

  /** The public document of an epoch, or undefined. */
  async epoch(epochId: string): Promise<EpochDocument | undefined> {
    await this.open();
    return this.#entries.get(epochId)?.doc;
  }

  /** The compliance proofs made so far, and whether they are all there. */
  async proofs(epochId: string): Promise<(ProofsDocument & { complete: boolean }) | undefined> {
    await this.open();
    const e = this.#entries.get(epochId);
    if (!e) return undefined;
    const done = (await this.#load(epochId, e)).done;
    const proofs = [...done].sort((a, b) => a[0] - b[0]).map(([index, proof]) => ({ index, proof }));
    return {
      format: 'xmargin-solvency-proofs/1',
      epochId,
      proofs,
      complete: proofs.length === e.doc.compliant,
    };
  }

  /**
   * An owner's file, proving their account now if its proof is not made yet.
   * @returns undefined when the epoch or the account is unknown
   * @throws XmarginError ERR_DATA_INTEGRITY when a stored opening does not give its stored leaf
   */
  async account(epochId: string, key: string): Promise<AccountProofDocument | undefined> {
    await this.open();
    const e = this.#entries.get(epochId);
    if (!e) return undefined;
    const l = await this.#load(epochId, e);
    const record = l.epoch.records.find((r) => r.opening.key === key);
    if (!record) return undefined;
    const hash = await this.#poseidon();
    const leaf = leafNode(record.opening, epochTagOf(epochId, hash), hash);
    if (!sameSumNode(leaf, record.leaf))
      throw new XmarginError(
        'ERR_DATA_INTEGRITY',
        `stored solvency epoch ${epochId}: the opening of slot ${record.index} does not give its leaf`,
        { epochId, slot: record.index },
      );
    const proof = record.compliant ? await this.#proof(epochId, l, record.index) : null;
    return toAccountDocument(epochId, record, proof);
  }

  /** Stops background proving and, once proofs under way are made and stored, the prover's threads. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
    await releaseProverThreads();
  }

  /** Poseidon, built when first needed (not at start: a service with no epoch never pays it). */
  async #poseidon(): Promise<FieldHash> {
    return (this.#hash ??= await createPoseidonHash());
  }

  #track(p: Promise<unknown>): void {
    const t = p.catch(() => undefined).finally(() => this.#running.delete(t));
    this.#running.add(t);
  }

  /**
   * Marks an epoch as just used; past maxLoaded, lets go of the least recently used ones whose
   * proofs are all made (one still proving stays, so no proof is made twice).
   */
  #touch(epochId: string): void {
    const i = this.#recent.indexOf(epochId);
    if (i >= 0) this.#recent.splice(i, 1);
    this.#recent.push(epochId);
    for (let k = 0; k < this.#recent.length - 1 && this.#recent.length > this.#maxLoaded;) {
      const old = this.#entries.get(this.#recent[k]!);
      if (old && old.proven < old.doc.compliant) k++;
      else {
        if (old) delete old.loaded;
        this.#recent.splice(k, 1);
      }
    }
  }

  /** The epoch in memory, rebuilt from the store if needed. */
  #load(epochId: string, e: Entry): Promise<Loaded> {
    this.#touch(epochId);
    e.loaded ??= (async () => {
      const [accounts, proofs] = await Promise.all([
        this.#archive.loadSolvencyAccounts(epochId),
        this.#archive.loadSolvencyProofs(epochId),
      ]);
      const epoch = restoreEpoch(e.doc, accounts, await this.#poseidon());
      const done = new Map(proofs.map((p) => [p.slot, JSON.parse(p.proof) as Groth16Proof]));
      e.proven = done.size;
      return {
        epoch,
        circuit: loadCircuit(e.doc.circuit.size),
        proofs: new Map([...done].map(([i, p]) => [i, Promise.resolve(p)])),
        done,
      };
    })();
    const loading = e.loaded;
    loading.catch(() => {
      if (e.loaded === loading) delete e.loaded; // a failed load is tried again next time
    });
    return loading;
  }

  #proof(epochId: string, l: Loaded, index: number): Promise<Groth16Proof> {
    let pr = l.proofs.get(index);
    if (!pr) {
      const record = l.epoch.records[index]!;
      pr = proveCompliance(complianceInput(l.epoch, record, this.#hash!), l.circuit).then(async (r) => {
        // Stored before it is given to anyone: a proof once served is served again after a restart.
        await this.#archive.saveSolvencyProof(epochId, index, JSON.stringify(r.proof));
        l.done.set(index, r.proof);
        const e = this.#entries.get(epochId);
        if (e) e.proven = Math.max(e.proven, l.done.size);
        return r.proof;
      });
      l.proofs.set(index, pr);
      this.#track(pr);
    }
    return pr;
  }

  async #proveAll(epochId: string, l: Loaded): Promise<void> {
    for (const record of l.epoch.records) {
      if (this.#closed) return;
      if (!record.compliant || l.done.has(record.index)) continue;
      // Errors are kept in the promise; the owner's request reports them.
      await this.#proof(epochId, l, record.index).catch(() => undefined);
    }
  }
}
