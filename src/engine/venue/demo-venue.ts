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
 * Oracle: each step's price is the aggregate of one source, the history's hourly close (time-stamped
 * at the step), so the oracle policy sees fresh prices; the stable price is the previous step's close
 * averaged with the current one, and the conservative market is marked at it for initial margin.
 *
 * Deterministic under the seed; no clock (the caller paces the steps). Units: USD, ms UTC.
 */
import type { Asset } from '../../core/ledger/asset.js';
import { creditToUnits } from '../../core/ledger/convert.js';
import { getMarginModel } from '../../core/margin/registry.js';
import { createMarginContext } from '../../core/margin/margin-model.js';
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
import { Venue } from './venue.js';
import type { VenueEvent } from './venue-types.js';

const HOUR_MS = 3_600_000;

/** Share of the generated accounts per margin mode (sums to 1). */
export const DEMO_MODE_WEIGHTS: readonly (readonly [MarginMode, number])[] = [
  ['isolated', 0.25],
  ['cross', 0.35],
  ['portfolio', 0.3],
  ['es', 0.1],
];

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

/** A demo venue and its replay. */
export interface DemoVenue {
  readonly venue: Venue;
  readonly template: SimMarketTemplate;
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepHours: number;
  /** the set-up operations (funding, generated books), in order, for a store to persist */
  readonly setup: readonly { readonly op: Operation; readonly entry: JournalEntry }[];
  /** the time of the last step taken */
  timeMs(): number;
  /** the next step of history, or undefined at the end of the window */
  step(): DemoStep | undefined;
}

export const DEMO_DEFAULT_FROM_MS = Date.UTC(2022, 10, 6);

/**
 * Builds the demo venue at `fromMs`: lists the instruments, funds the insurance fund and the
 * liquidator, generates the accounts and opens their books (admitted at the generator's cushion
 * over the IM of their mode), and takes the first market update.
 *
 * @throws InvalidInputError when the window is outside the history
 */
