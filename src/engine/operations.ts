/**
 * @module engine/operations
 *
 * The operations the journal applies, and how each becomes postings. A posting moves exact base
 * units (`bigint`) of one asset into (+) or out of (−) one ledger account; the postings of one
 * operation sum to zero per asset (checked by the journal). Ledger accounts are sub-accounts
 * (`accountId/subAccountId`) or one of the {@link SYSTEM_ACCOUNTS}.
 *
 * Positions are not balances: a trade or a liquidation also returns position changes (signed
 * contracts, long > 0, at a price in quote ccy per unit of underlying), applied by the journal.
 *
 * Cash legs are exact and supplied by the caller (the matching engine or the settlement process
 * knows the premium, realised P&L or liquidation price it agreed); the journal never rounds.
 *
 * @see docs/methodology/ledger-journal.md
 */
import { InvalidInputError, requireInput } from '../core/errors.js';

/** System ledger accounts: the other side of every flow that does not go between sub-accounts. */
export const SYSTEM_ACCOUNTS = ['insurance-fund', 'fees', 'external', 'settlement'] as const;

/** A system ledger account. `external` = outside the venue (deposits/withdrawals). */
export type SystemAccount = (typeof SYSTEM_ACCOUNTS)[number];

/** Fields every operation carries. */
interface OperationBase {
  /** idempotency key: the same key with the same content is applied once */
  readonly key: string;
  /** time of the operation, ms since the Unix epoch (UTC) */
  readonly timeMs: number;
}

/** Funds arrive from outside: external → sub-account. */
export interface DepositOp extends OperationBase {
  readonly kind: 'deposit';
  readonly to: string;
  readonly asset: string;
  /** base units, > 0 */
  readonly units: bigint;
}

/** Funds leave the venue: sub-account → external. Margin-checked. */
export interface WithdrawalOp extends OperationBase {
  readonly kind: 'withdrawal';
  readonly from: string;
  readonly asset: string;
  /** base units, > 0 and ≤ the balance */
  readonly units: bigint;
}

/** Between two sub-accounts. Margin-checked on the sending side. */
export interface TransferOp extends OperationBase {
  readonly kind: 'transfer';
  readonly from: string;
  readonly to: string;
  readonly asset: string;
  /** base units, > 0 and ≤ the sender's balance */
  readonly units: bigint;
}

/**
 * A trade as the journal records it: position change at a price; cash leg via `settlement`, fee
 * to `fees`. The cash leg and the fee are computed by the engine (policy/trading-policy.ts) from a
 * {@link TradeRequest}; a client never supplies them.
 */
export interface TradeOp extends OperationBase {
  readonly kind: 'trade';
  readonly subAccount: string;
  readonly instrument: string;
  /** signed change of position in contracts (buy > 0), finite and non-zero */
  readonly size: number;
  /** fill price, quote ccy per unit of underlying, finite and >= 0 (an option may fill at 0) */
  readonly price: number;
  /** the settlement asset of the cash leg and the fee */
  readonly asset: string;
  /** base units received by the sub-account (negative = paid: premium, realised loss), any sign */
  readonly cashUnits: bigint;
  /** base units of fee paid to `fees`, ≥ 0 */
  readonly feeUnits: bigint;
  /**
   * what the client supplied: `order` (instrument and size; the market maker priced it), `fill`
   * (also the price, from the venue's matching side); absent on the engine's own trades
   */
  readonly source?: 'order' | 'fill';
}

/**
 * A trade as a client asks for it: no cash amount, no fee; a price only from the venue's matching
 * side (a fill). The venue prices it into a {@link TradeOp}.
 */
export interface TradeRequest extends OperationBase {
  readonly kind: 'trade';
  readonly subAccount: string;
  readonly instrument: string;
  /** signed change of position in contracts (buy > 0), finite and non-zero */
  readonly size: number;
  /** the agreed fill price (matching side only), quote ccy per unit; absent: an order */
  readonly price?: number;
}

/** A funding payment between two parties, either a sub-account or `settlement`. */
export interface FundingOp extends OperationBase {
  readonly kind: 'funding';
  readonly payer: string;
  readonly receiver: string;
  readonly asset: string;
  /** base units, > 0 */
  readonly units: bigint;
}

