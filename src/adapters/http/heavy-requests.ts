/**
 * @module adapters/http/heavy-requests
 *
 * Admission of the heavy requests (margin, what-if, risk, verdict, builder, optimiser, allocation,
 * cross-venue): each has a cost in work units, estimated before it runs from what it computes,
 *
 *   cost = Σ over the models it runs of  weight(model) × (positions + legs, at least 1) × passes
 *
 * with weight 1 for a rate-based model, 10 for a scenario-grid model, 100 for a statistical one
 * (`es`, `var`: thousands of historical scenarios), and `passes` the re-margins the route makes
 * (2 for a what-if's before and after, 40 for a liquidation search, 200 for the optimiser, ...;
 * {@link taskCost}). A key spends units from its own budget (token bucket: `costPerSec` units per
 * second, bursts of `burst`); an empty budget is 429 ERR_RATE_LIMITED with `Retry-After`. A cost
 * above `burst` is charged as `burst`, so one large book is served when its key is idle. Then the
 * task waits in the pool's bounded queue (explain-pool.ts; full: 503 ERR_UNAVAILABLE with
 * `Retry-After`). Nothing is computed or changed by a refused request.
 *
 * The cheap routes (venue, prices, instruments, sub-account, operations, the stream) are never
 * admitted here: they never wait behind a heavy one.
 */
import { XmarginError } from '../../core/errors.js';
import type { MarginContext } from '../../core/margin/margin-model.js';
import { STATISTICAL_MODELS } from '../../core/margin/registry.js';
import type { MarketHistory } from '../../core/scenarios/historical-scenarios.js';
import { ExplainPool, type ExplainPoolOptions } from './explain-pool.js';
import type { ExplainTask } from './explain-tasks.js';
import { RateLimiter } from './rate-limit.js';

/** Limits of the heavy requests. */
export interface HeavyRequestOptions extends ExplainPoolOptions {
  /** work units per second per key (> 0); default 200,000 */
  readonly costPerSec?: number;
  /** a key's budget when idle, work units (≥ 1); default 400,000 */
  readonly burst?: number;
}

/** Weight of a model in work units per position and pass (module header). */
export function modelWeight(name: string): number {
  if (name === 'es' || name === 'var') return 100;
  if (STATISTICAL_MODELS.has(name)) return 10;
  return GRID_MODELS.has(name) ? 10 : 1;
}

/** Models that value the book under a grid of scenarios (tens to hundreds). */
const GRID_MODELS: ReadonlySet<string> = new Set([
  'portfolio',
  'deribit-pm',
  'derive-pm2',
  'derive-srm',
  'binance-pm',
  'okx',
  'bybit',
]);

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const weights = (models: readonly { name: string }[]) => sum(models.map((m) => modelWeight(m.name)));

/** The cost of a task in work units (module header). */
export function taskCost(t: ExplainTask): number {
  switch (t.kind) {
    case 'margin':
      return (weights(t.models) + 10) * Math.max(1, t.portfolio.positions.length);
    case 'whatif':
      return weights(t.models) * (t.portfolio.positions.length + 1) * 2;
    case 'risk':
      return modelWeight(t.account.mode) * Math.max(1, t.account.portfolio.positions.length) * 40;
    case 'verdict':
      return modelWeight(t.account.mode) * (t.account.portfolio.positions.length + t.trades.length) * 80;
    case 'builder':
      return (
        (weights(t.models) + 40 * modelWeight(t.model)) *
        Math.max(1, t.portfolio.positions.length + t.legs.length)
      );
    case 'optimise':
      return (
        (modelWeight(t.model.name) * 200 + 2 * weights(t.compared)) *
        Math.max(1, t.portfolio.positions.length)
      );
    case 'allocate':
      return sum(
        t.accounts.map((a) => modelWeight(a.model.name) * Math.max(1, a.portfolio.positions.length) * 50),
      );
    case 'crossvenue':
      return 100 * Math.max(1, t.body.venues.length);
  }
}

/** The heavy requests' admission and their pool (module header). */
export class HeavyRequests {
  readonly pool: ExplainPool;
  readonly #budget: RateLimiter;
  readonly #now: () => number;

  constructor(
    options: HeavyRequestOptions = {},
    history?: MarketHistory,
    nowMs: () => number = () => performance.now(),
  ) {
    this.pool = new ExplainPool(options, history);
    this.#budget = new RateLimiter({
      ratePerSec: options.costPerSec ?? 200_000,
      burst: options.burst ?? 400_000,
    });
    this.#now = nowMs;
  }

  /** The budget every key has. */
  get limits(): { costPerSec: number; burst: number; maxQueued: number } {
    const p = this.#budget.params;
    return { costPerSec: p.ratePerSec, burst: p.burst, maxQueued: this.pool.maxQueued };
  }

  /**
   * Admits and runs a task for the key `keyHash` on the request's market context.
   * @throws 429 ERR_RATE_LIMITED when the key's budget cannot pay the cost, 503 ERR_UNAVAILABLE when
   *   the queue is full (both with `retryAfterMs`; nothing computed), or the task's own refusal
   */
  run(keyHash: string, task: ExplainTask, ctx: MarginContext | undefined): Promise<unknown> {
    const { ratePerSec, burst } = this.#budget.params;
    const cost = Math.min(burst, Math.max(1, Math.ceil(taskCost(task))));
    const d = this.#budget.take(keyHash, this.#now(), cost);
    if (!d.ok) {
      const rule = `heavy requests of a key cost <= ${ratePerSec} work units/s (bursts of ${burst})`;
      return Promise.reject(
        new XmarginError(
          'ERR_RATE_LIMITED',
          `the request costs ${cost} work units, more than the key has left: ${rule}; retry in ${d.retryAfterMs} ms`,
          { rule, cost, retryAfterMs: d.retryAfterMs },
        ),
      );
    }
    return this.pool.run(task, ctx);
  }

  /** Stops the pool's workers. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
