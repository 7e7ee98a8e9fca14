/**
 * @module adapters/http/crossvenue-routes
 *
 * `POST /api/v1/crossvenue`: the combined view across venues of the payloads in the body, the same
 * payloads `xmargin import` and `xmargin crossvenue` read (docs/api.md#across-venues). Any
 * authenticated key may call it: it reads nothing of the venue's state, only what it is sent.
 *
 *   { "asOf"?: "2026-03-02T08:00:00Z",
 *     "venues": [ { "venue": "okx", "payloads": { "positions": {...}, "balance": {...} } },
 *                 { "venue": "ccxt:bybit", "payloads": { "positions": [...], "balance": {...} } } ],
 *     "params"?: { ...crossvenue params... } }
 *
 * Each payload is named by its kind (the importer's file names without `.json`). A bad payload is
 * a 400 naming the venue, the payload, the field and the value; nothing is stored.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { computeCrossVenue } from '../../core/crossvenue/compute-cross-venue.js';
import { parseCrossVenueParams } from '../../core/crossvenue/cross-venue-params.js';
import { toCrossVenueInput } from '../importers/combine-accounts.js';
import { importVenue } from '../importers/index.js';
import { zodJson } from './zod-schemas.js';

/** Body of `POST /api/v1/crossvenue`. */
export const CrossVenueRequest = z.strictObject({
  asOf: z.iso.datetime().exactOptional(),
  venues: z
    .array(
      z.strictObject({
        venue: z.string().min(1).max(64),
        payloads: z.record(
          z.string().regex(/^[a-z][a-z-]{0,40}$/, 'must be a payload kind like "positions"'),
          z.unknown(),
        ),
      }),
    )
    .min(1)
    .max(16),
  params: z.unknown().exactOptional(),
});

/** Registers the route (one line in server.ts). */
export function registerCrossVenueRoutes(app: FastifyInstance): void {
  app.post(
    '/api/v1/crossvenue',
    {
      schema: {
        summary:
          "Each venue's own margin from its payloads, the combined requirement and the moves that release the difference",
        tags: ['crossvenue'],
        security: [{ bearer: [] }],
        body: zodJson(CrossVenueRequest, 'request body'),
      },
    },
    async (req) => {
      const body = req.body as z.output<typeof CrossVenueRequest>;
      const asOfMs = body.asOf === undefined ? undefined : Date.parse(body.asOf);
      const accounts = body.venues.flatMap((v) =>
        importVenue(
          v.venue,
          Object.entries(v.payloads).map(([kind, json]) => ({ path: `${kind}.json`, json })),
          asOfMs,
        ),
      );
      const result = computeCrossVenue(toCrossVenueInput(accounts, parseCrossVenueParams(body.params)));
      return {
        ...result,
        imports: accounts.map((a) => ({
          venue: a.venue,
          importer: a.importer,
          preset: a.preset.model,
          notes: a.notes,
        })),
      };
    },
  );
}
