/**
 * The optimiser measured on the backtest (docs/methodology/optimiser.md#on-the-backtest).
 *
 * Rebalancing: at every optimisation step t (every `stepDays`, weekly by default in the CLI), each
 * single-template book is instantiated as in the backtest (book-template.ts), the market of t lists
 * its instruments and a fixed candidate set per underlying it trades ({@link candidateLegs}: the
 * perpetual, two futures, 30- and 60-day options at five strikes), and the optimiser
 * (core/optimise, goal `release`) proposes the trades that minimise IM + execution cost under
 * the model. The optimised book is carried over the margin period of risk h exactly as the
 * original is:
 *
 *   L_orig(t) = V_orig(t) − V_orig(t + h),   L_opt(t) = V_opt(t) − V_opt(t + h)
 *
 * V the mark-to-market value of the same positions and collateral repriced on the market of
 * t + h (run-backtest.ts); the execution cost is paid at t and reported separately, not in L.
 * An exceedance is L > IM of the same book. IM is the model's own computation of each book
 * (the optimiser's verified figure). A step at which the optimiser refuses (infeasible,
 * unverified, solver failure) counts as an error and carries the original book (no trade).
 *
 * Crash replays: at each crash's start each book (and its optimised version) is funded at its own
 * IM (its stablecoin collateral set so that equity = IM, never below zero) and replayed through
 * the crash by the engine's venue runtime (engine/crossvenue replayBooks: intrabar lows and highs,
 * the one liquidation path): bad debt and liquidations side by side.
 *
 * Units: USD, ms UTC, days. Deterministic (the solver is deterministic for a given problem).
 */
import { InvalidInputError } from '../../core/errors.js';
import type { BarHistory } from '../../core/history/align-history.js';
import { formatUtcTime } from '../../core/history/utc-time.js';
import { createMarginContext, type MarginContext } from '../../core/margin/margin-model.js';
import { getMarginModel, STATISTICAL_MODELS } from '../../core/margin/registry.js';
import {
  DEFAULT_OPTIMISER_PARAMS,
  defaultCandidates,
  optimiseTrades,
  OPTIMISABLE_MODELS,
  type LpSolver,
  type OptimiseResult,
  type OptimiserParams,
} from '../../core/optimise/index.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import { valuePortfolio } from '../../core/portfolio/valuation.js';
import { replayBooks, type ReplayOutcome } from '../crossvenue/replay-across-venues.js';
import { addUsdc } from '../simulation/sim-portfolio.js';
import {
  instantiateTemplate,
  templateAssets,
  type BacktestInstrument,
  type BookTemplate,
  type TemplateLeg,
} from './book-template.js';
import { buildBacktestMarket, marketDataAt, type BacktestHistory } from './backtest-market.js';
import { coverageLevel } from './coverage-level.js';
import { coverageStats, type CoverageStats } from './backtest-stats.js';
import type { CrashWindow } from './crash-replays.js';
import { backtestTimes, withEntries, type BacktestBook, type ModelBookErrors } from './run-backtest.js';

const DAY_MS = 86_400_000;

/** The candidate legs listed per underlying a book trades (one contract each: only the ids matter). */
export function candidateLegs(underlying: string): TemplateLeg[] {
  const legs: TemplateLeg[] = [
    { kind: 'perpetual', underlying, contracts: 1 },
    { kind: 'future', underlying, tenorDays: 30, contracts: 1 },
    { kind: 'future', underlying, tenorDays: 90, contracts: 1 },
  ];
  for (const tenorDays of [30, 60])
    for (const moneyness of [0.9, 0.95, 1, 1.05, 1.1])
      for (const optionType of ['call', 'put'] as const)
        legs.push({ kind: 'option', underlying, tenorDays, moneyness, optionType, contracts: 1 });
  return legs;
}

/**
 * What the optimised book keeps: 'none' (the optimiser may hedge the book away), or 'exposure'
 * (each underlying's delta and the book's vega unchanged: the book restructured, not closed).
 */
export type OptimiseKeep = 'none' | 'exposure';

/** A book of the optimised backtest at one time: the original, its market and candidates. */
export interface OptimisedStep {
  readonly timeMs: number;
  readonly market: MarginMarket;
  readonly ctx: MarginContext;
  /** instruments listed (the book's and the candidates'), for the market of t + h */
  readonly instruments: readonly BacktestInstrument[];
  readonly portfolio: Portfolio;
  readonly result: OptimiseResult;
}

/** Where the statistical models read their history, as the backtest does. */
function statisticalHistory(h: BacktestHistory, model: string) {
  return STATISTICAL_MODELS.has(model)
    ? { hourly: h.statistical ?? h.hourly, ...(h.dvol !== undefined && { dvol: h.dvol }) }
    : undefined;
}

