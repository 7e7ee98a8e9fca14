/**
 * OKX: `GET /api/v5/account/positions`, `GET /api/v5/account/balance`, and optionally
 * `GET /api/v5/public/position-tiers`, `GET /api/v5/public/instruments` and
 * `GET /api/v5/account/config` (https://www.okx.com/docs-v5/en/#trading-account-rest-api-get-positions,
 * #trading-account-rest-api-get-balance, #public-data-rest-api-get-position-tiers,
 * #public-data-rest-api-get-instruments, #trading-account-rest-api-get-account-configuration).
 *
 * Mapping:
 * - SWAP → perpetual, FUTURES → future (expiry from the id's `YYMMDD`, 08:00 UTC); units = pos ×
 *   ctVal (instruments payload), else |notionalUsd| / markPx with the sign of the position; entry
 *   = avgPx; `posSide` long/short sets the sign in long/short mode;
 * - balances: `details[].cashBal` per currency (P&L stays on the positions), priced by eqUsd / eq,
 *   stablecoins at 1, else the index of a position on it;
 * - OPTION (`BTC-USD-260327-70000-C`, coin-margined): units = pos × ctVal·ctMult (instruments
 *   payload), else |notionalUsd| / idxPx with the sign of pos; premium in USD = markPx × idxPx;
 *   forward = idxPx (the payload carries none; the vol is implied from the mark);
 * - preset `okx-pm` when the account configuration says portfolio margin (`acctLv` "4"), else
 *   `okx-unified`: leverage per position from `lever`; position tiers converted from contracts to
 *   units of the underlying when both optional payloads are given;
 * - reported IM/MM/equity: the balance's `imr`, `mmr`, `adjEq` (USD).
 * MARGIN positions are refused.
 */
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { OkxTier } from '../../core/margin/presets/okx/okx-params.js';
import { assetSymbol, ImportBuilder, type ImportedAccount } from './import-builder.js';
import { decimalText, num, optNum } from './parse-payload.js';
import { readPayload, type VenueImporter } from './venue-importer.js';

const PositionSchema = z.object({
  instType: z.string(),
  instId: z.string().min(1),
  mgnMode: z.enum(['cross', 'isolated']),
  posSide: z.enum(['net', 'long', 'short']),
  pos: num,
  avgPx: num,
  markPx: num,
  idxPx: optNum,
  notionalUsd: num,
  lever: optNum,
  imr: optNum,
  mmr: optNum,
  uTime: optNum,
});
const DetailSchema = z.object({ ccy: z.string().min(1), eq: num, cashBal: decimalText, eqUsd: optNum });
const BalanceSchema = z
  .array(
    z.object({
      adjEq: optNum,
      totalEq: num,
      imr: optNum,
      mmr: optNum,
      uTime: optNum,
      details: z.array(DetailSchema),
    }),
  )
  .length(1, 'must hold one account');
const TierSchema = z.array(
  z.object({
    instFamily: z.string().optional(),
    uly: z.string().optional(),
    instType: z.string(),
    minSz: num,
    maxSz: num,
    mmr: num,
    imr: num,
  }),
);
const InstrumentSchema = z.array(z.object({ instId: z.string(), ctVal: optNum, ctMult: optNum }));
const ConfigSchema = z.array(z.object({ acctLv: z.string() })).length(1, 'must hold one account');
/** `acctLv` of portfolio margin mode (OKX: 1 spot, 2 spot and futures, 3 multi-currency margin, 4 portfolio margin). */
const PORTFOLIO_MARGIN = '4';
const OPTION_ID = /^([A-Z0-9]+)-([A-Z]+)-(\d{2})(\d{2})(\d{2})-(\d+(?:\.\d+)?)-([CP])$/;

