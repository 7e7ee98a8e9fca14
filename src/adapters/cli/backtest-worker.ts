/**
 * Worker thread of `xmargin backtest` (backtest-tasks.ts): runs the tasks it is sent, one at a
 * time, posting progress (steps done) and the result (structured clone) of each.
 */
import { parentPort } from 'node:worker_threads';
import { runTask, type FromWorker, type ToWorker } from './backtest-tasks.js';

const port = parentPort;
if (port !== null) {
  port.on('message', async (m: ToWorker) => {
    if (m.id < 0 || !('task' in m)) {
      port.close();
      return;
    }
    try {
      let last = 0;
      const result = await runTask(m.task, (done) => {
        // about 100 progress messages per task at most
        if (done - last >= 5 || done === 1) {
          last = done;
          port.postMessage({ id: m.id, type: 'progress', done } satisfies FromWorker);
        }
      });
      port.postMessage({ id: m.id, type: 'result', result } satisfies FromWorker);
    } catch (e) {
      port.postMessage({
        id: m.id,
        type: 'error',
        message: e instanceof Error ? (e.stack ?? e.message) : String(e),
      } satisfies FromWorker);
    }
  });
}
