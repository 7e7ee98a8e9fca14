/**
 * @module adapters/http/solvency-routes
 *
 * Solvency epochs over HTTP (docs/api.md, docs/methodology/solvency-proofs.md):
 *
 *   POST /api/v1/solvency/epochs                                      commit an epoch now (admin)
 *   GET  /api/v1/solvency/epochs                                      the epochs (any key)
 *   GET  /api/v1/solvency/epochs/:epochId                             epoch.json (any key)
 *   GET  /api/v1/solvency/epochs/:epochId/proofs                      proofs.json so far (any key)
 *   GET  /api/v1/solvency/epochs/:epochId/accounts/:accountId/:subAccountId
 *                                    the owner's inclusion and compliance proofs (read:<account>)
 *   GET  /api/v1/solvency/circuits/:size/vkey                         the verification key (any key)
 *
 * Epochs are kept in the service's store (EpochPublisher): committed before the POST is
 * answered, listed again after a restart. The publisher's salt secret is drawn when the routes are
 * registered and never leaves memory; the salts it gave are stored with each account's opening.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toSubAccountKey } from '../../engine/accounts.js';
import { RISK_CLASSES } from '../../core/solvency/risk-class.js';
import type { SeverityChoice } from '../../core/solvency/build-epoch.js';
import { loadCircuit } from '../prover/circuit-artifacts.js';
import {
  AccountProofDocumentSchema,
  EpochDocumentSchema,
  ProofsDocumentSchema,
} from '../prover/epoch-documents.js';
import { EpochPublisher } from '../prover/epoch-publisher.js';
import { collectVenueEpoch } from '../prover/venue-epoch.js';
import { requireAdmin, requireRead } from './auth.js';
import { AccountId, KeyOnlyQuery } from './contract-requests.js';
import { notFound } from './http-errors.js';
import { principalOf, routeSchema } from './route-support.js';
import { identifier } from './text-rules.js';
import type { VenueService } from './venue-service.js';

const EpochId = identifier(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 characters of [A-Za-z0-9._:-]', 64);
/** POST /solvency/epochs */
export const CommitEpochRequest = z.strictObject({
  epochId: EpochId,
  severity: z
    .union([
      z.literal('auto'),
      z.strictObject(Object.fromEntries(RISK_CLASSES.map((c) => [c, z.int().min(0).max(1000).optional()]))),
    ])
    .default('auto'),
  size: z.enum(['full', 'small']).default('full'),
});
const EpochParams = z.strictObject({ epochId: EpochId });
const AccountParams = z.strictObject({ epochId: EpochId, accountId: AccountId, subAccountId: AccountId });
const CircuitParams = z.strictObject({ size: z.enum(['full', 'small']) });
const EpochList = z.strictObject({
  items: z.array(
    z.strictObject({
      epochId: z.string(),
      timeMs: z.int(),
      rootHash: z.string(),
      accounts: z.int(),
      compliant: z.int(),
      proven: z.int(),
    }),
  ),
});
const ProofsSoFar = ProofsDocumentSchema.extend({ complete: z.boolean() });
const VerificationKeyFile = z.looseObject({
  protocol: z.literal('groth16'),
  curve: z.string(),
  nPublic: z.int(),
});

/** Registers the solvency routes. */
export function registerSolvencyRoutes(app: FastifyInstance, service: VenueService): void {
  const publisher = new EpochPublisher(service.store, randomBytes(32));
  // Stored epochs are listed (and unfinished ones proven) in the background: the service does not
  // wait for them to start; every solvency route awaits the listing.
  app.addHook('onReady', async () => {
    void publisher.open().catch(() => undefined);
  });
  app.addHook('onClose', () => publisher.close());
  const tags = ['solvency'];
  const epochOr404 = async (eid: string) => {
    const doc = await publisher.epoch(eid);
    if (!doc) throw notFound('epochId', eid, 'solvency epoch');
    return doc;
  };

  app.post(
    '/api/v1/solvency/epochs',
    {
      schema: routeSchema({
        summary: 'Commit a solvency epoch of the venue now (admin); proofs are made in the background',
        tags,
        body: CommitEpochRequest,
        querystring: KeyOnlyQuery,
        ok: EpochDocumentSchema,
        status: 201,
      }),
      // The scope before the body: a caller who may not commit learns nothing from validation.
      preValidation: async (req) => requireAdmin(principalOf(req), 'committing a solvency epoch'),
    },
    async (req, reply) => {
      const body = req.body as z.output<typeof CommitEpochRequest>;
      const doc = await publisher.commit(collectVenueEpoch(service.venue), {
        epochId: body.epochId,
        venue: 'service',
        size: body.size,
        severity: body.severity as SeverityChoice,
      });
      return reply.code(201).send(doc);
    },
  );

  app.get(
    '/api/v1/solvency/epochs',
    {
      schema: routeSchema({
        summary: 'Solvency epochs, oldest first',
        tags,
        querystring: KeyOnlyQuery,
        ok: EpochList,
      }),
    },
    async () => ({ items: await publisher.list() }),
  );

  app.get(
    '/api/v1/solvency/epochs/:epochId',
    {
      schema: routeSchema({
        summary: 'A published epoch: root, totals, risk arrays, severities',
        tags,
        params: EpochParams,
        querystring: KeyOnlyQuery,
        ok: EpochDocumentSchema,
      }),
    },
    async (req) => epochOr404((req.params as z.output<typeof EpochParams>).epochId),
  );

  app.get(
    '/api/v1/solvency/epochs/:epochId/proofs',
    {
      schema: routeSchema({
        summary: "The epoch's compliance proofs made so far",
        tags,
        params: EpochParams,
        querystring: KeyOnlyQuery,
        ok: ProofsSoFar,
      }),
    },
    async (req) => {
      const eid = (req.params as z.output<typeof EpochParams>).epochId;
      await epochOr404(eid);
      return publisher.proofs(eid);
    },
  );

  app.get(
    '/api/v1/solvency/epochs/:epochId/accounts/:accountId/:subAccountId',
    {
      schema: routeSchema({
        summary: "An owner's inclusion and compliance proofs (proven now if not yet)",
        tags,
        params: AccountParams,
        querystring: KeyOnlyQuery,
        ok: AccountProofDocumentSchema,
      }),
    },
    async (req) => {
      const p = req.params as z.output<typeof AccountParams>;
      requireRead(principalOf(req), p.accountId, `reading the solvency proofs of ${p.accountId}`);
      await epochOr404(p.epochId);
      const key = toSubAccountKey(p.accountId, p.subAccountId);
      const doc = await publisher.account(p.epochId, key);
      if (!doc) throw notFound('subAccountId', key, 'account of this epoch');
      return doc;
    },
  );

  app.get(
    '/api/v1/solvency/circuits/:size/vkey',
    {
      schema: routeSchema({
        summary: 'The verification key of a shipped circuit, byte for byte (its sha256 is in every epoch)',
        tags,
        params: CircuitParams,
        querystring: KeyOnlyQuery,
        ok: VerificationKeyFile,
      }),
    },
    async (req, reply) => {
      const c = loadCircuit((req.params as z.output<typeof CircuitParams>).size); // integrity-checked
      return reply.type('application/json').send(readFileSync(c.vkeyPath));
    },
  );
}