/** The OKX importer (module header). */
export const okxImporter: VenueImporter = {
  name: 'okx',
  venue: 'okx',
  kinds: [
    {
      name: 'positions',
      required: true,
      docs: 'GET /api/v5/account/positions',
      schema: z.array(PositionSchema),
      unwrap: ['data'],
    },
    {
      name: 'balance',
      required: true,
      docs: 'GET /api/v5/account/balance',
      schema: BalanceSchema,
      unwrap: ['data'],
    },
    {
      name: 'position-tiers',
      required: false,
      docs: 'GET /api/v5/public/position-tiers',
      schema: TierSchema,
      unwrap: ['data'],
    },
    {
      name: 'instruments',
      required: false,
      docs: 'GET /api/v5/public/instruments',
      schema: InstrumentSchema,
      unwrap: ['data'],
    },
    {
      name: 'account-config',
      required: false,
      docs: 'GET /api/v5/account/config',
      schema: ConfigSchema,
      unwrap: ['data'],
    },
  ],
  read(payloads, { venue, asOfMs }): ImportedAccount[] {
    const positions = readPayload(okxImporter, payloads, 'positions', z.array(PositionSchema))!;
    const [acct] = readPayload(okxImporter, payloads, 'balance', BalanceSchema)!;
    const tiers = readPayload(okxImporter, payloads, 'position-tiers', TierSchema) ?? [];
    const insts = readPayload(okxImporter, payloads, 'instruments', InstrumentSchema) ?? [];
    const config = readPayload(okxImporter, payloads, 'account-config', ConfigSchema);
    const pm = config?.[0]!.acctLv === PORTFOLIO_MARGIN;
    const ctVal = new Map(insts.map((i) => [i.instId, (i.ctVal ?? 1) * (i.ctMult ?? 1)]));
    const b = new ImportBuilder(venue);
    const leverage: Record<string, number> = {};
    const tierParams: Record<string, OkxTier[]> = {};
    const notes: string[] = [];
    b.time(acct!.uTime ?? 0);
    positions.forEach((p, i) => {
      if (p.instType === 'OPTION') {
        readOption(b, p, i, ctVal.get(p.instId));
        return;
      }
      if (p.instType !== 'SWAP' && p.instType !== 'FUTURES')
        throw new InvalidInputError(
          `okx positions data[${i}].instType`,
          p.instType,
          'must be SWAP, FUTURES or OPTION (margin positions are not imported)',
        );
      const parts = p.instId.split('-');
      const underlying = assetSymbol(parts[0]!);
      const id = b.id(p.instId);
      b.time(p.uTime ?? 0);
      b.price(underlying, p.idxPx ?? p.markPx);
      const sign = p.posSide === 'short' ? -1 : p.posSide === 'long' ? 1 : Math.sign(p.pos);
      const cv = ctVal.get(p.instId);
      const units =
        cv !== undefined ? sign * Math.abs(p.pos) * cv : (sign * Math.abs(p.notionalUsd)) / p.markPx;
      let expiryMs: number | undefined;
      if (p.instType === 'FUTURES') {
        const d = /^(\d{2})(\d{2})(\d{2})$/.exec(parts[2] ?? '');
        if (!d)
          throw new InvalidInputError(
            `okx positions data[${i}].instId`,
            p.instId,
            'must end with the expiry YYMMDD',
          );
        expiryMs = Date.UTC(2000 + Number(d[1]), Number(d[2]) - 1, Number(d[3]), 8);
      }
      b.linear(id, underlying, p.markPx, expiryMs);
      b.position(id, units, p.avgPx);
      if (p.lever !== undefined) leverage[id] = p.lever;
      const family = `${parts[0]}-${parts[1]}`;
      const rows = tiers.filter((t) => (t.instFamily ?? t.uly) === family && t.instType === p.instType);
      if (rows.length > 0) {
        if (cv === undefined)
          notes.push(`${p.instId}: position tiers need the instruments payload (ctVal); default tiers used`);
        else
          tierParams[id] = [...rows]
            .sort((x, y) => x.maxSz - y.maxSz)
            .map((t, k, all) => ({
              maxUnits: k === all.length - 1 ? null : t.maxSz * cv,
              mmr: t.mmr,
              imr: t.imr,
            }));
      }
    });
    if (ctVal.size === 0 && positions.length > 0)
      notes.push('units = notionalUsd / markPx (no instruments payload)');
    acct!.details.forEach((d, i) =>
      b.pricedBalance(
        assetSymbol(d.ccy),
        d.cashBal,
        d.eqUsd !== undefined && d.eq !== 0 ? d.eqUsd / d.eq : undefined,
        `okx balance data[0].details[${i}].eqUsd`,
      ),
    );
    const { portfolio, market } = b.build(asOfMs);
    return [
      {
        venue,
        importer: 'okx',
        portfolio,
        market,
        preset: pm
          ? { model: 'okx-pm', params: {} }
          : {
              model: 'okx-unified',
              params: { leverage, ...(Object.keys(tierParams).length > 0 ? { tiers: tierParams } : {}) },
            },
        reported: {
          ...(acct!.imr !== undefined ? { initialUsd: acct!.imr } : {}),
          ...(acct!.mmr !== undefined ? { maintenanceUsd: acct!.mmr } : {}),
          equityUsd: acct!.adjEq ?? acct!.totalEq,
        },
        notes,
      },
    ];
  },
};

/** An OPTION position (module header). */
function readOption(
  b: ImportBuilder,
  p: z.infer<typeof PositionSchema>,
  i: number,
  cv: number | undefined,
): void {
  const m = OPTION_ID.exec(p.instId);
  if (!m)
    throw new InvalidInputError(
      `okx positions data[${i}].instId`,
      p.instId,
      'must be an option id ULY-QUOTE-YYMMDD-STRIKE-C|P',
    );
  if (p.idxPx === undefined || !(p.idxPx > 0))
    throw new InvalidInputError(
      `okx positions data[${i}].idxPx`,
      p.idxPx,
      'must be > 0 for an option (its forward)',
    );
  const [, coin, , yy, mm, dd, strike, cp] = m;
  const underlying = assetSymbol(coin!);
  const id = b.id(p.instId);
  b.time(p.uTime ?? 0);
  b.price(underlying, p.idxPx);
  const expiryMs = Date.UTC(2000 + Number(yy), Number(mm) - 1, Number(dd), 8);
  b.option(id, underlying, cp!, Number(strike), expiryMs, p.markPx * p.idxPx, p.idxPx);
  const sign = p.posSide === 'short' ? -1 : p.posSide === 'long' ? 1 : Math.sign(p.pos);
  b.position(id, cv !== undefined ? sign * Math.abs(p.pos) * cv : (sign * Math.abs(p.notionalUsd)) / p.idxPx);
}
