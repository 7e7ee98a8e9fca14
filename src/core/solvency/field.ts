/**
 * @module solvency/field
 *
 * The scalar field of BN254 (the curve of the Groth16 proofs): every committed value is an
 * element of it. Signed integers map to `x mod p` (−1 is p − 1), as the circuit sees them; text
 * maps to 31-byte big-endian words, so that every word is below p and the encoding is injective.
 *
 * Reference: EIP-196/197 (alt_bn128), circomlib's field; docs/methodology/solvency-proofs.md.
 */
import { InvalidInputError } from '../errors.js';

/** The BN254 scalar field modulus r (snarkjs `bn128`, circom's default prime). */
export const FIELD_PRIME = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** A Poseidon hash over 1 to 16 field elements (injected: the core does not ship the constants). */
export type FieldHash = (inputs: readonly bigint[]) => bigint;

/** `x mod p` in [0, p): how a signed integer enters the circuit. */
export function toField(x: bigint): bigint {
  const r = x % FIELD_PRIME;
  return r < 0n ? r + FIELD_PRIME : r;
}

/** The field element as a decimal string (the form snarkjs takes and prints). */
export function fieldToString(x: bigint): string {
  return toField(x).toString();
}

/**
 * Parses a field element from a decimal or 0x-hex string.
 * @throws InvalidInputError ERR_INVALID_INPUT when it is not an integer in [0, p)
 */
export function parseField(text: string, field: string): bigint {
  if (!/^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/.test(text))
    throw new InvalidInputError(field, text, 'must be a field element (decimal or 0x-hex)');
  const x = BigInt(text);
  if (!(x < FIELD_PRIME)) throw new InvalidInputError(field, text, 'must be below the BN254 field prime');
  return x;
}

/** Most text words a commitment takes (15 words = 465 bytes of UTF-8). */
export const MAX_TEXT_WORDS = 14;

/**
 * Text as field elements: [byte length, then 31-byte big-endian words]. Injective over strings
 * up to MAX_TEXT_WORDS × 31 bytes.
 * @throws InvalidInputError ERR_INVALID_INPUT when the text is longer
 */
export function encodeText(text: string, field: string): bigint[] {
  const bytes = new TextEncoder().encode(text);
  const words = Math.ceil(bytes.length / 31);
  if (!(words <= MAX_TEXT_WORDS))
    throw new InvalidInputError(field, text, `must be at most ${MAX_TEXT_WORDS * 31} bytes of UTF-8`);
  const out: bigint[] = [BigInt(bytes.length)];
  for (let w = 0; w < words; w++) {
    let x = 0n;
    for (const b of bytes.subarray(w * 31, w * 31 + 31)) x = (x << 8n) | BigInt(b);
    out.push(x);
  }
  return out;
}
