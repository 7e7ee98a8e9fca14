/**
 * Worker of the solvency benchmark: commits one contiguous half (or slice) of the synthetic
 * accounts — every leaf (salted id hash, position commitment, leaf hash) and the subtree over
 * them — and posts the subtree root back. The main thread joins the slices' roots.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { commitSlice, type CommitSliceInput } from './solvency-synthetic.js';

const input = workerData as CommitSliceInput;
const root = await commitSlice(input);
parentPort!.postMessage({
  hash: root.hash.toString(),
  equity: root.equity.toString(),
  mm: root.mm.toString(),
  count: root.count.toString(),
});
