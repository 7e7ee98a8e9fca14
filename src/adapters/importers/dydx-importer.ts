/**
 * dYdX v4 indexer: `GET /v4/addresses/{address}/subaccountNumber/{n}` and `GET /v4/perpetualMarkets`,
 * optionally `GET /v4/time` (https://docs.dydx.xyz/indexer-client/http).
 *
 * Mapping:
 * - `openPerpetualPositions` → perpetual `<venue>:<market>`; units = size (signed by side); entry
 *   = entryPrice; mark = the market's oraclePrice (dYdX margins at the oracle);
 * - USDC: the asset position (negative when SHORT) plus Σ size·entryPrice, so that equity = USDC +
 *   Σ size·oracle is dYdX's total net collateral, computed from the payload's own fields;
 * - preset `dydx`: one liquidity tier per market from its initialMarginFraction,
 *   maintenanceMarginFraction and open-interest caps (when given), with its open interest × oracle;
 * - reported IM/equity: equity − freeCollateral, equity (MM is not in the payload).
 */
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { DydxLiquidityTier } from '../../core/margin/presets/dydx/dydx-params.js';
import { ImportBuilder, type ImportedAccount } from './import-builder.js';
import { decimalText, num, optNum } from './parse-payload.js';
import { readPayload, type VenueImporter } from './venue-importer.js';

const PositionSchema = z.object({
  market: z.string().min(1),
  side: z.enum(['LONG', 'SHORT']),
  size: num,
  entryPrice: num,
});
const SubaccountSchema = z.object({
  equity: num,
  freeCollateral: num,
  openPerpetualPositions: z.record(z.string(), PositionSchema),
  assetPositions: z.record(
    z.string(),
    z.object({ symbol: z.string(), side: z.enum(['LONG', 'SHORT']), size: decimalText }),
  ),
});
const MarketSchema = z.object({
  ticker: z.string(),
  oraclePrice: num,
  initialMarginFraction: num,
  maintenanceMarginFraction: num,
  openInterest: optNum,
  openInterestLowerCap: optNum,
  openInterestUpperCap: optNum,
});
const MarketsSchema = z.record(z.string(), MarketSchema);
const TimeSchema = z.object({ epoch: num });

/** The dYdX importer (module header). */
export const dydxImporter: VenueImporter = {
  name: 'dydx',
  venue: 'dydx',
  kinds: [
    {
      name: 'subaccount',
      required: true,
      docs: 'GET /v4/addresses/{address}/subaccountNumber/{n}',
      schema: SubaccountSchema,
      unwrap: ['subaccount'],
    },
    {
      name: 'perpetual-markets',
      required: true,
      docs: 'GET /v4/perpetualMarkets',
      schema: MarketsSchema,
      unwrap: ['markets'],
    },
    { name: 'time', required: false, docs: 'GET /v4/time', schema: TimeSchema },
  ],
  read(payloads, { venue, asOfMs }): ImportedAccount[] {
    const sub = readPayload(dydxImporter, payloads, 'subaccount', SubaccountSchema)!;
    const markets = readPayload(dydxImporter, payloads, 'perpetual-markets', MarketsSchema)!;
    const time = readPayload(dydxImporter, payloads, 'time', TimeSchema);
    const b = new ImportBuilder(venue);
    if (time) b.time(Math.round(time.epoch * 1000));
    b.price('USDC', 1);
    const tiers: Record<string, DydxLiquidityTier> = {};
    const underlyingTiers: Record<string, string> = {};
    let cost = 0;
    for (const [key, p] of Object.entries(sub.openPerpetualPositions)) {
      const m = markets[p.market];
      if (m === undefined)
        throw new InvalidInputError(
          `dydx subaccount subaccount.openPerpetualPositions.${key}.market`,
          p.market,
          'must be in the perpetual-markets payload',
        );
      const underlying = p.market.split('-')[0]!;
      const id = b.id(p.market);
      const units = p.side === 'SHORT' ? -Math.abs(p.size) : Math.abs(p.size);
      b.price(underlying, m.oraclePrice);
      b.instrument({
        id,
        kind: 'perpetual',
        underlying,
        markPrice: m.oraclePrice,
        ...(m.openInterest === undefined ? {} : { openInterestUsd: m.openInterest * m.oraclePrice }),
      });
      b.position(id, units, p.entryPrice);
      cost += units * p.entryPrice;
      tiers[p.market] = {
        initialMarginFraction: m.initialMarginFraction,
        maintenanceFraction:
          m.initialMarginFraction > 0 ? m.maintenanceMarginFraction / m.initialMarginFraction : 1,
        openInterestLowerCapUsd: m.openInterestLowerCap ?? 0,
        openInterestUpperCapUsd: m.openInterestUpperCap ?? 0,
      };
      underlyingTiers[underlying] = p.market;
    }
    let usdc = 0;
    for (const a of Object.values(sub.assetPositions))
      if (a.symbol === 'USDC') usdc += (a.side === 'SHORT' ? -1 : 1) * Math.abs(Number(a.size));
    b.balance('USDC', (usdc + cost).toFixed(6));
    const { portfolio, market } = b.build(asOfMs);
    return [
      {
        venue,
        importer: 'dydx',
        portfolio,
        market,
        preset: {
          model: 'dydx',
          params:
            Object.keys(tiers).length > 0
              ? {
                  tiers: { ...tiers, Default: Object.values(tiers)[0]! },
                  underlyingTiers,
                  defaultTier: 'Default',
                }
              : {},
        },
        reported: { initialUsd: sub.equity - sub.freeCollateral, equityUsd: sub.equity },
        notes: ['USDC = the asset position + Σ size·entryPrice (positions carry the P&L against entry)'],
      },
    ];
  },
};
