/**
 * Parameters of the combined view across venues (docs/methodology/cross-venue.md), validated
 * with a strict zod schema; every field is optional in the document and defaults below.
 *
 * Units: charges and caps are fractions in [0, 1]; latencies in hours (≥ 0); moves are fractions
 * of price over one hour, scaled by √hours.
 *
 * Sources of the defaults:
 * - `hourlyMove`: the 99.9% quantile of the largest one-hour move (high or low against the
 *   previous close, in log terms) of the shipped Binance hourly bars 2020-01..2026-04
 *   (data/history/ohlcv_1h): BTC 0.0786, ETH 0.0948, SOL 0.1461; other underlyings 0.15 (the
 *   altcoin quantiles there lie between 0.107 and 0.218), rounded up to 3 decimals;
 * - `netting cap` 0.8: the customer cross-margining program of CME and FICC caps the margin
 *   reduction at 80% (secondary source, as described in the methodology);
 * - `venueDefault` 1% and `latencyHours` 1 h: xmargin assumptions, to be set per trader: a
 *   withdrawal from a centralised venue plus the deposit's confirmations typically takes minutes
 *   to an hour; equity at a venue is an unsecured claim on it.
 * - `moves`: xmargin assumptions, to be set per trader: $5 per transfer (a withdrawal fee plus
 *   gas, the order of a stablecoin withdrawal's fee on the large venues), 1 bp of the value moved
 *   per hour in transit (capital idle while it travels), no limit on the number of transfers, no
 *   buffer over each venue's target, and each venue model's own haircuts.
 */
import { z } from 'zod';
import { XmarginError } from '../errors.js';
import { parseWithSchema } from '../params/parse.js';

/** A declared joint-management agreement: these venues' positions may net, savings capped. */
export interface NettingAgreement {
  /** the venues (≥ 2) that can be liquidated jointly */
  readonly venues: readonly string[];
  /** the largest fraction of the sum of standalone requirements netting may save, [0, 1] */
  readonly cap: number;
}

/** Latency of moving collateral between two venues (both directions). */
export interface LatencyPair {
  readonly between: readonly [string, string];
  /** hours, ≥ 0 */
  readonly hours: number;
}

/** Parameters of the combined view. */
export interface CrossVenueParams {
  /** xmargin model that margins the combined book (a registry name; default `portfolio`) */
  readonly model: string;
  /** its params document (merged over the model's defaults); absent = defaults */
  readonly modelParams?: unknown;
  /** venue default charge: fraction of the collateral that must sit at a venue */
  readonly venueDefault: { readonly default: number; readonly byVenue: Readonly<Record<string, number>> };
  /** hours to move collateral between two venues */
  readonly latencyHours: { readonly default: number; readonly pairs: readonly LatencyPair[] };
  /** declared joint-management agreements; venues in none do not net with any other */
  readonly agreements: readonly NettingAgreement[];
  /** one-hour move per underlying, fraction (scaled by √hours) */
  readonly hourlyMove: { readonly default: number; readonly byUnderlying: Readonly<Record<string, number>> };
  /** assets never shocked by the transfer move (stablecoins, the quote currency) */
  readonly stableAssets: readonly string[];
  /** the collateral moves' costs and limits (the optimiser's allocation) */
  readonly moves: MovesParams;
}

/** Costs and limits of the collateral moves between venues. */
export interface MovesParams {
  /** fixed cost of one transfer (one asset, one route), USD ≥ 0 */
  readonly transferCostUsd: number;
  /** most transfers the plan may use (absent = no limit) */
  readonly maxTransfers?: number;
  /** charge per hour of transit, fraction of the value moved (× the route's latency) */
  readonly latencyChargePerHour: number;
  /** coverage each venue keeps above its target after the moves, fraction (0.1 = target·1.1) */
  readonly buffer: number;
  /** haircut per asset per venue, fraction in [0, 1] (1 = the venue does not take it), over the venue model's */
  readonly haircuts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** the solver's wall-clock limit, seconds; past it the greedy plan stands in, labelled */
  readonly timeLimitSeconds: number;
}

/** Defaults (module header for sources). */
export const DEFAULT_CROSS_VENUE_PARAMS: CrossVenueParams = {
  model: 'portfolio',
  venueDefault: { default: 0.01, byVenue: {} },
  latencyHours: { default: 1, pairs: [] },
  agreements: [],
  hourlyMove: { default: 0.15, byUnderlying: { BTC: 0.079, ETH: 0.095, SOL: 0.147 } },
  stableAssets: ['USD', 'USDC', 'USDT', 'DAI', 'USDE'],
  moves: { transferCostUsd: 5, latencyChargePerHour: 0.0001, buffer: 0, haircuts: {}, timeLimitSeconds: 10 },
};

const fraction = z.number().min(0).max(1);
const venue = z.string().min(1).max(32);

