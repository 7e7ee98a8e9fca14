/**
 * Negative controls of the solvency proofs (issue 17, item 4), proven and verified for real with
 * the shipped `small` circuit (4 rows × 4 scenarios, depth 3) and its committed keys: each one
 * must be refused. Next to each, the honest twin that must pass, so a refusal cannot come from a
 * broken set-up.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Groth16Proof } from 'snarkjs';
import { FIELD_PRIME, type FieldHash } from '../../src/core/solvency/field.js';
import { buildScanArrays, paddedRiskArrays, type ScanArrays } from '../../src/core/solvency/scan-arrays.js';
import {
  epochTagOf,
  leafNode,
  accountIdHash,
  positionCommitment,
  type LeafOpening,
} from '../../src/core/solvency/leaf.js';
import { emptyNodes, hashSumNode, type SumNode } from '../../src/core/solvency/sum-tree.js';
import { buildEpoch } from '../../src/core/solvency/build-epoch.js';
import { loadCircuit, type CircuitArtifacts } from '../../src/adapters/prover/circuit-artifacts.js';
import {
  proveCompliance,
  publicSignalsOf,
  SLOT_SIGNAL,
  verifyCompliance,
} from '../../src/adapters/prover/compliance-proof.js';
import { prepareEpochVerifier } from '../../src/adapters/prover/epoch-verifier.js';
import { createPoseidonHash } from '../../src/adapters/prover/poseidon-hash.js';
import { proveEpoch, type ProvenEpoch } from '../../src/adapters/prover/prove-epoch.js';
import { verifyAccountDocument } from '../../src/adapters/prover/verify-epoch.js';
import type { AccountProofDocument, EpochDocument } from '../../src/adapters/prover/epoch-documents.js';
import { arraysOf, ACCOUNTS, BTC } from './fixtures.js';

const PROVE_TIMEOUT = 120_000;
let hash: FieldHash;
let circuit: CircuitArtifacts;
let a: ProvenEpoch;
let b: ProvenEpoch;

const smallInput = () => ({
  timeMs: 1_700_000_000_000,
  scan: buildScanArrays([BTC], 0.75),
  accounts: ACCOUNTS.filter((x) => !x.key.startsWith('bob')), // BTC only: 3 rows, 3 scenarios
});
const options = (epochId: string) => ({
  epochId,
  venue: 'test',
  size: 'small' as const,
  severity: 'auto' as const,
  secret: new Uint8Array(32).fill(7),
});

beforeAll(async () => {
  hash = await createPoseidonHash();
  circuit = loadCircuit('small');
  a = await proveEpoch(smallInput(), options('epoch-A'));
  b = await proveEpoch(smallInput(), options('epoch-B'));
}, 240_000);

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const compliantDoc = (p: ProvenEpoch): AccountProofDocument =>
  p.accountDocs.find((d) => d.status === 'compliant')!;

/**
 * The circuit input of an operator who commits `opening` as the only account of a depth-3 tree
 * with arbitrary siblings: nothing is range-checked on the way, so the circuit alone decides.
 */
function forgedInput(opening: LeafOpening, scan: ScanArrays, severities: number[], siblings?: SumNode[]) {
  const shape = circuit.shape;
  const tag = epochTagOf('forged', hash);
  const s = (x: bigint) => (((x % FIELD_PRIME) + FIELD_PRIME) % FIELD_PRIME).toString();
  const leafHash = hash([
    tag,
    accountIdHash(opening.key, opening.idSalt, hash),
    BigInt(s(opening.equity)),
    BigInt(s(opening.mm)),
    BigInt(opening.riskClass),
    positionCommitment(opening.quantities, opening.positionSalt, hash),
  ]);
  const path = siblings ?? emptyNodes(shape.depth, hash).slice(0, shape.depth);
  let node: SumNode = {
    hash: leafHash,
    equity: BigInt(s(opening.equity)),
    mm: BigInt(s(opening.mm)),
    count: 1n,
  };
  for (const sib of path) node = hashSumNode(node, sib, hash);
  const flat = paddedRiskArrays(scan, shape);
  return {
    epochTag: s(tag),
    rootHash: s(node.hash),
    totalEquity: s(node.equity),
    totalMm: s(node.mm),
    accountCount: s(node.count),
    leafIndex: '0',
    severity: severities.map(String),
    riskArrays: Array.from({ length: shape.rows }, (_, r) =>
      flat.slice(r * shape.scenarios, (r + 1) * shape.scenarios).map(s),
    ),
    idHash: s(accountIdHash(opening.key, opening.idSalt, hash)),
    equity: s(opening.equity),
    mm: s(opening.mm),
    class: String(opening.riskClass),
    quantities: opening.quantities.map(s),
    positionSalt: s(opening.positionSalt),
    siblingHash: path.map((n) => s(n.hash)),
    siblingEquity: path.map((n) => s(n.equity)),
    siblingMm: path.map((n) => s(n.mm)),
    siblingCount: path.map((n) => s(n.count)),
  };
}

