/**
 * @module engine/accounts
 *
 * Accounts and their sub-accounts. A sub-account is the unit that is margined: it holds its own
 * collateral balances and positions, and is margined under one margin mode (a model name from the
 * core registry). Each sub-account carries user limits that may only be stricter than the
 * venue's: a lower (or equal) maximum leverage and a non-negative personal buffer above maintenance.
 *
 * Units: leverage is a plain ratio (notional / equity, 10 = 10×); the buffer is a fraction of the
 * maintenance requirement (0.2 = hold 20% more than MM).
 *
 * Invariants: ids match {@link ACCOUNT_ID_PATTERN}; a sub-account id is unique within its account;
 * limits satisfy `0 < maxLeverage ≤ venue.maxLeverage` and `bufferFraction ≥ 0`. A user may also choose
 * the order in which collateral is sold on liquidation and opt into automatic top-up from sibling
 * sub-accounts before liquidation (the venue runtime, engine/venue, acts on both).
 *
 * @see docs/methodology/ledger-journal.md
 */
import { InvalidInputError, requireInput } from '../core/errors.js';
import { MARGIN_MODELS } from '../core/margin/registry.js';

/**
 * Margin modes a sub-account may select: the names of every registry model (`getMarginModel`),
 * xmargin's own (`isolated`, `cross`, `portfolio`, `es`, `var`) and the venue presets, so that a
 * venue can run its accounts under another venue's rules.
 */
export const MARGIN_MODES: readonly string[] = Object.freeze(MARGIN_MODELS.map((m) => m.name));

/** A margin mode: the name of the registry model that margins the sub-account. */
export type MarginMode = string;

/** Allowed account and sub-account ids: 1–64 characters, no `/` (used as the key separator). */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The venue's limits, the loosest a user may choose. */
export interface VenueLimits {
  /** maximum leverage, notional / equity (a ratio > 0, e.g. 50 = 50×) */
  readonly maxLeverage: number;
}

/** Limits a user asks for; absent fields take the venue's (or zero buffer). */
export interface UserLimitsSpec {
  /** maximum leverage, a ratio in (0, venue.maxLeverage] */
  readonly maxLeverage?: number;
  /** personal buffer above maintenance as a fraction of MM (≥ 0; 0.25 = MM × 1.25) */
  readonly bufferFraction?: number;
  /**
   * the order in which the liquidation planner may sell this sub-account's non-stable collateral
   * (asset symbols, first sold first; assets not listed come after, alphabetically). Default: none,
   * the planner picks the cheapest.
   */
  readonly collateralOrder?: readonly string[];
  /** before liquidation, top up from sibling sub-accounts' excess (collateral reuse); default false */
  readonly autoTopUp?: boolean;
}

/** Validated limits of one sub-account. */
export interface UserLimits {
  readonly maxLeverage: number;
  readonly bufferFraction: number;
  readonly collateralOrder: readonly string[];
  readonly autoTopUp: boolean;
}

/** What opening a sub-account needs. */
export interface SubAccountSpec {
  readonly accountId: string;
  readonly subAccountId: string;
  readonly mode: MarginMode;
  readonly limits?: UserLimitsSpec;
}

/** A validated sub-account. */
export interface SubAccount {
  readonly accountId: string;
  readonly subAccountId: string;
  /** `accountId/subAccountId`: the ledger key of the sub-account */
  readonly key: string;
  readonly mode: MarginMode;
  readonly limits: UserLimits;
}

/** `true` when `x` is a margin mode name. */
export function isMarginMode(x: unknown): x is MarginMode {
  return typeof x === 'string' && (MARGIN_MODES as readonly string[]).includes(x);
}

/** The ledger key of a sub-account: `accountId/subAccountId`. */
export function toSubAccountKey(accountId: string, subAccountId: string): string {
  return `${accountId}/${subAccountId}`;
}

/**
 * Validates the venue's limits.
 * @throws InvalidInputError ERR_INVALID_INPUT when `maxLeverage` is not finite and > 0
 */
export function validateVenueLimits(venue: VenueLimits): VenueLimits {
  requireInput(
    Number.isFinite(venue.maxLeverage) && venue.maxLeverage > 0,
    'venue.maxLeverage',
    venue.maxLeverage,
    'must be a finite number > 0',
  );
  return { maxLeverage: venue.maxLeverage };
}

/**
 * Resolves a user's limits against the venue's: the user may only be stricter.
 *
 *   maxLeverage = user.maxLeverage ?? venue.maxLeverage, must be in (0, venue.maxLeverage]
 *   bufferFraction = user.bufferFraction ?? 0, must be finite and ≥ 0
 *   collateralOrder = user.collateralOrder ?? [], distinct symbols
 *   autoTopUp = user.autoTopUp ?? false
 *
 * @param spec   the user's requested limits (ratios / fractions)
 * @param venue  the venue's limits
 * @returns      the validated limits
 * @throws InvalidInputError ERR_INVALID_INPUT naming `limits.maxLeverage` or `limits.bufferFraction`
 */
