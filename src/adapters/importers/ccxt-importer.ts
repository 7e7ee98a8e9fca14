/**
 * ccxt's unified structures, saved as JSON: `fetchPositions()` (Position), `fetchBalance()`
 * (Balance) and optionally `loadMarkets()` (Market) (https://docs.ccxt.com/#/README?id=position-structure,
 * ?id=balance-structure, ?id=market-structure).
 *
 * Mapping:
 * - symbols `BTC/USDT:USDT` (swap), `BTC/USDT:USDT-250328` (future, 08:00 UTC),
 *   `BTC/USD:BTC-250328-70000-C` (option); `markets` when given settles type, expiry, strike and
 *   inverse; instrument ids `<venue>:<symbol>`;
 * - linear: units = contracts·contractSize (signed by side), entry = entryPrice, mark = markPrice;
 * - inverse (settled in the base coin): units = contracts·contractSize / markPrice (the coin delta
 *   at mark), no entry, unrealizedPnl (in the coin) added to the coin balance;
 * - options: units = contracts·contractSize, mark = markPrice (× the underlying's price when
 *   settled in the coin), forward = the underlying's price;
 * - balances: `total` per currency, stablecoins at 1, others at the mark of a position on them;
 * - preset by venue tag: bybit → bybit-unified, okx → okx-unified, binance/binanceusdm →
 *   binance-pm, hyperliquid → hyperliquid, deribit → deribit-sm, dydx → dydx, else `cross`;
 *   leverage per position from `leverage`;
 * - reported IM/MM: Σ initialMargin and Σ maintenanceMargin when every position has them (ccxt
 *   leaves them undefined on venues that do not report them); equity not reported.
 */
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import { assetSymbol, ImportBuilder, type ImportedAccount } from './import-builder.js';
import { decimalText, num, optNum } from './parse-payload.js';
import { readPayload, type VenueImporter } from './venue-importer.js';

const PositionSchema = z.object({
  symbol: z.string().min(1),
  side: z.enum(['long', 'short']),
  contracts: num,
  contractSize: optNum,
  entryPrice: optNum,
  markPrice: num,
  unrealizedPnl: optNum,
  initialMargin: optNum,
  maintenanceMargin: optNum,
  leverage: optNum,
  marginMode: z.string().nullish(),
  timestamp: optNum,
});
const BalanceSchema = z.object({
  total: z.record(z.string(), z.union([decimalText, z.null()])),
  timestamp: optNum,
});
const MarketSchema = z.object({
  symbol: z.string(),
  type: z.string(),
  inverse: z.boolean().nullish(),
  contractSize: optNum,
  expiry: optNum,
  strike: optNum,
  optionType: z.enum(['call', 'put']).nullish(),
});
const MarketsSchema = z.union([
  z.array(MarketSchema),
  z.record(z.string(), MarketSchema).transform((r) => Object.values(r)),
]);

const SYMBOL = /^([A-Z0-9]+)\/([A-Z0-9]+)(?::([A-Z0-9]+)(?:-(\d{6})(?:-(\d+(?:\.\d+)?)-([CP]))?)?)?$/;
const PRESETS: Readonly<Record<string, string>> = {
  bybit: 'bybit-unified',
  okx: 'okx-unified',
  binance: 'binance-pm',
  binanceusdm: 'binance-pm',
  hyperliquid: 'hyperliquid',
  deribit: 'deribit-sm',
  dydx: 'dydx',
};

