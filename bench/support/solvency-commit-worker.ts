/**
 * Child process of the solvency benchmark: commits one contiguous slice of the synthetic accounts
 * — every leaf (salted id hash, position commitment, leaf hash) and the subtree over them — and
 * sends the subtree root back. A child process, not a worker thread: ffjavascript (under
 * circomlibjs's Poseidon) takes any worker thread for one of its own. Also sends its CPU time and
 * peak resident memory (the benchmark's per-process figures).
 */
import { commitSlice, type CommitSliceInput } from './solvency-synthetic.js';

const input = JSON.parse(process.argv[2]!) as CommitSliceInput;
const root = await commitSlice(input);
process.send!(
  {
    hash: root.hash.toString(),
    equity: root.equity.toString(),
    mm: root.mm.toString(),
    count: root.count.toString(),
    cpuMs: String((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    maxRssMiB: String(process.resourceUsage().maxRSS / 1024),
  },
  () => process.exit(0),
);
