/**
 * Bybit v5: `GET /v5/position/list` (category linear or option), `GET /v5/account/wallet-balance`
 * (accountType UNIFIED), and optionally `GET /v5/market/risk-limit` and `GET /v5/account/info`
 * (https://bybit-exchange.github.io/docs/v5/position, /v5/account/wallet-balance,
 * /v5/market/risk-limit, /v5/account/account-info).
 *
 * Mapping:
 * - `BTCUSDT` / `ETHPERP` (USDC) → perpetual, `BTC-27MAR26` / `BTCUSDT-27MAR26` → future
 *   (08:00 UTC); units = size with the sign of `side` (Sell negative); entry = avgPrice; mark =
 *   markPrice (also the coin's price when no balance prices it);
 * - balances: `coin[].walletBalance` (P&L stays on the positions), priced by usdValue / equity,
 *   stablecoins at 1;
 * - options `BTC-27MAR26-70000-C` (optionally `-USDT`): units = size with the sign of `side`,
 *   premium = markPrice (USD); forward = the coin's price from a linear position or the wallet
 *   (the payload carries none; the vol is implied from the mark);
 * - preset `bybit-pm` when the account info says `marginMode` PORTFOLIO_MARGIN (Spot Hedging
 *   from `spotHedgingStatus` ON), else `bybit-unified`: leverage per position; risk-limit tiers
 *   of the position's symbol;
 * - reported IM/MM/equity: totalInitialMargin, totalMaintenanceMargin, totalMarginBalance.
 */
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { BybitRiskLimit } from '../../core/margin/presets/bybit/bybit-params.js';
import { assetSymbol, ImportBuilder, type ImportedAccount } from './import-builder.js';
import { decimalText, num, optNum } from './parse-payload.js';
import { readPayload, type VenueImporter } from './venue-importer.js';

const PositionSchema = z.object({
  symbol: z.string().min(1),
  side: z.enum(['Buy', 'Sell', '']),
  size: num,
  avgPrice: num,
  markPrice: num,
  leverage: optNum,
  positionIM: optNum,
  positionMM: optNum,
  updatedTime: optNum,
});
const CoinSchema = z.object({
  coin: z.string().min(1),
  walletBalance: decimalText,
  equity: optNum,
  usdValue: optNum,
});
const WalletSchema = z
  .array(
    z.object({
      accountType: z.string(),
      totalMarginBalance: num,
      totalInitialMargin: optNum,
      totalMaintenanceMargin: optNum,
      coin: z.array(CoinSchema),
    }),
  )
  .min(1, 'must hold the unified account');
const RiskLimitSchema = z.array(
  z.object({
    symbol: z.string(),
    riskLimitValue: num,
    maintenanceMargin: num,
    initialMargin: num,
    mmDeduction: optNum,
  }),
);

const AccountInfoSchema = z.object({
  marginMode: z.string(),
  spotHedgingStatus: z.string().optional(),
});

const OPTION = /^([A-Z0-9]+)-(\d{1,2})([A-Z]{3})(\d{2})-(\d+(?:\.\d+)?)-([CP])(?:-[A-Z]+)?$/;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const SYMBOL = /^([A-Z0-9]+?)(?:USDT|USDC|PERP)?(?:-(\d{2})([A-Z]{3})(\d{2}))?$/;

