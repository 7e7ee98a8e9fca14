/**
 * The figures of one model's replay that the bar is read from (docs/methodology/simulation.md):
 * liquidations, bankruptcies, the insurance fund at the start and drawn (start − minimum), bad
 * debt, ADL events. Shared by `xmargin simulate --crashes` and the backtest's crash replays.
 * Units: USD.
 */
import type { ModelReport } from './simulation-types.js';

/** Outcome of one model in one replay. */
export interface ReplayOutcome {
  readonly model: string;
  readonly liquidations: number;
  readonly liquidatedAccounts: number;
  readonly bankruptcies: number;
  /** slippage + gas, USD */
  readonly liquidationCostUsd: number;
  /** insurance fund at the start, USD (the same for every model) */
  readonly insuranceStartUsd: number;
  /** insurance fund start − minimum, USD */
  readonly insuranceDrawnUsd: number;
  readonly badDebtUsd: number;
  /** bad debt ADL could not cover, USD */
  readonly uncoveredUsd: number;
  readonly adlEvents: number;
  /** set when the model could not be run; the numbers are then 0 */
  readonly error: string | null;
}

/** The outcome of a model report (zeros and the error when the model could not run). */
export function replayOutcome(m: ModelReport): ReplayOutcome {
  if (m.error !== undefined) return failedOutcome(m.model, m.error);
  return {
    model: m.model,
    liquidations: m.liquidations,
    liquidatedAccounts: m.liquidatedAccounts,
    bankruptcies: m.bankruptcies,
    liquidationCostUsd: m.totalCostUsd,
    insuranceStartUsd: m.insurance.startUsd,
    insuranceDrawnUsd: m.insurance.startUsd - m.insurance.minUsd,
    badDebtUsd: m.badDebtUsd,
    uncoveredUsd: m.uncoveredUsd,
    adlEvents: m.adlEvents.length,
    error: null,
  };
}

/** The outcome of a model that could not be replayed: zeros and the error. */
export function failedOutcome(model: string, error: string): ReplayOutcome {
  return {
    model,
    liquidations: 0,
    liquidatedAccounts: 0,
    bankruptcies: 0,
    liquidationCostUsd: 0,
    insuranceStartUsd: 0,
    insuranceDrawnUsd: 0,
    badDebtUsd: 0,
    uncoveredUsd: 0,
    adlEvents: 0,
    error,
  };
}
