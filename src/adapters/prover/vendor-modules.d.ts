// Types of the parts of snarkjs 0.7 and circomlibjs 0.1 that xmargin uses (neither ships types).
declare module 'snarkjs' {
  export interface Groth16Proof {
    pi_a: string[];
    pi_b: string[][];
    pi_c: string[];
    protocol: 'groth16';
    curve: 'bn128';
  }
  export interface VerificationKey {
    protocol: string;
    curve: string;
    nPublic: number;
    IC: string[][];
    [k: string]: unknown;
  }
  export const groth16: {
    fullProve(
      input: Record<string, unknown>,
      wasm: string | Uint8Array,
      zkey: string | Uint8Array,
      logger?: unknown,
      wtnsCalcOptions?: unknown,
      proverOptions?: { singleThread?: boolean },
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(
      vk: VerificationKey,
      publicSignals: readonly string[],
      proof: Groth16Proof,
      logger?: unknown,
    ): Promise<boolean>;
  };
  export const curves: {
    getCurveFromName(name: string, options?: { singleThread?: boolean }): Promise<unknown>;
  };
}

declare module 'circomlibjs' {
  export interface PoseidonFn {
    (inputs: readonly bigint[]): Uint8Array;
    F: { toObject(x: Uint8Array): bigint; p: bigint };
  }
  export function buildPoseidon(): Promise<PoseidonFn>;
}
