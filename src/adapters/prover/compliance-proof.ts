/**
 * Groth16 compliance proofs (snarkjs) of one account of an epoch: the witness input the circuit
 * takes, the public signals a verifier rebuilds from the PUBLISHED epoch (never from the prover's
 * output), proving and verifying. See circuits/compliance.circom for the statement.
 */
import { readFileSync } from 'node:fs';
import { WitnessCalculatorBuilder, type WitnessCalculator } from 'circom_runtime';
import * as snarkjs from 'snarkjs';
import type { Groth16Proof } from 'snarkjs';
import { RiskError } from '../../core/errors.js';
import { toField } from '../../core/solvency/field.js';
import type { EpochRecord, SolvencyEpoch } from '../../core/solvency/build-epoch.js';
import { accountIdHash } from '../../core/solvency/leaf.js';
import { paddedRiskArrays, type CircuitShape } from '../../core/solvency/scan-arrays.js';
import { compliancePublicSignals } from '../../core/solvency/public-signals.js';
import type { FieldHash } from '../../core/solvency/field.js';
import type { CircuitArtifacts } from './circuit-artifacts.js';
import { publishedEpochOf, type EpochDocument } from './epoch-documents.js';

const str = (x: bigint) => toField(x).toString();

function nested(flat: readonly bigint[], shape: CircuitShape): string[][] {
  return Array.from({ length: shape.rows }, (_, r) =>
    flat.slice(r * shape.scenarios, (r + 1) * shape.scenarios).map(str),
  );
}

/** Position of the slot (leaf index) among the public signals. */
export const SLOT_SIGNAL = 5;

/** The public signals of slot `index` of a published epoch (core compliancePublicSignals). */
export function publicSignalsOf(doc: EpochDocument, index: number): string[] {
  return compliancePublicSignals(publishedEpochOf(doc), index);
}

/** The circuit's input for one compliant record. */
export function complianceInput(
  epoch: SolvencyEpoch,
  record: EpochRecord,
  hash: FieldHash,
): Record<string, unknown> {
  const s = epoch.statement;
  const o = record.opening;
  return {
    epochTag: str(s.epochTag),
    rootHash: str(s.root.hash),
    totalEquity: str(s.root.equity),
    totalMm: str(s.root.mm),
    accountCount: str(s.root.count),
    leafIndex: String(record.index),
    severity: s.severities.map(String),
    riskArrays: nested(paddedRiskArrays(epoch.scan, s.shape), s.shape),
    idHash: str(accountIdHash(o.key, o.idSalt, hash)),
    equity: str(o.equity),
    mm: str(o.mm),
    class: String(o.riskClass),
    quantities: o.quantities.map(str),
    positionSalt: str(o.positionSalt),
    siblingHash: record.path.map((n) => str(n.hash)),
    siblingEquity: record.path.map((n) => str(n.equity)),
    siblingMm: record.path.map((n) => str(n.mm)),
    siblingCount: record.path.map((n) => str(n.count)),
  };
}

/** One witness calculator per circuit, compiled once; calls are run one at a time (shared memory). */
const calculators = new Map<string, { wc: Promise<WitnessCalculator>; queue: Promise<unknown> }>();

function calculateWitness(circuit: CircuitArtifacts, input: Record<string, unknown>): Promise<Uint8Array> {
  let c = calculators.get(circuit.wasmPath);
  if (!c) {
    c = { wc: WitnessCalculatorBuilder(readFileSync(circuit.wasmPath)), queue: Promise.resolve() };
    calculators.set(circuit.wasmPath, c);
  }
  const entry = c;
  const run = entry.queue.then(async () => (await entry.wc).calculateWTNSBin(input, true));
  entry.queue = run.catch(() => undefined);
  return run;
}

type Engine = { terminate(): Promise<void> };
const g = globalThis as { curve_bn128?: Engine | null };
let oneThreadEngine: Engine | undefined;

/**
 * Makes one single-threaded BN254 engine the process's engine. snarkjs builds a new engine for
 * every proof made with `singleThread` (a WebAssembly module generated and compiled: about 0.4 to
 * 0.8 s of CPU per proof), while it builds the threaded one once per process and keeps it where
 * ffjavascript looks first (globalThis.curve_bn128); a single-threaded engine kept there is used
 * the same way. Nothing of the proof changes.
 * @returns false when a threaded engine is in use (then snarkjs builds its own per proof)
 */
async function useOneThreadEngine(): Promise<boolean> {
  if (g.curve_bn128 && g.curve_bn128 !== oneThreadEngine) return false;
  oneThreadEngine ??= (await snarkjs.curves.getCurveFromName('bn128', { singleThread: true })) as Engine;
  g.curve_bn128 = oneThreadEngine;
  return true;
}

/**
 * Proves one account: the witness (the circuit's WebAssembly calculator, compiled once per
 * process) and Groth16 (snarkjs). With `singleThread`, everything runs on this thread, with one
 * engine kept for the process (useOneThreadEngine); otherwise snarkjs's worker threads.
 * @throws RiskError ERR_NOT_COMPLIANT when the record is not compliant, or when the circuit
 *         refuses the witness (an assertion failed: the account does not meet the statement)
 */
export async function proveCompliance(
  input: Record<string, unknown>,
  circuit: CircuitArtifacts,
  options: { singleThread?: boolean } = {},
): Promise<{ proof: Groth16Proof; publicSignals: string[] }> {
  let wtns: Uint8Array;
  try {
    wtns = await calculateWitness(circuit, input);
  } catch (e) {
    throw new RiskError(
      'ERR_NOT_COMPLIANT',
      `the circuit refused the witness: ${(e as Error).message.split('\n')[0]}`,
      {
        leafIndex: input['leafIndex'],
      },
      { cause: e },
    );
  }
  const own = options.singleThread === true && !(await useOneThreadEngine());
  return snarkjs.groth16.prove(
    circuit.zkeyPath,
    { type: 'mem', data: wtns },
    undefined,
    own ? { singleThread: true } : undefined,
  );
}

/**
 * Verifies a compliance proof of slot `index` against a published epoch.
 * @returns true when it verifies; false otherwise (never throws on a bad proof)
 * @throws RiskError ERR_SOLVENCY_SHAPE / ERR_SOLVENCY_RANGE when the epoch itself is malformed
 */
export async function verifyCompliance(
  doc: EpochDocument,
  index: number,
  proof: Groth16Proof,
  circuit: CircuitArtifacts,
): Promise<boolean> {
  const signals = publicSignalsOf(doc, index);
  try {
    return await snarkjs.groth16.verify(circuit.vkey, signals, proof);
  } catch {
    return false; // a malformed proof (points off the curve, ...) is a proof that does not verify
  }
}

/**
 * Stops the worker threads snarkjs keeps for the BN254 curve (ffjavascript's shared instance), so
 * a command can exit; the next proof or verification starts them again.
 */
export async function releaseProverThreads(): Promise<void> {
  const curve = g.curve_bn128;
  if (curve === oneThreadEngine)
    g.curve_bn128 = null; // no threads; the next threaded proof builds its own
  else if (curve) await curve.terminate();
}