/** A liquidation transfer: part of a position moves from the liquidated sub-account to a receiver. */
export interface LiquidationOp extends OperationBase {
  readonly kind: 'liquidation';
  /** the liquidated sub-account */
  readonly from: string;
  /** the receiving sub-account (liquidator or backstop) */
  readonly to: string;
  readonly instrument: string;
  /** contracts moved, same sign as `from`'s position and |size| ≤ |position| */
  readonly size: number;
  /** transfer price, quote ccy per unit of underlying, > 0 */
  readonly price: number;
  readonly asset: string;
  /** base units paid by the receiver to the liquidated sub-account (negative = the other way) */
  readonly cashUnits: bigint;
  /** base units of liquidation penalty, liquidated → `insurance-fund`, ≥ 0 */
  readonly penaltyUnits: bigint;
}

/**
 * Liquidation sale of collateral: `units` of `asset` go from the liquidated sub-account to the
 * liquidator, who pays `cashUnits` of `cashAsset` for them (engine-generated).
 */
export interface CollateralSaleOp extends OperationBase {
  readonly kind: 'collateral-sale';
  readonly from: string;
  readonly to: string;
  readonly asset: string;
  /** base units of `asset` sold, > 0 and ≤ the seller's balance */
  readonly units: bigint;
  readonly cashAsset: string;
  /** base units of `cashAsset` paid by the liquidator, ≥ 0 */
  readonly cashUnits: bigint;
}

/**
 * What a liquidation charges the liquidated sub-account, in one asset (engine-generated):
 * the liquidator's fee share and the slippage it earns → `to` (the liquidator), the insurance
 * fund's share → `insurance-fund`, the transaction (gas) cost → `fees`.
 */
export interface LiquidationChargeOp extends OperationBase {
  readonly kind: 'liquidation-charge';
  readonly from: string;
  readonly to: string;
  readonly asset: string;
  /** base units to the liquidator (fee share + slippage), ≥ 0 */
  readonly liquidatorUnits: bigint;
  /** base units to the insurance fund, ≥ 0 */
  readonly insuranceUnits: bigint;
  /** base units of transaction cost to `fees`, ≥ 0 */
  readonly gasUnits: bigint;
}

/** The insurance fund covers a bankrupt sub-account's deficit: `insurance-fund` → `to`. */
export interface InsurancePayoutOp extends OperationBase {
  readonly kind: 'insurance-payout';
  readonly to: string;
  readonly asset: string;
  /** base units, > 0 and ≤ the fund's balance */
  readonly units: bigint;
}

/**
 * Auto-deleveraging: a profitable opposite position (`instrument` of `from`) is closed against
 * the liquidator that holds the bankrupt position, at mark, and `units` of the deficit the
 * insurance fund could not pay are taken from `from` to the bankrupt `to` (so `from` is closed at
 * the bankruptcy price instead of the mark). Engine-generated.
 */
export interface AdlOp extends OperationBase {
  readonly kind: 'adl';
  /** the deleveraged sub-account */
  readonly from: string;
  /** the bankrupt sub-account */
  readonly to: string;
  /** the liquidator that takes `from`'s closed position */
  readonly liquidator: string;
  readonly instrument: string;
  /** contracts closed, same sign as `from`'s position, |size| ≤ |position| */
  readonly size: number;
  /** transfer price (as for a liquidation transfer), > 0 */
  readonly price: number;
  readonly asset: string;
  /** base units paid by the liquidator to `from` for the position (the mark value), any sign */
  readonly cashUnits: bigint;
  /** base units of the deficit taken from `from` to `to`, ≥ 0 */
  readonly units: bigint;
}

/**
 * Expiry settlement: a position in an expired instrument is closed at its settlement price; the
 * cash leg (`cashUnits`, received by the sub-account, negative = paid) comes from `settlement`.
 */
export interface ExpiryOp extends OperationBase {
  readonly kind: 'expiry';
  readonly subAccount: string;
  readonly instrument: string;
  /** the settlement price, quote ccy per unit of underlying, ≥ 0 (an option expiring worthless: 0) */
  readonly price: number;
  readonly asset: string;
  readonly cashUnits: bigint;
}

/** Operations only the engine generates (liquidation and its aftermath, expiry). */
export type EngineOperation = CollateralSaleOp | LiquidationChargeOp | InsurancePayoutOp | AdlOp | ExpiryOp;

/** Any journal operation. */
export type Operation =
  DepositOp | WithdrawalOp | TransferOp | TradeOp | FundingOp | LiquidationOp | EngineOperation;

/** Kinds of operation a user may submit; the others are generated by the engine. */
export const USER_OPERATION_KINDS = ['deposit', 'withdrawal', 'transfer', 'trade', 'funding'] as const;

/** What a client may submit to the venue: user operations, trades as requests (priced by the venue). */
export type UserOperation = DepositOp | WithdrawalOp | TransferOp | TradeRequest | FundingOp;

