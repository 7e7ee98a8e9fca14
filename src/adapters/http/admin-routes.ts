/**
 * @module adapters/http/admin-routes
 *
 * The administrator's endpoints of `/api/v1` (every one needs the `admin` scope): opening
 * sub-accounts, API keys (create, list, revoke, rotate), oracle quotes, the operation log, ledger
 * totals, the ADL queue, and stepping a paused demo replay.
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { SubAccountSpec } from '../../engine/accounts.js';
import { VENUE_ACCOUNT_ID } from '../../engine/venue/venue.js';
import { generateApiKey, hashApiKey, keyIdOf, requireAdmin } from './auth.js';
import {
  AdlQuery,
  CreateKeyRequest,
  KeyOnlyQuery,
  KeyParams,
  ListOperationsQuery,
  OpenSubAccountRequest,
  QuotesRequest,
  ReplayStepRequest,
} from './contract-requests.js';
import * as Res from './contract-responses.js';
import { notFound } from './http-errors.js';
import { cmp, principalOf, routeSchema, type RouteContext } from './route-support.js';
import { stepReplay } from './replay-step.js';
import { jsonSafe, toWireOperation } from './wire.js';
import { XmarginError } from '../../core/errors.js';

/** Registers the admin routes under `/api/v1`. */
export function registerAdminRoutes(app: FastifyInstance, rc: RouteContext): void {
  const { service } = rc;
  const venue = service.venue;
  const tags = ['admin'];

  /** The stored key whose id (first 16 hex digits of its hash) is `keyId`. */
  const findKey = async (keyId: string) => {
    const k = (await service.store.listApiKeys()).find((x) => keyIdOf(x.keyHash) === keyId);
    if (!k) throw notFound('keyId', keyId, 'API key');
    return k;
  };

  app.post(
    '/api/v1/accounts',
    {
      schema: routeSchema({
        summary: 'Open a sub-account',
        tags,
        body: OpenSubAccountRequest,
        ok: Res.SubAccountSchema,
        status: 201,
      }),
    },
    async (req, reply) => {
      requireAdmin(principalOf(req), 'opening a sub-account');
      const body = req.body as z.output<typeof OpenSubAccountRequest>;
      if (body.accountId === VENUE_ACCOUNT_ID)
        throw new XmarginError(
          'ERR_INVALID_INPUT',
          `accountId must not be "${VENUE_ACCOUNT_ID}" (reserved for the venue's own sub-accounts)`,
          {
            field: 'accountId',
            value: body.accountId,
            rule: 'must not be reserved',
          },
        );
      const { limits, ...rest } = body;
      const spec: SubAccountSpec = limits
        ? { ...rest, limits: Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) }
        : rest;
      return reply.status(201).send(await service.openSubAccount(spec));
    },
  );

  app.post(
    '/api/v1/keys',
    {
      schema: routeSchema({
        summary: 'Create an API key; the key is shown once',
        tags,
        body: CreateKeyRequest,
        ok: Res.KeyCreatedResponse,
        status: 201,
      }),
    },
    async (req, reply) => {
      requireAdmin(principalOf(req), 'creating API keys');
      const body = req.body as z.output<typeof CreateKeyRequest>;
      const key = generateApiKey();
      const keyHash = hashApiKey(key);
      await service.addApiKey({ keyHash, scopes: body.scopes, ...(body.label ? { label: body.label } : {}) });
      rc.addKey(keyHash, body.scopes);
      return reply.status(201).send({ key, id: keyIdOf(keyHash), scopes: body.scopes });
    },
  );

  app.get(
    '/api/v1/keys',
    {
      schema: routeSchema({
        summary: 'The API keys (ids, scopes, labels; never the keys)',
        tags,
        querystring: KeyOnlyQuery,
        ok: Res.KeysResponse,
      }),
    },
    async (req) => {
      requireAdmin(principalOf(req), 'listing API keys');
      const items = (await service.store.listApiKeys()).map((k) => ({
        id: keyIdOf(k.keyHash),
        scopes: [...k.scopes],
        label: k.label ?? null,
        createdAtMs: k.createdAtMs,
        revokedAtMs: k.revokedAtMs ?? null,
      }));
      return { items };
    },
  );

  app.delete(
    '/api/v1/keys/:keyId',
    {
      schema: routeSchema({
        summary: 'Revoke an API key (at once)',
        tags,
        params: KeyParams,
        querystring: KeyOnlyQuery,
        ok: Res.KeyRevokedResponse,
      }),
    },
    async (req) => {
      const p = principalOf(req);
      requireAdmin(p, 'revoking API keys');
      const { keyId } = req.params as z.output<typeof KeyParams>;
      const k = await findKey(keyId);
      if (k.keyHash === p.keyHash)
        throw new XmarginError(
          'ERR_INVALID_INPUT',
          'keyId must not name the key making the request (rotate it instead)',
          {
            field: 'keyId',
            value: keyId,
            rule: 'must not be the calling key',
          },
        );
      const revokedAtMs = k.revokedAtMs ?? (await service.revokeApiKeys([k.keyHash]));
      rc.removeKey(k.keyHash);
      return { id: keyId, revokedAtMs };
    },
  );

  app.post(
    '/api/v1/keys/:keyId/rotate',
    {
      schema: routeSchema({
        summary: 'Rotate an API key: a new key with the same scopes, the old one revoked',
        tags,
        params: KeyParams,
        ok: Res.KeyRotatedResponse,
        status: 201,
      }),
    },
    async (req, reply) => {
      requireAdmin(principalOf(req), 'rotating API keys');
      const { keyId } = req.params as z.output<typeof KeyParams>;
      const old = await findKey(keyId);
      if (old.revokedAtMs !== undefined)
        throw new XmarginError(
          'ERR_INVALID_INPUT',
          `keyId must name a key that is not revoked; got ${keyId}`,
          {
            field: 'keyId',
            value: keyId,
            rule: 'must not be revoked',
          },
        );
      const key = generateApiKey();
      const keyHash = hashApiKey(key);
      await service.addApiKey({ keyHash, scopes: old.scopes, label: `${old.label ?? 'key'} (rotated)` });
      rc.addKey(keyHash, old.scopes);
      await service.revokeApiKeys([old.keyHash]);
      rc.removeKey(old.keyHash);
      return reply.status(201).send({ key, id: keyIdOf(keyHash), scopes: [...old.scopes], revokedId: keyId });
    },
  );

  app.post(
    '/api/v1/oracle/quotes',
    {
      schema: routeSchema({
        summary: 'Post oracle quotes (aged by the server clock)',
        tags,
        body: QuotesRequest,
        ok: Res.QuotesResponse,
      }),
    },
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
    '/api/v1/operations',
    {
      schema: routeSchema({
        summary: 'The stored operation log, in seq order',
        tags,
        querystring: ListOperationsQuery,
        ok: Res.OperationsLogResponse,
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
      schema: routeSchema({
        summary: 'Σ balances per asset over every ledger account',
        tags,
        querystring: KeyOnlyQuery,
        ok: Res.LedgerTotalsResponse,
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
    '/api/v1/adl',
    {
      schema: routeSchema({
        summary: 'Auto-deleveraging queue',
        tags,
        querystring: AdlQuery,
        ok: Res.AdlResponse,
      }),
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

  app.post(
    '/api/v1/replay/step',
    {
      schema: routeSchema({
        summary: 'Advance the demo replay by some steps',
        tags,
        body: ReplayStepRequest,
        ok: Res.ReplayStepResponse,
      }),
    },
    async (req) => {
      requireAdmin(principalOf(req), 'stepping the replay');
      const replay = rc.replay;
      if (!replay) throw notFound('url', req.url, 'demo replay (the service runs no replay)');
      const { steps } = req.body as z.output<typeof ReplayStepRequest>;
      let done = 0;
      while (done < steps && (await stepReplay(service, replay))) done++;
      return { steps: done, timeMs: replay.timeMs(), done: done < steps };
    },
  );
}
