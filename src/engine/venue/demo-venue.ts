/**
 * @module engine/venue/demo-venue
 *
 * A demo venue for the service: BTC, ETH and SOL perpetuals, a dated BTC future and BTC/ETH option
 * chains (the simulation's template), USDC/BTC/ETH collateral, a seeded population of accounts with
 * the simulation's realistic mix (hedged option books, basis trades, directional leverage, short-vol
 * sellers, multi-collateral), spread over the four margin modes, and a replay of real hourly
 * history: `step()` moves to the next hour, settles expired instruments, and hands the market and
 * its oracle state to the venue, which re-margins and liquidates.
 *
 * Books are opened as trades priced by the engine at the generator's prices (options at their
 * mark: the buyer pays the premium, the seller receives it; perpetuals and futures at their entry,
 * no cash), without fees; equity at the mark is what the generator sized the collateral for.
 *
 * Oracle: each step's price is the aggregate of one source, the history's hourly close (time-stamped
 * at the step); the stable price is the previous step's close averaged with the current one, and the
 * conservative market is marked at it for initial margin. The venue's oracle policy is scaled to the
 * replay: a price is fresh for trading for two steps and for liquidation for one.
 *
 * The replay is a function of the history and the time alone (`replayStateAt`), so a restarted
 * service resumes it where it stopped (`resumeDemoReplay`) and rebuilds exactly the market the venue
 * was at. Deterministic under the seed; no clock (the caller paces the steps). Units: USD, ms UTC.
 */
import type { Asset } from '../../core/ledger/asset.js';
import { creditToUnits } from '../../core/ledger/convert.js';
import { getMarginModel } from '../../core/margin/registry.js';
import { createMarginContext } from '../../core/margin/margin-model.js';
import { buildMarketRows, RowUniverse } from '../../core/margin/kernel/account-rows.js';
import { prepareMargin, type PreparedMargin } from '../../core/margin/kernel/prepared-margin.js';
import { aggregateOracle } from '../../core/market/oracle-aggregate.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { MarketHistory } from '../../core/scenarios/historical-scenarios.js';
import { SeededRng } from '../../core/statistics/seeded-rng.js';
import type { MarginMode } from '../accounts.js';
import type { JournalEntry } from '../journal.js';
import type { Operation } from '../operations.js';
import type { OracleAssetState, OracleStates } from '../policy/oracle-policy.js';
import { generateVenue } from '../simulation/generate-venue.js';
import { buildSimMarket, createSimTemplate, type SimMarketTemplate } from '../simulation/sim-market.js';
import { pricesAt, volsAt } from '../simulation/simulation-types.js';
import { admitBook } from './admit-book.js';
import { settleExpiries } from './expiry-settlement.js';
import { Venue, type MarketUpdateOptions } from './venue.js';
import type { VenueEvent } from './venue-types.js';

const HOUR_MS = 3_600_000;

/** Share of the generated accounts per margin mode (sums to 1). */
export const DEMO_MODE_WEIGHTS: readonly (readonly [MarginMode, number])[] = [
  ['isolated', 0.25],
  ['cross', 0.35],
  ['portfolio', 0.3],
  ['es', 0.1],
];

/** The demo's assets: balances may hold these. */
export const DEMO_ASSETS = ['USDC', 'BTC', 'ETH'] as const;
/** The demo's priced underlyings. */
export const DEMO_UNDERLYINGS = ['BTC', 'ETH', 'SOL'] as const;

/** Options of {@link createDemoVenue}. */
export interface DemoVenueOptions {
  /** real history (hourly closes of BTC, ETH, SOL; DVOL optional) */
  readonly history: MarketHistory;
  readonly seed: number;
  /** generated accounts (≥ 1) */
  readonly accounts: number;
  /** first replayed hour, ms UTC (default 2022-11-06T00:00Z, the FTX week) */
  readonly fromMs?: number;
  /** last replayed hour (default fromMs + 14 days) */
  readonly toMs?: number;
  /** hours of history per step (default 1) */
  readonly stepHours?: number;
  /** insurance fund at the start, USDC (default 1,000,000) */
  readonly insuranceUsd?: number;
  /** the liquidator's (backstop's) capital, USDC (default 50,000,000) */
  readonly backstopUsd?: number;
}

/** One replay step. */
export interface DemoStep {
  readonly timeMs: number;
  readonly market: MarginMarket;
  readonly oracle: OracleStates;
  /** the venue's events, including the `operation` events of expiry settlements */
  readonly events: VenueEvent[];
}

