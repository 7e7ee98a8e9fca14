/**
 * @module adapters/http/start-service
 *
 * Puts the service together: opens the store (PGlite or PostgreSQL), builds the venue (the demo's
 * seeded venue replaying real history, or a plain venue priced by posted oracle quotes), rebuilds
 * its state from the store, makes sure an admin key exists, and builds the HTTP application.
 *
 * First start with `demo`: the demo's set-up (sub-accounts, deposits, books) is persisted as
 * engine operations, then the replay steps every `1 h / speed` of wall time. A restart replays the
 * stored operations into a plain venue with the same assets and restores the last market (the
 * demo replay does not resume: see docs/api.md).
 */
import { HOUR_MS } from '../../core/history/utc-time.js';
import type { Asset } from '../../core/ledger/asset.js';
import { Venue } from '../../engine/venue/venue.js';
import { createDemoVenue, DEMO_DEFAULT_FROM_MS, type DemoVenue } from '../../engine/venue/demo-venue.js';
import { createSimTemplate, buildSimMarket } from '../../engine/simulation/sim-market.js';
import { pricesAt, volsAt } from '../../engine/simulation/simulation-types.js';
import { loadDvol, loadHourlyHistory } from '../marketdata/history/load-history.js';
import { openStore, type StoreLocation } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { generateApiKey, hashApiKey } from './auth.js';
import type { RateLimitParams } from './rate-limit.js';
import { buildServer, type XmarginServer } from './server.js';
import { VenueService, type MarketState } from './venue-service.js';

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
  readonly webDir?: string;
  readonly version: string;
  readonly logger?: boolean;
  /** called when persisting fails (the process must stop); default: throw from the queue */
  readonly onFatal: (error: unknown) => void;
  /** history directory (tests); default data/history */
  readonly historyDir?: string;
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
  /** stops the replay timer, drains the queue, closes the server and the store */
  close(): Promise<void>;
}

/** Symbols of the service's market. */
const SYMBOLS = ['BTC', 'ETH', 'SOL'];

function loadHistory(toMs: number, dir: string | undefined) {
  const d = dir !== undefined ? { dir } : {};
  return {
    hourly: loadHourlyHistory({ symbols: SYMBOLS, toMs: toMs + HOUR_MS, ...d }),
    dvol: loadDvol({ toMs: toMs + HOUR_MS, ...d }),
  };
}

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
  const fresh = stored === undefined && (await store.countOperations()) === 0;
  let demo: DemoVenue | undefined;
  let venue: Venue;
  let assets: Asset[];
  let first: MarketState | undefined;
  let speed = o.speed ?? 0;

  if (fresh && o.demo) {
    const fromMs = o.demo.fromMs ?? DEMO_DEFAULT_FROM_MS;
    const history = loadHistory(fromMs + 15 * 24 * HOUR_MS, o.historyDir);
    demo = createDemoVenue({ history, seed: o.demo.seed, accounts: o.demo.accounts, fromMs });
    venue = demo.venue;
    const m0 = venue.context()!.market;
    assets = ['USDC', 'BTC', 'ETH'].map((s) => m0.assets.getAsset(s));
    speed = o.speed ?? 3600;
  } else {
    // A plain venue; on a restart it is rebuilt from the store.
    const state = stored?.body as MarketState | undefined;
    const atMs = state?.timeMs ?? DEMO_DEFAULT_FROM_MS;
    const history = loadHistory(atMs, o.historyDir);
    const market0 = state ? buildSimMarket(state.template, state.timeMs, state.prices) : undefined;
    const prices = state?.prices ?? pricesAt(history.hourly, atMs);
    const vols = volsAt(history.dvol, atMs);
    const template =
      state?.template ??
      createSimTemplate(atMs, prices, { BTC: vols.BTC ?? 0.6, ETH: vols.ETH ?? 0.7 }, 'flat');
    const m = market0 ?? buildSimMarket(template, atMs, prices);
    assets = ['USDC', 'BTC', 'ETH'].map((s) => m.assets.getAsset(s));
    venue = new Venue({ assets, limits: { maxLeverage: 50 }, history });
    if (!state) first = { timeMs: atMs, prices, template };
  }

  const service = new VenueService({ venue, store, onFatal: o.onFatal });
  let restored = { subAccounts: 0, operations: 0 };
  if (demo) {
    // Persist the demo's set-up as the first operations of the log.
    const specs = venue.journal.accounts
      .list()
      .filter((s) => s.key !== venue.liquidatorKey)
      .map((s) => ({ accountId: s.accountId, subAccountId: s.subAccountId, mode: s.mode, limits: s.limits }));
    const initial: MarketState = {
      timeMs: demo.fromMs,
      prices: Object.fromEntries(venue.context()!.market.prices),
      template: demo.template,
      replay: { fromMs: demo.fromMs, toMs: demo.toMs, speed },
    };
    await service.adoptSetup(specs, demo.setup, initial);
  } else {
    const r = await service.start();
    restored = { subAccounts: r.subAccounts, operations: r.operations };
    if (first) await service.setMarket(first);
  }

  let newAdminKey: string | undefined;
  const keys = await store.listApiKeys();
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
    ...(o.rateLimit ? { rateLimit: o.rateLimit } : {}),
    ...(o.webDir !== undefined ? { webDir: o.webDir } : {}),
    ...(o.logger !== undefined ? { logger: o.logger } : {}),
  });

  let timer: NodeJS.Timeout | undefined;
  if (demo && speed > 0) {
    const d = demo;
    const periodMs = Math.max(10, (d.stepHours * HOUR_MS) / speed);
    const tick = () => {
      if (service.stopped) return;
      void service
        .runMarketStep(() => {
          const s = d.step();
          if (!s) return undefined;
          const prev = service.market()!;
          return {
            state: { ...prev, timeMs: s.timeMs, prices: Object.fromEntries(s.market.prices) },
            events: s.events,
          };
        })
        .then((events) => {
          if (events !== undefined && !service.stopped) timer = setTimeout(tick, periodMs);
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
    async close() {
      if (timer) clearTimeout(timer);
      await server.app.close();
      await service.close();
    },
  };
}
