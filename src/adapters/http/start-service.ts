/**
 * @module adapters/http/start-service
 *
 * Puts the service together: opens the store (PGlite or PostgreSQL), builds the venue (the demo's
 * seeded venue replaying real history, or a plain venue priced by posted oracle quotes), rebuilds
 * its state from the store, makes sure an admin key exists, and builds the HTTP application.
 *
 * First start with `demo`: the demo's set-up (sub-accounts, deposits, books, and what its first
 * market update did) is persisted as engine operations, then the replay steps every
 * `stepHours / speed` of wall time. A restart replays the stored operations into a venue with the
 * same configuration, re-installs the last market exactly (a demo's from the history at the stored
 * step), and a demo replay resumes where it stopped. The replay's clock is the server's clock.
 */
import { HOUR_MS } from '../../core/history/utc-time.js';
import type { Asset } from '../../core/ledger/asset.js';
import type { MarketHistory } from '../../core/scenarios/historical-scenarios.js';
import { Venue } from '../../engine/venue/venue.js';
import {
  createDemoVenue,
  DEMO_ASSETS,
  DEMO_DEFAULT_FROM_MS,
  demoOraclePolicy,
  replayStateAt,
  resumeDemoReplay,
  type DemoReplay,
} from '../../engine/venue/demo-venue.js';
import { createSimTemplate, buildSimMarket } from '../../engine/simulation/sim-market.js';
import { pricesAt, volsAt } from '../../engine/simulation/simulation-types.js';
import { loadVenueHistory } from '../marketdata/history/load-market-history.js';
import { openStore, type StoreLocation } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { generateApiKey, hashApiKey } from './auth.js';
import type { HeavyRequestOptions } from './heavy-requests.js';
import type { RateLimitParams } from './rate-limit.js';
import { buildServer, type XmarginServer } from './server.js';
import { replayClock, wallClock, type ServiceClock } from './service-clock.js';
import { stepReplay } from './replay-step.js';
import { VenueService, type MarketOf, type MarketState } from './venue-service.js';

/** Options of {@link startService}. */
export interface StartServiceOptions {
  readonly store: StoreLocation;
  /** run the demo venue (seeded accounts, real history replay) */
  readonly demo?: { readonly seed: number; readonly accounts: number; readonly fromMs?: number };
  /** hours of history per hour of wall time (demo); 0 = the replay does not advance by itself */
  readonly speed?: number;
  /** admin key to install (env XMARGIN_ADMIN_KEY); otherwise one is generated on first start */
  readonly adminKey?: string;
  readonly rateLimit?: RateLimitParams;
  /** heavy requests: worker threads, queue bound, per-key cost budget (heavy-requests.ts) */
  readonly heavy?: HeavyRequestOptions;
  /** per-address limits of requests without a valid key (default DEFAULT_ANONYMOUS_RATE_LIMIT) */
  readonly anonymousRateLimit?: RateLimitParams;
  readonly webDir?: string;
  readonly version: string;
  /** fastify's request log (default on; tests turn it off) */
  readonly logger?: boolean;
  /** called when persisting fails (the process must stop); default: throw from the queue */
  readonly onFatal: (error: unknown) => void;
  /** history directory (tests); default data/history */
  readonly historyDir?: string;
  /** the wall clock, ms UTC (tests); default Date.now */
  readonly wall?: () => number;
}

/** A running service (not yet listening). */
export interface RunningService {
  readonly server: XmarginServer;
  readonly service: VenueService;
  readonly store: Store;
  readonly assets: readonly Asset[];
  /** the admin key when it was created now (print it once), else undefined */
  readonly newAdminKey: string | undefined;
  /** what was restored from the store */
  readonly restored: { subAccounts: number; operations: number };
  /** the demo replay, when one runs (also resumed after a restart) */
  readonly replay: DemoReplay | undefined;
  /** stops the replay timer, drains the queue, closes the server and the store */
  close(): Promise<void>;
}

/** Symbols of the service's market. */
const SYMBOLS = ['BTC', 'ETH', 'SOL'];
/** Days of history a demo replays at most (its default window is 14). */
const DEMO_DAYS = 15;

function loadHistory(toMs: number, dir: string | undefined): MarketHistory {
  return loadVenueHistory(SYMBOLS, toMs + HOUR_MS, dir);
}

/** A plain venue's market: the template at the state's prices; the oracle from posted quotes. */
const plainMarketOf: MarketOf = (state, oracle) => ({
  market: buildSimMarket(state.template, state.timeMs, state.prices),
  options: oracle ? { oracle } : { oracle: {} },
});

/** Builds, restores and wires the service. */
export async function startService(o: StartServiceOptions): Promise<RunningService> {
  const store = await openStore(o.store);
  try {
    return await wire(o, store);
  } catch (e) {
    await store.close();
    throw e;
  }
}