/** The ccxt importer (module header). */
export const ccxtImporter: VenueImporter = {
  name: 'ccxt',
  venue: 'ccxt',
  kinds: [
    { name: 'positions', required: true, docs: 'exchange.fetchPositions()', schema: z.array(PositionSchema) },
    { name: 'balance', required: true, docs: 'exchange.fetchBalance()', schema: BalanceSchema },
    { name: 'markets', required: false, docs: 'exchange.loadMarkets()', schema: MarketsSchema },
  ],
  read(payloads, { venue, asOfMs }): ImportedAccount[] {
    const positions = readPayload(ccxtImporter, payloads, 'positions', z.array(PositionSchema))!;
    const balance = readPayload(ccxtImporter, payloads, 'balance', BalanceSchema)!;
    const markets = readPayload(ccxtImporter, payloads, 'markets', MarketsSchema) ?? [];
    const b = new ImportBuilder(venue);
    b.time(balance.timestamp ?? 0);
    const model = PRESETS[venue] ?? 'cross';
    const leverage: Record<string, unknown> = {};
    const coinPnl = new Map<string, number>();
    let im = 0;
    let mm = 0;
    let complete = positions.length > 0;
    positions.forEach((p, i) => {
      const m = SYMBOL.exec(p.symbol);
      if (!m)
        throw new InvalidInputError(
          `ccxt positions [${i}].symbol`,
          p.symbol,
          'must be a unified symbol like BTC/USDT:USDT',
        );
      const [, baseName, , settleName, yymmdd, strikeText, cp] = m;
      const info = markets.find((x) => x.symbol === p.symbol);
      const underlying = assetSymbol(baseName!);
      const settle = settleName === undefined ? undefined : assetSymbol(settleName);
      const inverse = info?.inverse ?? settle === underlying;
      const id = b.id(p.symbol);
      const size =
        (p.side === 'short' ? -1 : 1) * Math.abs(p.contracts) * (p.contractSize ?? info?.contractSize ?? 1);
      b.time(p.timestamp ?? 0);
      const expiryMs =
        info?.expiry ??
        (yymmdd === undefined
          ? undefined
          : Date.UTC(
              2000 + Number(yymmdd.slice(0, 2)),
              Number(yymmdd.slice(2, 4)) - 1,
              Number(yymmdd.slice(4, 6)),
              8,
            ));
      const isOption = (info?.type ?? (cp === undefined ? '' : 'option')) === 'option';
      if (isOption) {
        const strike = info?.strike ?? Number(strikeText);
        const underlyingPx = positions.find(
          (x) => x.symbol.startsWith(`${baseName}/`) && !SYMBOL.exec(x.symbol)?.[6],
        )?.markPrice;
        if (underlyingPx === undefined && inverse)
          throw new InvalidInputError(
            `ccxt positions [${i}].symbol`,
            p.symbol,
            'a coin-settled option needs a swap or future position on the same base to price the coin',
          );
        const markUsd = inverse ? p.markPrice * underlyingPx! : p.markPrice;
        b.instrument({
          id,
          kind: 'option',
          underlying,
          optionType: (info?.optionType ?? (cp === 'C' ? 'call' : 'put')) as 'call' | 'put',
          strike,
          expiryMs: expiryMs!,
          markPrice: markUsd,
          forward: underlyingPx ?? strike,
        });
        b.position(id, size);
      } else {
        b.price(underlying, p.markPrice);
        b.linear(id, underlying, p.markPrice, expiryMs);
        if (inverse) {
          b.position(id, size / p.markPrice);
          coinPnl.set(underlying, (coinPnl.get(underlying) ?? 0) + (p.unrealizedPnl ?? 0));
        } else b.position(id, size, p.entryPrice);
      }
      if (p.leverage !== undefined)
        leverage[id] =
          model === 'hyperliquid'
            ? { value: p.leverage, type: p.marginMode === 'isolated' ? 'isolated' : 'cross' }
            : p.leverage;
      if (p.initialMargin === undefined || p.maintenanceMargin === undefined) complete = false;
      im += p.initialMargin ?? 0;
      mm += p.maintenanceMargin ?? 0;
    });
    for (const [ccy, total] of Object.entries(balance.total)) {
      if (total === null) continue;
      const asset = assetSymbol(ccy);
      const pnl = coinPnl.get(asset) ?? 0;
      const amount = pnl === 0 ? total : (Number(total) + pnl).toFixed(8);
      if (Number(amount) !== 0) b.pricedBalance(asset, amount, undefined, `ccxt balance total.${ccy}`);
    }
    const { portfolio, market } = b.build(asOfMs);
    return [
      {
        venue,
        importer: 'ccxt',
        portfolio,
        market,
        preset: {
          model,
          params: model === 'cross' || model === 'deribit-sm' || model === 'dydx' ? {} : { leverage },
        },
        ...(complete ? { reported: { initialUsd: im, maintenanceUsd: mm } } : {}),
        notes: [
          ...(model === 'cross'
            ? [`no preset for venue "${venue}": xmargin's cross model stands for its rule`]
            : []),
          ...(complete
            ? []
            : [
                'some positions carry no initialMargin / maintenanceMargin: the venue figures are not compared',
              ]),
        ],
      },
    ];
  },
};
