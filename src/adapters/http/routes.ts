/**
 * @module adapters/http/routes
 *
 * The REST endpoints of `/api/v1` (docs/api.md). Every handler: validated input (zod), the
 * caller's scopes checked (auth.ts), then the venue read in memory or a mutation through the
 * service's serial queue (acknowledged only once durable).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/swagger';
import type { z } from 'zod';
import type { Asset } from '../../core/ledger/asset.js';
import { applyTrades, compareModels } from '../../core/margin/efficiency.js';
import type { MarginResult } from '../../core/margin/margin-model.js';
import { getMarginModel } from '../../core/margin/registry.js';
import { valuePortfolio } from '../../core/portfolio/valuation.js';
import { isMarginMode, toSubAccountKey, type SubAccountSpec } from '../../engine/accounts.js';
import type { SubAccountHealth } from '../../engine/venue/venue-types.js';
import {
  generateApiKey,
  hashApiKey,
  requireAdmin,
  requireRead,
  requireTrade,
  type Principal,
} from './auth.js';
import { notFound } from './http-errors.js';
import { portfolioHeatmap } from './heatmap.js';
import {
  AdlQuery,
  CreateKeyRequest,
  KeyOnlyQuery,
  ListAccountsQuery,
  ModelsQuery,
  ListLiquidationsQuery,
  ListOperationsQuery,
  OpenSubAccountRequest,
  OperationRequest,
  QuotesRequest,
  SubAccountParams,
  WhatIfRequest,
  toOperation,
} from './request-schemas.js';
import type { VenueService } from './venue-service.js';
import { jsonSafe, toWireAmount, toWireEntry, toWireOperation } from './wire.js';
import { zodJson } from './zod-schemas.js';

/** The models the margin comparison shows, in order. */
export const COMPARED_MODELS = ['isolated', 'cross', 'portfolio', 'es', 'deribit-pm', 'derive-pm2'] as const;