export function createDemoVenue(o: DemoVenueOptions): DemoVenue {
  const fromMs = o.fromMs ?? DEMO_DEFAULT_FROM_MS;
  const toMs = o.toMs ?? fromMs + 14 * 24 * HOUR_MS;
  const stepHours = o.stepHours ?? 1;
  const prices0 = pricesAt(o.history.hourly, fromMs);
  const vols0 = volsAt(o.history.dvol, fromMs);
  const template = createSimTemplate(
    fromMs,
    prices0,
    { BTC: vols0.BTC ?? 0.6, ETH: vols0.ETH ?? 0.7 },
    vols0.BTC ? 'dvol' : 'flat',
  );
  const market0 = buildSimMarket(template, fromMs, prices0);
  const assets: Asset[] = ['USDC', 'BTC', 'ETH'].map((s) => market0.assets.getAsset(s));
  const usdcAsset = assets[0]!;
  const venue = new Venue({ assets, limits: { maxLeverage: 50 }, history: o.history });
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
    for (const [m, w] of DEMO_MODE_WEIGHTS) if (u < (acc += w)) return m;
    return 'cross' as MarginMode;
  });
  const ctx0 = createMarginContext(market0, o.history);
  let k = 0;
  const generated = generateVenue(o.seed, o.accounts, market0, (pf) => {
    const mode = modes[Math.min(k, modes.length - 1)]!;
    const m = getMarginModel(mode);
    const r = m.compute(pf, ctx0, m.defaultParams);
    return { initialUsd: r.initialUsd, equityUsd: r.equityUsd };
  });
  generated.forEach((acct, i) => {
    k = i + 1;
    const mode = modes[i]!;
    const accountId = `trader-${String(i + 1).padStart(4, '0')}`;
    const sub = venue.openSubAccount({ accountId, subAccountId: 'main', mode });
    for (const [symbol, bal] of acct.portfolio.collateral)
      if (bal.units > 0n && assets.some((a) => a.symbol === symbol))
        restore({
          kind: 'deposit',
          key: `demo-${++n}`,
          timeMs: fromMs,
          to: sub.key,
          asset: symbol,
          units: bal.units,
        });
    // The book is admitted exactly as generated: positions at the generator's entry (options at
    // their mark, their value part of the account's equity as in the simulation), no cash leg.
    for (const p of acct.portfolio.positions) {
      const marked = market0.instruments.get(p.instrument)!;
      const isOption = marked.instrument.kind === 'option';
      restore({
        kind: 'trade',
        key: `demo-${++n}`,
        timeMs: fromMs,
        subAccount: sub.key,
        instrument: p.instrument,
        size: p.size,
        price: isOption ? marked.markPrice : (p.entryPrice ?? marked.markPrice),
        asset: 'USDC',
        cashUnits: 0n,
        feeUnits: 0n,
      });
    }
  });

  let prev = prices0;
  let t = fromMs;
  const oracleAt = (timeMs: number, prices: Record<string, number>): OracleStates => {
    const out: Record<string, OracleAssetState> = {};
    for (const [asset, price] of Object.entries(prices)) {
      const result = aggregateOracle(
        [{ source: 'history-close', price, timestampMs: timeMs }],
        { method: 'median', minSources: 1, maxAgeMs: stepHours * HOUR_MS, maxDeviation: 0.5 },
        timeMs,
      );
      out[asset] = { result, stablePrice: ((prev[asset] ?? price) + price) / 2, lastFreshMs: timeMs };
    }
    return out;
  };
  venue.updateMarket(market0, fromMs, { oracle: oracleAt(fromMs, prices0) });

  return {
    venue,
    template,
    fromMs,
    toMs,
    stepHours,
    setup,
    timeMs: () => t,
    step(): DemoStep | undefined {
      const next = t + stepHours * HOUR_MS;
      if (next > toMs) return undefined;
      const prices = pricesAt(o.history.hourly, next);
      if (!['BTC', 'ETH', 'SOL'].every((a) => Number.isFinite(prices[a]))) return undefined;
      t = next;
      const vols = volsAt(o.history.dvol, t);
      const tpl: SimMarketTemplate = {
        ...template,
        vols: { BTC: vols.BTC ?? template.vols.BTC ?? 0.6, ETH: vols.ETH ?? template.vols.ETH ?? 0.7 },
      };
      const events: VenueEvent[] = [];
      settleExpiries(venue, tpl, t, prices, usdcAsset.decimals, events, () => `demo-expiry-${t}-${++n}`);
      const market = buildSimMarket(tpl, t, prices);
      const stable = Object.fromEntries(
        Object.entries(prices).map(([a, p]) => [a, ((prev[a] ?? p) + p) / 2]),
      );
      const conservative = buildSimMarket(tpl, t, {
        ...prices,
        ...Object.fromEntries(Object.entries(stable).map(([a, s]) => [a, Math.min(s, prices[a]!)])),
      });
      const oracle = oracleAt(t, prices);
      events.push(...venue.updateMarket(market, t, { oracle, conservative }));
      prev = prices;
      return { timeMs: t, market, oracle, events };
    },
  };
}

/** Settles every position in an instrument of the template that expired at or before `timeMs`. */
function settleExpiries(
  venue: Venue,
  tpl: SimMarketTemplate,
  timeMs: number,
  prices: Readonly<Record<string, number>>,
  usdcDecimals: number,
  events: VenueEvent[],
  nextKey: () => string,
): void {
  const expired = tpl.instruments.filter((i) => i.expiryMs !== undefined && i.expiryMs <= timeMs);
  if (expired.length === 0) return;
  for (const sub of venue.journal.accounts.list()) {
    for (const i of expired) {
      const size = venue.journal.positionSizeOf(sub.key, i.id);
      if (size === 0) continue;
      const s = prices[i.underlying] ?? 0;
      const pf = venue.journal.portfolioOf(sub.key);
      const entry = pf.positions.find((p) => p.instrument === i.id)?.entryPrice ?? s;
      const settle =
        i.kind === 'option'
          ? Math.max(0, i.optionType === 'call' ? s - (i.strike ?? 0) : (i.strike ?? 0) - s)
          : s;
      const cashUsd = i.kind === 'option' ? size * settle : size * (s - entry);
      const op: Operation = {
        kind: 'expiry',
        key: nextKey(),
        timeMs,
        subAccount: sub.key,
        instrument: i.id,
        price: settle,
        asset: 'USDC',
        cashUnits: creditToUnits(cashUsd, usdcDecimals),
      };
      events.push({ type: 'operation', op, entry: venue.restore(op) });
    }
  }
}