/** One row, one scenario: a loss of `lossPerUnit` micro-USD on 1 micro-unit held. */
function oneScenario(lossPerUnitMicro: number): ScanArrays {
  const sc = { id: 'down', label: 'down', spotMove: -0.1, vol: 'none' as const, skew: 0 as const, weight: 1 };
  return buildScanArrays([arraysOf('X', [sc], { 'X-PERP': [-lossPerUnitMicro / 1e6] })], 1);
}
const tinyAccount = (equity: bigint, mm: bigint): LeafOpening => ({
  key: 'tiny/main',
  idSalt: 5n,
  equity,
  mm,
  riskClass: 0,
  quantities: [1n, 0n, 0n, 0n], // one micro-unit
  positionSalt: 6n,
});

describe('the honest epoch', () => {
  it(
    'proves every compliant account, and each proof verifies',
    async () => {
      expect(a.epochDoc.compliant).toBe(2); // alice and dave; carol below her MM, erin negative
      expect(a.proofsDoc.proofs.length).toBe(2);
      for (const d of a.accountDocs) {
        const r = await verifyAccountDocument(d, a.epochDoc, hash);
        expect(r.compliance).toBe(d.status === 'compliant' ? true : null);
      }
    },
    PROVE_TIMEOUT,
  );
});

describe('the prepared epoch verifier', () => {
  it(
    'agrees with snarkjs on every proof, on the wrong slot and on another epoch',
    async () => {
      const verify = await prepareEpochVerifier(circuit.vkey, publicSignalsOf(a.epochDoc, 0), SLOT_SIGNAL);
      const other = await prepareEpochVerifier(circuit.vkey, publicSignalsOf(b.epochDoc, 0), SLOT_SIGNAL);
      for (const p of a.proofsDoc.proofs) {
        expect(await verify(p.index, p.proof)).toBe(true);
        expect(await verifyCompliance(a.epochDoc, p.index, p.proof, circuit)).toBe(true);
        expect(await verify(p.index + 1, p.proof)).toBe(false);
        expect(await verifyCompliance(a.epochDoc, p.index + 1, p.proof, circuit)).toBe(false);
        expect(await other(p.index, p.proof)).toBe(false);
      }
    },
    PROVE_TIMEOUT,
  );
});

