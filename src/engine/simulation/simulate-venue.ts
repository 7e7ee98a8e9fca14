/**
 * Venue replay (docs/methodology/simulation.md): a seeded book of accounts is carried through a
 * real hourly price path under each margin model independently; accounts whose equity falls below
 * MM are liquidated by the engine's planner, fees feed the insurance fund, a bankrupt deficit is
 * paid by the fund and any remainder (bad debt) is socialised by auto-deleveraging.
 *
 * Units: USD (float64) for values, ms UTC for times. Deterministic under the seed.
 * Accounting identity per step (tested, to rounding of collateral to base units):
 *   equity lost by liquidated accounts + ADL debits = costs + liquidator fees + Δ insurance fund
 * equivalently: equity lost by liquidated accounts = costs + liquidator fees + ΔIF − bad debt
 * + bad debt ADL could not cover (that rest stays as the bankrupt account's negative equity).
 */
import type { MarginModel } from '../../core/margin/margin-model.js';
import { createMarginContext } from '../../core/margin/margin-model.js';
import { getMarginModel } from '../../core/margin/registry.js';
import {
  DEFAULT_LIQUIDATION_PARAMS,
  planLiquidation,
  rankAdl,
  type LiquidationParams,
} from '../../core/liquidation/index.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import { valuePortfolio } from '../../core/portfolio/valuation.js';
import type { MarketHistory } from '../../core/scenarios/historical-scenarios.js';
import { generateVenue, type SimAccount } from './generate-venue.js';
import {
  buildSimMarket,
  createSimTemplate,
  SIM_OPTION_UNDERLYINGS,
  type SimMarketTemplate,
} from './sim-market.js';
import { addUsdc, settleExpired } from './sim-portfolio.js';
import { volsAt, type ReplayStep, type StepLedger, type ModelReport } from './simulation-types.js';
import { buildReplaySteps, type PricePath } from './replay-path.js';
import { attachReplayVols } from './replay-vols.js';
import { defaultInsuranceUsd } from './venue-funding.js';
import { maxFallPerDayOf } from '../../core/margin/fall-limit.js';
import { FallLimitTracker, scaledModel, scaleRequirement } from './fall-limit-tracker.js';

export type { ModelReport, StepLedger, AdlEvent } from './simulation-types.js';

