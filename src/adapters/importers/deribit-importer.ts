/**
 * Deribit: `private/get_positions` and `private/get_account_summary` (or `get_account_summaries`)
 * JSON-RPC results (https://docs.deribit.com/#private-get_positions,
 * https://docs.deribit.com/#private-get_account_summary).
 *
 * Mapping (docs/methodology/cross-venue.md#importers):
 * - `BTC_USDC-PERPETUAL`, `SOL_USDC-27MAR26` (linear): size in coins, entry = average_price, P&L
 *   from the mark; settled in USDC;
 * - `BTC-PERPETUAL`, `BTC-27MAR26` (inverse, size in USD): units = size_currency (the BTC delta at
 *   mark, size/mark when absent) and no entry: the floating P&L (in BTC) is added to the BTC
 *   balance, so equity in USD is Deribit's; the inverse contract's convexity is not modelled;
 * - options `BTC-27MAR26-70000-C` (BTC-settled) and `BTC_USDC-…-C`: size in coins, mark in the
 *   settlement currency (BTC options: × index = USD premium), forward = the index (the payload
 *   carries no forward), vol implied from the mark;
 * - balances: each summary's `balance` (+ inverse futures' floating P&L) in its currency;
 * - preset `deribit-sm` (`*_sm` margin models, the default) or `deribit-pm` (`*_pm`);
 * - reported IM/MM/equity: Σ over summaries of initial_margin, maintenance_margin, equity × the
 *   currency's index (USDC at 1).
 */
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import { ImportBuilder, type ImportedAccount } from './import-builder.js';
import { num, optNum } from './parse-payload.js';
import { readPayload, type VenueImporter } from './venue-importer.js';

const PositionSchema = z.object({
  instrument_name: z.string().min(1),
  kind: z.enum(['future', 'option', 'spot', 'future_combo', 'option_combo']),
  size: num,
  size_currency: optNum,
  average_price: num,
  mark_price: num,
  index_price: num,
  floating_profit_loss: optNum,
});
const PositionsSchema = z.array(PositionSchema);

const SummarySchema = z.object({
  currency: z.string().min(1),
  balance: num,
  equity: num,
  initial_margin: num,
  maintenance_margin: num,
  margin_model: z.string().optional(),
  portfolio_margining_enabled: z.boolean().optional(),
});
// get_account_summaries wraps the list in `summaries`; get_account_summary returns one object.
const SummariesSchema = z.preprocess(
  (d) =>
    d !== null && typeof d === 'object' && 'summaries' in d
      ? (d as { summaries: unknown }).summaries
      : Array.isArray(d)
        ? d
        : [d],
  z.array(SummarySchema).min(1),
);

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const NAME = /^([A-Z0-9]+)(?:_([A-Z]+))?-(PERPETUAL|(\d{1,2})([A-Z]{3})(\d{2}))(?:-(\d+(?:d\d+)?)-([CP]))?$/;

/** Deribit expiries settle at 08:00 UTC. */
function expiryMsOf(day: string, mon: string, yy: string): number {
  const m = MONTHS.indexOf(mon);
  return Date.UTC(2000 + Number(yy), m, Number(day), 8);
}

/** The Deribit importer (module header). */
export const deribitImporter: VenueImporter = {
  name: 'deribit',
  venue: 'deribit',
  kinds: [
    {
      name: 'positions',
      required: true,
      docs: 'private/get_positions, https://docs.deribit.com/#private-get_positions',
      schema: PositionsSchema,
      unwrap: ['result'],
    },
    {
      name: 'account-summary',
      required: true,
      docs: 'private/get_account_summary (or get_account_summaries), https://docs.deribit.com/#private-get_account_summary',
      schema: SummariesSchema,
      unwrap: ['result'],
    },
  ],
  read(payloads, { venue, asOfMs }): ImportedAccount[] {
    const positions = readPayload(deribitImporter, payloads, 'positions', PositionsSchema)!;
    const summaries = readPayload(deribitImporter, payloads, 'account-summary', SummariesSchema)!;
    const b = new ImportBuilder(venue);
    // JSON-RPC responses carry the server time in µs (`usOut`).
    const usOut = (payloads.get('account-summary') as { usOut?: unknown } | undefined)?.usOut;
    if (typeof usOut === 'number' && usOut > 0) b.time(Math.floor(usOut / 1000));
    const futurePnl = new Map<string, number>();
    positions.forEach((p, i) => {
      const m = NAME.exec(p.instrument_name);
      if (!m || p.kind.endsWith('combo'))
        throw new InvalidInputError(
          `deribit positions [${i}].instrument_name`,
          p.instrument_name,
          'must be a Deribit perpetual, future or option name',
        );
      const [, coin, settle, , day, mon, yy, strikeText, cp] = m;
      const underlying = coin!;
      b.price(underlying, p.index_price);
      const linear = settle !== undefined;
      const settleAsset = linear ? settle! : underlying;
      const id = b.id(p.instrument_name);
      const expiryMs = day === undefined ? undefined : expiryMsOf(day, mon!, yy!);
      if (p.kind === 'option') {
        const markUsd = linear ? p.mark_price : p.mark_price * p.index_price;
        b.instrument({
          id,
          kind: 'option',
          underlying,
          optionType: cp === 'C' ? 'call' : 'put',
          strike: Number(strikeText!.replace('d', '.')),
          expiryMs: expiryMs!,
          markPrice: markUsd,
          forward: p.index_price,
        });
        b.position(id, p.size);
        return;
      }
      b.linear(id, underlying, p.mark_price, expiryMs);
      if (linear) b.position(id, p.size, p.average_price);
      else {
        b.position(id, p.size_currency ?? p.size / p.mark_price);
        futurePnl.set(settleAsset, (futurePnl.get(settleAsset) ?? 0) + (p.floating_profit_loss ?? 0));
      }
    });
    let im = 0;
    let mm = 0;
    let equity = 0;
    let pm = false;
    summaries.forEach((s, i) => {
      const asset = s.currency.toUpperCase();
      const stable = asset === 'USDC' || asset === 'USDT';
      if (stable) b.price(asset, 1);
      if (!b.hasPrice(asset))
        throw new InvalidInputError(
          `deribit account-summary [${i}].currency`,
          s.currency,
          'needs an index price: no position in the payloads prices it',
        );
      const px = stable
        ? 1
        : (positions.find(
            (p) => p.instrument_name.startsWith(`${asset}-`) || p.instrument_name.startsWith(`${asset}_`),
          )?.index_price ?? 0);
      b.balance(asset, (s.balance + (futurePnl.get(asset) ?? 0)).toFixed(asset === 'BTC' ? 8 : 6));
      im += s.initial_margin * px;
      mm += s.maintenance_margin * px;
      equity += s.equity * px;
      pm ||= s.portfolio_margining_enabled === true || (s.margin_model ?? '').endsWith('_pm');
    });
    const { portfolio, market } = b.build(asOfMs);
    return [
      {
        venue,
        importer: 'deribit',
        portfolio,
        market,
        preset: { model: pm ? 'deribit-pm' : 'deribit-sm', params: {} },
        reported: { initialUsd: im, maintenanceUsd: mm, equityUsd: equity },
        notes: [
          'option forwards are the index price (the positions payload carries none); vols are implied from the marks',
          ...(futurePnl.size > 0
            ? ['inverse futures: units = size in coins at mark, floating P&L added to the coin balance']
            : []),
        ],
      },
    ];
  },
};