/** What the routes need besides the service. */
export interface RouteContext {
  readonly service: VenueService;
  /** the package version, for /health */
  readonly version: string;
  /** the venue's assets by symbol (decimals) */
  readonly assets: ReadonlyMap<string, Asset>;
  /** registers a new key so that it authenticates at once (after it is persisted) */
  readonly addKey: (keyHash: string, scopes: readonly string[]) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The caller (set by the auth hook on every authenticated route). */
export function principalOf(req: FastifyRequest): Principal {
  return req.principal!;
}

const schema = (parts: {
  body?: z.ZodType;
  querystring?: z.ZodType;
  params?: z.ZodType;
  summary: string;
  tags: string[];
}) => ({
  summary: parts.summary,
  tags: parts.tags,
  security: [{ bearer: [] }],
  ...(parts.body ? { body: zodJson(parts.body, 'request body') } : {}),
  ...(parts.querystring ? { querystring: zodJson(parts.querystring, 'query') } : {}),
  ...(parts.params ? { params: zodJson(parts.params, 'path') } : {}),
});

/** Registers the REST routes under `/api/v1`. */
export function registerRoutes(app: FastifyInstance, rc: RouteContext): void {
  const { service } = rc;
  const venue = service.venue;

  const accountOf = (key: string) => key.slice(0, key.indexOf('/'));
  const requireSub = (accountId: string, subAccountId: string) => {
    const key = toSubAccountKey(accountId, subAccountId);
    const sub = venue.journal.accounts.find(key);
    if (!sub || key === venue.liquidatorKey) throw notFound('subAccountId', key, 'sub-account');
    return sub;
  };
  const marketNow = () => venue.context()?.market;
  const paramsOf = (name: string) =>
    isMarginMode(name) ? venue.paramsFor(name, venue.timeMs) : getMarginModel(name).defaultParams;
  const modelsOf = (q: z.output<typeof ModelsQuery>): string[] => {
    if (q.models === undefined) return [...COMPARED_MODELS];
    const names = [...new Set(q.models.split(','))];
    for (const n of names) getMarginModel(n); // ERR_INVALID_INPUT naming `model` for an unknown name
    return names;
  };
  // A sub-account's margin under a model only changes with its operations (journal seq) and the
  // market (time): what-ifs reuse the "before" side until either moves.
  const marginCache = new Map<string, MarginResult>();
  const cachedMargin = (key: string, model: string, compute: () => MarginResult): MarginResult => {
    const k = `${key}|${model}|${service.lastSeq}|${venue.timeMs}`;
    let r = marginCache.get(k);
    if (r === undefined) {
      if (marginCache.size >= 10_000) marginCache.clear();
      marginCache.set(k, (r = compute()));
    }
    return r;
  };
  const decimalsOf = (asset: string) => rc.assets.get(asset)?.decimals ?? 0;

  app.get(
    '/api/v1/health',
    { config: { public: true }, schema: { summary: 'Liveness (no key needed)', tags: ['venue'] } },
    async () => ({ ok: !service.stopped, version: rc.version }),
  );

  app.get(
    '/api/v1/venue',
    {
      schema: schema({
        summary: 'Venue state: time, prices, insurance fund',
        tags: ['venue'],
        querystring: KeyOnlyQuery,
      }),
    },
    async () => {
      const m = service.market();
      const market = marketNow();
      const fund = [...venue.insuranceFund()].map(([a, u]) => toWireAmount(a, u, decimalsOf(a), market));
      return {
        timeMs: m?.timeMs ?? null,
        prices: m?.prices ?? {},
        insuranceFund: fund,
        insuranceFundUsd: fund.reduce((s, f) => s + (f.usd ?? 0), 0),
        subAccounts: venue.healthAll().length,
        liquidations: await service.store.countLiquidations(),
        ...(m?.replay ? { replay: { ...m.replay, timeMs: m.timeMs } } : {}),
      };
    },
  );

  app.get(
    '/api/v1/instruments',
    {
      schema: schema({
        summary: 'Listed instruments with their marks',
        tags: ['venue'],
        querystring: KeyOnlyQuery,
      }),
    },
    async () => {
      const market = marketNow();
      const items = [...(market?.instruments.values() ?? [])].map((m) => {
        const i = m.instrument as unknown as Record<string, unknown>;
        return {
          id: i.id,
          kind: i.kind,
          underlying: i.underlying,
          ...(typeof i.expiryMs === 'number' ? { expiryMs: i.expiryMs } : {}),
          ...(typeof i.strike === 'number' ? { strike: i.strike } : {}),
          ...(typeof i.optionType === 'string' ? { right: i.optionType } : {}),
          markPrice: m.markPrice,
        };
      });
      return { items };
    },
  );

  app.post(
    '/api/v1/oracle/quotes',
    { schema: schema({ summary: 'Post oracle quotes (admin)', tags: ['admin'], body: QuotesRequest }) },
    async (req) => {
      requireAdmin(principalOf(req), 'posting oracle quotes');
      const body = req.body as z.output<typeof QuotesRequest>;
      const aggregates = await service.postQuotes(
        body.quotes.map((q) => ({
          asset: q.asset,
          source: q.source,
          price: q.price,
          timeMs: q.timeMs,
          ...(q.confidence !== undefined ? { confidence: q.confidence } : {}),
        })),
      );
      return { accepted: body.quotes.length, aggregates };
    },
  );

  app.get(
    '/api/v1/accounts',
    {
      schema: schema({
        summary: 'Sub-accounts with their health',
        tags: ['accounts'],
        querystring: ListAccountsQuery,
      }),
    },
    async (req) => {
      const p = principalOf(req);
      const q = req.query as z.output<typeof ListAccountsQuery>;
      let items: SubAccountHealth[] = venue.healthAll().filter((h) => p.admin || p.readable.has(h.accountId));
      if (q.sort === 'health')
        items = [...items].sort(
          (a, b) => (a.health ?? Infinity) - (b.health ?? Infinity) || cmp(a.key, b.key),
        );
      else items = [...items].sort((a, b) => cmp(a.key, b.key));
      return { items: items.slice(q.offset, q.offset + q.limit), total: items.length };
    },
  );

  app.post(
    '/api/v1/accounts',
    {
      schema: schema({ summary: 'Open a sub-account (admin)', tags: ['admin'], body: OpenSubAccountRequest }),
    },
    async (req, reply) => {
      requireAdmin(principalOf(req), 'opening a sub-account');
      const body = req.body as z.output<typeof OpenSubAccountRequest>;
      const { limits, ...rest } = body;
      const sub = await service.openSubAccount(
        limits ? { ...rest, limits: stripUndefined(limits) as NonNullable<SubAccountSpec['limits']> } : rest,
      );
      return reply.status(201).send(sub);
    },
  );

  app.post(
    '/api/v1/keys',
    {
      schema: schema({
        summary: 'Create an API key (admin); the key is shown once',
        tags: ['admin'],
        body: CreateKeyRequest,
      }),
    },
    async (req, reply) => {
      requireAdmin(principalOf(req), 'creating API keys');
      const body = req.body as z.output<typeof CreateKeyRequest>;
      const key = generateApiKey();
      const keyHash = hashApiKey(key);
      await service.addApiKey({ keyHash, scopes: body.scopes, ...(body.label ? { label: body.label } : {}) });
      rc.addKey(keyHash, body.scopes);
      return reply.status(201).send({ key, scopes: body.scopes });
    },
  );

  app.get(
    '/api/v1/accounts/:accountId/subaccounts/:subAccountId',
    {
      schema: schema({
        summary: 'A sub-account: balances, positions, health',
        tags: ['accounts'],
        params: SubAccountParams,
        querystring: KeyOnlyQuery,
      }),
    },
    async (req) => {
      const { accountId, subAccountId } = req.params as z.output<typeof SubAccountParams>;
      requireRead(principalOf(req), accountId);
      const sub = requireSub(accountId, subAccountId);
      const market = marketNow();
      const pf = venue.journal.portfolioOf(sub.key);
      const balances = [...pf.collateral.values()].map((c) =>
        toWireAmount(c.asset.symbol, c.units, c.asset.decimals, market),
      );
      let values: Map<string, { markPrice: number; valueUsd: number }> = new Map();
      if (market) {
        try {
          values = new Map(
            valuePortfolio(pf, market).positions.map((v) => [
              v.position.instrument,
              { markPrice: v.marked.markPrice, valueUsd: v.valueUsd },
            ]),
          );
        } catch {
          // a position the market cannot value: shown without mark and value
        }
      }
      return {
        key: sub.key,
        mode: sub.mode,
        limits: sub.limits,
        balances,
        positions: pf.positions.map((p) => ({
          instrument: p.instrument,
          size: p.size,
          entryPrice: p.entryPrice ?? null,
          markPrice: values.get(p.instrument)?.markPrice ?? null,
          valueUsd: values.get(p.instrument)?.valueUsd ?? null,
        })),
        health: venue.health(sub.key),
      };
    },
  );

  app.get(
    '/api/v1/accounts/:accountId/subaccounts/:subAccountId/margin',
    {
      schema: schema({
        summary: 'Every model side by side, contributions, risk-matrix heatmap',
        tags: ['accounts'],
        params: SubAccountParams,
        querystring: ModelsQuery,
      }),
    },
    async (req) => {
      const { accountId, subAccountId } = req.params as z.output<typeof SubAccountParams>;
      requireRead(principalOf(req), accountId);
      const sub = requireSub(accountId, subAccountId);
      const ctx = venue.context();
      if (!ctx) return { mode: sub.mode, rows: [], errors: [], contributions: [], heatmap: null };
      const pf = venue.journal.portfolioOf(sub.key);
      const models = modelsOf(req.query as z.output<typeof ModelsQuery>).map((name) => ({
        model: getMarginModel(name),
        params: paramsOf(name),
      }));
      const { rows, errors } = compareModels(pf, ctx, models);
      const own = rows.find((r) => r.model === sub.mode);
      return {
        mode: sub.mode,
        rows: rows.map(({ result: _r, ...r }) => ({
          ...r,
          releasedVsIsolatedUsd: r.releasedVsIsolatedUsd ?? null,
          releasedVsIsolatedPct: r.releasedVsIsolatedPct ?? null,
        })),
        errors,
        contributions: own?.result.contributions ?? [],
        heatmap: portfolioHeatmap(pf, ctx.market),
      };
    },
  );

  app.post(
    '/api/v1/accounts/:accountId/subaccounts/:subAccountId/whatif',
    {
      schema: schema({
        summary: 'Before and after of a proposed trade under every model',
        tags: ['accounts'],
        params: SubAccountParams,
        querystring: ModelsQuery,
        body: WhatIfRequest,
      }),
    },
    async (req) => {
      const { accountId, subAccountId } = req.params as z.output<typeof SubAccountParams>;
      requireRead(principalOf(req), accountId);
      const sub = requireSub(accountId, subAccountId);
      const ctx = venue.context();
      const body = req.body as z.output<typeof WhatIfRequest>;
      if (!ctx) return { rows: [] };
      const pf = venue.journal.portfolioOf(sub.key);
      const rows = [];
      for (const name of modelsOf(req.query as z.output<typeof ModelsQuery>)) {
        const model = getMarginModel(name);
        const params = paramsOf(name);
        try {
          const before = cachedMargin(sub.key, name, () => model.compute(pf, ctx, params));
          const after = model.compute(applyTrades(pf, [body], ctx), ctx, params);
          const w = { before, after, delta: { initialUsd: after.initialUsd - before.initialUsd } };
          const pick = (r: typeof w.before) => ({
            initialUsd: r.initialUsd,
            maintenanceUsd: r.maintenanceUsd,
            equityUsd: r.equityUsd,
          });
          rows.push({
            model: name,
            before: pick(w.before),
            after: pick(w.after),
            deltaInitialUsd: w.delta.initialUsd,
          });
        } catch (e) {
          // unknown instrument or bad size: every model would say the same, so report it once
          if (
            (e as { code?: string }).code === 'ERR_UNKNOWN_INSTRUMENT' ||
            (e as { code?: string }).code === 'ERR_INVALID_INPUT'
          )
            throw e;
          // a model that cannot value the book is left out, as in the margin comparison
        }
      }
      return { rows };
    },
  );

  app.post(
    '/api/v1/operations',
    {
      schema: schema({
        summary: 'Submit a deposit, withdrawal, transfer or trade (idempotent by key)',
        tags: ['operations'],
        body: OperationRequest,
      }),
    },
    async (req, reply) => {
      const p = principalOf(req);
      const body = req.body as z.output<typeof OperationRequest>;
      switch (body.kind) {
        case 'deposit':
          requireTrade(p, accountOf(body.to), `a deposit to ${body.to}`);
          break;
        case 'withdrawal':
          requireTrade(p, accountOf(body.from), `a withdrawal from ${body.from}`);
          break;
        case 'transfer':
          requireTrade(p, accountOf(body.from), `a transfer from ${body.from}`);
          requireTrade(p, accountOf(body.to), `a transfer to ${body.to}`);
          break;
        case 'trade':
          requireTrade(p, accountOf(body.subAccount), `a trade for ${body.subAccount}`);
          break;
        case 'funding':
          requireAdmin(p, 'a funding payment');
          break;
      }
      // Without timeMs: the time of the key's first application (a retry), else the market's time.
      const timeMs =
        body.timeMs ?? service.timeOfKey(body.key) ?? (venue.timeMs > 0 ? venue.timeMs : Date.now());
      const { entry, replayed } = await service.submit(toOperation(body, timeMs));
      return reply.status(replayed ? 200 : 201).send({ entry: toWireEntry(entry) });
    },
  );

  app.get(
    '/api/v1/operations',
    {
      schema: schema({
        summary: 'The stored operation log, in seq order (admin)',
        tags: ['admin'],
        querystring: ListOperationsQuery,
      }),
    },
    async (req) => {
      requireAdmin(principalOf(req), 'reading the operation log');
      const q = req.query as z.output<typeof ListOperationsQuery>;
      const rows = await service.store.loadOperations(q.after, q.limit);
      return { items: rows.map((r) => ({ seq: r.seq, origin: r.origin, op: toWireOperation(r.op) })) };
    },
  );

  app.get(
    '/api/v1/ledger/totals',
    {
      schema: schema({
        summary: 'Σ balances per asset over every ledger account (admin)',
        tags: ['admin'],
        querystring: KeyOnlyQuery,
      }),
    },
    async (req) => {
      requireAdmin(principalOf(req), 'reading ledger totals');
      // Summed here from the snapshot, independently of the journal's own totals.
      const snap = venue.journal.snapshot();
      const totals = new Map<
        string,
        { total: bigint; subAccounts: bigint; system: Record<string, bigint> }
      >();
      for (const [account, byAsset] of Object.entries(snap.balances))
        for (const [asset, u] of Object.entries(byAsset)) {
          let t = totals.get(asset);
          if (!t) totals.set(asset, (t = { total: 0n, subAccounts: 0n, system: {} }));
          t.total += u;
          if (account.includes('/')) t.subAccounts += u;
          else t.system[account] = (t.system[account] ?? 0n) + u;
        }
      return {
        entries: snap.entries.length,
        assets: [...totals].sort(([a], [b]) => cmp(a, b)).map(([asset, t]) => jsonSafe({ asset, ...t })),
      };
    },
  );

  app.get(
    '/api/v1/liquidations',
    {
      schema: schema({
        summary: 'Executed liquidations, newest first',
        tags: ['venue'],
        querystring: ListLiquidationsQuery,
      }),
    },
    async (req) => {
      const p = principalOf(req);
      const q = req.query as z.output<typeof ListLiquidationsQuery>;
      const rows = await service.store.listLiquidations(p.admin ? q.limit : Math.max(1000, q.limit));
      const mine = rows.filter((r) => p.admin || p.readable.has(accountOf(r.subAccount)));
      return { items: mine.slice(0, q.limit).map((r) => r.body) };
    },
  );

  app.get(
    '/api/v1/adl',
    {
      schema: schema({ summary: 'Auto-deleveraging queue (admin)', tags: ['admin'], querystring: AdlQuery }),
    },
    async (req) => {
      requireAdmin(principalOf(req), 'reading the ADL queue');
      const q = req.query as z.output<typeof AdlQuery>;
      return {
        items: venue
          .adlRanks()
          .filter((r) => q.side === undefined || r.side === q.side)
          .slice(0, q.limit),
      };
    },
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
