/**
 * @module adapters/http/optimise-routes
 *
 * The optimiser over HTTP (docs/api.md#optimiser), for an owner's read key:
 *
 * - `POST /api/v1/accounts/:accountId/subaccounts/:subAccountId/optimise`: the trades that free
 *   the most margin of one sub-account (or reach a target IM, or only close), solved by HiGHS and
 *   verified by the model, with IM/MM before and after under the compared models. Nothing is
 *   traded: the answer is a suggestion (each trade can be tried in the what-if).
 * - `POST /api/v1/accounts/:accountId/allocate`: collateral transfers across the account's
 *   sub-accounts that leave the most free while each keeps (1 + buffer)·IM under its own mode.
 *
 * Inputs are validated with zod; bad input is 400 naming the field, an unreachable target 422
 * (ERR_OPTIMISATION_INFEASIBLE), a solver failure 503 (ERR_SOLVER). Both run as heavy requests
 * (heavy-requests.ts: cost admission, worker threads).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getMarginModel } from '../../core/margin/registry.js';
import { OPTIMISABLE_MODELS } from '../../core/optimise/index.js';
import { isMarginMode, toSubAccountKey } from '../../engine/accounts.js';
import { requireRead } from './auth.js';
import { COMPARED_MODELS } from './explain-tasks.js';
import { notFound, unavailable } from './http-errors.js';
import { principalOf, type RouteContext } from './route-support.js';
import { zodJson } from './zod-schemas.js';

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 characters: letters, digits, . _ -');
const positive = z.number().refine((x) => Number.isFinite(x) && x > 0, 'must be a finite number > 0');
const nonNegative = z.number().refine((x) => Number.isFinite(x) && x >= 0, 'must be a finite number >= 0');

/** Body of POST …/optimise. */
export const OptimiseRequest = z.strictObject({
  model: z.enum(OPTIMISABLE_MODELS).optional(),
  goal: z.enum(['release', 'target', 'close-only']).default('release'),
  targetImUsd: nonNegative.optional(),
  budgetUsd: positive.optional(),
  maxTrades: z.int().min(1).max(20).optional(),
  keepDelta: nonNegative.optional(),
});

/** Body of POST …/allocate. */
export const AllocateRequest = z.strictObject({
  buffer: z.number().min(0).max(10).default(0.1),
  transferCostUsd: nonNegative.default(0),
  maxTransfers: z.int().min(0).max(100).optional(),
});

const SubParams = z.strictObject({ accountId: id, subAccountId: id });
const AccountParams = z.strictObject({ accountId: id });

const schema = (parts: { body: z.ZodType; params: z.ZodType; summary: string }) => ({
  summary: parts.summary,
  tags: ['optimiser'],
  security: [{ bearer: [] }],
  body: zodJson(parts.body, 'request body'),
  params: zodJson(parts.params, 'path'),
});

/** Registers the optimiser routes. */
export function registerOptimiseRoutes(app: FastifyInstance, rc: RouteContext): void {
  const venue = rc.service.venue;
  const paramsOf = (name: string) =>
    isMarginMode(name) ? venue.paramsFor(name, venue.timeMs) : getMarginModel(name).defaultParams;

  app.post(
    '/api/v1/accounts/:accountId/subaccounts/:subAccountId/optimise',
    {
      schema: schema({
        summary: 'Trades that free the most margin, solved and verified (a suggestion)',
        body: OptimiseRequest,
        params: SubParams,
      }),
    },
    async (req) => {
      const { accountId, subAccountId } = req.params as z.output<typeof SubParams>;
      requireRead(principalOf(req), accountId);
      const key = toSubAccountKey(accountId, subAccountId);
      const sub = venue.journal.accounts.find(key);
      if (!sub || key === venue.liquidatorKey) throw notFound('subAccountId', key, 'sub-account');
      const ctx = venue.context();
      if (!ctx) throw unavailable('no market yet');
      const body = req.body as z.output<typeof OptimiseRequest>;
      const name =
        body.model ?? ((OPTIMISABLE_MODELS as readonly string[]).includes(sub.mode) ? sub.mode : 'portfolio');
      const spec = (m: string) => ({ name: m, params: paramsOf(m) });
      const task = {
        kind: 'optimise',
        portfolio: venue.journal.portfolioOf(key),
        model: spec(getMarginModel(name).name),
        compared: COMPARED_MODELS.map(spec),
        body,
      } as const;
      return rc.heavy.run(principalOf(req).keyHash, task, ctx);
    },
  );

  app.post(
    '/api/v1/accounts/:accountId/allocate',
    {
      schema: schema({
        summary: "Collateral transfers across the account's sub-accounts (a suggestion)",
        body: AllocateRequest,
        params: AccountParams,
      }),
    },
    async (req) => {
      const { accountId } = req.params as z.output<typeof AccountParams>;
      requireRead(principalOf(req), accountId);
      const ctx = venue.context();
      if (!ctx) throw unavailable('no market yet');
      const body = req.body as z.output<typeof AllocateRequest>;
      const subs = venue.journal.accounts
        .list()
        .filter((s) => s.accountId === accountId && s.key !== venue.liquidatorKey);
      if (subs.length === 0) throw notFound('accountId', accountId, 'account with sub-accounts');
      const task = {
        kind: 'allocate',
        accounts: subs.map((s) => ({
          id: s.subAccountId,
          portfolio: venue.journal.portfolioOf(s.key),
          model: { name: s.mode, params: paramsOf(s.mode) },
        })),
        buffer: body.buffer,
        transferCostUsd: body.transferCostUsd,
        maxTransfers: body.maxTransfers,
      } as const;
      return rc.heavy.run(principalOf(req).keyHash, task, ctx);
    },
  );
}
