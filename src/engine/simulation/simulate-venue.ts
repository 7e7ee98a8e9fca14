/**
 * Venue replay (docs/methodology/simulation.md): a seeded book of accounts is opened on the
 * engine's `Venue` and carried through a real hourly price path, under each margin model
 * independently (every account in that model's mode). Each step settles expiries and hands the
 * market and a fresh oracle to `Venue.updateMarket`, the one path from a price to a liquidation the
 * service runs: the same top-up, least-cost plan, collateral order, insurance fund and ADL.
 * The report is read off the venue's events and its journal.
 *
 * Units: USD (float64) for values, ms UTC for times. Deterministic under the seed.
 * Checked at every step: every asset sums to zero over the journal's accounts (nothing created or
 * lost); a break is an InvariantError, never a figure.
 */
import { InvariantError } from '../../core/errors.js';
import { fromUnits } from '../../core/ledger/convert.js';
import { createMarginContext } from '../../core/margin/margin-model.js';
import { prepareMargin } from '../../core/margin/kernel/prepared-margin.js';
import { buildMarketRows, RowUniverse } from '../../core/margin/kernel/account-rows.js';
import { maxFallPerDayOf } from '../../core/margin/fall-limit.js';
import { getMarginModel } from '../../core/margin/registry.js';
import { aggregateOracle } from '../../core/market/oracle-aggregate.js';
import type { LiquidationParams } from '../../core/liquidation/index.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { MarketHistory } from '../../core/scenarios/historical-scenarios.js';
import type { OracleAssetState, OracleStates } from '../policy/oracle-policy.js';
import { admitBook } from '../venue/admit-book.js';
import { settleExpiries } from '../venue/expiry-settlement.js';
import { VenueParamsHistory } from '../policy/venue-params.js';
import { Venue, type ModeParams } from '../venue/venue.js';
import type { VenueEvent } from '../venue/venue-types.js';
import { generateVenue } from './generate-venue.js';
import {
  buildSimMarket,
  createSimTemplate,
  SIM_OPTION_UNDERLYINGS,
  type SimMarketTemplate,
} from './sim-market.js';
import { volsAt, type ReplayStep, type StepLedger, type ModelReport } from './simulation-types.js';
import { buildReplaySteps, type PricePath } from './replay-path.js';
import { attachReplayVols } from './replay-vols.js';
import { defaultInsuranceUsd } from './venue-funding.js';

export type { ModelReport, StepLedger, AdlEvent } from './simulation-types.js';

const HOUR_MS = 3_600_000;
/** The simulation's collateral assets (the generator's). */
const ASSETS = ['USDC', 'BTC', 'ETH'] as const;

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
  /**
   * the venue holds each sub-account to its model's fall limit (`maxFallPerDay`, the `es` model's
   * 10% a day: engine/venue/venue-risk.ts; default); false = the venue param set to null (off)
   */
  readonly fallLimit?: boolean;
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
  /** whether the venue applied the models' fall limits */
  readonly fallLimit: boolean;
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
  for (const name of input.models) getMarginModel(name); // ERR_INVALID_INPUT naming `model`
  const total = input.models.length * steps.length;
  const reports = input.models.map((name, m) =>
    simulateModel(input, name, template, steps, (k) => input.onProgress?.(m * steps.length + k, total)),
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
    fallLimit: input.fallLimit !== false,
    path: input.path ?? 'close',
    funding: input.funding ?? null,
    models: reports,
  };
}

/** One source, the close, stamped at the step: fresh for the step's trading and liquidation. */
function oracleAt(timeMs: number, prices: Readonly<Record<string, number>>, stepMs: number): OracleStates {
  const out: Record<string, OracleAssetState> = {};
  for (const [asset, price] of Object.entries(prices)) {
    const result = aggregateOracle(
      [{ source: 'history-close', price, timestampMs: timeMs }],
      { method: 'median', minSources: 1, maxAgeMs: stepMs, maxDeviation: 0.5 },
      timeMs,
    );
    out[asset] = { result, lastFreshMs: timeMs };
  }
  return out;
}

const usdOf = (venue: Venue, account: string, market: MarginMarket) =>
  ASSETS.reduce(
    (s, a) =>
      s +
      fromUnits(venue.journal.balanceOf(account, a), venue.assetOf(a)!.decimals) *
        (market.prices.get(a) ?? 1),
    0,
  );

