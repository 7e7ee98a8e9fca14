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
 * a 400 naming the venue, the payload, the field and the value; nothing is stored. The moves are
 * the optimiser's allocation (HiGHS), or the greedy plan labelled `greedy-fallback` with the reason
 * when the solver fails.
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { computeCrossVenue } from '../../core/crossvenue/compute-cross-venue.js';
import { parseCrossVenueParams } from '../../core/crossvenue/cross-venue-params.js';
import { toCrossVenueInput } from '../importers/combine-accounts.js';
import { importVenue } from '../importers/index.js';
import { CrossVenueRequest, CrossVenueResponse } from './crossvenue-contract.js';
import { routeSchema } from './route-support.js';
import { createHighsSolver } from '../solver/highs-solver.js';

/** Registers the route (one line in server.ts). */
export function registerCrossVenueRoutes(app: FastifyInstance): void {
  app.post(
    '/api/v1/crossvenue',
    {
      schema: routeSchema({
        summary:
          "Each venue's own margin from its payloads, the combined requirement and the moves that release the difference",
        tags: ['crossvenue'],
        body: CrossVenueRequest,
        ok: CrossVenueResponse,
      }),
    },
    async (req) => {
      const body = req.body as z.output<typeof CrossVenueRequest>;
      const asOfMs = body.asOf === undefined ? undefined : Date.parse(body.asOf);
      const accounts = body.venues.flatMap((v, i) =>
        importVenue(
          v.venue,
          Object.entries(v.payloads).map(([kind, json]) => ({ path: `${kind}.json`, json })),
          asOfMs,
          `venues[${i}].venue`,
        ),
      );
      const result = computeCrossVenue(
        toCrossVenueInput(accounts, parseCrossVenueParams(body.params)),
        await createHighsSolver(),
      );
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