/** The window and pace of a replay: with the history, all a restarted service needs to resume it. */
export interface DemoReplayWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepHours: number;
}

/** The market inputs of the replay at one step (a pure function of the history and the time). */
export interface DemoReplayState {
  readonly timeMs: number;
  readonly market: MarginMarket;
  /** the market update's options: oracle states and the conservative (stable-price) market */
  readonly options: Required<Pick<MarketUpdateOptions, 'oracle' | 'conservative'>>;
  readonly prices: Readonly<Record<string, number>>;
  /** the template with the option vols of this step */
  readonly template: SimMarketTemplate;
}

/** A replay driver over a venue. */
export interface DemoReplay extends DemoReplayWindow {
  readonly template: SimMarketTemplate;
  /** the time of the last step taken */
  timeMs(): number;
  /** the next step of history, or undefined at the end of the window */
  step(): DemoStep | undefined;
}

/** A demo venue and its replay. */
export interface DemoVenue extends DemoReplay {
  readonly venue: Venue;
  /**
   * the set-up operations (funding, generated books, and what the first market update did), in
   * order, for a store to persist before anything else
   */
  readonly setup: readonly { readonly op: Operation; readonly entry: JournalEntry }[];
}

export const DEMO_DEFAULT_FROM_MS = Date.UTC(2022, 10, 6);

/** The oracle policy scaled to a replay of `stepHours`-hour steps (module header). */
export function demoOraclePolicy(stepHours: number) {
  return { riskIncreasingMaxAgeMs: 2 * stepHours * HOUR_MS, liquidationMaxAgeMs: stepHours * HOUR_MS };
}

/** The template of a replay starting at `fromMs` (instruments listed at the start prices). */
export function demoTemplate(history: MarketHistory, fromMs: number): SimMarketTemplate {
  const prices0 = pricesAt(history.hourly, fromMs);
  const vols0 = volsAt(history.dvol, fromMs);
  return createSimTemplate(
    fromMs,
    prices0,
    { BTC: vols0.BTC ?? 0.6, ETH: vols0.ETH ?? 0.7 },
    vols0.BTC ? 'dvol' : 'flat',
  );
}

/**
 * The market the replay shows at step time `timeMs`: closes, DVOL vols, the oracle of one source
 * (the close, stamped at the step) with the stable price (mean of the previous and current close),
 * and the conservative market marked at min(stable, close).
 */
export function replayStateAt(
  history: MarketHistory,
  template: SimMarketTemplate,
  w: DemoReplayWindow,
  timeMs: number,
): DemoReplayState {
  const prices = pricesAt(history.hourly, timeMs);
  const prev = timeMs > w.fromMs ? pricesAt(history.hourly, timeMs - w.stepHours * HOUR_MS) : prices;
  const vols = volsAt(history.dvol, timeMs);
  const tpl: SimMarketTemplate =
    timeMs === w.fromMs
      ? template
      : {
          ...template,
          vols: { BTC: vols.BTC ?? template.vols.BTC ?? 0.6, ETH: vols.ETH ?? template.vols.ETH ?? 0.7 },
        };
  const stable = Object.fromEntries(Object.entries(prices).map(([a, p]) => [a, ((prev[a] ?? p) + p) / 2]));
  const oracle: Record<string, OracleAssetState> = {};
  for (const [asset, price] of Object.entries(prices)) {
    const result = aggregateOracle(
      [{ source: 'history-close', price, timestampMs: timeMs }],
      { method: 'median', minSources: 1, maxAgeMs: w.stepHours * HOUR_MS, maxDeviation: 0.5 },
      timeMs,
    );
    oracle[asset] = { result, stablePrice: stable[asset]!, lastFreshMs: timeMs };
  }
  const market = buildSimMarket(tpl, timeMs, prices);
  const conservative = buildSimMarket(tpl, timeMs, {
    ...prices,
    ...Object.fromEntries(Object.entries(stable).map(([a, s]) => [a, Math.min(s, prices[a]!)])),
  });
  return { timeMs, market, options: { oracle, conservative }, prices, template: tpl };
}

/**
 * A replay driver over `venue`, at step time `atMs` (the last step already applied to it): each
 * `step()` settles expiries, then updates the venue's market to the next hour.
 */
