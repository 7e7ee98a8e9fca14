/**
 * Anti-procyclicality: a limit on how fast an account's initial margin may fall between two
 * updates (EMIR RTS 153/2013 art. 28 motivates limiting margin swings; a venue sets the speed).
 *
 *   IM' = max(IM, (1 − maxFall)·IM_prev)      (rises are never delayed: safety first)
 *   MM' = MM·IM'/IM  when IM > 0              (the MM/IM ratio of the model is kept)
 *
 * The previous requirement is state (the engine or a backtest holds it), so this is applied by
 * the caller after the model: `xmargin margin --previous-im USD`, the engine per account.
 */
import { requireInput } from '../errors.js';
import type { MarginModel, MarginResult } from './margin-model.js';

/**
 * Applies the fall limit to a model result; adds a `fall-limit` component when it binds.
 * @param previousInitialUsd  the account's last initial margin (≥ 0)
 * @param maxFall             largest allowed relative fall per update, in [0, 1] (e.g. 0.1)
 * @throws InvalidInputError ERR_INVALID_INPUT for a negative/NaN previous IM or maxFall outside [0, 1]
 * @example applyFallLimit(result, 12_000, 0.1) // IM no lower than 10,800
 */
export function applyFallLimit(
  result: MarginResult,
  previousInitialUsd: number,
  maxFall: number,
): MarginResult {
  requireInput(
    previousInitialUsd >= 0 && previousInitialUsd < Infinity,
    'previousInitialUsd',
    previousInitialUsd,
    'must be finite and >= 0',
  );
  requireInput(maxFall >= 0 && maxFall <= 1, 'maxFall', maxFall, 'must be in [0, 1]');
  const floor = (1 - maxFall) * previousInitialUsd;
  if (!(floor > result.initialUsd)) return result;
  const extra = floor - result.initialUsd;
  const ratio = result.initialUsd > 0 ? result.maintenanceUsd / result.initialUsd : 1;
  // Spread the extra over contributions pro rata (all to the account when there were none).
  const total = result.contributions.reduce((a, c) => a + c.initialUsd, 0);
  const contributions =
    total > 0
      ? result.contributions.map((c) => ({
          key: c.key,
          initialUsd: c.initialUsd + (extra * c.initialUsd) / total,
        }))
      : [...result.contributions, { key: 'account', initialUsd: extra }];
  return {
    ...result,
    initialUsd: floor,
    maintenanceUsd: ratio * floor,
    components: [
      ...result.components,
      {
        name: 'fall-limit',
        initialUsd: extra,
        maintenanceUsd: ratio * extra,
        detail: { previousInitialUsd, maxFall },
      },
    ],
    contributions,
  };
}

const DAY_MS = 86_400_000;

/**
 * The lowest initial margin the fall limit allows after `elapsedMs`, from a daily rate:
 *
 *   floor = (1 − maxFallPerDay)^(elapsedMs / 1 day) · previousInitialUsd
 *
 * so that hourly updates compound to the daily limit (0.1 per day is 0.44% per hour).
 * @param previousInitialUsd  the last (limited) initial margin, USD, ≥ 0
 * @param maxFallPerDay       largest fall per day, in [0, 1]
 * @param elapsedMs           time since that margin, ms, ≥ 0
 * @returns the floor, USD (0 when maxFallPerDay = 1)
 * @throws InvalidInputError ERR_INVALID_INPUT for a negative/NaN input or maxFallPerDay outside [0, 1]
 * @see EMIR RTS 153/2013 art. 28; docs/methodology/var-es.md#fall-limit
 * @example fallLimitFloor(10_000, 0.1, 86_400_000) // 9,000
 */
export function fallLimitFloor(previousInitialUsd: number, maxFallPerDay: number, elapsedMs: number): number {
  requireInput(
    previousInitialUsd >= 0 && previousInitialUsd < Infinity,
    'previousInitialUsd',
    previousInitialUsd,
    'must be finite and >= 0',
  );
  requireInput(maxFallPerDay >= 0 && maxFallPerDay <= 1, 'maxFallPerDay', maxFallPerDay, 'must be in [0, 1]');
  requireInput(elapsedMs >= 0 && elapsedMs < Infinity, 'elapsedMs', elapsedMs, 'must be finite and >= 0');
  return previousInitialUsd * (1 - maxFallPerDay) ** (elapsedMs / DAY_MS);
}

/**
 * The factor g ≥ 1 the fall limit puts on a model's requirement at a new market: the floor from
 * the last limited IM over `elapsedMs` (fallLimitFloor) over the model's IM now,
 *
 *   g = max(1, floor / IM)     (1 when IM is 0 or not a number: nothing to hold, or fail closed)
 *
 * A stateful caller multiplies IM and MM by g (scaleRequirement) and keeps g as its state.
 * @param previousInitialUsd  the last limited IM, USD, ≥ 0
 * @param rawInitialUsd       the model's IM now, USD
 * @example fallLimitFactor(10_000, 4_500, 0.1, 86_400_000) // 2 (floor 9,000)
 */
export function fallLimitFactor(
  previousInitialUsd: number,
  rawInitialUsd: number,
  maxFallPerDay: number,
  elapsedMs: number,
): number {
  const floor = fallLimitFloor(previousInitialUsd, maxFallPerDay, elapsedMs);
  return rawInitialUsd > 0 && floor > rawInitialUsd ? floor / rawInitialUsd : 1;
}

/** A model result with IM and MM multiplied by g ≥ 1 (components gain a `fall-limit` part). */
export function scaleRequirement(r: MarginResult, g: number): MarginResult {
  if (g === 1) return r;
  const extra = (g - 1) * r.initialUsd;
  return {
    ...r,
    initialUsd: g * r.initialUsd,
    maintenanceUsd: g * r.maintenanceUsd,
    components: [
      ...r.components,
      {
        name: 'fall-limit',
        initialUsd: extra,
        maintenanceUsd: (g - 1) * r.maintenanceUsd,
        detail: { factor: g },
      },
    ],
    contributions: r.contributions.map((c) => ({ key: c.key, initialUsd: g * c.initialUsd })),
  };
}

/**
 * The model as an account held to the fall limit sees it: every result scaled by g (the account's
 * factor, set at the last market). What the liquidation planner, the pre-trade check and a what-if
 * use, so that they judge the same IM as the health check. g = 1 returns the model itself.
 * @throws InvalidInputError ERR_INVALID_INPUT for g < 1 or not finite
 */
export function withFallFactor<P>(model: MarginModel<P>, g: number): MarginModel<P> {
  requireInput(g >= 1 && g < Infinity, 'fallFactor', g, 'must be finite and >= 1');
  if (g === 1) return model;
  const scaled = Object.create(model) as MarginModel<P>;
  return Object.assign(scaled, {
    compute: (portfolio, ctx, params) => scaleRequirement(model.compute(portfolio, ctx, params), g),
  } satisfies Pick<MarginModel<P>, 'compute'>);
}

/**
 * The daily fall limit a model's params declare (`maxFallPerDay`, e.g. the `es` model's), or
 * null when they declare none (rate and grid models): what a stateful caller applies.
 */
export function maxFallPerDayOf(params: unknown): number | null {
  const f = (params as { maxFallPerDay?: unknown } | null)?.maxFallPerDay;
  return typeof f === 'number' && f >= 0 && f <= 1 ? f : null;
}
