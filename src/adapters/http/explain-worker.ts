/**
 * @module adapters/http/explain-worker
 *
 * A worker thread of the explain pool (explain-pool.ts): receives the venue's price history once
 * (workerData), a market (as its market file) whenever a task is on a market it does not hold, and
 * tasks; answers each task with the JSON its route returns, or the error it throws. It reads
 * nothing of the venue and writes nothing: every write stays on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { XmarginError } from '../../core/errors.js';
import { createMarginContext } from '../../core/margin/margin-model.js';
import { resolveMarketFile } from '../../core/portfolio/market-file.js';
import type { MarketHistory } from '../../core/scenarios/historical-scenarios.js';
import { marketFingerprint, type ResultMessage, type TaskMessage } from './explain-protocol.js';
import { explainEnv, runExplainTask, type ExplainEnv } from './explain-tasks.js';

const history = (workerData as { history?: MarketHistory } | undefined)?.history;
let version = -1;
let env: ExplainEnv = explainEnv(undefined);

function reply(m: ResultMessage): void {
  parentPort!.postMessage(m);
}

parentPort?.on('message', (msg: TaskMessage) => {
  void (async () => {
    try {
      if (msg.version === 0) {
        // a task that needs no market (or the venue has none yet)
        reply({ id: msg.id, ok: true, value: await runExplainTask(msg.task, explainEnv(undefined)) });
        return;
      }
      if (msg.market && msg.market.version !== version) {
        const market = resolveMarketFile(msg.market.file);
        if (marketFingerprint(market) !== msg.market.fingerprint) {
          version = -1;
          reply({
            id: msg.id,
            ok: false,
            mismatch: `market ${market.snapshotId} rebuilt with other numbers`,
          });
          return;
        }
        version = msg.market.version;
        env = explainEnv(createMarginContext(market, history));
      }
      if (msg.version !== version) {
        reply({
          id: msg.id,
          ok: false,
          mismatch: `a task on market ${msg.version}; the worker holds ${version}`,
        });
        return;
      }
      reply({ id: msg.id, ok: true, value: await runExplainTask(msg.task, env) });
    } catch (e) {
      const error =
        e instanceof XmarginError
          ? { xmargin: true, ...e.toJSON() }
          : { xmargin: false, message: (e as Error)?.message ?? String(e) };
      reply({ id: msg.id, ok: false, error });
    }
  })();
});