/** One leg: `units` of `asset` into (+) or out of (−) `account`. */
export interface Posting {
  readonly account: string;
  readonly asset: string;
  readonly units: bigint;
}

/** A change of one sub-account's position. */
export interface PositionChange {
  readonly subAccount: string;
  readonly instrument: string;
  /** signed contracts */
  readonly size: number;
  /** quote ccy per unit of underlying */
  readonly price: number;
}

/** What an operation does, before it is checked and committed. */
export interface OperationEffect {
  readonly postings: readonly Posting[];
  readonly positionChanges: readonly PositionChange[];
  /** the sub-account to margin-check after the operation, if any */
  readonly marginChecked?: string;
}

/** Reads the state the builders need. */
export interface LedgerReader {
  isSubAccount(key: string): boolean;
  isAsset(symbol: string): boolean;
  balanceOf(account: string, asset: string): bigint;
  positionSizeOf(subAccount: string, instrument: string): number;
}

function requireSub(r: LedgerReader, key: unknown, field: string): string {
  requireInput(typeof key === 'string' && r.isSubAccount(key), field, key, 'must name an open sub-account');
  return key;
}

function requireParty(r: LedgerReader, key: unknown, field: string): string {
  if (key === 'settlement') return key;
  return requireSub(r, key, field);
}

function requireAsset(r: LedgerReader, asset: unknown): string {
  if (typeof asset !== 'string' || !r.isAsset(asset))
    throw new InvalidInputError('asset', asset, 'must be a defined asset');
  return asset;
}

function requirePositiveUnits(units: unknown, field: string): bigint {
  requireInput(typeof units === 'bigint' && units > 0n, field, units, 'must be a bigint of base units > 0');
  return units;
}

function requireNonNegativeUnits(units: unknown, field: string): bigint {
  requireInput(typeof units === 'bigint' && units >= 0n, field, units, 'must be a bigint of base units >= 0');
  return units;
}

function requireSize(size: unknown): number {
  requireInput(
    typeof size === 'number' && Number.isFinite(size) && size !== 0,
    'size',
    size,
    'must be a finite non-zero number of contracts',
  );
  return size;
}

function requirePrice(price: unknown): number {
  requireInput(
    typeof price === 'number' && Number.isFinite(price) && price > 0,
    'price',
    price,
    'must be > 0',
  );
  return price;
}

function requireInstrument(instrument: unknown): string {
  requireInput(
    typeof instrument === 'string' && instrument.length > 0,
    'instrument',
    instrument,
    'must be a non-empty instrument id',
  );
  return instrument;
}

function requireCovered(r: LedgerReader, account: string, asset: string, units: bigint): void {
  const balance = r.balanceOf(account, asset);
  requireInput(units <= balance, 'units', units, `must be <= the ${asset} balance ${balance} of ${account}`);
}

function requireCashUnits(units: unknown): bigint {
  requireInput(typeof units === 'bigint', 'cashUnits', units, 'must be a bigint of base units');
  return units;
}

/**
 * The shared part of a liquidation transfer and an ADL close: `size` contracts of `from`'s
 * position (same sign, not more than held) move to `receiver` at `price`, and `receiver` pays
 * `cashUnits` of `asset` to `from`.
 */
function positionTransfer(
  r: LedgerReader,
  from: string,
  receiver: string,
  op: { instrument: unknown; size: unknown; price: unknown; asset: unknown; cashUnits: unknown },
): { asset: string; postings: Posting[]; positionChanges: PositionChange[] } {
  const instrument = requireInstrument(op.instrument);
  const size = requireSize(op.size);
  const price = requirePrice(op.price);
  const held = r.positionSizeOf(from, instrument);
  requireInput(
    Math.sign(held) === Math.sign(size) && Math.abs(size) <= Math.abs(held),
    'size',
    size,
    `must have the sign of ${from}'s ${instrument} position ${held} and not exceed it`,
  );
  const asset = requireAsset(r, op.asset);
  const cash = requireCashUnits(op.cashUnits);
  return {
    asset,
    postings: [
      { account: receiver, asset, units: -cash },
      { account: from, asset, units: cash },
    ],
    positionChanges: [
      { subAccount: from, instrument, size: -size, price },
      { subAccount: receiver, instrument, size, price },
    ],
  };
}

/** Non-zero postings only: a zero leg records nothing. */
function legs(...ps: Posting[]): Posting[] {
  return ps.filter((p) => p.units !== 0n);
}

/**
 * Validates an operation against the current state and returns its postings and position
 * changes. Pure: reads `r`, changes nothing.
 *
 * @throws InvalidInputError ERR_INVALID_INPUT naming the field, the rule and the value
 */
