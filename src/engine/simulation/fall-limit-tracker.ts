/**
 * The fall limit as state (core/margin/fall-limit.ts): per account, the last limited initial
 * margin and when it was set. A model that declares `maxFallPerDay` (the `es` model) may not see
 * an account's requirement fall faster than that; rises pass at once. The limit multiplies the
 * model's result by g = max(1, floor / IM) ≥ 1 (IM and MM alike, so MM/IM is kept), which a venue
 * applies to the health check and to the liquidation planner's targets alike. When liquidation changes the
 * portfolio, the stored margin is rebased by the ratio of the new portfolio's margin to the old
 * one (both at the same market), so a smaller book is not held to the larger book's floor.
 *
 * Units: USD, ms UTC. The backtest applies the same rule per book and model
 * (backtest/backtest-fall-limit.ts); the venue (engine/venue) does not hold this state yet, so the
 * replays run without it: this is the piece a venue takes to apply it per sub-account.
 */
import { fallLimitFloor } from '../../core/margin/fall-limit.js';
import type { MarginResult } from '../../core/margin/margin-model.js';

/** Per-account fall-limit state (module header). */
export class FallLimitTracker {
  private readonly last = new Map<string, { imUsd: number; timeMs: number }>();

  /** @param maxFallPerDay  the model's daily limit; null = no limit (every factor is 1) */
  constructor(private readonly maxFallPerDay: number | null) {}

  /**
   * Records the account's raw requirement at `timeMs` and returns the factor g ≥ 1 to apply.
   * @param rawImUsd  the model's initial margin, USD
   */
  observe(accountId: string, rawImUsd: number, timeMs: number): number {
    if (this.maxFallPerDay === null || !(rawImUsd >= 0)) return 1;
    const prev = this.last.get(accountId);
    const floor =
      prev === undefined ? 0 : fallLimitFloor(prev.imUsd, this.maxFallPerDay, timeMs - prev.timeMs);
    const limited = Math.max(rawImUsd, floor);
    this.last.set(accountId, { imUsd: limited, timeMs });
    return rawImUsd > 0 ? limited / rawImUsd : 1;
  }

  /** Scales the stored margin after the portfolio changed (ratio = new raw IM / old raw IM). */
  rebase(accountId: string, ratio: number): void {
    const prev = this.last.get(accountId);
    if (prev !== undefined && ratio >= 0 && ratio < Infinity)
      this.last.set(accountId, { imUsd: prev.imUsd * ratio, timeMs: prev.timeMs });
  }
}

/** A model result with IM and MM multiplied by g (components gain a `fall-limit` part). */
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
