/**
 * @module engine
 *
 * State held in memory: accounts with sub-accounts, and the exact double-entry journal that moves
 * bigint base units between them (deposits, withdrawals, transfers, trades, funding, liquidation
 * transfers), idempotent and all or nothing, with the margin check on money leaving a sub-account.
 * Imports core only; no clock, no randomness, no I/O.
 *
 * @see docs/methodology/ledger-journal.md
 */
export {
  ACCOUNT_ID_PATTERN,
  AccountBook,
  MARGIN_MODES,
  createSubAccount,
  isMarginMode,
  resolveUserLimits,
  toSubAccountKey,
  validateVenueLimits,
} from './accounts.js';
export type {
  MarginMode,
  SubAccount,
  SubAccountSpec,
  UserLimits,
  UserLimitsSpec,
  VenueLimits,
} from './accounts.js';
export { Journal, assertBalancedPostings } from './journal.js';
export type { ApplyOptions, JournalEntry, JournalOptions, JournalSnapshot } from './journal.js';
export { SYSTEM_ACCOUNTS, buildEffect, toFingerprint } from './operations.js';
export type {
  DepositOp,
  FundingOp,
  LedgerReader,
  LiquidationOp,
  Operation,
  OperationEffect,
  Posting,
  PositionChange,
  SystemAccount,
  TradeOp,
  TransferOp,
  WithdrawalOp,
} from './operations.js';
export { checkInitialMargin } from './margin-check.js';
export type { MarginCheckResult } from './margin-check.js';
export { toPortfolio } from './to-portfolio.js';
export type { PositionState } from './to-portfolio.js';
export * from './book/index.js';
export * from './simulation/index.js';
export * from './policy/index.js';
export * from './venue/index.js';
