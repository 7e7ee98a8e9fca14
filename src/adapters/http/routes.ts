/**
 * @module adapters/http/routes
 *
 * The REST endpoints of `/api/v1` an owner uses (docs/api.md): the venue, instruments, its
 * sub-accounts, margin and what-if, operations, liquidations. Every handler: validated input (zod,
 * contract-requests.ts), the caller's scopes checked (auth.ts), then the venue read in memory or a
 * mutation through the service's serial queue (acknowledged only once durable). Admin routes are
 * in admin-routes.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { XmarginError } from '../../core/errors.js';
import { HEALTH_STATUSES } from '../../core/margin/account-risk.js';
import { getMarginModel } from '../../core/margin/registry.js';
import { valuePortfolio } from '../../core/portfolio/valuation.js';
import { isMarginMode, toSubAccountKey } from '../../engine/accounts.js';
import type { UserOperation } from '../../engine/operations.js';
import type { SubAccountHealth } from '../../engine/venue/venue-types.js';
import { requireAdmin, requireRead, requireTrade, requireVenue } from './auth.js';
import {
  KeyOnlyQuery,
  ListAccountsQuery,
  ListLiquidationsQuery,
  ModelsQuery,
  OperationRequest,
  SubAccountParams,
  WhatIfRequest,
} from './contract-requests.js';
import * as Res from './contract-responses.js';
import { COMPARED_MODELS } from './explain-tasks.js';
import { notFound } from './http-errors.js';
import { cmp, principalOf, routeSchema, type RouteContext } from './route-support.js';
import { toWireAmount, toWireEntry, toWireOperation } from './wire.js';

export type { RouteContext } from './route-support.js';
export { principalOf } from './route-support.js';

export { COMPARED_MODELS } from './explain-tasks.js';

/** The engine's request of a validated body at the server's time (or an admin's `timeMs`). */
function toUserOperation(
  r: z.output<typeof OperationRequest>,
): Omit<UserOperation, 'timeMs'> & { timeMs?: number } {
  const units = 'units' in r ? { units: BigInt(r.units) } : {};
  const { timeMs, ...rest } = r;
  return { ...rest, ...units, ...(timeMs !== undefined ? { timeMs } : {}) } as Omit<
    UserOperation,
    'timeMs'
  > & {
    timeMs?: number;
  };
}

