/**
 * The backtest loop (docs/methodology/backtesting.md): at every step t of a history, each book
 * template is instantiated, every model computes its initial margin IM(t), and the realised loss
 * of the unchanged book over the margin period of risk h is
 *
 *   L(t) = V(t) − V(t + h)
 *
 * where V is the mark-to-market value of the same instruments and collateral (aged by h, repriced
 * on the market at t + h: spot, stablecoin prices and vols of then). An exceedance is L(t) > IM(t).
 * Statistics per model and book are in backtest-stats.ts.
 *
 * Units: USD (float64) for values, ms UTC for times, days for the step and h. Pure: history is
 * passed in; deterministic (the venue population is seeded by the caller).
 */
import { InvalidInputError } from '../../core/errors.js';
import { buildAccountRows, buildMarketRows, RowUniverse } from '../../core/margin/kernel/account-rows.js';
import { prepareMargin, type PreparedMargin } from '../../core/margin/kernel/prepared-margin.js';
import { createMarginContext, type MarginModel } from '../../core/margin/margin-model.js';
import { getMarginModel, STATISTICAL_MODELS } from '../../core/margin/registry.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import { valuePortfolio } from '../../core/portfolio/valuation.js';
import {
  instantiateTemplate,
  templateTenors,
  type BacktestInstrument,
  type BookTemplate,
  type InstantiatedBook,
} from './book-template.js';
import { coverageLevel } from './coverage-level.js';
import {
  buildBacktestMarket,
  marketDataAt,
  type BacktestHistory,
  type StepMarketData,
} from './backtest-market.js';

const DAY_MS = 86_400_000;

/** A book of the backtest: one template, or a population whose statistics are pooled. */
export interface BacktestBook {
  readonly id: string;
  /** where it comes from: `examples/` portfolios, the reference books, the venue population */
  readonly group: 'examples' | 'reference' | 'venue';
  /** one template (a single book) or many (pooled: exceedances summed over accounts) */
  readonly accounts: readonly BookTemplate[];
  /** counted in the "hedged books" capital figure */
  readonly hedged?: boolean;
}

/** Input of {@link runBacktest}. */
export interface BacktestInput {
  /** first valuation time, ms UTC */
  readonly fromMs: number;
  /** last time a loss may end at, ms UTC: steps t satisfy t + h ≤ toMs */
  readonly toMs: number;
  /** days between valuations, integer ≥ 1 */
  readonly stepDays: number;
  /** margin period of risk h, days, integer ≥ 1 */
  readonly mprDays: number;
  /** model names (registry); `isolated` is always computed as the capital baseline */
  readonly models: readonly string[];
  /**
   * models computed besides `models` as capital baselines (IM series only, not in `models`);
   * default ['isolated']. The CLI adds `isolated-cover` (rates recalibrated to a one-day cover).
   */
  readonly baselines?: readonly string[];
  readonly books: readonly BacktestBook[];
  readonly history: BacktestHistory;
  /** called after every step (done, total) */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * only the steps [start, end) of the run's times (a chunk for a worker; the series keep their
   * full length, NaN outside the chunk); default all. Steps are independent: chunks merge exactly
   * ({@link mergeBacktestRuns}).
   */
  readonly stepRange?: readonly [number, number];
}

/** Raw per-step series of one account (a template of a book). */
export interface AccountSeries {
  readonly book: string;
  readonly account: string;
  /** L(t), USD; NaN where the book could not be valued at t or t + h */
  readonly lossUsd: Float64Array;
  /** IM(t) per model name (including `isolated`), USD; NaN where not observed */
  readonly imUsd: ReadonlyMap<string, Float64Array>;
}

/** First error of a model on a book, and how many steps failed. */
export interface ModelBookErrors {
  readonly model: string;
  readonly book: string;
  count: number;
  readonly first: string;
  readonly firstTimeMs: number;
}

/** Raw output of {@link runBacktest}: times, series, errors and the per-step vol sources. */
export interface BacktestRun {
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepDays: number;
  readonly mprDays: number;
  readonly models: readonly string[];
  readonly books: readonly BacktestBook[];
  readonly timesMs: readonly number[];
  readonly accounts: readonly AccountSeries[];
  readonly errors: readonly ModelBookErrors[];
  /** steps whose market could not be built (every model unobserved then) */
  readonly skippedSteps: readonly { readonly timeMs: number; readonly reason: string }[];
  /** number of steps whose BTC vol came from DVOL / from realised vol */
  readonly volSteps: { dvol: number; realised: number };
  /** the steps computed, [start, end) */
  readonly stepRange: readonly [number, number];
}

/**
 * Coverage target of a model: the exceedance rate its IM claims (coverage-level.ts): 1 − α for
 * a VaR, the VaR-equivalent level of an ES (0.321% for ES 99%), 1% for the grids and rates.
 */
export function targetRate(model: MarginModel<unknown>): number {
  return coverageLevel(model.name).target;
}

