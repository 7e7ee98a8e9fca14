/**
 * Poseidon over BN254 (circomlibjs, the same permutation and constants as circomlib's circuit),
 * as the core's `FieldHash`. Built once per process (it compiles a small WebAssembly module).
 */
import { buildPoseidon } from 'circomlibjs';
import { FIELD_PRIME, type FieldHash } from '../../core/solvency/field.js';

let cached: Promise<FieldHash> | undefined;

/** The Poseidon hash (1 to 16 inputs). */
export function createPoseidonHash(): Promise<FieldHash> {
  cached ??= buildPoseidon().then((p) => {
    if (p.F.p !== FIELD_PRIME) throw new Error('circomlibjs Poseidon is not over the BN254 scalar field');
    return (inputs: readonly bigint[]) => p.F.toObject(p(inputs));
  });
  return cached;
}
