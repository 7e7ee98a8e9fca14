/**
 * @module adapters/http/explain-tasks
 *
 * The read-only model computations of the heavy routes ("explain on demand", DESIGN): margin side
 * by side, what-if, risk (liquidation prices, greeks, P&L curves), verdict, position builder,
 * optimiser, collateral allocation and the cross-venue view. Each task is a plain, structured-clone
 * -able description of its inputs (a snapshot of the sub-account's portfolio, the params of each
 * model in effect, the request's body) and {@link runExplainTask} turns it into the JSON the route
 * returns, given the market context of the request's time.
 *
 * The same function runs on a worker thread (explain-worker.ts) or, as a fallback, on the calling
 * thread (explain-pool.ts): one code path, so both give the same bytes. Nothing here reads or
 * writes the venue: the route resolves what it needs from the venue (on the main thread, where
 * every write happens) before the task is built.
 *
 * Memo: results that do not change until the sub-account's journal sequence moves (the what-if's
 * "before", an account's liquidation report) are kept in the environment of one market context;
 * a new market starts a new environment.
 */
import { XmarginError } from '../../core/errors.js';
import {
  computePortfolioGreeks,
  createRemargin,
  judgeWhatIf,
  liquidationReport,
  pnlCurve,
  type LiquidationReport,
  type Remargin,
} from '../../core/analytics/index.js';
import { computeCrossVenue } from '../../core/crossvenue/compute-cross-venue.js';
import { parseCrossVenueParams } from '../../core/crossvenue/cross-venue-params.js';
import type { HealthThresholds } from '../../core/margin/account-risk.js';
import { applyTrades, compareModels } from '../../core/margin/efficiency.js';
import type { MarginContext, MarginResult } from '../../core/margin/margin-model.js';
import { withFallFactor } from '../../core/margin/fall-limit.js';
import { getMarginModel } from '../../core/margin/registry.js';
import {
  DEFAULT_OPTIMISER_PARAMS,
  allocateCollateral,
  defaultCandidates,
  optimiseTrades,
} from '../../core/optimise/index.js';
import { parsePortfolio } from '../../core/portfolio/portfolio-file.js';
import { DEFAULT_PLAUSIBILITY } from '../../core/portfolio/plausibility.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import { valuePortfolio } from '../../core/portfolio/valuation.js';
import { toCrossVenueInput } from '../importers/combine-accounts.js';
import { importVenue } from '../importers/index.js';
import { createHighsSolver } from '../solver/highs-solver.js';
import { portfolioHeatmap } from './heatmap.js';

/** The models the margin comparison shows, in order. */
export const COMPARED_MODELS = ['isolated', 'cross', 'portfolio', 'es', 'deribit-pm', 'derive-pm2'] as const;

const bounds = DEFAULT_PLAUSIBILITY;

/** A model by name with the params in effect (resolved by the route from the venue). */
export interface ModelSpec {
  readonly name: string;
  readonly params: unknown;
  /** The fall limit's factor on the account's own mode (venue state; absent: 1). */
  readonly fallFactor?: number;
}

/** A hypothetical trade: size in contracts, signed; price in quote ccy (default the mark). */
export interface TaskTrade {
  readonly instrument: string;
  readonly size: number;
  readonly price?: number;
}

/** A sub-account as a task sees it: its key, its journal sequence (memo key) and its book. */
export interface TaskAccount {
  readonly key: string;
  readonly seq: number;
  readonly portfolio: Portfolio;
  readonly mode: string;
  readonly params: unknown;
  /** The fall limit's factor on its mode's requirement (venue state). */
  readonly fallFactor: number;
}

/** A model by name, its requirement scaled by the fall limit's factor where one is given. */
const modelOf = (name: string, fallFactor = 1) => withFallFactor(getMarginModel(name), fallFactor);