export function resumeDemoReplay(
  venue: Venue,
  history: MarketHistory,
  template: SimMarketTemplate,
  w: DemoReplayWindow,
  atMs: number,
): DemoReplay {
  let t = atMs;
  return {
    ...w,
    template,
    timeMs: () => t,
    step(): DemoStep | undefined {
      const next = t + w.stepHours * HOUR_MS;
      if (next > w.toMs) return undefined;
      const prices = pricesAt(history.hourly, next);
      if (!DEMO_UNDERLYINGS.every((a) => Number.isFinite(prices[a]))) return undefined;
      t = next;
      const s = replayStateAt(history, template, w, t);
      const events: VenueEvent[] = [];
      settleExpiries(venue, s.template, t, s.prices, events);
      events.push(...venue.updateMarket(s.market, t, s.options));
      return { timeMs: t, market: s.market, oracle: s.options.oracle, events };
    },
  };
}

/**
 * Builds the demo venue at `fromMs`: lists the instruments, funds the insurance fund and the
 * liquidator, generates the accounts and opens their books (admitted at the generator's cushion
 * over the IM of their mode), and takes the first market update.
 *
 * @throws InvalidInputError when the window is outside the history
 */
export function createDemoVenue(o: DemoVenueOptions): DemoVenue {
  const fromMs = o.fromMs ?? DEMO_DEFAULT_FROM_MS;
  const w: DemoReplayWindow = {
    fromMs,
    toMs: o.toMs ?? fromMs + 14 * 24 * HOUR_MS,
    stepHours: o.stepHours ?? 1,
  };
  const template = demoTemplate(o.history, fromMs);
  const start = replayStateAt(o.history, template, w, fromMs);
  const market0 = start.market;
  const assets: Asset[] = DEMO_ASSETS.map((s) => market0.assets.getAsset(s));
  const usdcAsset = assets[0]!;
  const venue = new Venue({
    assets,
    limits: { maxLeverage: 50 },
    history: o.history,
    oraclePolicy: demoOraclePolicy(w.stepHours),
  });
  const setup: { op: Operation; entry: JournalEntry }[] = [];
  let n = 0;
  const restore = (op: Operation) => setup.push({ op, entry: venue.restore(op) });
  const usdc = (x: number) => creditToUnits(x, usdcAsset.decimals);

  restore({
    kind: 'deposit',
    key: `demo-${++n}`,
    timeMs: fromMs,
    to: 'insurance-fund',
    asset: 'USDC',
    units: usdc(o.insuranceUsd ?? 1e6),
  });
  restore({
    kind: 'deposit',
    key: `demo-${++n}`,
    timeMs: fromMs,
    to: venue.liquidatorKey,
    asset: 'USDC',
    units: usdc(o.backstopUsd ?? 5e7),
  });

  // Books sized to the IM of each account's mode (the generator's cushion over it).
  const rng = new SeededRng(o.seed ^ 0x5eed);
  const modes = Array.from({ length: o.accounts }, () => {
    const u = rng.nextUniform();
    let acc = 0;
    for (const [m, wt] of DEMO_MODE_WEIGHTS) if (u < (acc += wt)) return m;
    return 'cross' as MarginMode;
  });
  // Each book is sized on its own mode's requirement (the model's explanation at the start).
  const ctx0 = createMarginContext(market0, o.history);
  const rows0 = buildMarketRows(market0, new RowUniverse());
  const sizing = new Map<string, PreparedMargin>();
  const sizer = (mode: MarginMode) => {
    let p = sizing.get(mode);
    if (!p)
      sizing.set(
        mode,
        (p = prepareMargin(getMarginModel(mode), ctx0, getMarginModel(mode).defaultParams, rows0)),
      );
    return p;
  };
  let k = 0;
  const generated = generateVenue(o.seed, o.accounts, market0, (pf) =>
    sizer(modes[Math.min(k, modes.length - 1)]!).explain(pf),
  );
  generated.forEach((acct, i) => {
    k = i + 1;
    const sub = venue.openSubAccount({
      accountId: `trader-${String(i + 1).padStart(4, '0')}`,
      subAccountId: 'main',
      mode: modes[i]!,
    });
    setup.push(...admitBook(venue, sub.key, acct.portfolio, market0, () => `demo-${++n}`));
  });

  // The first market update may already top up or liquidate: its operations are set-up too.
  for (const e of venue.updateMarket(market0, fromMs, start.options))
    if (e.type === 'operation') setup.push({ op: e.op, entry: e.entry });
  const replay = resumeDemoReplay(venue, o.history, template, w, fromMs);
  return { ...replay, venue, setup };
}
