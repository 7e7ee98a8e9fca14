/**
 * The shipped compliance circuits: their shapes and the files of their development ceremony
 * (circuits/keys, written once by `npm run zk:setup`). Every file is checked against the sha256 in
 * circuits/keys/manifest.json before use: a modified key is refused (ERR_DATA_INTEGRITY), never
 * silently used.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerificationKey } from 'snarkjs';
import { XmarginError } from '../../core/errors.js';
import type { CircuitShape } from '../../core/solvency/scan-arrays.js';
import { findPackageRoot } from '../system/package-root.js';

import type { CircuitSize } from './epoch-documents.js';

export type { CircuitSize };

/** Shapes of the shipped circuits (circuits/compliance-<size>.circom). */
export const CIRCUIT_SHAPES: Readonly<Record<CircuitSize, CircuitShape>> = {
  full: { rows: 48, scenarios: 96, depth: 20, classes: 4 },
  small: { rows: 4, scenarios: 4, depth: 3, classes: 4 },
};

/** A circuit ready to prove with: checked file paths and its verification key. */
export interface CircuitArtifacts {
  readonly size: CircuitSize;
  readonly shape: CircuitShape;
  readonly wasmPath: string;
  readonly zkeyPath: string;
  readonly vkeyPath: string;
  readonly vkey: VerificationKey;
  /** sha256 of the verification key file (published with every epoch) */
  readonly vkeySha256: string;
}

interface Manifest {
  readonly circuits: Record<string, { files: Record<string, { sha256: string; bytes: number }> }>;
}

/** The keys directory of the package. */
export function circuitKeysDir(): string {
  return join(findPackageRoot(), 'circuits', 'keys');
}

const cache = new Map<CircuitSize, CircuitArtifacts>();

/**
 * Checks the files of a circuit in `dir` against the manifest there.
 * @returns the sha256 of each file
 * @throws XmarginError ERR_DATA_INTEGRITY when a file is missing or its sha256 differs
 */
export function checkCircuitFiles(dir: string, size: CircuitSize): Record<string, string> {
  const manifestPath = join(dir, 'manifest.json');
  const fail = (file: string, rule: string) =>
    new XmarginError('ERR_DATA_INTEGRITY', `circuits/keys/${file} ${rule}`, {
      file: `circuits/keys/${file}`,
      rule,
    });
  if (!existsSync(manifestPath)) throw fail('manifest.json', 'is missing (run npm run zk:setup once)');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const entry = manifest.circuits[size];
  if (!entry) throw fail('manifest.json', `has no circuit ${size}`);
  const sums: Record<string, string> = {};
  for (const file of [`${size}.wasm`, `${size}.zkey`, `${size}.vkey.json`]) {
    const path = join(dir, file);
    if (!existsSync(path)) throw fail(file, 'is missing');
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    if (sha !== entry.files[file]?.sha256)
      throw fail(file, `does not match its sha256 in the manifest (${sha})`);
    sums[file] = sha;
  }
  return sums;
}

/**
 * Loads and checks the artifacts of a shipped circuit (once per process).
 * @throws XmarginError ERR_DATA_INTEGRITY when a file is missing or its sha256 differs from the manifest
 */
export function loadCircuit(size: CircuitSize): CircuitArtifacts {
  const hit = cache.get(size);
  if (hit) return hit;
  const dir = circuitKeysDir();
  const sums = checkCircuitFiles(dir, size);
  const out: CircuitArtifacts = {
    size,
    shape: CIRCUIT_SHAPES[size],
    wasmPath: join(dir, `${size}.wasm`),
    zkeyPath: join(dir, `${size}.zkey`),
    vkeyPath: join(dir, `${size}.vkey.json`),
    vkey: JSON.parse(readFileSync(join(dir, `${size}.vkey.json`), 'utf8')) as VerificationKey,
    vkeySha256: sums[`${size}.vkey.json`]!,
  };
  cache.set(size, out);
  return out;
}