/** Every heavy computation, as data (module header). */
export type ExplainTask =
  | {
      readonly kind: 'margin';
      readonly portfolio: Portfolio;
      readonly mode: string;
      readonly models: readonly ModelSpec[];
    }
  | {
      readonly kind: 'whatif';
      readonly key: string;
      readonly seq: number;
      readonly portfolio: Portfolio;
      readonly trade: TaskTrade;
      readonly models: readonly ModelSpec[];
    }
  | {
      readonly kind: 'risk';
      readonly account: TaskAccount;
      readonly points: number;
      readonly head: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'verdict';
      readonly account: TaskAccount;
      readonly trades: readonly TaskTrade[];
      readonly thresholds: HealthThresholds;
      readonly bufferFraction: number;
      readonly maxLeverage: number | undefined;
      readonly feesUsd: number;
    }
  | {
      readonly kind: 'builder';
      readonly base: string | null;
      readonly portfolio: Portfolio;
      readonly model: string;
      readonly models: readonly ModelSpec[];
      readonly collateral: Readonly<Record<string, unknown>>;
      readonly legs: readonly TaskTrade[];
      readonly points: number;
      readonly timeMs: number;
    }
  | {
      readonly kind: 'optimise';
      readonly portfolio: Portfolio;
      readonly model: ModelSpec;
      readonly compared: readonly ModelSpec[];
      readonly body: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'allocate';
      readonly accounts: readonly {
        readonly id: string;
        readonly portfolio: Portfolio;
        readonly model: ModelSpec;
      }[];
      readonly buffer: number;
      readonly transferCostUsd: number;
      readonly maxTransfers: number | undefined;
    }
  | { readonly kind: 'crossvenue'; readonly body: CrossVenueBody };

/** The validated body of `POST /crossvenue` (crossvenue-contract.ts). */
export interface CrossVenueBody {
  readonly asOf?: string;
  readonly venues: readonly {
    readonly venue: string;
    readonly payloads: Readonly<Record<string, unknown>>;
  }[];
  readonly params?: unknown;
}

/** What a task computes against: the market of the request's time, and the memo of that market. */
export interface ExplainEnv {
  /** undefined when the venue has no market yet (only tasks that need none run then) */
  readonly ctx: MarginContext | undefined;
  readonly memo: Map<string, unknown>;
}

/** A new environment for a market context. */
export function explainEnv(ctx: MarginContext | undefined): ExplainEnv {
  return { ctx, memo: new Map() };
}

function memoOf<R>(env: ExplainEnv, key: string, compute: () => R): R {
  if (env.memo.has(key)) return env.memo.get(key) as R;
  if (env.memo.size >= 10_000) env.memo.clear();
  const r = compute();
  env.memo.set(key, r);
  return r;
}

function needCtx(env: ExplainEnv): MarginContext {
  if (!env.ctx)
    throw new XmarginError('ERR_MISSING_MARKET_DATA', 'the venue has no market yet: nothing to value', {
      field: 'market',
      rule: 'a market update must have been received',
    });
  return env.ctx;
}

/** Liquidation prices, greeks and a P&L curve per underlying of a prepared re-margin. */
function riskOf(rm: Remargin, points: number, liquidation: LiquidationReport = liquidationReport(rm)) {
  return {
    liquidation,
    greeks: computePortfolioGreeks(rm.portfolio, rm.ctx.market),
    curves: liquidation.underlyings.map((u) => pnlCurve(rm, u.underlying, { liquidation: u, points })),
  };
}

/** A sub-account under its own mode, prepared once per journal sequence (and market). */
function accountRisk(env: ExplainEnv, a: TaskAccount) {
  const ctx = needCtx(env);
  return memoOf(env, `account|${a.key}|${a.seq}|${a.fallFactor}`, () => {
    const rm = createRemargin(a.portfolio, ctx, modelOf(a.mode, a.fallFactor), a.params);
    return { rm, liquidation: liquidationReport(rm) };
  });
}

/** The rows of a comparison without the models' full results. */
function wireRows(rows: ReturnType<typeof compareModels>['rows']) {
  return rows.map(({ result: _r, ...r }) => ({
    ...r,
    releasedVsIsolatedUsd: r.releasedVsIsolatedUsd ?? null,
    releasedVsIsolatedPct: r.releasedVsIsolatedPct ?? null,
  }));
}

