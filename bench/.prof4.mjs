import * as snarkjs from 'snarkjs';
import { loadCircuit } from '../dist/src/adapters/prover/circuit-artifacts.js';
import { complianceInput, proveCompliance } from '../dist/src/adapters/prover/compliance-proof.js';
import { createPoseidonHash } from '../dist/src/adapters/prover/poseidon-hash.js';
import { commitEpoch } from '../dist/src/adapters/prover/prove-epoch.js';
import { demoVenueEpoch } from '../dist/src/adapters/cli/prove-command.js';
const circuit = loadCircuit('full');
const hash = await createPoseidonHash();
const epoch = commitEpoch(demoVenueEpoch(200, 7, 0), { epochId: 'bench', severity: 'auto', secret: new Uint8Array(32).fill(17) }, circuit.shape, hash);
const rec = epoch.records.filter((r) => r.compliant);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const old = [], neu = [];
for (let k = 0; k < 4; k++) {
  const inp = complianceInput(epoch, rec[k], hash);
  let c = cpu();
  await snarkjs.groth16.fullProve(inp, circuit.wasmPath, circuit.zkeyPath, undefined, undefined, { singleThread: true });
  old.push(cpu() - c);
  c = cpu();
  await proveCompliance(inp, circuit, { singleThread: true });
  neu.push(cpu() - c);
  console.log(`pair ${k}: fullProve singleThread ${old.at(-1).toFixed(0)} ms CPU, proveCompliance one thread ${neu.at(-1).toFixed(0)} ms CPU`);
}
process.exit(0);