/**
 * Instantiates `template` at `timeMs`, lists it with the candidates of its underlyings, and
 * optimises it under `model` (goal release): one optimisation of the backtest.
 * @returns undefined when the template cannot be priced at `timeMs`
 * @throws as optimiseTrades (RiskError / XmarginError: infeasible, unverified, solver failure)
 */
export function optimiseBookAt(
  template: BookTemplate,
  timeMs: number,
  history: BacktestHistory,
  model: string,
  solver: LpSolver,
  params: OptimiserParams = DEFAULT_OPTIMISER_PARAMS,
  keep: OptimiseKeep = 'none',
): OptimisedStep | undefined {
  const d0 = marketDataAt(history, timeMs);
  const book = instantiateTemplate(template, timeMs, d0.prices);
  if (book === undefined) return undefined;
  const underlyings = [...new Set(template.legs.map((l) => l.underlying))];
  const cands = instantiateTemplate(
    { id: `${template.id}-candidates`, legs: underlyings.flatMap(candidateLegs), collateral: [] },
    timeMs,
    d0.prices,
  );
  const listed = [...book.instruments, ...(cands?.instruments ?? [])].filter(
    (i) => i.kind !== 'option' || d0.vols[i.underlying] !== undefined,
  );
  if (book.instruments.some((i) => !listed.includes(i))) return undefined;
  const market = buildBacktestMarket(d0, listed);
  const ctx = createMarginContext(market, statisticalHistory(history, model));
  const m = getMarginModel(model);
  const result = optimiseTrades({
    portfolio: book.portfolio,
    ctx,
    model: m,
    modelParams: m.defaultParams,
    goal: 'release',
    ...(keep === 'exposure' && { bands: { delta: 0, vegaUsd: 0 } }),
    candidates: defaultCandidates(market, params),
    params,
    solver,
  });
  return { timeMs, market, ctx, instruments: listed, portfolio: book.portfolio, result };
}

/** Input of {@link runOptimisedBacktest}. */
export interface OptimisedBacktestInput {
  readonly fromMs: number;
  readonly toMs: number;
  /** days between optimisations (rebalancing), integer ≥ 1 */
  readonly stepDays: number;
  /** margin period of risk h, days, integer ≥ 1 */
  readonly mprDays: number;
  /** models optimised under (OPTIMISABLE_MODELS) */
  readonly models: readonly string[];
  /** single-template books (a pooled book is refused) */
  readonly books: readonly BacktestBook[];
  readonly history: BacktestHistory;
  readonly solver: LpSolver;
  readonly params?: OptimiserParams;
  /** what the optimised book keeps (default 'none') */
  readonly keep?: OptimiseKeep;
  /** only the steps [start, end) (a worker's chunk); default all */
  readonly stepRange?: readonly [number, number];
  readonly onProgress?: (done: number, total: number) => void;
}

/** Per-step series of one book under one model (NaN where not observed). */
export interface OptimisedSeries {
  readonly book: string;
  readonly model: string;
  readonly hedged: boolean;
  readonly imBeforeUsd: Float64Array;
  readonly imAfterUsd: Float64Array;
  readonly lossBeforeUsd: Float64Array;
  readonly lossAfterUsd: Float64Array;
  /** exact execution cost of the trades, USD */
  readonly costUsd: Float64Array;
  /** number of trades proposed */
  readonly trades: Float64Array;
  /** |verified IM − solver IM| of the answer, USD */
  readonly verifyDiffUsd: Float64Array;
}

/** Raw output of {@link runOptimisedBacktest}. */
export interface OptimisedBacktestRun {
  readonly stepDays: number;
  readonly mprDays: number;
  readonly keep: OptimiseKeep;
  readonly timesMs: readonly number[];
  readonly series: readonly OptimisedSeries[];
  readonly errors: readonly ModelBookErrors[];
  readonly stepRange: readonly [number, number];
}

/**
 * Optimises every book under every model at every step and carries both books over h (module
 * header).
 * @throws InvalidInputError for a model without an LP form, a pooled book, bad step/MPR or range
 */
