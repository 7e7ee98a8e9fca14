/**
 * The committed artifacts of the development ceremony (circuits/keys): every file matches the
 * sha256 recorded when `npm run zk:setup` made it, the circuits' sources are still the ones the
 * keys were made from (a changed circuit needs a new setup), and a modified key is refused.
 * Nothing here re-runs the setup.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  circuitKeysDir,
  CIRCUIT_SHAPES,
  loadCircuit,
  checkCircuitFiles,
} from '../../src/adapters/prover/circuit-artifacts.js';
import { findPackageRoot } from '../../src/adapters/system/package-root.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const manifest = () =>
  JSON.parse(readFileSync(join(circuitKeysDir(), 'manifest.json'), 'utf8')) as {
    circuits: Record<
      string,
      {
        sourceSha256: string;
        templateSha256: string;
        constraints: number;
        publicInputs: number;
        files: Record<string, { sha256: string; bytes: number }>;
        phase1Power: number;
        zkeyVerified: boolean;
      }
    >;
  };

describe('circuit keys', () => {
  for (const size of ['small', 'full'] as const) {
    it(`${size}: every file matches its sha256 and the shape its source declares`, () => {
      const m = manifest().circuits[size]!;
      for (const [file, f] of Object.entries(m.files)) {
        expect(sha256(join(circuitKeysDir(), file)), file).toBe(f.sha256);
        expect(readFileSync(join(circuitKeysDir(), file)).length, file).toBe(f.bytes);
      }
      const c = loadCircuit(size);
      const s = CIRCUIT_SHAPES[size];
      // public inputs: tag, root hash, 2 totals, count, index, one severity per class, the arrays
      expect(m.publicInputs).toBe(6 + s.classes + s.rows * s.scenarios);
      expect(c.vkey.nPublic).toBe(m.publicInputs);
      // the Groth16 domain of the ceremony holds constraints + public inputs + 1
      expect(m.constraints + m.publicInputs + 1).toBeLessThanOrEqual(2 ** m.phase1Power);
      expect(m.zkeyVerified, 'snarkjs zkey verify passed when the keys were made').toBe(true);
      const src = readFileSync(join(findPackageRoot(), 'circuits', `compliance-${size}.circom`), 'utf8');
      expect(src).toContain(`Compliance(${s.rows}, ${s.scenarios}, ${s.depth}, ${s.classes})`);
    });

    it(`${size}: the circuit sources are the ones the keys were made from`, () => {
      const root = findPackageRoot();
      const m = manifest().circuits[size]!;
      expect(sha256(join(root, 'circuits', `compliance-${size}.circom`))).toBe(m.sourceSha256);
      expect(sha256(join(root, 'circuits', 'compliance.circom'))).toBe(m.templateSha256);
    });
  }

  it('refuses a modified proving key (ERR_DATA_INTEGRITY)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xmargin-keys-'));
    try {
      for (const f of ['manifest.json', 'small.wasm', 'small.zkey', 'small.vkey.json'])
        copyFileSync(join(circuitKeysDir(), f), join(dir, f));
      expect(() => checkCircuitFiles(dir, 'small')).not.toThrow();
      const z = readFileSync(join(dir, 'small.zkey'));
      z[z.length - 1] = z[z.length - 1]! ^ 1;
      writeFileSync(join(dir, 'small.zkey'), z);
      expect(() => checkCircuitFiles(dir, 'small')).toThrow(
        expect.objectContaining({ code: 'ERR_DATA_INTEGRITY' }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