describe('negative controls', () => {
  it(
    'an account insolvent by one unit in one scenario is refused; at zero it proves',
    async () => {
      // equity = MM = 0.5 USD; 1 micro-unit held loses 500,000.000001 USD per unit in the scenario,
      // i.e. 0.500000000001 USD: the account is short by 10^-12 USD, one unit of the check
      const short = oneScenario(500_000_000_001);
      const exact = oneScenario(500_000_000_000);
      const core = (scan: ScanArrays) =>
        buildEpoch({
          epochId: 'one-unit',
          timeMs: 0,
          shape: circuit.shape,
          scan,
          severity: { scenario: 1000 },
          accounts: [
            {
              key: 'tiny/main',
              mode: 'portfolio',
              equityUsd: 0.5,
              maintenanceUsd: 0.5,
              holdings: [{ row: 'X-PERP', quantity: 0.000001 }],
            },
          ],
          salts: new Map([['tiny/main', { idSalt: 5n, positionSalt: 6n }]]),
          hash,
        }).records[0]!;
      expect(core(short).reason).toBe('below-scan');
      expect(core(exact).compliant).toBe(true);
      // the operator commits MM = equity = 0.5 USD anyway: the circuit has no witness
      await expect(
        proveCompliance(forgedInput(tinyAccount(500_000n, 500_000n), short, [1000, 0, 0, 0]), circuit),
      ).rejects.toMatchObject({
        code: 'ERR_NOT_COMPLIANT',
      });
      const twin = await proveCompliance(
        forgedInput(tinyAccount(500_000n, 500_000n), exact, [1000, 0, 0, 0]),
        circuit,
      );
      expect(twin.publicSignals.length).toBe(6 + 4 + 16);
    },
    PROVE_TIMEOUT,
  );

  it(
    'a leaf with a negative balance is refused',
    async () => {
      expect(() => leafNode(tinyAccount(-1n, 0n), 1n, hash)).toThrow(
        expect.objectContaining({ code: 'ERR_SOLVENCY_RANGE' }),
      );
      await expect(
        proveCompliance(
          forgedInput(
            { ...tinyAccount(FIELD_PRIME - 1n, 0n), quantities: [0n, 0n, 0n, 0n] },
            oneScenario(1),
            [1000, 0, 0, 0],
          ),
          circuit,
        ),
      ).rejects.toMatchObject({ code: 'ERR_NOT_COMPLIANT' });
    },
    PROVE_TIMEOUT,
  );

  it(
    'a sum that overflows the field is refused',
    async () => {
      // a sibling of p − 5 micro-USD: with my 5 the total equity would wrap to 0
      const empty = emptyNodes(circuit.shape.depth, hash);
      const wrap: SumNode = { hash: 123n, equity: FIELD_PRIME - 5n, mm: 0n, count: 1n };
      const me = { ...tinyAccount(5n, 0n), quantities: [0n, 0n, 0n, 0n] };
      await expect(
        proveCompliance(
          forgedInput(me, oneScenario(1), [1000, 0, 0, 0], [wrap, empty[1]!, empty[2]!]),
          circuit,
        ),
      ).rejects.toMatchObject({
        code: 'ERR_NOT_COMPLIANT',
      });
      // the same account with an honest sibling proves
      const honest: SumNode = { hash: 123n, equity: 7n, mm: 0n, count: 1n };
      await expect(
        proveCompliance(
          forgedInput(me, oneScenario(1), [1000, 0, 0, 0], [honest, empty[1]!, empty[2]!]),
          circuit,
        ),
      ).resolves.toBeDefined();
    },
    PROVE_TIMEOUT,
  );

  it(
    'a tampered root is refused',
    async () => {
      const doc = compliantDoc(a);
      const epoch = clone(a.epochDoc);
      epoch.root.hash = (BigInt(epoch.root.hash) + 1n).toString();
      await expect(verifyAccountDocument(doc, epoch, hash)).rejects.toMatchObject({
        code: 'ERR_PROOF_INVALID',
      });
      expect(await verifyCompliance(epoch, doc.index, doc.compliance!, circuit)).toBe(false);
      const totals = clone(a.epochDoc);
      totals.root.equity = (BigInt(totals.root.equity) - 1n).toString();
      expect(await verifyCompliance(totals, doc.index, doc.compliance!, circuit)).toBe(false);
    },
    PROVE_TIMEOUT,
  );

  it(
    'a tampered leaf is refused',
    async () => {
      const doc = clone(compliantDoc(a));
      doc.opening.equity = (BigInt(doc.opening.equity) + 1n).toString();
      await expect(verifyAccountDocument(doc, a.epochDoc, hash)).rejects.toMatchObject({
        code: 'ERR_PROOF_INVALID',
      });
      const q = clone(compliantDoc(a));
      q.opening.quantities[1] = (BigInt(q.opening.quantities[1]!) - 1n).toString();
      await expect(verifyAccountDocument(q, a.epochDoc, hash)).rejects.toMatchObject({
        code: 'ERR_PROOF_INVALID',
      });
    },
    PROVE_TIMEOUT,
  );

  it(
    'a tampered risk array is refused',
    async () => {
      const doc = compliantDoc(a);
      const epoch: EpochDocument = clone(a.epochDoc);
      epoch.arrays.values[1]![0] = epoch.arrays.values[1]![0]! + 1;
      await expect(verifyAccountDocument(doc, epoch, hash)).rejects.toMatchObject({
        code: 'ERR_PROOF_INVALID',
      });
      // even with its hash recomputed by the forger, the proof is bound to the original values
      expect(await verifyCompliance(epoch, doc.index, doc.compliance!, circuit)).toBe(false);
    },
    PROVE_TIMEOUT,
  );

  it(
    'a tampered proof is refused',
    async () => {
      const doc = compliantDoc(a);
      const proof: Groth16Proof = clone(doc.compliance!);
      proof.pi_c = a.proofsDoc.proofs.find((p) => p.index !== doc.index)!.proof.pi_c;
      expect(await verifyCompliance(a.epochDoc, doc.index, proof, circuit)).toBe(false);
      // and a valid proof presented for another slot
      const other = a.proofsDoc.proofs.find((p) => p.index !== doc.index)!;
      expect(await verifyCompliance(a.epochDoc, doc.index, other.proof, circuit)).toBe(false);
    },
    PROVE_TIMEOUT,
  );

  it(
    'a proof for one epoch presented for another is refused',
    async () => {
      const fromA = compliantDoc(a);
      // as it is: the epoch id differs
      await expect(verifyAccountDocument(fromA, b.epochDoc, hash)).rejects.toMatchObject({
        code: 'ERR_PROOF_INVALID',
      });
      // relabelled: the leaf carries epoch A's tag, so the root differs
      const relabelled = { ...clone(fromA), epochId: 'epoch-B' };
      const slotInB = b.accountDocs.find((d) => d.opening.key === fromA.opening.key)!.index;
      await expect(
        verifyAccountDocument({ ...relabelled, index: slotInB }, b.epochDoc, hash),
      ).rejects.toMatchObject({
        code: 'ERR_PROOF_INVALID',
      });
      // the compliance proof of A, at the same account's slot of B
      expect(await verifyCompliance(b.epochDoc, slotInB, fromA.compliance!, circuit)).toBe(false);
      // while B's own proof of that slot verifies
      expect(
        await verifyCompliance(
          b.epochDoc,
          slotInB,
          b.proofsDoc.proofs.find((p) => p.index === slotInB)!.proof,
          circuit,
        ),
      ).toBe(true);
    },
    PROVE_TIMEOUT,
  );
});