export function runOptimisedBacktest(input: OptimisedBacktestInput): OptimisedBacktestRun {
  if (!(Number.isInteger(input.stepDays) && input.stepDays >= 1))
    throw new InvalidInputError('stepDays', input.stepDays, 'must be an integer ≥ 1');
  if (!(Number.isInteger(input.mprDays) && input.mprDays >= 1))
    throw new InvalidInputError('mprDays', input.mprDays, 'must be an integer ≥ 1');
  for (const m of input.models)
    if (!(OPTIMISABLE_MODELS as readonly string[]).includes(m))
      throw new InvalidInputError(
        '--optimise',
        m,
        `must list models the optimiser has an LP form for: ${OPTIMISABLE_MODELS.join(', ')}`,
      );
  for (const b of input.books)
    if (b.accounts.length !== 1)
      throw new InvalidInputError('books', b.id, 'must be single-template books to optimise');
  const timesMs = backtestTimes(input.fromMs, input.toMs, input.stepDays, input.mprDays);
  const K = timesMs.length;
  const [k0, k1] = input.stepRange ?? [0, K];
  if (!(Number.isInteger(k0) && Number.isInteger(k1) && k0 >= 0 && k1 <= K && k0 <= k1))
    throw new InvalidInputError('stepRange', input.stepRange, `must be integers 0 ≤ start ≤ end ≤ ${K}`);
  const nan = () => new Float64Array(K).fill(NaN);
  const series: OptimisedSeries[] = input.books.flatMap((b) =>
    input.models.map((model) => ({
      book: b.id,
      model,
      hedged: b.hedged === true,
      imBeforeUsd: nan(),
      imAfterUsd: nan(),
      lossBeforeUsd: nan(),
      lossAfterUsd: nan(),
      costUsd: nan(),
      trades: nan(),
      verifyDiffUsd: nan(),
    })),
  );
  const errors = new Map<string, ModelBookErrors>();
  const fail = (model: string, book: string, t: number, e: unknown) => {
    const key = `${model}\u0000${book}`;
    const hit = errors.get(key);
    if (hit) hit.count++;
    else
      errors.set(key, {
        model,
        book,
        count: 1,
        first: e instanceof Error ? e.message : String(e),
        firstTimeMs: t,
      });
  };
  const params = input.params ?? DEFAULT_OPTIMISER_PARAMS;
  for (let k = k0; k < k1; k++) {
    const t = timesMs[k]!;
    const d1 = marketDataAt(input.history, t + input.mprDays * DAY_MS);
    let s = 0;
    for (const b of input.books) {
      const tpl = b.accounts[0]!;
      for (const model of input.models) {
        const out = series[s++]!;
        let step: OptimisedStep | undefined;
        try {
          step = optimiseBookAt(tpl, t, input.history, model, input.solver, params, input.keep);
        } catch (e) {
          fail(model, b.id, t, e);
          continue;
        }
        if (step === undefined) continue;
        let m1: MarginMarket;
        try {
          if (!templateAssets(tpl).every((a) => a === 'USD' || d1.prices[a] !== undefined))
            throw new InvalidInputError('history', t, 'must price the book at t + h');
          m1 = buildBacktestMarket(d1, step.instruments);
        } catch (e) {
          fail(model, b.id, t, e);
          continue;
        }
        const r = step.result;
        const loss = (pf: Portfolio) => {
          const p = withEntries(pf, step.market);
          return valuePortfolio(p, step.market).equityUsd - valuePortfolio(p, m1).equityUsd;
        };
        out.imBeforeUsd[k] = r.before.initialUsd;
        out.imAfterUsd[k] = r.after.initialUsd;
        out.lossBeforeUsd[k] = loss(step.portfolio);
        out.lossAfterUsd[k] = loss(r.portfolioAfter);
        out.costUsd[k] = r.costUsd;
        out.trades[k] = r.trades.length;
        out.verifyDiffUsd[k] = Math.abs(r.verification.differenceUsd);
      }
    }
    input.onProgress?.(k + 1 - k0, k1 - k0);
  }
  return {
    stepDays: input.stepDays,
    mprDays: input.mprDays,
    keep: input.keep ?? 'none',
    timesMs,
    series,
    errors: [...errors.values()],
    stepRange: [k0, k1],
  };
}

/**
 * Merges runs of the same input over disjoint step ranges (worker chunks).
 * @throws InvalidInputError when the parts differ or overlap
 */
