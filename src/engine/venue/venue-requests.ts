/**
 * @module engine/venue/venue-requests
 *
 * What the venue checks of a user's request before the journal applies it: who it may touch (the
 * venue's own sub-accounts and the system accounts are never a user's target), the operation the
 * journal records (a trade priced by the engine, a deposit within its bound), the action's class
 * for the oracle policy, and the assets whose prices its checks read.
 */
import { InvalidInputError, InvariantError, XmarginError } from '../../core/errors.js';
import type { Asset } from '../../core/ledger/asset.js';
import { fromUnits } from '../../core/ledger/convert.js';
import type { LiquidationParams } from '../../core/liquidation/index.js';
import type { MarginMarket } from '../../core/portfolio/margin-market.js';
import type { Journal } from '../journal.js';
import type { Operation, UserOperation } from '../operations.js';
import { classifyAction, type ActionKind, type OracleStates } from '../policy/oracle-policy.js';
import { priceTrade, type TradingParams } from '../policy/trading-policy.js';

/** The account id reserved for the venue's own sub-accounts (liquidator, market making). */
export const VENUE_ACCOUNT_ID = 'venue';

/**
 * Refuses a request that targets the venue's own sub-accounts or a system account.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the field
 */
export function requireUserTargets(op: UserOperation, liquidatorKey: string): void {
  const own = (key: unknown) =>
    typeof key === 'string' &&
    (key === liquidatorKey || key.startsWith(`${VENUE_ACCOUNT_ID}/`) || !key.includes('/'));
  const check = (field: string, key: unknown, allowSettlement = false) => {
    if (allowSettlement && key === 'settlement') return;
    if (own(key))
      throw new InvalidInputError(
        field,
        key,
        "must name a user's sub-account (not the venue's own or a system account)",
      );
  };
  switch (op.kind) {
    case 'deposit':
      return check('to', op.to);
    case 'withdrawal':
      return check('from', op.from);
    case 'transfer':
      check('from', op.from);
      return check('to', op.to);
    case 'trade':
      return check('subAccount', op.subAccount);
    case 'funding':
      check('payer', op.payer, true);
      return check('receiver', op.receiver, true);
  }
}

/** What pricing and bounding a request needs. */
export interface RequestContext {
  readonly journal: Journal;
  readonly market: MarginMarket | undefined;
  readonly assets: ReadonlyMap<string, Asset>;
  readonly liq: LiquidationParams;
  readonly trading: TradingParams;
}

/**
 * The journal operation of a request: a trade priced by the engine (trading-policy.ts), a deposit
 * within `maxDepositUsd`; the others as they are.
 * @throws InvalidInputError naming `cashUnits`/`feeUnits` (never a client's), `units` (a deposit
 *         beyond its bound); the pricing's refusals (trading-policy.ts)
 */
export function toOperation(request: UserOperation, c: RequestContext): Operation {
  if (request.kind === 'deposit') {
    const a = c.assets.get(request.asset);
    const price = c.market?.prices.get(request.asset);
    if (a && typeof request.units === 'bigint' && price !== undefined) {
      const usd = fromUnits(request.units, a.decimals) * price;
      if (!(usd <= c.trading.maxDepositUsd))
        throw new InvalidInputError(
          'units',
          request.units,
          `must be worth <= the venue's maxDepositUsd ${c.trading.maxDepositUsd} USD per deposit (worth ${usd.toExponential(3)} USD)`,
        );
    }
    return request;
  }
  if (request.kind !== 'trade') return request;
  for (const f of ['cashUnits', 'feeUnits'] as const)
    if (f in request)
      throw new InvalidInputError(
        f,
        (request as unknown as Record<string, unknown>)[f],
        'must not be given: the venue computes the cash leg and the fee of a trade',
      );
  c.journal.accounts.get(request.subAccount, 'subAccount');
  const market = c.market;
  if (!market)
    throw new XmarginError(
      'ERR_MISSING_MARKET_DATA',
      'a trade needs a market to price it; no market update has been received yet',
      {
        field: 'instrument',
        value: request.instrument,
        rule: 'a market must exist',
      },
    );
  const marked = market.instruments.get(request.instrument);
  const settlement = c.assets.get(c.liq.settlementAsset);
  if (!settlement)
    throw new InvariantError(`settlement asset ${c.liq.settlementAsset} is not a venue asset`, {});
  return priceTrade(request, {
    marked,
    indexUsd: marked ? (market.prices.get(marked.instrument.underlying) ?? NaN) : NaN,
    held: c.journal.positionOf(request.subAccount, request.instrument),
    settlement: { symbol: settlement.symbol, decimals: settlement.decimals },
    nowMs: request.timeMs,
    params: c.trading,
  });
}

/** The action an operation is for the oracle policy, with its risk class and its sub-account. */
export function actionOf(
  op: Operation,
  journal: Journal,
): { kind: ActionKind; riskClass: ReturnType<typeof classifyAction>; subAccount: string } | undefined {
  switch (op.kind) {
    case 'trade': {
      const before = journal.positionSizeOf(op.subAccount, op.instrument);
      const size = typeof op.size === 'number' ? op.size : 0;
      if (!Number.isFinite(size)) return undefined; // the journal names the field
      return {
        kind: 'trade',
        riskClass: classifyAction('trade', before, before + size),
        subAccount: op.subAccount,
      };
    }
    case 'withdrawal':
      return { kind: 'withdrawal', riskClass: 'risk-increasing', subAccount: op.from };
    case 'transfer':
      return { kind: 'transfer-out', riskClass: 'risk-increasing', subAccount: op.from };
    case 'deposit':
      return { kind: 'deposit', riskClass: 'risk-reducing', subAccount: op.to };
    default:
      return undefined;
  }
}

/**
 * Assets whose prices an action's checks use: the underlyings of the sub-account's positions (and
 * of a traded instrument) and its collateral, leaving out stablecoins the oracle does not cover
 * (taken at their market price).
 */
export function assetsPriced(
  journal: Journal,
  market: MarginMarket | undefined,
  oracle: OracleStates | undefined,
  liq: LiquidationParams,
  subAccount: string,
  op?: Operation,
): string[] {
  const out = new Set<string>();
  const stable = (a: string) => liq.stableAssets.includes(a) && oracle?.[a] === undefined;
  if (journal.accounts.find(subAccount)) {
    const pf = journal.portfolioOf(subAccount);
    for (const p of pf.positions) {
      const u = market?.instruments.get(p.instrument)?.instrument.underlying;
      if (u !== undefined) out.add(u);
    }
    for (const a of pf.collateral.keys()) out.add(a);
  }
  if (op?.kind === 'trade') {
    const u = market?.instruments.get(op.instrument)?.instrument.underlying;
    if (u !== undefined) out.add(u);
  }
  if (op && 'asset' in op && typeof op.asset === 'string') out.add(op.asset);
  return [...out].filter((a) => !stable(a)).sort();
}
