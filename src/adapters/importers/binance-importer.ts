/**
 * Binance Portfolio Margin: `GET /papi/v1/account`, `GET /papi/v1/balance`,
 * `GET /papi/v1/um/positionRisk` (USDⓈ-M position risk), and optionally
 * `GET /papi/v1/um/leverageBracket`
 * (https://developers.binance.com/docs/derivatives/portfolio-margin/account).
 *
 * Mapping:
 * - USDⓈ-M `BTCUSDT` → perpetual (a `_YYMMDD` suffix → future, 08:00 UTC); units = positionAmt
 *   (signed); entry = entryPrice; mark = markPrice (also the coin's price);
 * - balances: crossMarginAsset − crossMarginBorrowed − crossMarginInterest + umWalletBalance +
 *   cmWalletBalance per asset (P&L stays on the positions); stablecoins at 1;
 * - preset `binance-pm`: leverage per position; the symbol's leverage brackets (floor, MMR, cum);
 * - reported IM/MM/equity: accountInitialMargin, accountMaintMargin, accountEquity (the
 *   collateral-rate-adjusted equity, so that uniMMR = accountEquity / accountMaintMargin).
 */
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { Bracket } from '../../core/margin/tiers/bracket.js';
import { assetSymbol, ImportBuilder, type ImportedAccount } from './import-builder.js';
import { num, optNum } from './parse-payload.js';
import { readPayload, type VenueImporter } from './venue-importer.js';

const AccountSchema = z.object({
  uniMMR: optNum,
  accountEquity: num,
  actualEquity: optNum,
  accountInitialMargin: num,
  accountMaintMargin: num,
  updateTime: optNum,
});
const BalanceSchema = z.array(
  z.object({
    asset: z.string().min(1),
    crossMarginAsset: optNum,
    crossMarginBorrowed: optNum,
    crossMarginInterest: optNum,
    umWalletBalance: optNum,
    cmWalletBalance: optNum,
    updateTime: optNum,
  }),
);
const PositionSchema = z.array(
  z.object({
    symbol: z.string().min(1),
    positionAmt: num,
    entryPrice: num,
    markPrice: num,
    leverage: optNum,
    updateTime: optNum,
  }),
);
const BracketSchema = z.array(
  z.object({
    symbol: z.string(),
    brackets: z.array(z.object({ notionalFloor: num, maintMarginRatio: num, cum: num })).min(1),
  }),
);
const SYMBOL = /^([A-Z0-9]+?)(USDT|USDC|BUSD)(?:_(\d{2})(\d{2})(\d{2}))?$/;

/** The Binance importer (module header). */
export const binanceImporter: VenueImporter = {
  name: 'binance',
  venue: 'binance',
  kinds: [
    { name: 'account', required: true, docs: 'GET /papi/v1/account', schema: AccountSchema },
    { name: 'balance', required: true, docs: 'GET /papi/v1/balance', schema: BalanceSchema },
    {
      name: 'um-position-risk',
      required: true,
      docs: 'GET /papi/v1/um/positionRisk',
      schema: PositionSchema,
    },
    {
      name: 'um-leverage-bracket',
      required: false,
      docs: 'GET /papi/v1/um/leverageBracket',
      schema: BracketSchema,
    },
  ],
  read(payloads, { venue, asOfMs }): ImportedAccount[] {
    const acct = readPayload(binanceImporter, payloads, 'account', AccountSchema)!;
    const balances = readPayload(binanceImporter, payloads, 'balance', BalanceSchema)!;
    const positions = readPayload(binanceImporter, payloads, 'um-position-risk', PositionSchema)!;
    const brackets = readPayload(binanceImporter, payloads, 'um-leverage-bracket', BracketSchema) ?? [];
    const b = new ImportBuilder(venue);
    b.time(acct.updateTime ?? 0);
    const leverage: Record<string, number> = {};
    const bracketParams: Record<string, Bracket[]> = {};
    positions.forEach((p, i) => {
      if (p.positionAmt === 0) return;
      const m = SYMBOL.exec(p.symbol);
      if (!m)
        throw new InvalidInputError(
          `binance um-position-risk [${i}].symbol`,
          p.symbol,
          'must be a USDⓈ-M symbol like BTCUSDT',
        );
      const [, coin, , yy, mm, dd] = m;
      const underlying = assetSymbol(coin!);
      const id = b.id(p.symbol);
      b.time(p.updateTime ?? 0);
      b.price(underlying, p.markPrice);
      const expiryMs =
        yy === undefined ? undefined : Date.UTC(2000 + Number(yy), Number(mm) - 1, Number(dd), 8);
      b.linear(id, underlying, p.markPrice, expiryMs);
      b.position(id, p.positionAmt, p.entryPrice);
      if (p.leverage !== undefined) leverage[id] = p.leverage;
      const table = brackets.find((x) => x.symbol === p.symbol);
      if (table)
        bracketParams[id] = [...table.brackets]
          .sort((x, y) => x.notionalFloor - y.notionalFloor)
          .map((x) => ({ floorUsd: x.notionalFloor, rate: x.maintMarginRatio, deductionUsd: x.cum }));
    });
    balances.forEach((x, i) => {
      const net =
        (x.crossMarginAsset ?? 0) -
        (x.crossMarginBorrowed ?? 0) -
        (x.crossMarginInterest ?? 0) +
        (x.umWalletBalance ?? 0) +
        (x.cmWalletBalance ?? 0);
      if (net === 0) return;
      b.time(x.updateTime ?? 0);
      b.pricedBalance(assetSymbol(x.asset), net.toFixed(8), undefined, `binance balance [${i}].asset`);
    });
    const { portfolio, market } = b.build(asOfMs);
    return [
      {
        venue,
        importer: 'binance',
        portfolio,
        market,
        preset: {
          model: 'binance-pm',
          params: { leverage, ...(Object.keys(bracketParams).length > 0 ? { brackets: bracketParams } : {}) },
        },
        reported: {
          initialUsd: acct.accountInitialMargin,
          maintenanceUsd: acct.accountMaintMargin,
          equityUsd: acct.accountEquity,
        },
        notes: [],
      },
    ];
  },
};
