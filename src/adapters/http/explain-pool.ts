/**
 * @module adapters/http/explain-pool
 *
 * A bounded pool of worker threads for the heavy, read-only computations of the API
 * (explain-tasks.ts), so that a margin under `es`, a what-if over six models or a liquidation
 * search never holds the event loop: prices, operations and the stream go on while they run.
 *
 * - Each request's task carries what it reads (portfolio, params, body); the market goes to a worker
 *   as its market file, once per market update and worker (the worker rebuilds it and checks its
 *   fingerprint, explain-protocol.ts); the price history once per worker, at its start. A task runs
 *   on the market of the request's time even when the venue's has moved on since.
 * - At most `workers` tasks run at once and at most `maxQueued` wait; beyond, `run` refuses at once
 *   with 503 ERR_UNAVAILABLE and a retry delay (the queue rule): nothing was computed.
 * - A worker that dies or overruns `timeoutMs` fails its task with 503 ERR_UNAVAILABLE and is
 *   replaced; the service goes on. A worker that cannot rebuild a market (no market file, another
 *   fingerprint) hands the task back, which then runs on the calling thread with the same code.
 * - Without the compiled worker script (dist/ not built), or with `workers: 0`, every task runs on
 *   the calling thread, as before the pool existed (`inProcessReason` says why).
 *
 * Results are the same bytes either way: the same function (runExplainTask) on the same inputs.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { XmarginError, type ErrorCode } from '../../core/errors.js';
import type { MarginContext } from '../../core/margin/margin-model.js';
import { marketFileOf } from '../../core/portfolio/market-file.js';
import type { MarketHistory } from '../../core/scenarios/historical-scenarios.js';
import {
  marketFingerprint,
  type ResultMessage,
  type TaskMessage,
  type WireMarket,
} from './explain-protocol.js';
import { explainEnv, runExplainTask, type ExplainEnv, type ExplainTask } from './explain-tasks.js';

/** Options of the pool. */
export interface ExplainPoolOptions {
  /** worker threads (0 = every task on the calling thread); default {@link defaultExplainWorkers} */
  readonly workers?: number;
  /** tasks waiting for a worker before `run` refuses with 503; default 64 */
  readonly maxQueued?: number;
  /** a task running longer fails with 503 and its worker is replaced, ms; default 120,000 */
  readonly timeoutMs?: number;
}

/** Workers by default: one per core beyond the event loop's, at least 1, at most 4. */
export function defaultExplainWorkers(): number {
  return Math.max(1, Math.min(availableParallelism() - 1, 4));
}

/** The worker's script: next to this module when compiled, else the compiled copy in dist. */
function workerScript(): URL | undefined {
  for (const rel of ['./explain-worker.js', '../../../dist/src/adapters/http/explain-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

interface Job {
  readonly id: number;
  readonly task: ExplainTask;
  readonly ctx: MarginContext | undefined;
  /** 0: no market */
  readonly version: number;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  /** market version the worker holds (-1: none) */
  version: number;
  job: Job | undefined;
  startedMs: number;
  timer: NodeJS.Timeout | undefined;
}

/** 503 with a retry delay: the caller may come back. */
function unavailableFor(reason: string, rule: string, retryAfterMs: number): XmarginError {
  return new XmarginError('ERR_UNAVAILABLE', `service unavailable: ${reason}; retry in ${retryAfterMs} ms`, {
    rule,
    retryAfterMs,
  });
}

/** The pool (module header). */
export class ExplainPool {
  readonly maxQueued: number;
  readonly timeoutMs: number;
  /** why tasks run on the calling thread; undefined while workers serve them */
  #inProcessReason: string | undefined;
  readonly #script: URL | undefined;
  readonly #history: MarketHistory | undefined;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  readonly #markets = new WeakMap<MarginContext, WireMarket | null>();
  readonly #envs = new WeakMap<MarginContext, ExplainEnv>();
  #nextVersion = 1;
  #nextId = 1;
  #closed = false;
  /** mean task time, ms (exponentially weighted), for retry delays */
  #meanMs = 50;
  readonly #crashes: number[] = [];
  #byWorkers = 0;
  #size = 0;
  #inProcessCount = 0;

  /**
   * @param history  the venue's price history (sent to each worker once)
   */
  constructor(options: ExplainPoolOptions = {}, history?: MarketHistory) {
    this.maxQueued = options.maxQueued ?? 64;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.#history = history;
    const n = options.workers ?? defaultExplainWorkers();
    this.#script = workerScript();
    if (n === 0) this.#inProcessReason = 'configured with 0 worker threads';
    else if (!this.#script)
      this.#inProcessReason = 'the worker script is not built (run `npm run build` to create dist/)';
    this.#size = n;
  }

  /** The workers start with the first task (a server that serves no heavy request starts none). */
  #start(): void {
    while (this.#slots.length < this.#size) this.#slots.push(this.#spawn());
  }

  /** Worker threads serving tasks (0 when tasks run on the calling thread). */
  get workers(): number {
    return this.#inProcessReason === undefined ? this.#size : 0;
  }

  /** Why tasks run on the calling thread (undefined while workers serve them). */
  get inProcessReason(): string | undefined {
    return this.#inProcessReason;
  }

  /** Tasks waiting for a worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Tasks running on a worker. */
  get running(): number {
    return this.#slots.filter((s) => s.job !== undefined).length;
  }

  /** Tasks answered so far by the workers and on the calling thread. */
  stats(): { byWorkers: number; inProcess: number } {
    return { byWorkers: this.#byWorkers, inProcess: this.#inProcessCount };
  }

  /** The live worker threads, started with the first task (diagnostics; tests stop one to see the pool recover). */
  threads(): readonly Worker[] {
    return this.#slots.map((s) => s.worker);
  }

  /**
   * Runs a task on the market context of the request (undefined: none yet, or the task needs none).
   * @returns the route's JSON body
   * @throws the task's refusal; 503 ERR_UNAVAILABLE when the queue is full (nothing computed), the
   *   worker died or overran, or the pool is closed
   */
  run(task: ExplainTask, ctx: MarginContext | undefined): Promise<unknown> {
    if (this.#closed) return Promise.reject(unavailableFor('shutting down', 'the service is stopping', 1000));
    const wire = ctx ? this.#wireOf(ctx) : undefined;
    if (this.#inProcessReason !== undefined || wire === null) return this.#inProcess(task, ctx);
    if (this.#queue.length >= this.maxQueued) {
      const busy = Math.max(1, this.#slots.length);
      const retryAfterMs = Math.max(1000, Math.ceil(((this.#queue.length + busy) * this.#meanMs) / busy));
      return Promise.reject(
        unavailableFor(
          `${this.#queue.length} heavy requests are already waiting`,
          `at most ${this.maxQueued} heavy requests wait for a worker`,
          retryAfterMs,
        ),
      );
    }
    this.#start();
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, task, ctx, version: wire?.version ?? 0, resolve, reject });
      this.#pump();
    });
  }

  /** Stops the workers; queued and running tasks fail with 503. */
  async close(): Promise<void> {
    this.#closed = true;
    const refusal = unavailableFor('shutting down', 'the service is stopping', 1000);
    for (const j of this.#queue.splice(0)) j.reject(refusal);
    await Promise.all(
      this.#slots.map((s) => {
        if (s.timer) clearTimeout(s.timer);
        s.job?.reject(refusal);
        s.job = undefined;
        return s.worker.terminate();
      }),
    );
  }

  // ---------------------------------------------------------------------------------------------

  /** The market of a context as it travels, or null when it cannot (not built from a market file). */
  #wireOf(ctx: MarginContext): WireMarket | null {
    let w = this.#markets.get(ctx);
    if (w === undefined) {
      const file = marketFileOf(ctx.market);
      w = file ? { version: this.#nextVersion++, file, fingerprint: marketFingerprint(ctx.market) } : null;
      this.#markets.set(ctx, w);
    }
    return w;
  }

  async #inProcess(task: ExplainTask, ctx: MarginContext | undefined): Promise<unknown> {
    this.#inProcessCount++;
    let env = ctx ? this.#envs.get(ctx) : explainEnv(undefined);
    if (!env) this.#envs.set(ctx!, (env = explainEnv(ctx)));
    return runExplainTask(task, env);
  }

  #spawn(): Slot {
    const worker = new Worker(this.#script!, { workerData: { history: this.#history } });
    worker.unref();
    const slot: Slot = { worker, version: -1, job: undefined, startedMs: 0, timer: undefined };
    worker.on('message', (m: ResultMessage) => this.#answer(slot, m));
    worker.on('error', () => undefined); // followed by 'exit'
    worker.on('exit', (code) => this.#exited(slot, code));
    return slot;
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.job === undefined) this.#dispatch(slot, this.#queue.shift()!);
    }
  }

  #dispatch(slot: Slot, job: Job): void {
    const wire = job.ctx ? this.#markets.get(job.ctx) : undefined;
    const msg: TaskMessage = {
      id: job.id,
      version: job.version,
      task: job.task,
      ...(wire && slot.version !== job.version ? { market: wire } : {}),
    };
    try {
      slot.worker.postMessage(msg);
    } catch {
      // a task that cannot be copied to a thread: computed here, with the same code
      this.#inProcess(job.task, job.ctx).then(job.resolve, job.reject);
      return;
    }
    if (job.version !== 0) slot.version = job.version;
    slot.job = job;
    slot.startedMs = performance.now();
    slot.timer = setTimeout(() => {
      const j = slot.job;
      slot.job = undefined;
      j?.reject(
        unavailableFor(
          `the computation ran longer than ${this.timeoutMs} ms and was stopped`,
          `a heavy request computes for at most ${this.timeoutMs} ms`,
          1000,
        ),
      );
      void slot.worker.terminate();
    }, this.timeoutMs);
    slot.timer.unref();
  }

  #answer(slot: Slot, m: ResultMessage): void {
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.job = undefined;
    this.#meanMs = 0.8 * this.#meanMs + 0.2 * (performance.now() - slot.startedMs);
    if (m.ok || !('mismatch' in m)) this.#byWorkers++;
    if (m.ok) job.resolve(m.value);
    else if ('mismatch' in m) {
      // the worker could not rebuild this market: this version is computed here from now on
      slot.version = -1;
      if (job.ctx) this.#markets.set(job.ctx, null);
      this.#inProcess(job.task, job.ctx).then(job.resolve, job.reject);
    } else job.reject(fromWire(m.error));
    this.#pump();
  }

  #exited(slot: Slot, code: number): void {
    if (slot.timer) clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    job?.reject(
      unavailableFor(
        `the worker thread computing the request stopped (exit code ${code})`,
        'a heavy request is computed by a live worker thread',
        1000,
      ),
    );
    if (this.#closed) return;
    const now = performance.now();
    this.#crashes.push(now);
    while (this.#crashes.length > 0 && this.#crashes[0]! < now - 10_000) this.#crashes.shift();
    const i = this.#slots.indexOf(slot);
    if (this.#crashes.length > 5) {
      // workers that keep dying: compute on the calling thread rather than loop
      this.#inProcessReason = `worker threads stopped ${this.#crashes.length} times within 10 s`;
      for (const j of this.#queue.splice(0)) this.#inProcess(j.task, j.ctx).then(j.resolve, j.reject);
      return;
    }
    if (i >= 0) this.#slots[i] = this.#spawn();
    this.#pump();
  }
}

/** An error from a worker, as the route would have thrown it. */
function fromWire(e: {
  xmargin: boolean;
  code?: string;
  message: string;
  details?: Record<string, unknown>;
}) {
  return e.xmargin ? new XmarginError(e.code as ErrorCode, e.message, e.details ?? {}) : new Error(e.message);
}