function emptyReport(model: string, input: SimulationInput): ModelReport {
  return {
    model,
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
}

function simulateModel(
  input: SimulationInput,
  name: string,
  template: SimMarketTemplate,
  steps: readonly ReplayStep[],
  progress: (k: number) => void,
): ModelReport {
  const report = emptyReport(name, input);
  try {
    const stepMs = input.stepHours * HOUR_MS;
    const m0 = buildSimMarket(template, steps[0]!.timeMs, steps[0]!.prices, steps[0]!.vols);
    const assets = ASSETS.map((s) => m0.assets.getAsset(s));
    const model = getMarginModel(name);
    // The fall limit off: the venue param `maxFallPerDay` set to null for a model that declares one.
    const params =
      input.fallLimit === false && maxFallPerDayOf(model.defaultParams) !== null
        ? new VenueParamsHistory<ModeParams>()
        : undefined;
    params?.propose(1, { [name]: { maxFallPerDay: null } }, 0);
    const venue = new Venue({
      assets,
      limits: { maxLeverage: 100 },
      history: input.history,
      ...(params ? { params } : {}),
      oraclePolicy: { riskIncreasingMaxAgeMs: stepMs, liquidationMaxAgeMs: stepMs },
      ...(input.liquidationParams ? { liquidation: input.liquidationParams } : {}),
    });
    venue.watchMargins(() => false);
    // Books sized on the model's own requirement (its explanation at the start market).
    const sizing = prepareMargin(
      model,
      createMarginContext(m0, input.history),
      model.defaultParams,
      buildMarketRows(m0, new RowUniverse()),
    );
    const funding = input.funding && { cushion: input.funding, leverageFloor: false };
    const generated = generateVenue(
      input.seed,
      input.accounts,
      m0,
      (pf) => sizing.explain(pf),
      funding ?? {},
    );
    let n = 0;
    const key = () => `sim-${++n}`;
    const ids = new Map<string, string>();
    for (const acct of generated) {
      const sub = venue.openSubAccount({ accountId: acct.id, subAccountId: 'main', mode: name });
      ids.set(sub.key, acct.id);
      admitBook(venue, sub.key, acct.portfolio, m0, key);
    }
    // Where the books start: unhealthy ones are counted before the first step liquidates them.
    venue.restoreMarket(m0, steps[0]!.timeMs, {
      oracle: oracleAt(steps[0]!.timeMs, steps[0]!.prices, stepMs),
    });
    for (const h of venue.healthAll()) {
      report.startEquityUsd += h.equityUsd;
      if (h.status === 'liquidatable' || h.status === 'bankrupt') report.unhealthyAtStart++;
    }
    const fundUsd =
      input.insuranceUsd ??
      defaultInsuranceUsd(
        generated.map((g) => g.portfolio),
        m0,
      );
    venue.restore({
      kind: 'deposit',
      key: key(),
      timeMs: m0.valuationMs,
      to: 'insurance-fund',
      asset: 'USDC',
      units: BigInt(Math.round(fundUsd * 1e6)),
    });
    const backstop = Math.max(1e9, 10 * report.startEquityUsd);
    venue.restore({
      kind: 'deposit',
      key: key(),
      timeMs: m0.valuationMs,
      to: venue.liquidatorKey,
      asset: 'USDC',
      units: BigInt(Math.round(backstop)) * 1_000_000n,
    });
    const fund0 = usdOf(venue, 'insurance-fund', m0);
    report.insurance = { startUsd: fund0, endUsd: fund0, minUsd: fund0 };
    const liquidated = new Set<string>();
    steps.forEach((step, k) => {
      const market = k === 0 ? m0 : buildSimMarket(template, step.timeMs, step.prices, step.vols);
      const events: VenueEvent[] = [];
      settleExpiries(venue, template, step.timeMs, step.prices, events);
      const fundBefore = usdOf(venue, 'insurance-fund', market);
      events.push(
        ...venue.updateMarket(market, step.timeMs, { oracle: oracleAt(step.timeMs, step.prices, stepMs) }),
      );
      for (const a of ASSETS)
        if (venue.journal.totalOf(a) !== 0n)
          throw new InvariantError(`asset ${a} does not sum to zero after step ${step.timeMs}`, {
            asset: a,
            timeMs: step.timeMs,
          });
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
      for (const e of events) {
        if (e.type === 'liquidation') {
          const r = e.record;
          led.liquidations++;
          liquidated.add(r.subAccount);
          led.costsUsd += r.costUsd;
          led.liquidatorFeesUsd += r.feeUsd - r.insuranceUsd;
          report.insuranceFeesUsd += r.insuranceUsd;
          led.equityLostUsd += r.before.equityUsd - r.after.equityUsd;
          if (r.bankrupt) {
            report.bankruptcies++;
            const bad = Math.max(0, r.deficitUsd - r.insurancePaidUsd);
            led.badDebtUsd += bad;
            led.adlUsd += r.adlUsd;
            report.uncoveredUsd += Math.max(0, bad - r.adlUsd);
          }
        } else if (e.type === 'operation' && e.op.kind === 'adl') {
          const op = e.op;
          report.adlEvents.push({
            timeMs: step.timeMs,
            bankruptId: ids.get(op.to) ?? op.to,
            accountId: ids.get(op.from) ?? op.from,
            rank:
              report.adlEvents.filter(
                (x) => x.timeMs === step.timeMs && x.bankruptId === (ids.get(op.to) ?? op.to),
              ).length + 1,
            side: op.size > 0 ? 'long' : 'short',
            amountUsd: fromUnits(op.units, venue.assetOf(op.asset)!.decimals),
          });
        }
      }
      const fundAfter = usdOf(venue, 'insurance-fund', market);
      led.insuranceChangeUsd = fundAfter - fundBefore;
      report.insurance.minUsd = Math.min(report.insurance.minUsd, fundAfter);
      const book = venue.book;
      for (let a = 0; a < book.size; a++) {
        const mm = book.mm[a]!;
        if (!(mm > 0)) continue;
        const ratio = book.equity[a]! / mm;
        if (ratio < report.worstHealth.ratio)
          report.worstHealth = { ratio, accountId: generated[a]!.id, timeMs: step.timeMs };
      }
      if (led.liquidations > 0) {
        report.ledger.push(led);
        report.liquidations += led.liquidations;
        report.totalCostUsd += led.costsUsd;
        report.liquidatorFeesUsd += led.liquidatorFeesUsd;
        report.badDebtUsd += led.badDebtUsd;
      }
      progress(k + 1);
    });
    report.insurance.endUsd = usdOf(
      venue,
      'insurance-fund',
      buildSimMarket(template, steps.at(-1)!.timeMs, steps.at(-1)!.prices),
    );
    report.liquidatedAccounts = liquidated.size;
  } catch (e) {
    report.error = e instanceof Error ? e.message : String(e);
  }
  return report;
}
