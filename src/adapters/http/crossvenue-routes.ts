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
 * when the solver fails. It runs as a heavy request (heavy-requests.ts: cost admission, worker
 * threads; explain-tasks.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { CrossVenueRequest, CrossVenueResponse } from './crossvenue-contract.js';
import { principalOf, routeSchema, type RouteContext } from './route-support.js';

/** Registers the route (one line in server.ts). */
export function registerCrossVenueRoutes(app: FastifyInstance, rc: RouteContext): void {
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
      // It reads nothing of the venue: a heavy request without a market.
      return rc.heavy.run(principalOf(req).keyHash, { kind: 'crossvenue', body }, undefined);
    },
  );
}
