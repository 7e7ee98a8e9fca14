/**
 * @module margin
 *
 * One interface for every margin model (xmargin's own and the anchor presets):
 *
 *   compute(portfolio, context, params) → MarginResult
 *
 * Units: all `...Usd` values in quote currency (float64). Sign conventions: requirements ≥ 0;
 * equity can be negative; a contribution is the part of the initial requirement attributed to a
 * position or collateral asset (negative = it reduces the requirement, e.g. a hedge).
 *
 * Invariants every model guarantees (tested for all models in margin-models.prop.test.ts):
 *   initialUsd ≥ maintenanceUsd ≥ 0;  Σ components.initialUsd = initialUsd;
 *   Σ contributions.initialUsd = initialUsd (to rounding);  all values finite.
 * Margin fails closed: a position that cannot be valued is an error, never skipped.
 */
import type { Portfolio } from '../portfolio/portfolio.js';
import type { MarginMarket } from '../portfolio/margin-market.js';
import type { MarketHistory } from '../scenarios/historical-scenarios.js';

/** A named part of the requirement (worst scenario loss, a contingency, a position's rate, ...). */
export interface MarginComponent {
  readonly name: string;
  readonly initialUsd: number;
  readonly maintenanceUsd: number;
  /** free-form diagnostics (e.g. the underlying, the scenario, the rate bracket) */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** The scenario that set a scenario model's requirement. */
export interface WorstScenario {
  readonly id: string;
  readonly label: string;
  /** the underlying whose scenario it is ('*' for joint scenarios) */
  readonly underlying: string;
  /** portfolio P&L in that scenario (negative = loss), after any weight/dampening */
  readonly pnlUsd: number;
}

/** The part of the initial requirement attributed to one position or collateral asset. */
export interface Contribution {
  /** instrument id, or `collateral:<ASSET>` */
  readonly key: string;
  readonly initialUsd: number;
}

/** The output of a margin model, with diagnostics. */
export interface MarginResult {
  readonly model: string;
  /** initial margin requirement (≥ maintenance) */
  readonly initialUsd: number;
  /** maintenance margin requirement (≥ 0) */
  readonly maintenanceUsd: number;
  /** account equity the requirement is compared with: collateral value + unrealised P&L + option MtM,
   * valued as the model values it (haircut models report haircut equity) */
  readonly equityUsd: number;
  readonly components: readonly MarginComponent[];
  readonly worstScenario?: WorstScenario;
  readonly contributions: readonly Contribution[];
  /** reproducibility: the params version/hash, snapshot id and valuation time */
  readonly paramsVersion: string;
  readonly snapshotId: string;
  readonly valuationMs: number;
}

/** Shared, per-market-update data a model may cache (risk arrays, scenario sets). */
export interface MarginContext {
  readonly market: MarginMarket;
  /** price (and implied-vol) history, required by the statistical models (`es`, `var`) */
  readonly history?: MarketHistory;
  /** per-model cache keyed by the model name; models store their per-market precomputation here */
  readonly cache: Map<string, unknown>;
}

/**
 * How a model moves an option's implied vol when its underlying's index moves by a log return
 * `logMove` with nothing else changing: σ' = rule(σ, logMove, tYears). Used to re-mark a market
 * at another spot (liquidation prices, P&L curves) the way the model itself would.
 */
export type SpotVolRule = (vol: number, logMove: number, tYears: number) => number;

/** A margin model: its name, what it is, its default params and the computation. */
export interface MarginModel<P = unknown> {
  /** selectable name, e.g. 'portfolio', 'deribit-pm' */
  readonly name: string;
  /** one line for `xmargin models` */
  readonly description: string;
  /** where its rules come from (docs section, published source) */
  readonly source: string;
  readonly defaultParams: P;
  /** validates a params document (zod, strict) merged over the defaults; throws ERR_VALIDATION / ERR_INVALID_PARAMS */
  parseParams(doc: unknown): P;
  compute(portfolio: Portfolio, ctx: MarginContext, params: P): MarginResult;
  /**
   * The model's own spot–vol rule, for models whose scenarios tie vol moves to spot moves (the
   * statistical models: Δln σ = k·r). Absent: the model has none, and a re-marked market holds
   * each option's implied vol (sticky strike).
   */
  spotVolRule?(ctx: MarginContext, params: P): SpotVolRule;
}

/** Creates an empty context for a market (and, for statistical models, its history). */
export function createMarginContext(market: MarginMarket, history?: MarketHistory): MarginContext {
  return history ? { market, history, cache: new Map() } : { market, cache: new Map() };
}

/**
 * Prefix of cache keys whose entries depend only on the history, the valuation time, the set of
 * priced assets and the params, never on prices or marks (historical scenario sets, correlation
 * estimates): a derived context may share them.
 */
export const HISTORY_CACHE_PREFIX = 'history:';

/**
 * A context for `market`, a re-marked copy of `ctx.market` (another spot, the same valuation
 * time and assets), with the same history. Cache entries under {@link HISTORY_CACHE_PREFIX}
 * are shared when the valuation time and the priced assets are the same; every other entry (risk
 * arrays, anything built from prices) is rebuilt for the new marks.
 */
export function deriveMarginContext(ctx: MarginContext, market: MarginMarket): MarginContext {
  const derived = createMarginContext(market, ctx.history);
  const sameAssets =
    market.prices.size === ctx.market.prices.size &&
    [...market.prices.keys()].every((a) => ctx.market.prices.has(a));
  if (market.valuationMs === ctx.market.valuationMs && sameAssets)
    for (const [k, v] of ctx.cache) if (k.startsWith(HISTORY_CACHE_PREFIX)) derived.cache.set(k, v);
  return derived;
}