const specs = (models: readonly ModelSpec[]) =>
  models.map((m) => ({ model: modelOf(m.name, m.fallFactor), params: m.params }));

/**
 * Runs a task: the JSON body of its route.
 * @throws the route's refusals (XmarginError, as the route would throw them in-process)
 */
export async function runExplainTask(task: ExplainTask, env: ExplainEnv): Promise<unknown> {
  switch (task.kind) {
    case 'margin': {
      const ctx = needCtx(env);
      const { rows, errors } = compareModels(task.portfolio, ctx, specs(task.models));
      const own = rows.find((r) => r.model === task.mode);
      return {
        mode: task.mode,
        rows: wireRows(rows),
        errors,
        contributions: own?.result.contributions ?? [],
        heatmap: portfolioHeatmap(task.portfolio, ctx.market),
      };
    }
    case 'whatif': {
      const ctx = needCtx(env);
      // Once, before any model: an implausible size is the request's error, not a model's.
      const withTrade = applyTrades(task.portfolio, [task.trade], ctx, bounds);
      const rows = [];
      for (const { name, params, fallFactor } of task.models) {
        const model = modelOf(name, fallFactor);
        try {
          const before = memoOf(env, `before|${task.key}|${name}|${task.seq}|${fallFactor ?? 1}`, () =>
            model.compute(task.portfolio, ctx, params),
          );
          const after = model.compute(withTrade, ctx, params);
          const pick = (r: MarginResult) => ({
            initialUsd: r.initialUsd,
            maintenanceUsd: r.maintenanceUsd,
            equityUsd: r.equityUsd,
          });
          rows.push({
            model: name,
            before: pick(before),
            after: pick(after),
            deltaInitialUsd: after.initialUsd - before.initialUsd,
          });
        } catch (e) {
          // a bad size: every model would say the same, so report it once
          if ((e as { code?: string }).code === 'ERR_INVALID_INPUT') throw e;
          // a model that cannot value the book is left out, as in the margin comparison
        }
      }
      return { rows };
    }
    case 'risk': {
      const { rm, liquidation } = accountRisk(env, task.account);
      return { ...task.head, ...riskOf(rm, task.points, liquidation) };
    }
    case 'verdict': {
      const ctx = needCtx(env);
      const a = task.account;
      const v = judgeWhatIf(a.portfolio, task.trades, ctx, modelOf(a.mode, a.fallFactor), a.params, {
        bounds,
        thresholds: task.thresholds,
        bufferFraction: task.bufferFraction,
        ...(task.maxLeverage !== undefined ? { maxLeverage: task.maxLeverage } : {}),
        feesUsd: task.feesUsd,
        liquidationBefore: accountRisk(env, a).liquidation,
      });
      return { ...v, thresholds: task.thresholds };
    }
    case 'builder':
      return builder(task, needCtx(env));
    case 'optimise':
      return optimise(task, needCtx(env));
    case 'allocate': {
      const ctx = needCtx(env);
      return allocateCollateral({
        accounts: task.accounts.map((s) => ({
          id: s.id,
          model: getMarginModel(s.model.name),
          params: s.model.params,
          buffer: task.buffer,
          portfolio: s.portfolio,
        })),
        market: ctx.market,
        ctx,
        transferCostUsd: task.transferCostUsd,
        ...(task.maxTransfers !== undefined ? { maxTransfers: task.maxTransfers } : {}),
        params: DEFAULT_OPTIMISER_PARAMS,
        solver: await createHighsSolver(),
      });
    }
    case 'crossvenue':
      return crossVenue(task.body);
  }
}

