/**
 * @module adapters/http/trader-routes
 *
 * The trader's view over HTTP (docs/api.md#trader), computed by core/analytics on the venue's
 * current market and each model's params in effect:
 *
 * - `GET …/subaccounts/:s/risk` (read): status and health under the account's own mode, where it
 *   is liquidated (per underlying, both sides, the joint move), greeks in coin and USD, and the P&L
 *   curve of each underlying now and at the nearest expiry with the IM and MM lines;
 * - `POST …/subaccounts/:s/verdict` (read): accepted or refused under the account's own mode, the
 *   rule and the shortfall, the account before and after. The trades are priced as the venue
 *   fills orders: at the market maker's price, with the fee (engine/policy/trading-policy.ts),
 *   and the order's size bounds are checked as the venue checks them (the oracle's freshness is
 *   not: it decides when, not whether);
 * - `POST /builder` (any key; read of `base` when given): a hypothetical book, a sub-account's or
 *   nothing, plus collateral and legs filled at the mark: every compared model's IM/MM and the
 *   capital released against isolated, greeks, liquidation prices and P&L curves under one model.
 *
 * Inputs pass the plausibility bounds (core/portfolio/plausibility.ts). The computations run as
 * heavy requests (heavy-requests.ts: cost admission, worker threads; explain-tasks.ts); a risk
 * answer is cached per sub-account, journal sequence and market time (a liquidation search
 * re-margins the account some tens of times), so polling costs one computation per change.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { XmarginError } from '../../core/errors.js';
import { fromUnits } from '../../core/ledger/convert.js';
import { DEFAULT_LIQUIDATION_PARAMS } from '../../core/liquidation/liquidation-params.js';
import type { MarginContext } from '../../core/margin/margin-model.js';
import type { Portfolio } from '../../core/portfolio/portfolio.js';
import { toSubAccountKey, type SubAccount } from '../../engine/accounts.js';
import { priceTrade } from '../../engine/policy/trading-policy.js';
import { requireRead } from './auth.js';
import { SubAccountParams } from './contract-requests.js';
import { COMPARED_MODELS, type TaskAccount } from './explain-tasks.js';
import { notFound } from './http-errors.js';
import { principalOf, routeSchema, type RouteContext } from './route-support.js';
import * as T from './trader-contract.js';

/** Registers the trader's-view routes under `/api/v1`. */
export function registerTraderRoutes(app: FastifyInstance, rc: RouteContext): void {
  const venue = rc.service.venue;
  const requireSub = (accountId: string, subAccountId: string) => {
    const key = toSubAccountKey(accountId, subAccountId);
    const sub = venue.journal.accounts.find(key);
    if (!sub || key === venue.liquidatorKey) throw notFound('subAccountId', key, 'sub-account');
    return sub;
  };
  /** The sub-account of the path, once the caller may read it. */
  const readableSub = (req: FastifyRequest) => {
    const { accountId, subAccountId } = req.params as z.output<typeof SubAccountParams>;
    requireRead(principalOf(req), accountId);
    return requireSub(accountId, subAccountId);
  };
  const requireContext = (): MarginContext => {
    const ctx = venue.context();
    if (!ctx)
      throw new XmarginError('ERR_MISSING_MARKET_DATA', 'the venue has no market yet: nothing to value', {
        field: 'market',
        rule: 'a market update must have been received',
      });
    return ctx;
  };
  // Risk is polled: its answer is kept per sub-account, points, journal sequence and market time.
  const cache = new Map<string, Promise<unknown>>();
  const cached = (key: string, compute: () => Promise<unknown>): Promise<unknown> => {
    const k = `${key}|${rc.service.lastSeq}|${venue.timeMs}`;
    const hit = cache.get(k);
    if (hit) return hit;
    if (cache.size >= 1_000) cache.clear();
    const r = compute();
    cache.set(k, r);
    r.catch(() => cache.delete(k)); // a refusal (budget, queue) is not kept
    return r;
  };
  /** A sub-account under its own mode, as the tasks take it. */
  const taskAccount = (sub: SubAccount): TaskAccount => ({
    key: sub.key,
    seq: rc.service.lastSeq,
    portfolio: venue.journal.portfolioOf(sub.key),
    mode: sub.mode,
    params: venue.paramsFor(sub.mode, venue.timeMs),
    fallFactor: venue.fallFactor(sub.key),
  });

  app.get(
    '/api/v1/accounts/:accountId/subaccounts/:subAccountId/risk',
    {
      schema: routeSchema({
        summary: 'Liquidation prices, greeks and P&L curves of a sub-account under its own mode',
        tags: ['accounts'],
        params: SubAccountParams,
        querystring: T.RiskQuery,
        ok: T.RiskResponse,
      }),
    },
    async (req) => {
      const sub = readableSub(req);
      const { points } = req.query as z.output<typeof T.RiskQuery>;
      const ctx = requireContext();
      return cached(`risk|${sub.key}|${points}`, () => {
        const h = venue.health(sub.key);
        const head = {
          key: sub.key,
          mode: sub.mode,
          timeMs: venue.timeMs,
          status: h.status,
          health: h.health,
          thresholds: venue.thresholds,
        };
        const task = { kind: 'risk', account: taskAccount(sub), points, head } as const;
        return rc.heavy.run(principalOf(req).keyHash, task, ctx);
      });
    },
  );

  app.post(
    '/api/v1/accounts/:accountId/subaccounts/:subAccountId/verdict',
    {
      schema: routeSchema({
        summary:
          "Would these trades go through? Accepted or refused under the account's mode, why, and after",
        tags: ['accounts'],
        params: SubAccountParams,
        body: T.VerdictRequest,
        ok: T.VerdictResponse,
      }),
    },
    async (req) => {
      const sub = readableSub(req);
      const { trades } = req.body as z.output<typeof T.VerdictRequest>;
      const ctx = requireContext();
      const settlement = venue.assetOf(DEFAULT_LIQUIDATION_PARAMS.settlementAsset);
      // Each order priced as the venue fills it: the market maker's price and the fee.
      let feesUsd = 0;
      const priced = trades.map((t, i) => {
        const marked = ctx.market.instruments.get(t.instrument);
        try {
          const op = priceTrade(
            { kind: 'trade', key: 'verdict', timeMs: venue.timeMs, subAccount: sub.key, ...t },
            {
              marked,
              indexUsd: marked ? (ctx.market.prices.get(marked.instrument.underlying) ?? NaN) : NaN,
              held: venue.journal.positionOf(sub.key, t.instrument),
              settlement: { symbol: settlement?.symbol ?? 'USDC', decimals: settlement?.decimals ?? 6 },
              nowMs: venue.timeMs,
              params: venue.trading,
            },
          );
          feesUsd += fromUnits(op.feeUnits, settlement?.decimals ?? 6);
          return { ...t, price: op.price };
        } catch (e) {
          if (e instanceof XmarginError && typeof e.details.field === 'string')
            throw new XmarginError(
              e.code,
              `trades[${i}].${e.message}`,
              { ...e.details, field: `trades[${i}].${e.details.field}` },
              { cause: e },
            );
          throw e;
        }
      });
      const task = {
        kind: 'verdict',
        account: taskAccount(sub),
        trades: priced,
        thresholds: venue.thresholds,
        bufferFraction: sub.limits.bufferFraction,
        maxLeverage: sub.limits.maxLeverage,
        feesUsd,
      } as const;
      return rc.heavy.run(principalOf(req).keyHash, task, ctx);
    },
  );

  app.post(
    '/api/v1/builder',
    {
      schema: routeSchema({
        summary: 'A hypothetical book (from a sub-account or nothing): every model, greeks, liquidation, P&L',
        tags: ['accounts'],
        body: T.BuilderRequest,
        ok: T.BuilderResponse,
      }),
    },
    async (req) => {
      const body = req.body as z.output<typeof T.BuilderRequest>;
      const ctx = requireContext();
      let base: Portfolio = { positions: [], collateral: new Map() };
      let mode = 'portfolio';
      if (body.base !== undefined) {
        const [accountId, subAccountId] = body.base.split('/') as [string, string];
        requireRead(principalOf(req), accountId);
        const sub = requireSub(accountId, subAccountId);
        base = venue.journal.portfolioOf(sub.key);
        mode = sub.mode;
      }
      const modelName = body.model ?? mode;
      const models = [...new Set([...COMPARED_MODELS, modelName])].map((name) => ({
        name,
        params: venue.paramsFor(name as SubAccount['mode'], venue.timeMs),
      }));
      const task = {
        kind: 'builder',
        base: body.base ?? null,
        portfolio: base,
        model: modelName,
        models,
        collateral: body.collateral ?? {},
        legs: body.legs,
        points: body.points,
        timeMs: venue.timeMs,
      } as const;
      return rc.heavy.run(principalOf(req).keyHash, task, ctx);
    },
  );
}
