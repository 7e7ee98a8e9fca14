// Types of the parts of snarkjs 0.7, circom_runtime 0.1 and circomlibjs 0.1 that xmargin uses (none ships types).
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
    prove(
      zkey: string | { type: 'mem'; data: Uint8Array },
      wtns: string | { type: 'mem'; data: Uint8Array },
      logger?: unknown,
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

declare module 'circom_runtime' {
  export interface WitnessCalculator {
    /** the witness as a .wtns file; throws when an assertion of the circuit fails */
    calculateWTNSBin(input: Record<string, unknown>, sanityCheck: boolean): Promise<Uint8Array>;
  }
  export function WitnessCalculatorBuilder(code: Uint8Array, options?: unknown): Promise<WitnessCalculator>;
}

declare module 'circomlibjs' {
  export interface PoseidonFn {
    (inputs: readonly bigint[]): Uint8Array;
    F: { toObject(x: Uint8Array): bigint; p: bigint };
  }
  export function buildPoseidon(): Promise<PoseidonFn>;
}