export function resolveUserLimits(spec: UserLimitsSpec | undefined, venue: VenueLimits): UserLimits {
  const maxLeverage = spec?.maxLeverage ?? venue.maxLeverage;
  requireInput(
    Number.isFinite(maxLeverage) && maxLeverage > 0,
    'limits.maxLeverage',
    maxLeverage,
    'must be a finite number > 0',
  );
  requireInput(
    maxLeverage <= venue.maxLeverage,
    'limits.maxLeverage',
    maxLeverage,
    `must be <= the venue maximum ${venue.maxLeverage} (user limits may only be stricter)`,
  );
  const bufferFraction = spec?.bufferFraction ?? 0;
  requireInput(
    Number.isFinite(bufferFraction) && bufferFraction >= 0,
    'limits.bufferFraction',
    bufferFraction,
    'must be a finite fraction >= 0 above maintenance',
  );
  const collateralOrder = spec?.collateralOrder ?? [];
  requireInput(
    Array.isArray(collateralOrder) &&
      collateralOrder.every((a) => typeof a === 'string' && a.length > 0) &&
      new Set(collateralOrder).size === collateralOrder.length,
    'limits.collateralOrder',
    collateralOrder,
    'must be a list of distinct asset symbols',
  );
  const autoTopUp = spec?.autoTopUp ?? false;
  requireInput(typeof autoTopUp === 'boolean', 'limits.autoTopUp', autoTopUp, 'must be true or false');
  return { maxLeverage, bufferFraction, collateralOrder: Object.freeze([...collateralOrder]), autoTopUp };
}

/**
 * Validates a sub-account spec into a {@link SubAccount}.
 * @throws InvalidInputError ERR_INVALID_INPUT naming `accountId`, `subAccountId`, `mode` or a limit
 */
export function createSubAccount(spec: SubAccountSpec, venue: VenueLimits): SubAccount {
  requireInput(
    typeof spec.accountId === 'string' && ACCOUNT_ID_PATTERN.test(spec.accountId),
    'accountId',
    spec.accountId,
    `must match ${String(ACCOUNT_ID_PATTERN)}`,
  );
  requireInput(
    typeof spec.subAccountId === 'string' && ACCOUNT_ID_PATTERN.test(spec.subAccountId),
    'subAccountId',
    spec.subAccountId,
    `must match ${String(ACCOUNT_ID_PATTERN)}`,
  );
  if (!isMarginMode(spec.mode))
    throw new InvalidInputError('mode', spec.mode, `must be one of ${MARGIN_MODES.join(', ')}`);
  return {
    accountId: spec.accountId,
    subAccountId: spec.subAccountId,
    key: toSubAccountKey(spec.accountId, spec.subAccountId),
    mode: spec.mode,
    limits: resolveUserLimits(spec.limits, venue),
  };
}

/** The accounts of a venue: account id → its sub-accounts. Mutated only by {@link AccountBook.open}. */
export class AccountBook {
  readonly venue: VenueLimits;
  readonly #subAccounts = new Map<string, SubAccount>();

  constructor(venue: VenueLimits) {
    this.venue = validateVenueLimits(venue);
  }

  /**
   * Opens a sub-account (creating its account on first use).
   * @throws InvalidInputError ERR_INVALID_INPUT on an invalid spec or an already open sub-account
   */
  open(spec: SubAccountSpec): SubAccount {
    const sub = createSubAccount(spec, this.venue);
    requireInput(!this.#subAccounts.has(sub.key), 'subAccountId', sub.key, 'must not already be open');
    this.#subAccounts.set(sub.key, sub);
    return sub;
  }

  /**
   * Removes a sub-account that holds nothing: only to undo an opening a store could not persist.
   * @throws InvalidInputError ERR_INVALID_INPUT naming `subAccountId` when no such sub-account is open
   */
  remove(key: string): void {
    if (!this.#subAccounts.delete(key))
      throw new InvalidInputError('subAccountId', key, 'must name an open sub-account');
  }

  /** The sub-account with this key, or undefined. */
  find(key: string): SubAccount | undefined {
    return this.#subAccounts.get(key);
  }

  /**
   * The sub-account with this key.
   * @throws InvalidInputError ERR_INVALID_INPUT naming `field` when no such sub-account is open
   */
  get(key: string, field: string): SubAccount {
    const sub = this.#subAccounts.get(key);
    if (!sub) throw new InvalidInputError(field, key, 'must name an open sub-account');
    return sub;
  }

  /** Every open sub-account, in opening order. */
  list(): readonly SubAccount[] {
    return [...this.#subAccounts.values()];
  }
}
