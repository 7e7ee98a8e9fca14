/**
 * Property tests run with a fixed seed so that CI is deterministic; set FC_SEED to explore
 * other seeds locally (a failure prints its seed and shrunk counterexample either way).
 */
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });
