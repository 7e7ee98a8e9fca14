/**
 * The units of work of `xmargin backtest`, run in the main thread or in worker threads
 * (backtest-worker.ts): a chunk of backtest steps, or one model through one crash replay. Steps
 * and replays are independent, so chunks merge exactly and the result does not depend on the
 * number of workers. The history each task needs is loaded once per thread and cached.
 */
import { Worker } from 'node:worker_threads';
import type { PriceHistory } from '../../core/history/price-history.js';
import type { MarketHistory } from '../../core/scenarios/historical-scenarios.js';
import {
  replayOptimisedBooks,
  runBacktest,
  runCrashReplays,
  runOptimisedBacktest,
  type BacktestBook,
  type BacktestHistory,
  type BacktestInput,
  type BacktestRun,
  type CrashReplay,
  type CrashWindow,
  type OptimisedBacktestInput,
  type OptimisedBacktestRun,
  type OptimisedCrashRow,
  type OptimiseKeep,
} from '../../engine/backtest/index.js';
import type { BarHistory } from '../../core/history/align-history.js';
import type { LpSolver } from '../../core/optimise/index.js';
import { createHighsSolver } from '../solver/highs-solver.js';
import type { PricePath } from '../../engine/simulation/replay-path.js';
import { loadDailyHistory, loadDvol, loadHourlyHistory } from '../marketdata/history/load-history.js';
import { loadSplicedHourly } from '../marketdata/history/load-market-history.js';

/** Underlyings of the backtest market (hourly closes). */
export const BACKTEST_UNDERLYINGS = ['BTC', 'ETH', 'SOL'] as const;

/** A chunk of backtest steps. */
export interface BacktestTask {
  readonly kind: 'backtest';
  readonly input: Omit<BacktestInput, 'history' | 'onProgress'>;
  /** history directory (tests); default data/history */
  readonly dir?: string;
}

/** One crash replayed under some models. */
export interface CrashTask {
  readonly kind: 'crash';
  readonly crash: CrashWindow;
  readonly models: readonly string[];
  readonly accounts: number;
  readonly seed: number;
  readonly path?: PricePath;
  readonly funding?: readonly [number, number];
  readonly insuranceUsd?: number;
  readonly dir?: string;
}

/** A chunk of optimisation steps (docs/methodology/optimiser.md#on-the-backtest). */
export interface OptimiseTask {
  readonly kind: 'optimise';
  readonly input: Omit<OptimisedBacktestInput, 'history' | 'onProgress' | 'solver'>;
  readonly dir?: string;
}

/** The selected books and their optimised versions through one crash. */
export interface OptimiseCrashTask {
  readonly kind: 'optimise-crash';
  readonly crash: CrashWindow;
  readonly models: readonly string[];
  readonly books: readonly BacktestBook[];
  readonly keep: OptimiseKeep;
  readonly insuranceUsd?: number;
  readonly dir?: string;
}

export type Task = BacktestTask | CrashTask | OptimiseTask | OptimiseCrashTask;
export type TaskResult = BacktestRun | CrashReplay | OptimisedBacktestRun | OptimisedCrashRow[];

/** Steps (progress units) of a task. */
export function taskSize(t: Task): number {
  if (t.kind === 'optimise-crash') return 1;
  return t.kind === 'backtest' || t.kind === 'optimise'
    ? t.input.stepRange![1] - t.input.stepRange![0]
    : ((t.path === 'intrabar' ? 3 : 1) * Math.floor((t.crash.toMs - t.crash.fromMs) / 3_600_000) + 1) *
        t.models.length;
}

const cache = new Map<string, unknown>();
function cached<T>(key: string, load: () => T): T {
  if (!cache.has(key)) cache.set(key, load());
  return cache.get(key) as T;
}

/** Hourly BTC/ETH/SOL, DVOL and daily USDC/USDT closes (renamed to the asset) of the shipped history. */
export function backtestHistory(dir?: string): BacktestHistory {
  const d = dir === undefined ? {} : { dir };
  return cached(`backtest:${dir ?? ''}`, () => {
    const daily = loadDailyHistory({ symbols: ['USDC-USD', 'USDT-USD'], ...d });
    const stable: PriceHistory = {
      assets: ['USDC', 'USDT'],
      timesMs: daily.timesMs,
      stepMs: daily.stepMs,
      close: daily.close,
    };
    return {
      hourly: loadHourlyHistory({ symbols: BACKTEST_UNDERLYINGS, ...d }),
      dvol: loadDvol({ ...d }),
      stable,
      statistical: loadSplicedHourly({ symbols: BACKTEST_UNDERLYINGS, ...d }),
    };
  });
}

/**
 * Hourly BTC/ETH/SOL (extended back with daily closes for the statistical models) and USDC (so
 * that the 2023-03 depeg moves USDC collateral; not extended: USDC is 1 before its hourly data)
 * and DVOL.
 */
export function crashHistory(dir?: string): MarketHistory {
  const d = dir === undefined ? {} : { dir };
  return cached(`crash:${dir ?? ''}`, () => ({
    hourly: loadSplicedHourly({
      symbols: [...BACKTEST_UNDERLYINGS, 'USDC'],
      extend: BACKTEST_UNDERLYINGS,
      ...d,
    }),
    dvol: loadDvol({ ...d }),
  }));
}

let solver: Promise<LpSolver> | undefined;
/** The thread's solver (loaded once). */
function threadSolver(): Promise<LpSolver> {
  solver ??= createHighsSolver();
  return solver;
}

/** Runs one task in this thread; `onProgress(done)` counts its steps. */
export async function runTask(t: Task, onProgress?: (done: number) => void): Promise<TaskResult> {
  if (t.kind === 'optimise') {
    return runOptimisedBacktest({
      ...t.input,
      history: backtestHistory(t.dir),
      solver: await threadSolver(),
      ...(onProgress !== undefined && { onProgress: (d: number) => onProgress(d) }),
    });
  }
  if (t.kind === 'optimise-crash') {
    const history = backtestHistory(t.dir);
    return replayOptimisedBooks({
      crashes: [t.crash],
      models: t.models,
      books: t.books,
      history,
      bars: history.hourly as BarHistory,
      solver: await threadSolver(),
      keep: t.keep,
      ...(t.insuranceUsd !== undefined && { insuranceUsd: t.insuranceUsd }),
    });
  }
  if (t.kind === 'backtest')
    return runBacktest({
      ...t.input,
      history: backtestHistory(t.dir),
      ...(onProgress !== undefined && { onProgress: (d: number) => onProgress(d) }),
    });
  return runCrashReplays({
    crashes: [t.crash],
    models: t.models,
    accounts: t.accounts,
    seed: t.seed,
    history: crashHistory(t.dir),
    ...(t.path !== undefined && { path: t.path }),
    ...(t.funding !== undefined && { funding: t.funding }),
    ...(t.insuranceUsd !== undefined && { insuranceUsd: t.insuranceUsd }),
    ...(onProgress !== undefined && { onProgress: (d: number) => onProgress(d) }),
  })[0]!;
}

/** Messages between the pool and a worker. */
export type ToWorker = { readonly id: number; readonly task: Task } | { readonly id: -1 };
export type FromWorker =
  | { readonly id: number; readonly type: 'progress'; readonly done: number }
  | { readonly id: number; readonly type: 'result'; readonly result: TaskResult }
  | { readonly id: number; readonly type: 'error'; readonly message: string };

/**
 * Runs the tasks on `workers` threads (1 = in this thread), in order of submission as threads
 * free up; resolves to the results in task order.
 * @param onProgress  (done, total) in steps over all tasks
 */
export async function runTasks(
  tasks: readonly Task[],
  workers: number,
  onProgress?: (done: number, total: number) => void,
): Promise<TaskResult[]> {
  const total = tasks.reduce((s, t) => s + taskSize(t), 0);
  const done = tasks.map(() => 0);
  const report = () =>
    onProgress?.(
      done.reduce((a, b) => a + b, 0),
      total,
    );
  if (workers <= 1) {
    const out: TaskResult[] = [];
    for (const [i, t] of tasks.entries())
      out.push(
        await runTask(t, (d) => {
          done[i] = d;
          report();
        }),
      );
    return out;
  }
  const results: TaskResult[] = new Array<TaskResult>(tasks.length);
  let next = 0;
  const url = new URL('./backtest-worker.js', import.meta.url);
  const pool = Array.from({ length: Math.min(workers, tasks.length) }, () => new Worker(url));
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= tasks.length) {
                resolve();
                return;
              }
              const id = next++;
              w.postMessage({ id, task: tasks[id]! } satisfies ToWorker);
            };
            w.on('message', (m: FromWorker) => {
              if (m.type === 'progress') {
                done[m.id] = m.done;
                report();
              } else if (m.type === 'result') {
                results[m.id] = m.result;
                done[m.id] = taskSize(tasks[m.id]!);
                report();
                feed();
              } else reject(new Error(`backtest worker: ${m.message}`));
            });
            w.on('error', reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
