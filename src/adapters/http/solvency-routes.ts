/**
 * @module adapters/http/solvency-routes
 *
 * Solvency epochs over HTTP (docs/api.md#solvency, docs/methodology/solvency-proofs.md):
 *
 *   POST /api/v1/solvency/epochs                                      commit an epoch now (admin)
 *   GET  /api/v1/solvency/epochs                                      the epochs (any key)
 *   GET  /api/v1/solvency/epochs/:epochId                             epoch.json (any key)
 *   GET  /api/v1/solvency/epochs/:epochId/proofs                      proofs.json so far (any key)
 *   GET  /api/v1/solvency/epochs/:epochId/accounts/:accountId/:subAccountId
 *                                    the owner's inclusion and compliance proofs (read:<account>)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toSubAccountKey } from '../../engine/accounts.js';
import { RISK_CLASSES } from '../../core/solvency/risk-class.js';
import { loadCircuit } from '../prover/circuit-artifacts.js';
import { EpochPublisher } from '../prover/epoch-publisher.js';
import { collectVenueEpoch } from '../prover/venue-epoch.js';
import { requireAdmin, requireRead } from './auth.js';
import { notFound } from './http-errors.js';
import { principalOf } from './routes.js';
import type { VenueService } from './venue-service.js';
import { zodJson } from './zod-schemas.js';

const epochId = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 characters of [A-Za-z0-9._:-]');
const id = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 characters of [A-Za-z0-9._-]');
const severity = z.union([
  z.literal('auto'),
  z.strictObject(Object.fromEntries(RISK_CLASSES.map((c) => [c, z.int().min(0).max(1000).optional()]))),
]);
/** POST /solvency/epochs */
export const CommitEpochRequest = z.strictObject({
  epochId,
  severity: severity.default('auto'),
  size: z.enum(['full', 'small']).default('full'),
});
const EpochParams = z.strictObject({ epochId });
const AccountParams = z.strictObject({ epochId, accountId: id, subAccountId: id });
const CircuitParams = z.strictObject({ size: z.enum(['full', 'small']) });
const KeyQuery = z.strictObject({ key: z.string().optional() });

const schema = (summary: string, parts: { body?: z.ZodType; params?: z.ZodType }) => ({
  summary,
  tags: ['solvency'],
  security: [{ bearer: [] }],
  querystring: zodJson(KeyQuery, 'query'),
  ...(parts.body ? { body: zodJson(parts.body, 'request body') } : {}),
  ...(parts.params ? { params: zodJson(parts.params, 'path') } : {}),
});

/** Registers the solvency routes; the publisher's salt secret is drawn here and never leaves memory. */
export function registerSolvencyRoutes(app: FastifyInstance, service: VenueService): void {
  const publisher = new EpochPublisher(randomBytes(32));
  app.addHook('onClose', async () => publisher.close());
  const epochOr404 = (eid: string) => {
    const doc = publisher.epoch(eid);
    if (!doc) throw notFound('epochId', eid, 'solvency epoch');
    return doc;
  };

  app.post(
    '/api/v1/solvency/epochs',
    { schema: schema('Commit a solvency epoch of the venue now (admin)', { body: CommitEpochRequest }) },
    async (req, reply) => {
      requireAdmin(principalOf(req), 'committing a solvency epoch');
      const body = req.body as z.output<typeof CommitEpochRequest>;
      const doc = await publisher.commit(collectVenueEpoch(service.venue), {
        epochId: body.epochId,
        venue: 'service',
        size: body.size,
        severity: body.severity as Parameters<EpochPublisher['commit']>[1]['severity'],
      });
      return reply.code(201).send(doc);
    },
  );

  app.get(
    '/api/v1/solvency/circuits/:size/vkey',
    {
      schema: schema('The verification key of a shipped circuit (the exact file, sha256 in each epoch)', {
        params: CircuitParams,
      }),
    },
    async (req, reply) => {
      const c = loadCircuit((req.params as z.output<typeof CircuitParams>).size); // integrity-checked
      return reply.type('application/json').send(readFileSync(c.vkeyPath));
    },
  );

  app.get('/api/v1/solvency/epochs', { schema: schema('Solvency epochs, oldest first', {}) }, async () => ({
    items: publisher.list(),
  }));

  app.get(
    '/api/v1/solvency/epochs/:epochId',
    { schema: schema('A published epoch: root, totals, risk arrays, severities', { params: EpochParams }) },
    async (req) => epochOr404((req.params as z.output<typeof EpochParams>).epochId),
  );

  app.get(
    '/api/v1/solvency/epochs/:epochId/proofs',
    { schema: schema("The epoch's compliance proofs made so far", { params: EpochParams }) },
    async (req) => {
      const eid = (req.params as z.output<typeof EpochParams>).epochId;
      epochOr404(eid);
      return publisher.proofs(eid);
    },
  );

  app.get(
    '/api/v1/solvency/epochs/:epochId/accounts/:accountId/:subAccountId',
    { schema: schema("An owner's inclusion and compliance proofs", { params: AccountParams }) },
    async (req) => {
      const p = req.params as z.output<typeof AccountParams>;
      requireRead(principalOf(req), p.accountId, `reading the solvency proofs of ${p.accountId}`);
      epochOr404(p.epochId);
      const key = toSubAccountKey(p.accountId, p.subAccountId);
      const doc = await publisher.account(p.epochId, key);
      if (!doc) throw notFound('subAccountId', key, 'account of this epoch');
      return doc;
    },
  );
}