export function buildEffect(op: Operation, r: LedgerReader): OperationEffect {
  requireInput(
    typeof op.key === 'string' && op.key.length > 0 && op.key.length <= 200,
    'key',
    op.key,
    'must be a non-empty idempotency key of at most 200 characters',
  );
  requireInput(
    Number.isSafeInteger(op.timeMs) && op.timeMs >= 0,
    'timeMs',
    op.timeMs,
    'must be an integer number of ms since the epoch >= 0',
  );
  switch (op.kind) {
    case 'deposit': {
      // the venue funds its insurance fund by a deposit too
      const to = op.to === 'insurance-fund' ? op.to : requireSub(r, op.to, 'to');
      const asset = requireAsset(r, op.asset);
      const u = requirePositiveUnits(op.units, 'units');
      return {
        postings: [
          { account: 'external', asset, units: -u },
          { account: to, asset, units: u },
        ],
        positionChanges: [],
      };
    }
    case 'withdrawal': {
      const from = requireSub(r, op.from, 'from');
      const asset = requireAsset(r, op.asset);
      const u = requirePositiveUnits(op.units, 'units');
      requireCovered(r, from, asset, u);
      return {
        postings: [
          { account: from, asset, units: -u },
          { account: 'external', asset, units: u },
        ],
        positionChanges: [],
        marginChecked: from,
      };
    }
    case 'transfer': {
      const from = requireSub(r, op.from, 'from');
      const to = requireSub(r, op.to, 'to');
      requireInput(to !== from, 'to', to, 'must differ from `from`');
      const asset = requireAsset(r, op.asset);
      const u = requirePositiveUnits(op.units, 'units');
      requireCovered(r, from, asset, u);
      return {
        postings: [
          { account: from, asset, units: -u },
          { account: to, asset, units: u },
        ],
        positionChanges: [],
        marginChecked: from,
      };
    }
    case 'trade': {
      const sub = requireSub(r, op.subAccount, 'subAccount');
      const instrument = requireInstrument(op.instrument);
      const size = requireSize(op.size);
      requireInput(
        typeof op.price === 'number' && Number.isFinite(op.price) && op.price >= 0,
        'price',
        op.price,
        'must be a finite price >= 0',
      );
      const price = op.price;
      const asset = requireAsset(r, op.asset);
      const cash = requireCashUnits(op.cashUnits);
      const fee = requireNonNegativeUnits(op.feeUnits, 'feeUnits');
      return {
        postings: legs(
          { account: 'settlement', asset, units: -cash },
          { account: sub, asset, units: cash },
          { account: sub, asset, units: -fee },
          { account: 'fees', asset, units: fee },
        ),
        positionChanges: [{ subAccount: sub, instrument, size, price }],
      };
    }
    case 'funding': {
      const payer = requireParty(r, op.payer, 'payer');
      const receiver = requireParty(r, op.receiver, 'receiver');
      requireInput(receiver !== payer, 'receiver', receiver, 'must differ from `payer`');
      const asset = requireAsset(r, op.asset);
      const u = requirePositiveUnits(op.units, 'units');
      return {
        postings: [
          { account: payer, asset, units: -u },
          { account: receiver, asset, units: u },
        ],
        positionChanges: [],
      };
    }
    case 'liquidation': {
      const from = requireSub(r, op.from, 'from');
      const to = requireSub(r, op.to, 'to');
      requireInput(to !== from, 'to', to, 'must differ from `from`');
      const t = positionTransfer(r, from, to, op);
      const penalty = requireNonNegativeUnits(op.penaltyUnits, 'penaltyUnits');
      return {
        postings: legs(
          ...t.postings,
          { account: from, asset: t.asset, units: -penalty },
          { account: 'insurance-fund', asset: t.asset, units: penalty },
        ),
        positionChanges: t.positionChanges,
      };
    }
    case 'collateral-sale': {
      const from = requireSub(r, op.from, 'from');
      const to = requireSub(r, op.to, 'to');
      requireInput(to !== from, 'to', to, 'must differ from `from`');
      const asset = requireAsset(r, op.asset);
      const u = requirePositiveUnits(op.units, 'units');
      requireCovered(r, from, asset, u);
      if (typeof op.cashAsset !== 'string' || !r.isAsset(op.cashAsset))
        throw new InvalidInputError('cashAsset', op.cashAsset, 'must be a defined asset');
      requireInput(op.cashAsset !== asset, 'cashAsset', op.cashAsset, 'must differ from `asset`');
      const cash = requireNonNegativeUnits(op.cashUnits, 'cashUnits');
      return {
        postings: legs(
          { account: from, asset, units: -u },
          { account: to, asset, units: u },
          { account: to, asset: op.cashAsset, units: -cash },
          { account: from, asset: op.cashAsset, units: cash },
        ),
        positionChanges: [],
      };
    }
    case 'liquidation-charge': {
      const from = requireSub(r, op.from, 'from');
      const to = requireSub(r, op.to, 'to');
      requireInput(to !== from, 'to', to, 'must differ from `from`');
      const asset = requireAsset(r, op.asset);
      const liq = requireNonNegativeUnits(op.liquidatorUnits, 'liquidatorUnits');
      const ins = requireNonNegativeUnits(op.insuranceUnits, 'insuranceUnits');
      const gas = requireNonNegativeUnits(op.gasUnits, 'gasUnits');
      return {
        postings: legs(
          { account: from, asset, units: -(liq + ins + gas) },
          { account: to, asset, units: liq },
          { account: 'insurance-fund', asset, units: ins },
          { account: 'fees', asset, units: gas },
        ),
        positionChanges: [],
      };
    }
    case 'insurance-payout': {
      const to = requireSub(r, op.to, 'to');
      const asset = requireAsset(r, op.asset);
      const u = requirePositiveUnits(op.units, 'units');
      requireCovered(r, 'insurance-fund', asset, u);
      return {
        postings: [
          { account: 'insurance-fund', asset, units: -u },
          { account: to, asset, units: u },
        ],
        positionChanges: [],
      };
    }
    case 'adl': {
      const from = requireSub(r, op.from, 'from');
      const to = requireSub(r, op.to, 'to');
      const liquidator = requireSub(r, op.liquidator, 'liquidator');
      requireInput(to !== from, 'to', to, 'must differ from `from`');
      requireInput(liquidator !== from, 'liquidator', liquidator, 'must differ from `from`');
      const t = positionTransfer(r, from, liquidator, op);
      const u = requireNonNegativeUnits(op.units, 'units');
      return {
        postings: legs(
          ...t.postings,
          { account: from, asset: t.asset, units: -u },
          { account: to, asset: t.asset, units: u },
        ),
        positionChanges: t.positionChanges,
      };
    }
    case 'expiry': {
      const sub = requireSub(r, op.subAccount, 'subAccount');
      const instrument = requireInstrument(op.instrument);
      requireInput(
        typeof op.price === 'number' && Number.isFinite(op.price) && op.price >= 0,
        'price',
        op.price,
        'must be a settlement price >= 0',
      );
      const held = r.positionSizeOf(sub, instrument);
      requireInput(held !== 0, 'instrument', instrument, `must be held by ${sub}`);
      const asset = requireAsset(r, op.asset);
      const cash = requireCashUnits(op.cashUnits);
      return {
        postings: legs({ account: 'settlement', asset, units: -cash }, { account: sub, asset, units: cash }),
        positionChanges: [{ subAccount: sub, instrument, size: -held, price: op.price > 0 ? op.price : 1 }],
      };
    }
    default: {
      const kind: unknown = (op as { kind?: unknown }).kind;
      throw new InvalidInputError(
        'kind',
        kind,
        'must be one of deposit, withdrawal, transfer, trade, funding, liquidation, collateral-sale, ' +
          'liquidation-charge, insurance-payout, adl, expiry',
      );
    }
  }
}