export function mergeOptimisedRuns(parts: readonly OptimisedBacktestRun[]): OptimisedBacktestRun {
  const sorted = [...parts].sort((a, b) => a.stepRange[0] - b.stepRange[0]);
  const base = sorted[0];
  if (base === undefined) throw new InvalidInputError('parts', parts, 'must hold at least one run');
  const K = base.timesMs.length;
  const keys = [
    'imBeforeUsd',
    'imAfterUsd',
    'lossBeforeUsd',
    'lossAfterUsd',
    'costUsd',
    'trades',
    'verifyDiffUsd',
  ] as const;
  const series = base.series.map((x) => {
    const copy = { ...x } as Record<string, unknown>;
    for (const key of keys) copy[key] = new Float64Array(K).fill(NaN);
    return copy as unknown as OptimisedSeries;
  });
  const errors = new Map<string, ModelBookErrors>();
  let end = base.stepRange[0];
  for (const p of sorted) {
    if (p.timesMs.length !== K || p.series.length !== series.length)
      throw new InvalidInputError('parts', p.stepRange, 'must be runs of the same input');
    if (p.stepRange[0] < end) throw new InvalidInputError('parts', p.stepRange, 'must not overlap');
    end = p.stepRange[1];
    const [k0, k1] = p.stepRange;
    p.series.forEach((x, i) => {
      for (const key of keys) series[i]![key].set(x[key].subarray(k0, k1), k0);
    });
    for (const e of p.errors) {
      const key = `${e.model}\u0000${e.book}`;
      const hit = errors.get(key);
      if (hit === undefined) errors.set(key, { ...e });
      else hit.count += e.count;
    }
  }
  return { ...base, series, errors: [...errors.values()], stepRange: [base.stepRange[0], end] };
}

/** Summary of one book under one model (or of the hedged books pooled: book `hedged`). */
export interface OptimisedSummary {
  readonly book: string;
  readonly model: string;
  /** steps with both books observed */
  readonly observations: number;
  /** steps at which trades were proposed */
  readonly stepsTraded: number;
  readonly meanImBeforeUsd: number | null;
  readonly meanImAfterUsd: number | null;
  /** 1 − Σ IM after / Σ IM before over the observed steps (the capital freed, fraction of IM) */
  readonly imFreedPct: number | null;
  /** Σ execution cost / Σ IM before */
  readonly costPctOfIm: number | null;
  readonly coverageBefore: CoverageStats;
  readonly coverageAfter: CoverageStats;
  /** largest |verified IM − solver IM|, USD */
  readonly worstVerifyDiffUsd: number | null;
  /** steps the optimiser refused (errors), and the first reason */
  readonly refused: number;
  readonly firstError: string | null;
}

/** Summaries per book and model, and the hedged books pooled per model (book `hedged`). */
export function summariseOptimised(run: OptimisedBacktestRun): OptimisedSummary[] {
  const models = [...new Set(run.series.map((s) => s.model))];
  const summarise = (book: string, model: string, xs: readonly OptimisedSeries[]): OptimisedSummary => {
    const target = coverageLevel(model).target;
    let n = 0;
    let traded = 0;
    let before = 0;
    let after = 0;
    let cost = 0;
    let worst: number | null = null;
    const hitsBefore: boolean[][] = [];
    const hitsAfter: boolean[][] = [];
    for (const x of xs) {
      const hb: boolean[] = [];
      const ha: boolean[] = [];
      for (let k = 0; k < x.imBeforeUsd.length; k++) {
        const ib = x.imBeforeUsd[k]!;
        const ia = x.imAfterUsd[k]!;
        const lb = x.lossBeforeUsd[k]!;
        const la = x.lossAfterUsd[k]!;
        if (![ib, ia, lb, la].every(Number.isFinite)) continue;
        n++;
        if (x.trades[k]! > 0) traded++;
        before += ib;
        after += ia;
        cost += x.costUsd[k]!;
        worst = Math.max(worst ?? 0, x.verifyDiffUsd[k]!);
        hb.push(lb > ib);
        ha.push(la > ia);
      }
      hitsBefore.push(hb);
      hitsAfter.push(ha);
    }
    const errs = run.errors.filter((e) => e.model === model && xs.some((x) => x.book === e.book));
    return {
      book,
      model,
      observations: n,
      stepsTraded: traded,
      meanImBeforeUsd: n > 0 ? before / n : null,
      meanImAfterUsd: n > 0 ? after / n : null,
      imFreedPct: before > 0 ? 1 - after / before : null,
      costPctOfIm: before > 0 ? cost / before : null,
      coverageBefore: coverageStats(hitsBefore, target),
      coverageAfter: coverageStats(hitsAfter, target),
      worstVerifyDiffUsd: worst,
      refused: errs.reduce((a, e) => a + e.count, 0),
      firstError: errs[0]?.first ?? null,
    };
  };
  const out: OptimisedSummary[] = [];
  for (const model of models) {
    const mine = run.series.filter((s) => s.model === model);
    for (const s of mine) out.push(summarise(s.book, model, [s]));
    const hedged = mine.filter((s) => s.hedged);
    if (hedged.length > 0) out.push(summarise('hedged', model, hedged));
  }
  return out;
}