/** The Bybit importer (module header). */
export const bybitImporter: VenueImporter = {
  name: 'bybit',
  venue: 'bybit',
  kinds: [
    {
      name: 'positions',
      required: true,
      docs: 'GET /v5/position/list',
      schema: z.array(PositionSchema),
      unwrap: ['result', 'list'],
    },
    {
      name: 'wallet-balance',
      required: true,
      docs: 'GET /v5/account/wallet-balance',
      schema: WalletSchema,
      unwrap: ['result', 'list'],
    },
    {
      name: 'risk-limit',
      required: false,
      docs: 'GET /v5/market/risk-limit',
      schema: RiskLimitSchema,
      unwrap: ['result', 'list'],
    },
    {
      name: 'account-info',
      required: false,
      docs: 'GET /v5/account/info',
      schema: AccountInfoSchema,
      unwrap: ['result'],
    },
  ],
  read(payloads, { venue, asOfMs }): ImportedAccount[] {
    const positions = readPayload(bybitImporter, payloads, 'positions', z.array(PositionSchema))!;
    const wallet = readPayload(bybitImporter, payloads, 'wallet-balance', WalletSchema)!;
    const limits = readPayload(bybitImporter, payloads, 'risk-limit', RiskLimitSchema) ?? [];
    const info = readPayload(bybitImporter, payloads, 'account-info', AccountInfoSchema);
    const pm = info?.marginMode === 'PORTFOLIO_MARGIN';
    const options: { p: (typeof positions)[number]; i: number; m: RegExpExecArray }[] = [];
    const acct = wallet.find((w) => w.accountType === 'UNIFIED') ?? wallet[0]!;
    const b = new ImportBuilder(venue);
    const time = (payloads.get('wallet-balance') as { time?: unknown } | undefined)?.time;
    if (typeof time === 'number') b.time(time);
    const leverage: Record<string, number> = {};
    const riskLimits: Record<string, BybitRiskLimit[]> = {};
    positions.forEach((p, i) => {
      if (p.size === 0) return;
      const o = OPTION.exec(p.symbol);
      if (o) {
        options.push({ p, i, m: o }); // read once the balances price the coin
        return;
      }
      const m = SYMBOL.exec(p.symbol);
      if (!m)
        throw new InvalidInputError(
          `bybit positions result.list[${i}].symbol`,
          p.symbol,
          'must be a linear perpetual, future or option symbol',
        );
      const [, coin, day, mon, yy] = m;
      const underlying = assetSymbol(coin!);
      const id = b.id(p.symbol);
      b.time(p.updatedTime ?? 0);
      b.price(underlying, p.markPrice);
      const expiryMs =
        day === undefined ? undefined : Date.UTC(2000 + Number(yy), MONTHS.indexOf(mon!), Number(day), 8);
      b.linear(id, underlying, p.markPrice, expiryMs);
      b.position(id, p.side === 'Sell' ? -p.size : p.size, p.avgPrice);
      if (p.leverage !== undefined) leverage[id] = p.leverage;
      const rows = limits
        .filter((l) => l.symbol === p.symbol)
        .sort((x, y) => x.riskLimitValue - y.riskLimitValue);
      if (rows.length > 0)
        riskLimits[id] = rows.map((l) => ({
          riskLimitValueUsd: l.riskLimitValue,
          maintenanceMargin: l.maintenanceMargin,
          mmDeductionUsd: l.mmDeduction ?? 0,
          initialMargin: l.initialMargin,
        }));
    });
    acct.coin.forEach((c, i) =>
      b.pricedBalance(
        assetSymbol(c.coin),
        c.walletBalance,
        c.usdValue !== undefined && c.equity !== undefined && c.equity !== 0
          ? c.usdValue / c.equity
          : undefined,
        `bybit wallet-balance result.list[0].coin[${i}].usdValue`,
      ),
    );
    for (const { p, i, m } of options) {
      const [, coin, day, mon, yy, strike, cp] = m;
      const underlying = assetSymbol(coin!);
      const forward = b.priceOf(underlying);
      if (forward === undefined)
        throw new InvalidInputError(
          `bybit positions result.list[${i}].symbol`,
          p.symbol,
          `needs a price of ${underlying} (a linear position or a wallet balance of it) for the option's forward`,
        );
      const id = b.id(p.symbol);
      b.time(p.updatedTime ?? 0);
      const expiryMs = Date.UTC(2000 + Number(yy), MONTHS.indexOf(mon!), Number(day), 8);
      b.option(id, underlying, cp!, Number(strike), expiryMs, p.markPrice, forward);
      b.position(id, p.side === 'Sell' ? -p.size : p.size);
    }
    const { portfolio, market } = b.build(asOfMs);
    return [
      {
        venue,
        importer: 'bybit',
        portfolio,
        market,
        preset: pm
          ? {
              model: 'bybit-pm',
              params:
                info!.spotHedgingStatus === undefined
                  ? {}
                  : { spotHedging: info!.spotHedgingStatus === 'ON' },
            }
          : {
              model: 'bybit-unified',
              params: { leverage, ...(Object.keys(riskLimits).length > 0 ? { riskLimits } : {}) },
            },
        reported: {
          ...(acct.totalInitialMargin !== undefined ? { initialUsd: acct.totalInitialMargin } : {}),
          ...(acct.totalMaintenanceMargin !== undefined
            ? { maintenanceUsd: acct.totalMaintenanceMargin }
            : {}),
          equityUsd: acct.totalMarginBalance,
        },
        notes: [],
      },
    ];
  },
};
