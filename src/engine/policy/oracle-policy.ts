/**
 * Oracle policy per action (ANCHORS §3 item 4): how old an oracle price may be depends on what it
 * is used for.
 *
 * - risk-increasing actions (a trade that grows |position| or opens/flips exposure, a withdrawal,
 *   a transfer out) are BLOCKED when an involved asset's oracle is stale
 *   (nowMs − oldestUsedMs > `riskIncreasingMaxAgeMs`) or failed (no aggregate);
 * - risk-reducing actions (a trade that shrinks |position|, a deposit, a transfer in) are allowed
 *   on a stale or failed oracle: refusing them would trap users in risk;
 * - neutral actions (funding, a trade that does not change the position) are allowed;
 * - liquidation requires a fresh price under the strict limit `liquidationMaxAgeMs`
 *   (Synthetix-style strict tolerance, 5 s by default vs 60 s for trading).
 *
 * Valuation (`pricesForAction`): initial-margin checks (risk-increasing actions) value assets at
 * min(oracle, stable) and liabilities at max(oracle, stable); maintenance and liquidation use the
 * fresh oracle for both.
 *
 * Pure functions: the caller passes `nowMs`; nothing reads a clock. Units: times in ms UTC,
 * durations in ms, prices in quote ccy per unit.
 */
import { RiskError, XmarginError, requireInput } from '../../core/errors.js';
import type { ErrorCode } from '../../core/errors.js';
import type { OracleResult } from '../../core/market/oracle-aggregate.js';

/** The kinds of action the policy distinguishes. */
export type ActionKind =
  'trade' | 'withdrawal' | 'transfer-out' | 'transfer-in' | 'deposit' | 'funding' | 'liquidation';

/** Effect of an action on the acting sub-account's risk. */
export type RiskClass = 'risk-increasing' | 'risk-reducing' | 'neutral';

/** Which requirement a price is used for. */
export type MarginPurpose = 'initial' | 'maintenance' | 'liquidation';

/**
 * Classifies an action by its effect on risk.
 *
 * - `trade`: `before`/`after` are the signed positions (contracts) of the instrument. |after| >
 *   |before|, or a sign flip (new exposure on the other side), is risk-increasing; a shrink on the
 *   same side is risk-reducing; no change is neutral;
 * - `withdrawal`, `transfer-out`: risk-increasing (collateral leaves);
 * - `deposit`, `transfer-in`: risk-reducing;
 * - `liquidation`: risk-reducing for the liquidated account (its checks use `liquidationMaxAgeMs`);
 * - `funding`: neutral.
 *
 * @param before signed position before the action (contracts); only read for `trade`
 * @param after  signed position after the action (contracts); only read for `trade`
 */
export function classifyAction(kind: ActionKind, before = 0, after = 0): RiskClass {
  switch (kind) {
    case 'trade': {
      requireInput(Number.isFinite(before), 'before', before, 'must be finite');
      requireInput(Number.isFinite(after), 'after', after, 'must be finite');
      if (before * after < 0) return 'risk-increasing';
      const a = Math.abs(after);
      const b = Math.abs(before);
      if (a > b) return 'risk-increasing';
      if (a < b) return 'risk-reducing';
      return 'neutral';
    }
    case 'withdrawal':
    case 'transfer-out':
      return 'risk-increasing';
    case 'deposit':
    case 'transfer-in':
    case 'liquidation':
      return 'risk-reducing';
    case 'funding':
      return 'neutral';
  }
}

/** The oracle state of one asset as the engine sees it at `nowMs`. */
export interface OracleAssetState {
  /** latest successful aggregate, if any */
  readonly result?: OracleResult;
  /** why the latest aggregation failed (e.g. ERR_ORACLE_INSUFFICIENT_SOURCES), if it did */
  readonly error?: { readonly code: string; readonly message: string };
  /** conservative stable price (see core/market/stable-price), quote ccy per unit, > 0 */
  readonly stablePrice?: number;
  /** last time a fresh aggregate was obtained, ms UTC */
  readonly lastFreshMs: number;
}

/** Oracle states by asset symbol. */
export type OracleStates = Readonly<Record<string, OracleAssetState>>;

/** Age limits of the policy. */
export interface OraclePolicyParams {
  /** max age of the oldest used quote for risk-increasing actions, ms (≥ 0); default 60,000 */
  readonly riskIncreasingMaxAgeMs: number;
  /** max age for liquidation, ms (≥ 0, ≤ riskIncreasingMaxAgeMs in sane setups); default 5,000 */
  readonly liquidationMaxAgeMs: number;
}