function builder(task: Extract<ExplainTask, { kind: 'builder' }>, ctx: MarginContext) {
  const base = task.portfolio;
  const extra = parsePortfolio({ collateral: task.collateral }, ctx.market, { bounds });
  const collateral = new Map(base.collateral);
  for (const [a, c] of extra.collateral)
    collateral.set(a, { asset: c.asset, units: (collateral.get(a)?.units ?? 0n) + c.units });
  let pf: Portfolio;
  try {
    pf = applyTrades({ ...base, collateral }, task.legs, ctx, bounds);
  } catch (e) {
    // the builder's legs are its `trades`: name the field as the request does
    if (!(e instanceof XmarginError) || typeof e.details.field !== 'string') throw e;
    const field = e.details.field.replace(/^trades\[/, 'legs[');
    throw new XmarginError(
      e.code,
      e.message.replace(/^trades\[/, 'legs['),
      { ...e.details, field },
      { cause: e },
    );
  }
  const { rows, errors } = compareModels(pf, ctx, specs(task.models));
  const own = task.models.find((m) => m.name === task.model)!;
  let risk: ReturnType<typeof riskOf> | undefined;
  try {
    risk = riskOf(createRemargin(pf, ctx, getMarginModel(task.model), own.params), task.points);
  } catch (e) {
    if (!(e instanceof XmarginError) || e.code === 'ERR_INVARIANT') throw e;
    errors.push({ model: task.model, code: e.code, message: e.message });
  }
  const v = valuePortfolio(pf, ctx.market);
  return {
    base: task.base,
    model: task.model,
    timeMs: task.timeMs,
    positions: pf.positions.map((p) => ({ instrument: p.instrument, size: p.size })),
    collateral: v.collateral.map((c) => ({ asset: c.asset, amount: c.qty, valueUsd: c.valueUsd })),
    models: wireRows(rows),
    errors,
    liquidation: risk?.liquidation ?? null,
    greeks: risk?.greeks ?? computePortfolioGreeks(pf, ctx.market),
    curves: risk?.curves ?? [],
  };
}

async function optimise(task: Extract<ExplainTask, { kind: 'optimise' }>, ctx: MarginContext) {
  const body = task.body as {
    goal: 'release' | 'target' | 'close-only';
    targetImUsd?: number;
    budgetUsd?: number;
    maxTrades?: number;
    keepDelta?: number;
  };
  const r = optimiseTrades({
    portfolio: task.portfolio,
    ctx,
    model: getMarginModel(task.model.name),
    modelParams: task.model.params,
    goal: body.goal,
    ...(body.targetImUsd !== undefined ? { targetImUsd: body.targetImUsd } : {}),
    ...(body.budgetUsd !== undefined ? { budgetUsd: body.budgetUsd } : {}),
    ...(body.maxTrades !== undefined ? { maxTrades: body.maxTrades } : {}),
    ...(body.keepDelta !== undefined ? { bands: { delta: body.keepDelta } } : {}),
    candidates: defaultCandidates(ctx.market, DEFAULT_OPTIMISER_PARAMS),
    params: DEFAULT_OPTIMISER_PARAMS,
    solver: await createHighsSolver(),
  });
  const models = specs(task.compared);
  const before = compareModels(task.portfolio, ctx, models).rows;
  const after = compareModels(r.portfolioAfter, ctx, models).rows;
  const { resultBefore: _b, resultAfter: _a, portfolioAfter: _p, ...rest } = r;
  return {
    ...rest,
    sideBySide: task.compared.flatMap(({ name: m }) => {
      const b = before.find((x) => x.model === m);
      const a = after.find((x) => x.model === m);
      return b && a
        ? [
            {
              model: m,
              before: { initialUsd: b.initialUsd, maintenanceUsd: b.maintenanceUsd },
              after: { initialUsd: a.initialUsd, maintenanceUsd: a.maintenanceUsd },
            },
          ]
        : [];
    }),
  };
}

async function crossVenue(body: CrossVenueBody) {
  const asOfMs = body.asOf === undefined ? undefined : Date.parse(body.asOf);
  const accounts = body.venues.flatMap((v, i) =>
    importVenue(
      v.venue,
      Object.entries(v.payloads).map(([kind, json]) => ({ path: `${kind}.json`, json })),
      asOfMs,
      `venues[${i}].venue`,
    ),
  );
  const result = computeCrossVenue(
    toCrossVenueInput(accounts, parseCrossVenueParams(body.params)),
    await createHighsSolver(),
  );
  return {
    ...result,
    imports: accounts.map((a) => ({
      venue: a.venue,
      importer: a.importer,
      preset: a.preset.model,
      notes: a.notes,
    })),
  };
}
