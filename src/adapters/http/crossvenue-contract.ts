/**
 * @module adapters/http/crossvenue-contract
 *
 * The request and response schemas of `POST /api/v1/crossvenue` (crossvenue-routes.ts), part of
 * the API's one contract (contract.ts): registered with the route for validation and `/docs`, and
 * the source of the dashboard's types. Units: `…Usd` USD floats; hours; fractions.
 */
import { z } from 'zod';

const Usd = z.number();

/** Body of `POST /api/v1/crossvenue`. */
export const CrossVenueRequest = z.strictObject({
  /** valuation time for payloads that carry none (ISO-8601 UTC) */
  asOf: z.iso.datetime().exactOptional(),
  venues: z
    .array(
      z.strictObject({
        /** an importer name (`okx`) or `ccxt:<exchange>` */
        venue: z.string().min(1).max(64),
        /** the venue's payloads by kind (the importer's file names without `.json`) */
        payloads: z.record(
          z.string().regex(/^[a-z][a-z-]{0,40}$/, 'must be a payload kind like "positions"'),
          z.unknown(),
        ),
      }),
    )
    .min(1)
    .max(16),
  /** the combined view's parameters (docs/methodology/cross-venue.md) */
  params: z.unknown().exactOptional(),
});

const MoveLossSchema = z.object({
  lossUsd: Usd,
  byUnderlying: z.array(z.object({ underlying: z.string(), move: z.number(), lossUsd: Usd })),
});

/** One venue in the combined view. */
export const CrossVenueVenueSchema = z.object({
  venue: z.string(),
  model: z.string(),
  own: z.object({ initialUsd: Usd, maintenanceUsd: Usd, equityUsd: Usd }),
  freeCollateralUsd: Usd,
  health: z.number().nullable(),
  reported: z
    .object({ initialUsd: Usd.optional(), maintenanceUsd: Usd.optional(), equityUsd: Usd.optional() })
    .nullable(),
  reproduction: z
    .object({
      initialRelError: z.number().nullable(),
      maintenanceRelError: z.number().nullable(),
      within1pct: z.boolean().nullable(),
    })
    .nullable(),
  standaloneUsd: Usd,
  shareUsd: Usd,
  transitUsd: Usd,
  transit: MoveLossSchema.nullable(),
  holdingUsd: Usd,
  defaultChargeUsd: Usd,
  targetUsd: Usd,
  surplusUsd: Usd,
  releasableUsd: Usd,
});

/** One collateral transfer between venues: asset units, USD value, route latency and its cost. */
const MoveSchema = z.object({
  asset: z.string(),
  from: z.string(),
  to: z.string(),
  qty: z.number(),
  usd: Usd,
  hours: z.number(),
  costUsd: Usd,
});

/** A plan of moves with every venue recomputed by its preset after them. */
const PlanSchema = z.object({
  moves: z.array(MoveSchema),
  costUsd: Usd,
  freedUsd: Usd,
  netUsd: Usd,
  venues: z.array(
    z.object({
      venue: z.string(),
      initialUsd: Usd,
      maintenanceUsd: Usd,
      equityUsd: Usd,
      requiredUsd: Usd,
      marginUsd: Usd,
      covered: z.boolean(),
    }),
  ),
  allCovered: z.boolean(),
});

/** Answer of `POST /api/v1/crossvenue`. */
export const CrossVenueResponse = z.object({
  model: z.string(),
  venues: z.array(CrossVenueVenueSchema),
  groups: z.array(
    z.object({
      venues: z.array(z.string()),
      cap: z.number().nullable(),
      standaloneSumUsd: Usd,
      nettedUsd: Usd,
      requirementUsd: Usd,
      capped: z.boolean(),
    }),
  ),
  sumOfVenuesUsd: Usd,
  combinedUsd: Usd,
  components: z.object({ riskUsd: Usd, transitUsd: Usd, defaultUsd: Usd }),
  differenceUsd: Usd,
  wholeBookUsd: Usd,
  equityUsd: Usd,
  requiredNowUsd: Usd,
  releasableNowUsd: Usd,
  moves: z.array(MoveSchema),
  allocation: z.object({
    method: z.enum(['optimiser', 'greedy-fallback']),
    fallbackReason: z.string().nullable(),
    plan: PlanSchema,
    greedy: PlanSchema,
    solver: z
      .object({
        name: z.string(),
        kind: z.enum(['LP', 'MILP']),
        objectiveUsd: Usd,
        boundUsd: Usd,
        gapUsd: Usd,
        iterations: z.number(),
      })
      .nullable(),
    params: z.object({
      transferCostUsd: Usd,
      maxTransfers: z.number().nullable(),
      latencyChargePerHour: z.number(),
      buffer: z.number(),
    }),
  }),
  imports: z.array(
    z.object({ venue: z.string(), importer: z.string(), preset: z.string(), notes: z.array(z.string()) }),
  ),
});