/** The valuation times: from, from + step, … while t + h ≤ to. */
export function backtestTimes(fromMs: number, toMs: number, stepDays: number, mprDays: number): number[] {
  const out: number[] = [];
  for (let t = fromMs; t + mprDays * DAY_MS <= toMs; t += stepDays * DAY_MS) out.push(t);
  return out;
}

/** The portfolio with every linear position given an entry at its mark (so its P&L is in V). */
export function withEntries(pf: Portfolio, market: MarginMarket): Portfolio {
  return {
    collateral: pf.collateral,
    positions: pf.positions.map((p) =>
      p.entryPrice !== undefined || market.instruments.get(p.instrument)!.instrument.kind === 'option'
        ? p
        : { ...p, entryPrice: market.instruments.get(p.instrument)!.markPrice },
    ),
  };
}

/** Whether both markets can price every instrument of a book. */
function priceable(b: InstantiatedBook, d0: StepMarketData, d1: StepMarketData): boolean {
  return b.instruments.every(
    (i) =>
      d1.prices[i.underlying] !== undefined &&
      (i.kind !== 'option' || (d0.vols[i.underlying] !== undefined && d1.vols[i.underlying] !== undefined)),
  );
}

/**
 * Runs the backtest loop (no statistics: see {@link summariseBacktest}).
 * @throws InvalidInputError for an unknown model, stepDays/mprDays out of range, a template whose
 *         shortest tenor is not longer than h, or an empty or repeated book id
 */
export function runBacktest(input: BacktestInput): BacktestRun {
  if (!(Number.isInteger(input.stepDays) && input.stepDays >= 1))
    throw new InvalidInputError('stepDays', input.stepDays, 'must be an integer ≥ 1');
  if (!(Number.isInteger(input.mprDays) && input.mprDays >= 1))
    throw new InvalidInputError('mprDays', input.mprDays, 'must be an integer ≥ 1');
  const names = [...new Set([...(input.baselines ?? ['isolated']), 'isolated', ...input.models])];
  const models = names.map((n) => getMarginModel(n));
  const ids = new Set<string>();
  for (const b of input.books) {
    if (b.id === '' || ids.has(b.id))
      throw new InvalidInputError('books', b.id, 'must have unique non-empty ids');
    ids.add(b.id);
    for (const a of b.accounts) {
      const tenor = templateTenors(a);
      if (tenor !== undefined && !(tenor.min > input.mprDays))
        throw new InvalidInputError(
          'mprDays',
          input.mprDays,
          `must be shorter than the shortest tenor of every book (${a.id}: ${tenor.min.toFixed(2)} days)`,
        );
    }
  }
  const needsHistory = models.some((m) => STATISTICAL_MODELS.has(m.name));
  const mh = needsHistory
    ? {
        hourly: input.history.statistical ?? input.history.hourly,
        ...(input.history.dvol !== undefined && { dvol: input.history.dvol }),
      }
    : undefined;
  const timesMs = backtestTimes(input.fromMs, input.toMs, input.stepDays, input.mprDays);
  const K = timesMs.length;
  const accounts: AccountSeries[] = input.books.flatMap((b) =>
    b.accounts.map((a) => ({
      book: b.id,
      account: a.id,
      lossUsd: new Float64Array(K).fill(NaN),
      imUsd: new Map(names.map((n) => [n, new Float64Array(K).fill(NaN)])),
    })),
  );
  const templates = input.books.flatMap((b) => b.accounts);
  const errors = new Map<string, ModelBookErrors>();
  const skippedSteps: { timeMs: number; reason: string }[] = [];
  const volSteps = { dvol: 0, realised: 0 };
  const [k0, k1] = input.stepRange ?? [0, K];
  if (!(Number.isInteger(k0) && Number.isInteger(k1) && k0 >= 0 && k1 <= K && k0 <= k1))
    throw new InvalidInputError('stepRange', input.stepRange, `must be integers 0 ≤ start ≤ end ≤ ${K}`);
  for (let k = k0; k < k1; k++) {
    const t = timesMs[k]!;
    const d0 = marketDataAt(input.history, t);
    const d1 = marketDataAt(input.history, t + input.mprDays * DAY_MS);
    if (d0.volSource.BTC === 'dvol') volSteps.dvol++;
    else if (d0.volSource.BTC === 'realised') volSteps.realised++;
    const books = templates.map((tpl) => {
      const b = instantiateTemplate(tpl, t, d0.prices);
      return b !== undefined && priceable(b, d0, d1) ? b : undefined;
    });
    const instruments: BacktestInstrument[] = books.flatMap((b) => b?.instruments ?? []);
    let m0: MarginMarket;
    let m1: MarginMarket;
    try {
      m0 = buildBacktestMarket(d0, instruments);
      m1 = buildBacktestMarket(d1, instruments);
    } catch (e) {
      skippedSteps.push({ timeMs: t, reason: e instanceof Error ? e.message : String(e) });
      input.onProgress?.(k + 1 - k0, k1 - k0);
      continue;
    }
    const ctx = createMarginContext(m0, mh);
    books.forEach((b, i) => {
      if (b === undefined) return;
      const pf = withEntries(b.portfolio, m0);
      accounts[i]!.lossUsd[k] = valuePortfolio(pf, m0).equityUsd - valuePortfolio(pf, m1).equityUsd;
    });
    // Every model prepared once for the step; every book margined by its kernel in one batch.
    const present = books.flatMap((b, i) => (b === undefined ? [] : [i]));
    const portfolios = present.map((i) => books[i]!.portfolio);
    const universe = new RowUniverse();
    const rows = buildMarketRows(m0, universe);
    const view = buildAccountRows(portfolios, universe);
    const ids = Int32Array.from(portfolios.keys());
    const out = { im: new Float64Array(portfolios.length), mm: new Float64Array(portfolios.length) };
    for (const model of models) {
      let kernel: PreparedMargin | undefined;
      let failure: string | undefined;
      try {
        kernel = prepareMargin(model, ctx, model.defaultParams, rows);
        kernel.margin(view, ids, ids.length, out, (a) => portfolios[a]!);
      } catch (e) {
        kernel = undefined; // the model cannot run at this step: each book reports why below
        failure = e instanceof Error ? e.message : String(e);
      }
      present.forEach((i, a) => {
        const acc = accounts[i]!;
        if (kernel !== undefined && Number.isFinite(out.im[a]!)) {
          acc.imUsd.get(model.name)![k] = out.im[a]!;
          return;
        }
        // A refusal: the model's own explanation says why (fail closed: no number for the book).
        let why = failure ?? 'the model could not value the book';
        if (kernel !== undefined)
          try {
            kernel.explain(portfolios[a]!);
          } catch (e) {
            why = e instanceof Error ? e.message : String(e);
          }
        const key = `${model.name}\u0000${acc.book}`;
        const hit = errors.get(key);
        if (hit) hit.count++;
        else errors.set(key, { model: model.name, book: acc.book, count: 1, first: why, firstTimeMs: t });
      });
    }
    input.onProgress?.(k + 1 - k0, k1 - k0);
  }
  return {
    fromMs: input.fromMs,
    toMs: input.toMs,
    stepDays: input.stepDays,
    mprDays: input.mprDays,
    models: input.models,
    books: input.books,
    timesMs,
    accounts,
    errors: [...errors.values()],
    skippedSteps,
    volSteps,
    stepRange: [k0, k1],
  };
}

