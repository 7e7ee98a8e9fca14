/**
 * Groth16 verification of many proofs of one epoch, fast: the same check as snarkjs's
 * `groth16.verify` (e(−A, B)·e(vk_x, γ)·e(C, δ)·e(α, β) = 1 with vk_x = IC_0 + Σ s_i·IC_{i+1}), but
 * the part of vk_x that is the same for every account of the epoch (tag, root, totals,
 * severities, the 4,608 risk-array values: every public signal but the slot) is computed once.
 * Each proof then costs one scalar multiplication and the pairing check, instead of a multi-
 * exponentiation over every public signal. Built on snarkjs's own BN254 curve (ffjavascript).
 */
import * as snarkjs from 'snarkjs';
import type { Groth16Proof, VerificationKey } from 'snarkjs';
import { InvalidInputError } from '../../core/errors.js';
import { FIELD_PRIME } from '../../core/solvency/field.js';

/** The operations of ffjavascript's curve object this file uses. */
interface Curve {
  G1: CurveGroup & {
    F: { n8: number };
    multiExpAffine(points: Uint8Array, scalars: Uint8Array): Promise<Uint8Array>;
  };
  G2: CurveGroup;
  Fr: { n8: number };
  pairingEq(...args: Uint8Array[]): Promise<boolean>;
}
interface CurveGroup {
  fromObject(o: bigint[]): Uint8Array;
  toAffine(p: Uint8Array): Uint8Array;
  add(a: Uint8Array, b: Uint8Array): Uint8Array;
  neg(a: Uint8Array): Uint8Array;
  timesScalar(a: Uint8Array, s: bigint): Uint8Array;
  isValid(a: Uint8Array): boolean;
}

/** Verifies proofs of one epoch given the slot (the one public signal that varies). */
export type EpochVerifier = (index: number, proof: Groth16Proof) => Promise<boolean>;

const point = (xs: readonly (string | readonly string[])[]): bigint[][] | bigint[] =>
  xs.map((x) => (Array.isArray(x) ? x.map((y: string) => BigInt(y)) : BigInt(x as string))) as
    bigint[][] | bigint[];

function scalarLE(x: bigint, out: Uint8Array, at: number, n8: number): void {
  let v = x;
  for (let i = 0; i < n8; i++) {
    out[at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/**
 * Prepares the verifier of an epoch.
 *
 * @param vkey      the circuit's verification key
 * @param signals   the epoch's public signals of any slot (decimal strings), in circuit order
 * @param slotAt    the position of the slot among the signals (5 in the compliance circuit)
 * @throws InvalidInputError ERR_INVALID_INPUT when the signals do not match the key
 */
export async function prepareEpochVerifier(
  vkey: VerificationKey,
  signals: readonly string[],
  slotAt: number,
): Promise<EpochVerifier> {
  if (signals.length !== vkey.nPublic)
    throw new InvalidInputError(
      'signals',
      signals.length,
      `must number the key's ${vkey.nPublic} public inputs`,
    );
  const curve = (await snarkjs.curves.getCurveFromName('bn128')) as Curve;
  const G1 = curve.G1;
  const n = signals.length - 1;
  const pts = new Uint8Array(G1.F.n8 * 2 * n);
  const w = new Uint8Array(curve.Fr.n8 * n);
  let k = 0;
  signals.forEach((s, i) => {
    if (i === slotAt) return;
    const v = BigInt(s);
    if (!(v >= 0n && v < FIELD_PRIME))
      throw new InvalidInputError(`signals[${i}]`, s, 'must be a field element');
    pts.set(G1.toAffine(G1.fromObject(point(vkey.IC[i + 1]!) as bigint[])), k * G1.F.n8 * 2);
    scalarLE(v, w, k * curve.Fr.n8, curve.Fr.n8);
    k++;
  });
  const fixed = G1.add(await G1.multiExpAffine(pts, w), G1.fromObject(point(vkey.IC[0]!) as bigint[]));
  const icSlot = G1.fromObject(point(vkey.IC[slotAt + 1]!) as bigint[]);
  const g2 = (o: unknown) => curve.G2.fromObject(point(o as string[][]) as unknown as bigint[]);
  const alpha = G1.fromObject(point(vkey['vk_alpha_1'] as string[]) as bigint[]);
  const beta = g2(vkey['vk_beta_2']);
  const gamma = g2(vkey['vk_gamma_2']);
  const delta = g2(vkey['vk_delta_2']);
  return async (index, proof) => {
    if (!(Number.isInteger(index) && index >= 0)) return false;
    try {
      const a = G1.fromObject(point(proof.pi_a) as bigint[]);
      const b = curve.G2.fromObject(point(proof.pi_b) as unknown as bigint[]);
      const c = G1.fromObject(point(proof.pi_c) as bigint[]);
      if (!(G1.isValid(a) && curve.G2.isValid(b) && G1.isValid(c))) return false;
      const vkX = G1.add(fixed, G1.timesScalar(icSlot, BigInt(index)));
      return await curve.pairingEq(G1.neg(a), b, vkX, gamma, c, delta, alpha, beta);
    } catch {
      return false; // not points at all: a proof that does not verify
    }
  };
}
