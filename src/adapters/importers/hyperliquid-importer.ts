/**
 * Hyperliquid: the info endpoint's `clearinghouseState` (perps), and optionally
 * `spotClearinghouseState` and `meta` (https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals,
 * .../info-endpoint/spot).
 *
 * Mapping:
 * - `assetPositions[].position` → perpetual `<venue>:<coin>`; units = szi; entry = entryPx; mark =
 *   positionValue / |szi| (also the coin's price); leverage {type, value} per position;
 * - perp USDC = accountValue − Σ unrealizedPnl, so that equity is Hyperliquid's accountValue;
 * - spot balances (when given) are a second account tagged `<venue>-spot`: in Hyperliquid's
 *   standard mode they do not back perps (a transfer moves them), so the combined view treats them
 *   as a venue of their own, with the `cross` model (no positions, IM 0);
 * - preset `hyperliquid`: leverage per position; margin tiers from `meta` (marginTables) or each
 *   position's `maxLeverage` as a one-tier table;
 * - reported IM/equity: marginSummary.totalMarginUsed, accountValue; MM: crossMaintenanceMarginUsed
 *   when every position is cross.
 */
import { z } from 'zod';
import type { HyperliquidTier } from '../../core/margin/presets/hyperliquid/hyperliquid-params.js';
import { assetSymbol, ImportBuilder, type ImportedAccount } from './import-builder.js';
import { decimalText, num, optNum } from './parse-payload.js';
import { readPayload, type VenueImporter } from './venue-importer.js';

const PositionSchema = z.object({
  coin: z.string().min(1),
  szi: num,
  entryPx: num,
  positionValue: num,
  unrealizedPnl: num,
  leverage: z.object({ type: z.enum(['cross', 'isolated']), value: num }),
  maxLeverage: optNum,
});
const StateSchema = z.object({
  marginSummary: z.object({ accountValue: num, totalMarginUsed: num }),
  crossMaintenanceMarginUsed: optNum,
  assetPositions: z.array(z.object({ position: PositionSchema })),
  time: optNum,
});
const SpotSchema = z.object({
  balances: z.array(z.object({ coin: z.string().min(1), total: decimalText, entryNtl: optNum })),
});
const MetaSchema = z.object({
  universe: z.array(z.object({ name: z.string(), maxLeverage: num, marginTableId: optNum })),
  marginTables: z
    .array(
      z.tuple([
        num,
        z.object({ marginTiers: z.array(z.object({ lowerBound: num, maxLeverage: num })).min(1) }),
      ]),
    )
    .optional(),
});

/** The Hyperliquid importer (module header). */
export const hyperliquidImporter: VenueImporter = {
  name: 'hyperliquid',
  venue: 'hyperliquid',
  kinds: [
    {
      name: 'clearinghouse-state',
      required: true,
      docs: 'info {"type":"clearinghouseState"}',
      schema: StateSchema,
    },
    {
      name: 'spot-state',
      required: false,
      docs: 'info {"type":"spotClearinghouseState"}',
      schema: SpotSchema,
    },
    { name: 'meta', required: false, docs: 'info {"type":"meta"}', schema: MetaSchema },
  ],
  read(payloads, { venue, asOfMs }): ImportedAccount[] {
    const state = readPayload(hyperliquidImporter, payloads, 'clearinghouse-state', StateSchema)!;
    const spot = readPayload(hyperliquidImporter, payloads, 'spot-state', SpotSchema);
    const meta = readPayload(hyperliquidImporter, payloads, 'meta', MetaSchema);
    const b = new ImportBuilder(venue);
    b.time(state.time ?? 0);
    b.price('USDC', 1);
    const leverage: Record<string, { value: number; type: 'cross' | 'isolated' }> = {};
    const marginTiers: Record<string, HyperliquidTier[]> = {};
    let upnl = 0;
    for (const { position: p } of state.assetPositions) {
      if (p.szi === 0) continue;
      const underlying = assetSymbol(p.coin);
      const id = b.id(p.coin);
      const mark = p.positionValue / Math.abs(p.szi);
      b.price(underlying, mark);
      b.instrument({ id, kind: 'perpetual', underlying, markPrice: mark });
      b.position(id, p.szi, p.entryPx);
      upnl += p.unrealizedPnl;
      leverage[id] = { value: p.leverage.value, type: p.leverage.type };
      const u = meta?.universe.find((x) => x.name === p.coin);
      const table =
        u?.marginTableId === undefined
          ? undefined
          : meta?.marginTables?.find(([tid]) => tid === u.marginTableId)?.[1];
      if (table)
        marginTiers[underlying] = table.marginTiers.map((t) => ({
          lowerBoundUsd: t.lowerBound,
          maxLeverage: t.maxLeverage,
        }));
      else if ((u?.maxLeverage ?? p.maxLeverage) !== undefined)
        marginTiers[underlying] = [{ lowerBoundUsd: 0, maxLeverage: (u?.maxLeverage ?? p.maxLeverage)! }];
    }
    // USDC such that equity (USDC + Σ uPnL) is the venue's accountValue.
    b.balance('USDC', (state.marginSummary.accountValue - upnl).toFixed(6));
    const allCross = Object.values(leverage).every((l) => l.type === 'cross');
    const { portfolio, market } = b.build(asOfMs);
    const perp: ImportedAccount = {
      venue,
      importer: 'hyperliquid',
      portfolio,
      market,
      preset: { model: 'hyperliquid', params: { leverage, marginTiers } },
      reported: {
        initialUsd: state.marginSummary.totalMarginUsed,
        ...(allCross && state.crossMaintenanceMarginUsed !== undefined
          ? { maintenanceUsd: state.crossMaintenanceMarginUsed }
          : {}),
        equityUsd: state.marginSummary.accountValue,
      },
      notes: ['marks are positionValue / |szi| (the state carries no mark price)'],
    };
    if (spot === undefined) return [perp];
    const s = new ImportBuilder(`${venue}-spot`);
    s.time(state.time ?? 0);
    for (const x of spot.balances) {
      const asset = assetSymbol(x.coin);
      if (asset === 'USDC' || asset === 'USDT') s.price(asset, 1);
      else if (market.prices[asset] !== undefined) s.price(asset, market.prices[asset]);
      else if (x.entryNtl !== undefined && Number(x.total) > 0) s.price(asset, x.entryNtl / Number(x.total));
      s.balance(asset, x.total);
    }
    const built = s.build(asOfMs ?? market.valuationMs);
    return [
      perp,
      {
        venue: `${venue}-spot`,
        importer: 'hyperliquid',
        ...built,
        preset: { model: 'cross', params: {} },
        notes: [
          'spot balances: a venue of their own (standard mode: they do not back perps); an asset without a perp mark is priced at entryNtl / total',
        ],
      },
    ];
  },
};