/** Strict schema of the parameters document (`crossvenue.json` in an accounts directory). */
export const CrossVenueParamsSchema = z.strictObject({
  model: z.string().min(1).exactOptional(),
  modelParams: z.unknown().exactOptional(),
  venueDefault: z
    .strictObject({ default: fraction.exactOptional(), byVenue: z.record(venue, fraction).exactOptional() })
    .exactOptional(),
  latencyHours: z
    .strictObject({
      default: z.number().min(0).max(720).exactOptional(),
      pairs: z
        .array(z.strictObject({ between: z.tuple([venue, venue]), hours: z.number().min(0).max(720) }))
        .exactOptional(),
    })
    .exactOptional(),
  agreements: z
    .array(z.strictObject({ venues: z.array(venue).min(2).max(16), cap: fraction.exactOptional() }))
    .exactOptional(),
  hourlyMove: z
    .strictObject({
      default: z.number().gt(0).max(1).exactOptional(),
      byUnderlying: z.record(z.string().min(1), z.number().gt(0).max(1)).exactOptional(),
    })
    .exactOptional(),
  stableAssets: z.array(z.string().min(1)).exactOptional(),
  moves: z
    .strictObject({
      transferCostUsd: z.number().min(0).max(1e6).exactOptional(),
      maxTransfers: z.int().min(0).max(1000).exactOptional(),
      latencyChargePerHour: fraction.exactOptional(),
      buffer: z.number().min(0).max(10).exactOptional(),
      haircuts: z.record(venue, z.record(z.string().min(1), fraction)).exactOptional(),
      timeLimitSeconds: z.number().gt(0).max(600).exactOptional(),
    })
    .exactOptional(),
});

/** Netting cap of an agreement that does not set one (CME–FICC customer program). */
export const DEFAULT_NETTING_CAP = 0.8;

/**
 * Validates a parameters document and fills the defaults.
 * @throws ValidationError ERR_VALIDATION naming each bad field; XmarginError ERR_INVALID_PARAMS
 *         when a venue is in two agreements (`agreements[i].venues`)
 * @example parseCrossVenueParams({ agreements: [{ venues: ['deribit', 'okx'], cap: 0.8 }] })
 */
export function parseCrossVenueParams(doc: unknown): CrossVenueParams {
  const p = parseWithSchema(CrossVenueParamsSchema, doc ?? {}, 'crossvenue params');
  const d = DEFAULT_CROSS_VENUE_PARAMS;
  const agreements = (p.agreements ?? []).map((a) => ({
    venues: [...new Set(a.venues)],
    cap: a.cap ?? DEFAULT_NETTING_CAP,
  }));
  const seen = new Map<string, number>();
  agreements.forEach((a, i) => {
    for (const v of a.venues) {
      const j = seen.get(v);
      if (j !== undefined)
        throw new XmarginError(
          'ERR_INVALID_PARAMS',
          `crossvenue params: agreements[${i}].venues names ${v}, already in agreements[${j}]; a venue may be in one agreement`,
          { field: `agreements[${i}].venues`, venue: v },
        );
      seen.set(v, i);
    }
  });
  return {
    model: p.model ?? d.model,
    ...(p.modelParams === undefined ? {} : { modelParams: p.modelParams }),
    venueDefault: {
      default: p.venueDefault?.default ?? d.venueDefault.default,
      byVenue: p.venueDefault?.byVenue ?? {},
    },
    latencyHours: {
      default: p.latencyHours?.default ?? d.latencyHours.default,
      pairs: p.latencyHours?.pairs ?? [],
    },
    agreements,
    hourlyMove: {
      default: p.hourlyMove?.default ?? d.hourlyMove.default,
      byUnderlying: { ...d.hourlyMove.byUnderlying, ...(p.hourlyMove?.byUnderlying ?? {}) },
    },
    stableAssets: p.stableAssets ?? d.stableAssets,
    moves: {
      transferCostUsd: p.moves?.transferCostUsd ?? d.moves.transferCostUsd,
      ...(p.moves?.maxTransfers === undefined ? {} : { maxTransfers: p.moves.maxTransfers }),
      latencyChargePerHour: p.moves?.latencyChargePerHour ?? d.moves.latencyChargePerHour,
      buffer: p.moves?.buffer ?? d.moves.buffer,
      haircuts: p.moves?.haircuts ?? {},
      timeLimitSeconds: p.moves?.timeLimitSeconds ?? d.moves.timeLimitSeconds,
    },
  };
}

/** Hours to move collateral from `a` to `b` (the pair's value, else the default). */
export function latencyBetween(p: CrossVenueParams, a: string, b: string): number {
  const pair = p.latencyHours.pairs.find(
    (x) => (x.between[0] === a && x.between[1] === b) || (x.between[0] === b && x.between[1] === a),
  );
  return pair?.hours ?? p.latencyHours.default;
}
