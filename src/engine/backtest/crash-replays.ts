/**
 * Crash replays (docs/methodology/backtesting.md#crash-replays): the venue simulation
 * (engine/simulation/simulate-venue.ts) run through the shipped crashes, per margin model, with
 * hourly steps and a fixed seed. Per model and crash: liquidations, their cost, the insurance
 * fund drawn (start − minimum), bad debt and ADL events. A model the simulation cannot run
 * reports its error instead of failing the report.
 *
 * Units: USD, ms UTC.
 */
import type { MarketHistory } from '../../core/scenarios/historical-scenarios.js';
import { simulateVenue } from '../simulation/simulate-venue.js';
import type { CrashWindow } from '../simulation/crash-catalogue.js';
import type { PricePath } from '../simulation/replay-path.js';
import { failedOutcome, replayOutcome, type ReplayOutcome } from '../simulation/replay-outcome.js';

const HOUR_MS = 3_600_000;

export { CRASH_WINDOWS, type CrashWindow } from '../simulation/crash-catalogue.js';

/** Outcome of one model in one crash. */
export type CrashModelOutcome = ReplayOutcome;

/** Outcome of one crash. */
export interface CrashReplay {
  readonly crash: CrashWindow;
  readonly steps: number;
  readonly accounts: number;
  readonly seed: number;
  readonly volSource: 'dvol' | 'flat' | null;
  readonly models: readonly CrashModelOutcome[];
  /** set when the whole replay failed (e.g. the window is outside the history) */
  readonly error: string | null;
}

/** Input of {@link runCrashReplays}. */
export interface CrashReplayInput {
  readonly crashes: readonly CrashWindow[];
  readonly models: readonly string[];
  /** accounts of the seeded venue, ≥ 1 */
  readonly accounts: number;
  readonly seed: number;
  /** hourly closes (BTC, ETH, SOL and optionally USDC, through the last window) and DVOL */
  readonly history: MarketHistory;
  /** option vol when there is no DVOL at a window's start, annualised fraction (default 0.6) */
  readonly flatVol?: number;
  /** price path (default `close`), funding range, insurance fund: as simulateVenue's inputs */
  readonly path?: PricePath;
  readonly funding?: readonly [number, number];
  readonly insuranceUsd?: number;
  /** called after every simulated step (done, total over all crashes and models) */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Runs the venue simulation through each crash for every model (hourly steps). */
export function runCrashReplays(input: CrashReplayInput): CrashReplay[] {
  const perHour = input.path === 'intrabar' ? 3 : 1;
  const stepsOf = (c: CrashWindow) => perHour * Math.floor((c.toMs - c.fromMs) / HOUR_MS) + 1;
  const total = input.crashes.reduce((s, c) => s + stepsOf(c) * input.models.length, 0);
  let before = 0;
  return input.crashes.map((crash) => {
    const offset = before;
    before += stepsOf(crash) * input.models.length;
    const base = { crash, steps: stepsOf(crash), accounts: input.accounts, seed: input.seed };
    try {
      const r = simulateVenue({
        fromMs: crash.fromMs,
        toMs: crash.toMs,
        stepHours: 1,
        models: input.models,
        accounts: input.accounts,
        seed: input.seed,
        history: input.history,
        flatVol: input.flatVol ?? 0.6,
        ...(input.path !== undefined && { path: input.path }),
        ...(input.funding !== undefined && { funding: input.funding }),
        ...(input.insuranceUsd !== undefined && { insuranceUsd: input.insuranceUsd }),
        ...(input.onProgress !== undefined && {
          onProgress: (done: number) => input.onProgress!(offset + done, total),
        }),
      });
      return {
        ...base,
        volSource: r.volSource,
        error: null,
        models: r.models.map(replayOutcome),
      };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      input.onProgress?.(offset + stepsOf(crash) * input.models.length, total);
      return {
        ...base,
        volSource: null,
        error: msg,
        models: input.models.map((m) => failedOutcome(m, msg)),
      };
    }
  });
}

/** Σ bad debt per model over the replays (models with an error in every crash: null). */
export function badDebtByModel(
  replays: readonly CrashReplay[],
  models: readonly string[],
): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const m of models) {
    const rows = replays.flatMap((r) => r.models.filter((x) => x.model === m && x.error === null));
    out[m] = rows.length === 0 ? null : rows.reduce((s, x) => s + x.badDebtUsd, 0);
  }
  return out;
}