async function wire(o: StartServiceOptions, store: Store): Promise<RunningService> {
  const stored = await store.loadMarketState();
  const storedState = stored?.body as MarketState | undefined;
  const fresh = stored === undefined && (await store.countOperations()) === 0;
  const wall = o.wall ?? Date.now;
  let venue: Venue;
  let assets: Asset[];
  let replay: DemoReplay | undefined;
  let clock: ServiceClock;
  let marketOf: MarketOf = plainMarketOf;
  let first: MarketState | undefined;
  let setup: Parameters<VenueService['adoptSetup']> | undefined;
  let speed = o.speed ?? 0;

  if ((fresh && o.demo) || storedState?.replay) {
    // A demo: created now, or resumed from the stored replay position.
    const w = storedState?.replay;
    const fromMs = w?.fromMs ?? o.demo?.fromMs ?? DEMO_DEFAULT_FROM_MS;
    const history = loadHistory(fromMs + DEMO_DAYS * 24 * HOUR_MS, o.historyDir);
    speed = o.speed ?? w?.speed ?? 3600;
    if (w && storedState) {
      const window = { fromMs: w.fromMs, toMs: w.toMs, stepHours: w.stepHours };
      const market0 = buildSimMarket(storedState.template, storedState.timeMs, storedState.prices);
      assets = DEMO_ASSETS.map((s) => market0.assets.getAsset(s));
      venue = new Venue({
        assets,
        limits: { maxLeverage: 50 },
        history,
        oraclePolicy: demoOraclePolicy(w.stepHours),
      });
      replay = resumeDemoReplay(venue, history, storedState.template, window, storedState.timeMs);
      marketOf = (s) => {
        const r = replayStateAt(history, storedState.template, window, s.timeMs);
        return { market: r.market, options: r.options };
      };
    } else {
      const demo = createDemoVenue({ history, seed: o.demo!.seed, accounts: o.demo!.accounts, fromMs });
      venue = demo.venue;
      replay = demo;
      assets = DEMO_ASSETS.map((s) => venue.context()!.market.assets.getAsset(s));
      const window = { fromMs: demo.fromMs, toMs: demo.toMs, stepHours: demo.stepHours };
      marketOf = (s) => {
        const r = replayStateAt(history, demo.template, window, s.timeMs);
        return { market: r.market, options: r.options };
      };
      const specs = venue.journal.accounts
        .list()
        .filter((s) => s.key !== venue.liquidatorKey)
        .map((s) => ({
          accountId: s.accountId,
          subAccountId: s.subAccountId,
          mode: s.mode,
          limits: s.limits,
        }));
      setup = [
        specs,
        demo.setup,
        {
          timeMs: demo.fromMs,
          prices: Object.fromEntries(venue.context()!.market.prices),
          template: demo.template,
          replay: { ...window, speed },
        },
      ];
    }
    clock = replayClock(storedState?.timeMs ?? fromMs, speed, wall);
  } else {
    // A plain venue on the wall clock; on a restart it is rebuilt from the store.
    clock = wallClock(wall);
    const atMs = storedState?.timeMs ?? clock.nowMs();
    const seedMs = DEMO_DEFAULT_FROM_MS;
    const history = loadHistory(seedMs, o.historyDir);
    const prices = storedState?.prices ?? pricesAt(history.hourly, seedMs);
    const vols = volsAt(history.dvol, seedMs);
    const template =
      storedState?.template ??
      createSimTemplate(atMs, prices, { BTC: vols.BTC ?? 0.6, ETH: vols.ETH ?? 0.7 }, 'flat');
    const m = buildSimMarket(template, atMs, prices);
    assets = DEMO_ASSETS.map((s) => m.assets.getAsset(s));
    venue = new Venue({ assets, limits: { maxLeverage: 50 }, history });
    if (!storedState) first = { timeMs: atMs, prices, template };
  }

  const service = new VenueService({ venue, store, onFatal: o.onFatal, marketOf, clock });
  let restored = { subAccounts: 0, operations: 0 };
  if (setup) await service.adoptSetup(...setup);
  else {
    const r = await service.start();
    restored = { subAccounts: r.subAccounts, operations: r.operations };
    if (first) await service.setMarket(first);
  }

  let newAdminKey: string | undefined;
  const keys = (await store.listApiKeys()).filter((k) => k.revokedAtMs === undefined);
  if (o.adminKey !== undefined && o.adminKey !== '') {
    const h = hashApiKey(o.adminKey);
    if (!keys.some((k) => k.keyHash === h))
      await service.addApiKey({ keyHash: h, scopes: ['admin'], label: 'admin (env)' });
  } else if (!keys.some((k) => k.scopes.includes('admin'))) {
    newAdminKey = generateApiKey();
    await service.addApiKey({
      keyHash: hashApiKey(newAdminKey),
      scopes: ['admin'],
      label: 'admin (first start)',
    });
  }

  const server = await buildServer({
    service,
    assets,
    version: o.version,
    ...(replay ? { replay } : {}),
    ...(o.rateLimit ? { rateLimit: o.rateLimit } : {}),
    ...(o.heavy ? { heavy: o.heavy } : {}),
    ...(o.anonymousRateLimit ? { anonymousRateLimit: o.anonymousRateLimit } : {}),
    ...(o.webDir !== undefined ? { webDir: o.webDir } : {}),
    ...(o.logger !== undefined ? { logger: o.logger } : {}),
  });

  let timer: NodeJS.Timeout | undefined;
  if (replay && speed > 0) {
    const r = replay;
    const periodMs = Math.max(10, (r.stepHours * HOUR_MS) / speed);
    const tick = () => {
      if (service.stopped) return;
      void stepReplay(service, r)
        .then((moved) => {
          if (moved && !service.stopped) timer = setTimeout(tick, periodMs);
        })
        .catch(() => undefined);
    };
    timer = setTimeout(tick, periodMs);
  }

  return {
    server,
    service,
    store,
    assets,
    newAdminKey,
    restored,
    replay,
    async close() {
      if (timer) clearTimeout(timer);
      await server.app.close();
      await service.close();
    },
  };
}