/** Defaults: 60 s for trading and withdrawals, 5 s for liquidation. */
export const ORACLE_POLICY_DEFAULTS: OraclePolicyParams = Object.freeze({
  riskIncreasingMaxAgeMs: 60_000,
  liquidationMaxAgeMs: 5_000,
});

/** One action to check: its kind, its class (from `classifyAction`) and the assets it prices. */
export interface PolicyAction {
  readonly kind: ActionKind;
  readonly riskClass: RiskClass;
  /** asset symbols whose prices the action's checks need */
  readonly assets: readonly string[];
}

/** Why one asset's oracle is not good enough for an action. */
export interface OracleProblem {
  readonly asset: string;
  readonly reason: 'stale' | 'failed' | 'missing';
  /** age of the oldest used quote, ms; present for `stale` */
  readonly ageMs?: number;
  /** the age limit applied, ms */
  readonly maxAgeMs: number;
  /** human-readable: why, and which sources were rejected */
  readonly detail: string;
}

/** Outcome of `checkOraclePolicy`. */
export type OraclePolicyDecision =
  | { readonly allowed: true; readonly warnings: readonly OracleProblem[] }
  | { readonly allowed: false; readonly problems: readonly OracleProblem[]; readonly error: RiskError };

/** The age limit applied to an action, ms; undefined when staleness does not block it. */
export function maxAgeFor(action: PolicyAction, params: OraclePolicyParams): number | undefined {
  if (action.kind === 'liquidation') return params.liquidationMaxAgeMs;
  if (action.riskClass === 'risk-increasing') return params.riskIncreasingMaxAgeMs;
  return undefined;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function problemOf(
  asset: string,
  state: OracleAssetState | undefined,
  nowMs: number,
  maxAgeMs: number,
): OracleProblem | undefined {
  if (state === undefined) {
    return { asset, reason: 'missing', maxAgeMs, detail: `${asset}: no oracle state` };
  }
  const since = `last fresh price ${seconds(nowMs - state.lastFreshMs)} ago`;
  if (state.result === undefined) {
    const why = state.error ? `${state.error.code}: ${state.error.message}` : 'no aggregate';
    return { asset, reason: 'failed', maxAgeMs, detail: `${asset}: oracle failed (${why}); ${since}` };
  }
  const r = state.result;
  const ageMs = nowMs - r.oldestUsedMs;
  if (ageMs > maxAgeMs) {
    const rejected = r.rejected.map((x) => `${x.source} (${x.reason})`).join(', ') || 'none';
    return {
      asset,
      reason: 'stale',
      ageMs,
      maxAgeMs,
      detail:
        `${asset}: oracle stale by ${seconds(ageMs)} (age ${ageMs} ms > maxAgeMs ${maxAgeMs} ms; ` +
        `used: ${r.used.join(', ') || 'none'}); sources rejected: ${rejected}`,
    };
  }
  return undefined;
}

/**
 * Decides whether the oracle states allow an action at `nowMs`.
 *
 * Blocks a risk-increasing action when any of its assets has a stale (age > riskIncreasingMaxAgeMs),
 * failed or missing oracle; blocks a liquidation when any price is older than liquidationMaxAgeMs
 * or missing. Other actions are allowed, with the same problems returned as warnings. Quotes
 * rejected by the aggregator do not block by themselves while the aggregate still met its
 * `minSources`; they are listed in the message of any block.
 *
 * The error is a `RiskError`: code ERR_ORACLE_INSUFFICIENT_SOURCES when every blocking problem is an
 * aggregation failure with that code, ERR_ORACLE_STALE when every one is a stale price,
 * ERR_MISSING_MARKET_DATA otherwise.
 * Its message names each asset, why, and what would unblock the action.
 *
 * @param nowMs  current time, ms UTC
 * @param params age limits, ms
 */
export function checkOraclePolicy(
  action: PolicyAction,
  states: OracleStates,
  nowMs: number,
  params: OraclePolicyParams = ORACLE_POLICY_DEFAULTS,
): OraclePolicyDecision {
  requireInput(Number.isFinite(nowMs), 'nowMs', nowMs, 'must be finite');
  requireInput(
    params.riskIncreasingMaxAgeMs >= 0,
    'params.riskIncreasingMaxAgeMs',
    params.riskIncreasingMaxAgeMs,
    'must be ≥ 0 ms',
  );
  requireInput(
    params.liquidationMaxAgeMs >= 0,
    'params.liquidationMaxAgeMs',
    params.liquidationMaxAgeMs,
    'must be ≥ 0 ms',
  );
  const limit = maxAgeFor(action, params);
  const problems: OracleProblem[] = [];
  const assets = [...new Set(action.assets)].sort();
  for (const asset of assets) {
    const p = problemOf(asset, states[asset], nowMs, limit ?? params.riskIncreasingMaxAgeMs);
    if (p) problems.push(p);
  }
  if (limit === undefined || problems.length === 0) {
    return { allowed: true, warnings: Object.freeze(problems) };
  }
  const code: ErrorCode = problems.every(
    (p) => p.reason === 'failed' && states[p.asset]?.error?.code === 'ERR_ORACLE_INSUFFICIENT_SOURCES',
  )
    ? 'ERR_ORACLE_INSUFFICIENT_SOURCES'
    : problems.every((p) => p.reason === 'stale')
      ? 'ERR_ORACLE_STALE'
      : 'ERR_MISSING_MARKET_DATA';
  const unblock =
    action.kind === 'liquidation'
      ? `a fresh aggregate for ${problems.map((p) => p.asset).join(', ')} (age ≤ ${seconds(limit)})`
      : `a fresh aggregate for ${problems.map((p) => p.asset).join(', ')} (age ≤ ${seconds(limit)}); ` +
        `risk-reducing actions stay allowed meanwhile`;
  const error = new RiskError(
    code,
    `${action.kind} (${action.riskClass}) blocked by oracle policy: ` +
      `${problems.map((p) => p.detail).join('; ')}. Unblocks with ${unblock}`,
    { kind: action.kind, riskClass: action.riskClass, maxAgeMs: limit, nowMs, problems },
  );
  return { allowed: false, problems: Object.freeze(problems), error };
}

/** Like `checkOraclePolicy`, but throws the blocking `RiskError`; returns the warnings. */
export function enforceOraclePolicy(
  action: PolicyAction,
  states: OracleStates,
  nowMs: number,
  params: OraclePolicyParams = ORACLE_POLICY_DEFAULTS,
): readonly OracleProblem[] {
  const d = checkOraclePolicy(action, states, nowMs, params);
  if (!d.allowed) throw d.error;
  return d.warnings;
}

/** The requirement an action's margin check uses. */
export function purposeFor(action: Pick<PolicyAction, 'kind' | 'riskClass'>): MarginPurpose {
  if (action.kind === 'liquidation') return 'liquidation';
  return action.riskClass === 'risk-increasing' ? 'initial' : 'maintenance';
}

/** Prices of one asset for valuation, quote ccy per unit. */
export interface ValuationPrice {
  /** price for holdings (collateral, long exposure) */
  readonly asset: number;
  /** price for liabilities (borrows, short exposure) */
  readonly liability: number;
  /** the oracle price */
  readonly oracle: number;
  /** whether a stable price entered (initial margin only) */
  readonly stableUsed: boolean;
}

/**
 * Prices to value the named assets with, for a margin purpose.
 *
 * - `initial`: asset = min(oracle, stable), liability = max(oracle, stable) — the conservative
 *   stable price; when no stable price is known yet the oracle is used (`stableUsed: false`);
 * - `maintenance`, `liquidation`: the oracle for both.
 *
 * Fails closed: an asset without an oracle result throws ERR_MISSING_MARKET_DATA naming it.
 * Staleness is not checked here: call `checkOraclePolicy` first.
 */
export function pricesForAction(
  purpose: MarginPurpose,
  assets: readonly string[],
  states: OracleStates,
): Readonly<Record<string, ValuationPrice>> {
  const out: Record<string, ValuationPrice> = {};
  for (const asset of assets) {
    const state = states[asset];
    const oracle = state?.result?.price;
    if (oracle === undefined || !(oracle > 0) || !Number.isFinite(oracle)) {
      throw new RiskError(
        'ERR_MISSING_MARKET_DATA',
        `no oracle price for ${asset} (${purpose} margin)` +
          (state?.error ? `: ${state.error.code}: ${state.error.message}` : ''),
        { asset, purpose },
      );
    }
    const stable = state?.stablePrice;
    if (purpose === 'initial' && stable !== undefined) {
      if (!(stable > 0) || !Number.isFinite(stable)) {
        throw new XmarginError('ERR_INVALID_INPUT', `stablePrice of ${asset} must be finite and > 0`, {
          asset,
          stable,
        });
      }
      out[asset] = Object.freeze({
        asset: Math.min(oracle, stable),
        liability: Math.max(oracle, stable),
        oracle,
        stableUsed: true,
      });
    } else {
      out[asset] = Object.freeze({ asset: oracle, liability: oracle, oracle, stableUsed: false });
    }
  }
  return Object.freeze(out);
}