/** Input of {@link simulateVenue}. */
export interface SimulationInput {
  /** first valuation time, ms UTC (prices: the close of the bar ending then) */
  readonly fromMs: number;
  /** last valuation time (inclusive), ms UTC */
  readonly toMs: number;
  /** hours between valuations, integer ≥ 1 */
  readonly stepHours: number;
  /** model names (registry) */
  readonly models: readonly string[];
  /** number of accounts */
  readonly accounts: number;
  readonly seed: number;
  /** hourly closes (BTC, ETH, SOL, ... up to at least toMs) and optional DVOL; also the es/var history */
  readonly history: MarketHistory;
  /** vol used for options when DVOL has no value at the start, annualised fraction (default 0.6) */
  readonly flatVol?: number;
  /**
   * insurance fund at the start, USD, the same for every model; default: 1% of the book's open
   * interest at the start (venue-funding.ts), which does not depend on the model
   */
  readonly insuranceUsd?: number;
  /** prices at the closes (default) or also at each hour's extremes (replay-path.ts) */
  readonly path?: PricePath;
  /**
   * each account's equity = its model's IM × U(lo, hi), every archetype alike; default: the
   * historical book (IM × U(1.3, 3), directional accounts at least notional / leverage)
   */
  readonly funding?: readonly [number, number];
  /** option vols move with DVOL and the spot rule (replay-vols.ts, default); false = held flat */
  readonly movingVol?: boolean;
  readonly liquidationParams?: LiquidationParams;
  /** called after every step of every model (done, total) */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Output of {@link simulateVenue}. */
export interface SimulationResult {
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepHours: number;
  readonly seed: number;
  readonly steps: number;
  readonly volSource: 'dvol' | 'flat';
  /** option vols at the first step (they move through the replay unless held flat) */
  readonly vols: Readonly<Record<string, number>>;
  readonly movingVol: boolean;
  readonly path: PricePath;
  /** the funding range, or null for the historical book (IM × U(1.3, 3), leverage floor) */
  readonly funding: readonly [number, number] | null;
  readonly models: readonly ModelReport[];
}

/** Valuation times, prices (replay-path.ts) and, unless held flat, option vols (replay-vols.ts). */
function replaySteps(input: SimulationInput): ReplayStep[] {
  const steps = buildReplaySteps({
    hourly: input.history.hourly,
    fromMs: input.fromMs,
    toMs: input.toMs,
    stepHours: input.stepHours,
    path: input.path ?? 'close',
    closeOnly: ['USDC', 'USDT'],
  });
  if (input.movingVol === false) return steps;
  return attachReplayVols({
    steps,
    underlyings: SIM_OPTION_UNDERLYINGS,
    hourly: input.history.hourly,
    ...(input.history.dvol !== undefined && { dvol: input.history.dvol }),
    flatVol: input.flatVol ?? 0.6,
  }).steps;
}

/**
 * Replays the price path for every model.
 * @throws InvalidInputError for an unknown model name
 */
export function simulateVenue(input: SimulationInput): SimulationResult {
  const steps = replaySteps(input);
  const first = steps[0];
  if (first === undefined) throw new RangeError('simulateVenue: empty range (from > to)');
  const dvol = volsAt(input.history.dvol, input.fromMs);
  const flat = input.flatVol ?? 0.6;
  const volSource = dvol.BTC !== undefined && dvol.ETH !== undefined ? 'dvol' : 'flat';
  const vols = first.vols ?? (volSource === 'dvol' ? dvol : { BTC: flat, ETH: flat });
  const template = createSimTemplate(input.fromMs, first.prices, vols, volSource);
  const models = input.models.map((name) => getMarginModel(name));
  const total = models.length * steps.length;
  const reports = models.map((model, m) =>
    simulateModel(input, model, template, steps, (k) => input.onProgress?.(m * steps.length + k, total)),
  );
  return {
    fromMs: input.fromMs,
    toMs: input.toMs,
    stepHours: input.stepHours,
    seed: input.seed,
    steps: steps.length,
    volSource,
    vols,
    movingVol: input.movingVol !== false,
    path: input.path ?? 'close',
    funding: input.funding ?? null,
    models: reports,
  };
}

interface Book {
  accounts: { id: string; kind: SimAccount['kind']; pf: Portfolio }[];
}

function simulateModel(
  input: SimulationInput,
  model: MarginModel<unknown>,
  template: SimMarketTemplate,
  steps: readonly ReplayStep[],
  progress: (k: number) => void,
): ModelReport {
  const lp = input.liquidationParams ?? DEFAULT_LIQUIDATION_PARAMS;
  const params = model.defaultParams;
  const report: ModelReport = {
    model: model.name,
    accounts: input.accounts,
    startEquityUsd: 0,
    unhealthyAtStart: 0,
    liquidations: 0,
    liquidatedAccounts: 0,
    bankruptcies: 0,
    totalCostUsd: 0,
    liquidatorFeesUsd: 0,
    insuranceFeesUsd: 0,
    insurance: { startUsd: 0, endUsd: 0, minUsd: 0 },
    badDebtUsd: 0,
    uncoveredUsd: 0,
    adlEvents: [],
    worstHealth: { ratio: Infinity, accountId: '', timeMs: input.fromMs },
    ledger: [],
  };
  try {
    const m0 = buildSimMarket(template, steps[0]!.timeMs, steps[0]!.prices, steps[0]!.vols);
    const ctx0 = createMarginContext(m0, input.history);
    const funding = input.funding && { cushion: input.funding, leverageFloor: false };
    const book: Book = {
      accounts: generateVenue(
        input.seed,
        input.accounts,
        m0,
        (pf) => model.compute(pf, ctx0, params),
        funding ?? {},
      ).map((a) => ({ id: a.id, kind: a.kind, pf: a.portfolio })),
    };
    const fall = new FallLimitTracker(maxFallPerDayOf(params));
    for (const a of book.accounts) {
      const r = model.compute(a.pf, ctx0, params);
      if (r.equityUsd < r.maintenanceUsd) report.unhealthyAtStart++;
      report.startEquityUsd += valuePortfolio(a.pf, m0).equityUsd;
    }
    let fund =
      input.insuranceUsd ??
      defaultInsuranceUsd(
        book.accounts.map((a) => a.pf),
        m0,
      );
    report.insurance = { startUsd: fund, endUsd: fund, minUsd: fund };
    const liquidated = new Set<string>();
    // Bankrupt accounts left with no positions: out of the book (never liquidated twice).
    const closed = new Set<string>();
    steps.forEach((step, k) => {
      const prev = k === 0 ? m0 : undefined;
      const market = prev ?? buildSimMarket(template, step.timeMs, step.prices, step.vols);
      for (const a of book.accounts) a.pf = settleExpired(a.pf, template, step.timeMs, step.prices, market);
      const ctx = k === 0 ? ctx0 : createMarginContext(market, input.history);
      const led: StepLedger = {
        timeMs: step.timeMs,
        liquidations: 0,
        equityLostUsd: 0,
        costsUsd: 0,
        liquidatorFeesUsd: 0,
        insuranceChangeUsd: 0,
        badDebtUsd: 0,
        adlUsd: 0,
      };
      const fundBefore = fund;
      for (const a of book.accounts) {
        if (closed.has(a.id)) continue;
        const raw = model.compute(a.pf, ctx, params);
        const g = fall.observe(a.id, raw.initialUsd, step.timeMs);
        const r = scaleRequirement(raw, g);
        if (r.maintenanceUsd > 0) {
          const ratio = r.equityUsd / r.maintenanceUsd;
          if (ratio < report.worstHealth.ratio)
            report.worstHealth = { ratio, accountId: a.id, timeMs: step.timeMs };
        }
        if (!(r.equityUsd < r.maintenanceUsd)) continue;
        const e0 = valuePortfolio(a.pf, market).equityUsd;
        const plan = planLiquidation(a.pf, ctx, scaledModel(model, g), params, lp);
        if (plan.status === 'healthy') continue;
        const before = a.pf;
        a.pf = plan.portfolioAfter;
        if (raw.initialUsd > 0)
          fall.rebase(a.id, model.compute(a.pf, ctx, params).initialUsd / raw.initialUsd);
        led.liquidations++;
        liquidated.add(a.id);
        led.costsUsd += plan.totalCostUsd;
        led.liquidatorFeesUsd += plan.liquidatorFeeUsd - plan.insuranceFundUsd;
        fund += plan.insuranceFundUsd;
        report.insuranceFeesUsd += plan.insuranceFundUsd;
        const deficit = -Math.min(0, valuePortfolio(a.pf, market).equityUsd);
        if (plan.status === 'bankrupt' || deficit > 0) {
          report.bankruptcies++;
          const paid = Math.min(fund, deficit);
          fund -= paid;
          const bad = deficit - paid;
          let taken = 0;
          if (bad > 0) {
            led.badDebtUsd += bad;
            taken = deleverage(book, a.id, before, bad, market, step.timeMs, report);
            led.adlUsd += taken;
            report.uncoveredUsd += bad - taken;
          }
          // The account is made whole only by what was actually paid; an uncovered rest stays as
          // its negative equity (a loss nobody absorbed, reported as uncoveredUsd).
          a.pf = addUsdc(a.pf, paid + taken, market);
          if (a.pf.positions.length === 0) closed.add(a.id);
        }
        led.equityLostUsd += e0 - valuePortfolio(a.pf, market).equityUsd;
      }
      led.insuranceChangeUsd = fund - fundBefore;
      report.insurance.minUsd = Math.min(report.insurance.minUsd, fund);
      if (led.liquidations > 0) {
        report.ledger.push(led);
        report.liquidations += led.liquidations;
        report.totalCostUsd += led.costsUsd;
        report.liquidatorFeesUsd += led.liquidatorFeesUsd;
        report.badDebtUsd += led.badDebtUsd;
      }
      progress(k + 1);
    });
    report.insurance.endUsd = fund;
    report.liquidatedAccounts = liquidated.size;
  } catch (e) {
    report.error = e instanceof Error ? e.message : String(e);
  }
  return report;
}

/**
 * Auto-deleveraging: `amountUsd` of bad debt is taken, in `rankAdl` order on the side opposite the
 * bankrupt account's largest position, from each ranked account's positive uPnL on that side
 * (capped at its equity), as a USDC debit. Returns the amount covered, USD.
 */
function deleverage(
  book: Book,
  bankruptId: string,
  before: Portfolio,
  amountUsd: number,
  market: MarginMarket,
  timeMs: number,
  report: ModelReport,
): number {
  const notional = (p: Portfolio['positions'][number]) =>
    Math.abs(p.size) * (market.instruments.get(p.instrument)?.markPrice ?? 0);
  const largest = [...before.positions].sort((x, y) => notional(y) - notional(x))[0];
  if (largest === undefined) return 0;
  const side = largest.size > 0 ? 'short' : 'long';
  const equity = new Map<string, number>();
  const candidates = book.accounts
    .filter((a) => a.id !== bankruptId)
    .map((a) => {
      const eq = valuePortfolio(a.pf, market).equityUsd;
      equity.set(a.id, eq);
      return {
        id: a.id,
        positions: a.pf.positions
          .filter((p) => p.entryPrice !== undefined && market.instruments.has(p.instrument))
          .map((p) => {
            const mark = market.instruments.get(p.instrument)!.markPrice;
            return {
              instrument: p.instrument,
              side: p.size > 0 ? ('long' as const) : ('short' as const),
              uPnlUsd: p.size * (mark - p.entryPrice!),
              leverage: notional(p) / Math.max(eq, 1),
            };
          }),
      };
    });
  let left = amountUsd;
  for (const r of rankAdl(candidates, side)) {
    if (left <= 0) break;
    const take = Math.min(left, Math.max(0, r.uPnlUsd), Math.max(0, equity.get(r.id) ?? 0));
    if (!(take > 0)) continue;
    const a = book.accounts.find((x) => x.id === r.id)!;
    a.pf = addUsdc(a.pf, -take, market);
    left -= take;
    report.adlEvents.push({ timeMs, bankruptId, accountId: r.id, rank: r.rank, side, amountUsd: take });
  }
  return amountUsd - left;
}