/** Registers the owner-facing REST routes under `/api/v1`. */
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
  // The account's own mode as the venue holds it: the model's requirement × the fall limit's factor.
  const specsOf = (names: readonly string[], key: string, mode: string) =>
    names.map((name) => ({
      name,
      params: paramsOf(name),
      ...(name === mode ? { fallFactor: venue.fallFactor(key) } : {}),
    }));
  const decimalsOf = (asset: string) => rc.assets.get(asset)?.decimals ?? 0;

  app.get(
    '/api/v1/health',
    {
      config: { public: true },
      schema: routeSchema({
        summary: 'Liveness (no key needed)',
        tags: ['venue'],
        ok: Res.HealthResponse,
        public: true,
      }),
    },
    async () => ({ ok: !service.stopped, version: rc.version }),
  );

  app.get(
    '/api/v1/venue',
    {
      schema: routeSchema({
        summary: 'Venue state: time, prices, insurance fund, statuses and their thresholds',
        tags: ['venue'],
        querystring: KeyOnlyQuery,
        ok: Res.VenueResponse,
      }),
    },
    async () => {
      const m = service.market();
      const market = marketNow();
      const fund = [...venue.insuranceFund()].map(([a, u]) => toWireAmount(a, u, decimalsOf(a), market));
      const statuses = Object.fromEntries(HEALTH_STATUSES.map((s) => [s, 0]));
      for (const h of venue.healthAll()) statuses[h.status] = (statuses[h.status] ?? 0) + 1;
      return {
        timeMs: m?.timeMs ?? null,
        nowMs: service.nowMs(),
        prices: m?.prices ?? {},
        insuranceFund: fund,
        insuranceFundUsd: fund.reduce((s, f) => s + (f.usd ?? 0), 0),
        subAccounts: venue.healthAll().length,
        liquidations: await service.store.countLiquidations(),
        thresholds: venue.thresholds,
        statuses,
        ...(m?.replay ? { replay: { ...m.replay, timeMs: m.timeMs } } : {}),
      };
    },
  );

  app.get(
    '/api/v1/instruments',
    {
      schema: routeSchema({
        summary: 'Listed instruments with their marks',
        tags: ['venue'],
        querystring: KeyOnlyQuery,
        ok: Res.InstrumentsResponse,
      }),
    },
    async () => {
      const items = [...(marketNow()?.instruments.values() ?? [])].map((m) => {
        const i = m.instrument;
        return {
          id: i.id,
          kind: i.kind,
          underlying: i.underlying,
          ...('expiryMs' in i ? { expiryMs: i.expiryMs } : {}),
          ...(i.kind === 'option' ? { strike: i.strike, right: i.optionType } : {}),
          markPrice: m.markPrice,
        };
      });
      return { items };
    },
  );

  app.get(
    '/api/v1/accounts',
    {
      schema: routeSchema({
        summary: 'Sub-accounts with their health (an owner sees its own)',
        tags: ['accounts'],
        querystring: ListAccountsQuery,
        ok: Res.AccountsResponse,
      }),
    },
    async (req) => {
      const p = principalOf(req);
      const q = req.query as z.output<typeof ListAccountsQuery>;
      let items: SubAccountHealth[] = venue.healthAll().filter((h) => p.admin || p.readable.has(h.accountId));
      if (q.status !== undefined) items = items.filter((h) => h.status === q.status);
      if (q.sort === 'health')
        items = [...items].sort(
          (a, b) => (a.health ?? Infinity) - (b.health ?? Infinity) || cmp(a.key, b.key),
        );
      else items = [...items].sort((a, b) => cmp(a.key, b.key));
      return { items: items.slice(q.offset, q.offset + q.limit), total: items.length };
    },
  );

  app.get(
    '/api/v1/accounts/:accountId/subaccounts/:subAccountId',
    {
      schema: routeSchema({
        summary: 'A sub-account: balances, positions, health',
        tags: ['accounts'],
        params: SubAccountParams,
        querystring: KeyOnlyQuery,
        ok: Res.SubAccountDetail,
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
          // a position the market cannot value (expired): shown without mark and value
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
      schema: routeSchema({
        summary: 'Every model side by side, contributions, risk-matrix heatmap',
        tags: ['accounts'],
        params: SubAccountParams,
        querystring: ModelsQuery,
        ok: Res.MarginResponse,
      }),
    },
    async (req) => {
      const { accountId, subAccountId } = req.params as z.output<typeof SubAccountParams>;
      requireRead(principalOf(req), accountId);
      const sub = requireSub(accountId, subAccountId);
      const ctx = venue.context();
      if (!ctx) return { mode: sub.mode, rows: [], errors: [], contributions: [], heatmap: null };
      const models = specsOf(modelsOf(req.query as z.output<typeof ModelsQuery>), sub.key, sub.mode);
      const task = {
        kind: 'margin',
        portfolio: venue.journal.portfolioOf(sub.key),
        mode: sub.mode,
        models,
      } as const;
      return rc.heavy.run(principalOf(req).keyHash, task, ctx);
    },
  );

  app.post(
    '/api/v1/accounts/:accountId/subaccounts/:subAccountId/whatif',
    {
      schema: routeSchema({
        summary: 'Before and after of a proposed trade under every model',
        tags: ['accounts'],
        params: SubAccountParams,
        querystring: ModelsQuery,
        body: WhatIfRequest,
        ok: Res.WhatIfResponse,
      }),
    },
    async (req) => {
      const { accountId, subAccountId } = req.params as z.output<typeof SubAccountParams>;
      requireRead(principalOf(req), accountId);
      const sub = requireSub(accountId, subAccountId);
      const ctx = venue.context();
      const body = req.body as z.output<typeof WhatIfRequest>;
      if (!ctx) return { rows: [] };
      if (!ctx.market.instruments.has(body.instrument))
        throw new XmarginError(
          'ERR_UNKNOWN_INSTRUMENT',
          `instrument must be listed by the venue; got ${JSON.stringify(body.instrument)}`,
          {
            field: 'instrument',
            value: body.instrument,
            rule: 'must be a listed instrument',
          },
        );
      const models = specsOf(modelsOf(req.query as z.output<typeof ModelsQuery>), sub.key, sub.mode);
      const task = {
        kind: 'whatif',
        key: sub.key,
        seq: service.lastSeq,
        portfolio: venue.journal.portfolioOf(sub.key),
        trade: body,
        models,
      } as const;
      return rc.heavy.run(principalOf(req).keyHash, task, ctx);
    },
  );

  app.post(
    '/api/v1/operations',
    {
      schema: routeSchema({
        summary:
          'Submit a deposit, withdrawal, transfer, order (owner) or fill (venue scope, with a price); idempotent by key',
        tags: ['operations'],
        body: OperationRequest,
        ok: Res.OperationResponse,
        status: 201,
        replay200: true,
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
          // An owner places an order (the market maker prices it); only the venue's matching side
          // submits a fill at an agreed price.
          if (body.price !== undefined) requireVenue(p, `a fill with a price for ${body.subAccount}`);
          else requireTrade(p, accountOf(body.subAccount), `an order for ${body.subAccount}`);
          break;
        case 'funding':
          requireAdmin(p, 'a funding payment');
          break;
      }
      if (body.timeMs !== undefined) requireAdmin(p, 'setting the time of an operation (timeMs)');
      const { entry, op, replayed } = await service.submit(toUserOperation(body));
      return reply
        .status(replayed ? 200 : 201)
        .send({ entry: toWireEntry(entry), operation: toWireOperation(op) });
    },
  );

  app.get(
    '/api/v1/liquidations',
    {
      schema: routeSchema({
        summary: 'Executed liquidations, newest first (an owner sees its own)',
        tags: ['venue'],
        querystring: ListLiquidationsQuery,
        ok: Res.LiquidationsResponse,
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
}