/** One book under one model through one crash: the original next to the optimised, each funded at its IM. */
export interface OptimisedCrashRow {
  readonly crash: string;
  readonly book: string;
  readonly model: string;
  readonly imBeforeUsd: number | null;
  readonly imAfterUsd: number | null;
  readonly original: ReplayOutcome | null;
  readonly optimised: ReplayOutcome | null;
  /** why the row has no outcome (the book cannot be priced, the optimiser refused, ...) */
  readonly error: string | null;
}

/** The book with its stablecoin collateral set so that equity = IM (never below zero). */
function fundedAtIm(pf: Portfolio, market: MarginMarket, equityUsd: number, imUsd: number): Portfolio {
  const usdc = pf.collateral.get('USDC');
  const price = market.prices.get('USDC') ?? 1;
  const held = usdc === undefined ? 0 : (Number(usdc.units) / 10 ** usdc.asset.decimals) * price;
  const change = Math.max(imUsd - equityUsd, -Math.max(0, held));
  return addUsdc(pf, change, market);
}

/** Input of {@link replayOptimisedBooks}. */
export interface OptimisedCrashInput {
  readonly crashes: readonly CrashWindow[];
  readonly models: readonly string[];
  readonly books: readonly BacktestBook[];
  /** the backtest history (the start market) */
  readonly history: BacktestHistory;
  /** hourly bars (close, low, high) through the crashes */
  readonly bars: BarHistory;
  readonly solver: LpSolver;
  readonly params?: OptimiserParams;
  readonly keep?: OptimiseKeep;
  /** each side's insurance fund and backstop, USD (default replayBooks') */
  readonly insuranceUsd?: number;
}

/** Each book and its optimised version through each crash (module header). */
export function replayOptimisedBooks(input: OptimisedCrashInput): OptimisedCrashRow[] {
  const rows: OptimisedCrashRow[] = [];
  for (const crash of input.crashes)
    for (const b of input.books)
      for (const model of input.models) {
        const base = { crash: crash.id, book: b.id, model };
        try {
          const step = optimiseBookAt(
            b.accounts[0]!,
            crash.fromMs,
            input.history,
            model,
            input.solver,
            input.params,
            input.keep,
          );
          if (step === undefined)
            throw new InvalidInputError('book', b.id, 'must be priced at the crash start');
          const r = step.result;
          const orig = fundedAtIm(step.portfolio, step.market, r.before.equityUsd, r.before.initialUsd);
          // the optimised book after paying its execution cost from its stablecoins
          const paid = addUsdc(r.portfolioAfter, -r.costUsd, step.market);
          const opt = fundedAtIm(paid, step.market, r.before.equityUsd - r.costUsd, r.after.initialUsd);
          const { outcomes } = replayBooks(
            [
              { name: `${b.id}-original`, model, market: step.market, portfolio: orig },
              { name: `${b.id}-optimised`, model, market: step.market, portfolio: opt },
            ],
            input.bars,
            crash,
            input.insuranceUsd === undefined ? {} : { insuranceUsd: input.insuranceUsd },
          );
          rows.push({
            ...base,
            imBeforeUsd: r.before.initialUsd,
            imAfterUsd: r.after.initialUsd,
            original: outcomes[0]!,
            optimised: outcomes[1]!,
            error: null,
          });
        } catch (e) {
          rows.push({
            ...base,
            imBeforeUsd: null,
            imAfterUsd: null,
            original: null,
            optimised: null,
            error: e instanceof Error ? e.message : String(e),
          });
        }
      }
  return rows;
}

/** The optimiser section of the backtest report (docs/formats.md#backtest-report). */
export interface OptimiserSection {
  readonly models: readonly string[];
  readonly stepDays: number;
  readonly keep: OptimiseKeep;
  readonly steps: number;
  readonly summary: readonly OptimisedSummary[];
  readonly crashes: readonly OptimisedCrashRow[];
  readonly errors: readonly {
    readonly model: string;
    readonly book: string;
    readonly steps: number;
    readonly first: string;
    readonly firstTime: string;
  }[];
}

/** The report section of an optimised run and its crash rows. */
export function optimiserSection(
  run: OptimisedBacktestRun,
  crashes: readonly OptimisedCrashRow[],
): OptimiserSection {
  return {
    models: [...new Set(run.series.map((s) => s.model))],
    stepDays: run.stepDays,
    keep: run.keep,
    steps: run.timesMs.length,
    summary: summariseOptimised(run),
    crashes,
    errors: run.errors.map((e) => ({
      model: e.model,
      book: e.book,
      steps: e.count,
      first: e.first,
      firstTime: formatUtcTime(e.firstTimeMs),
    })),
  };
}