/**
 * Merges runs of the same input over disjoint step ranges (worker chunks) into one run over their
 * union: series copied by range, error counts summed (first error = earliest), vol counts summed.
 * @throws InvalidInputError when the parts differ in times or accounts, or overlap
 */
export function mergeBacktestRuns(parts: readonly BacktestRun[]): BacktestRun {
  const sorted = [...parts].sort((a, b) => a.stepRange[0] - b.stepRange[0]);
  const base = sorted[0];
  if (base === undefined) throw new InvalidInputError('parts', parts, 'must hold at least one run');
  const accounts = base.accounts.map((a) => ({
    book: a.book,
    account: a.account,
    lossUsd: new Float64Array(a.lossUsd.length).fill(NaN),
    imUsd: new Map([...a.imUsd.keys()].map((m) => [m, new Float64Array(a.lossUsd.length).fill(NaN)])),
  }));
  const errors = new Map<string, ModelBookErrors>();
  const skippedSteps: { timeMs: number; reason: string }[] = [];
  const volSteps = { dvol: 0, realised: 0 };
  let end = base.stepRange[0];
  for (const p of sorted) {
    if (p.timesMs.length !== base.timesMs.length || p.accounts.length !== accounts.length)
      throw new InvalidInputError('parts', p.stepRange, 'must be runs of the same input');
    if (p.stepRange[0] < end) throw new InvalidInputError('parts', p.stepRange, 'must not overlap');
    end = p.stepRange[1];
    const [k0, k1] = p.stepRange;
    p.accounts.forEach((a, i) => {
      const into = accounts[i]!;
      into.lossUsd.set(a.lossUsd.subarray(k0, k1), k0);
      for (const [m, x] of a.imUsd) into.imUsd.get(m)!.set(x.subarray(k0, k1), k0);
    });
    for (const e of p.errors) {
      const key = `${e.model}\u0000${e.book}`;
      const hit = errors.get(key);
      if (hit === undefined) errors.set(key, { ...e });
      else hit.count += e.count;
    }
    skippedSteps.push(...p.skippedSteps);
    volSteps.dvol += p.volSteps.dvol;
    volSteps.realised += p.volSteps.realised;
  }
  return {
    ...base,
    accounts,
    errors: [...errors.values()],
    skippedSteps,
    volSteps,
    stepRange: [base.stepRange[0], end],
  };
}