/**
 * A canonical text of what a client asked for (keys sorted, bigint as `<digits>n`), used to tell
 * a replay (same request) from a conflicting reuse of an idempotency key. Fields the server
 * assigns or computes are left out, so a retry matches its first application whatever the state
 * and the clock are now: `timeMs` (the server's clock), and of a trade its `cashUnits`, `feeUnits`
 * and `asset` (computed) and its `price` unless the client supplied it (a fill).
 */
export function toFingerprint(op: Operation | UserOperation): string {
  const o = { ...op } as Record<string, unknown>;
  delete o.timeMs;
  if (o.kind === 'trade') {
    const journaled = 'cashUnits' in o;
    // An engine trade (no source) was supplied whole; a priced request keeps what the client gave.
    if (!journaled || o.source !== undefined) {
      const fill = journaled ? o.source === 'fill' : o.price !== undefined;
      for (const k of ['cashUnits', 'feeUnits', 'asset', 'source']) delete o[k];
      if (!fill) delete o.price;
    }
  }
  return canonicalText(o);
}

function canonicalText(op: object): string {
  const canon = (v: unknown): unknown => {
    if (typeof v === 'bigint') return `${v.toString()}n`;
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(canon);
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, canon(o[k])]),
    );
  };
  return JSON.stringify(canon(op));
}
