/**
 * The importers on their fixtures' edges and on malformed payloads: every error names the venue,
 * the payload, the field and the value received; mappings checked against formulas written out
 * from the venues' documented fields.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- payload JSON is edited by path in the malformed cases */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { XmarginError } from '../../core/errors.js';
import { driftTokenAmount } from './drift-importer.js';
import { floorDecimal } from './import-builder.js';
import { importVenue, IMPORTERS, resolveVenue } from './index.js';
import type { PayloadFile } from './venue-importer.js';

const ROOT = new URL('../../../examples/venues/accounts/', import.meta.url).pathname;
const AS_OF = Date.UTC(2026, 2, 2, 8);

function load(venueDir: string, account: string): PayloadFile[] {
  const dir = join(ROOT, venueDir, account);
  return readdirSync(dir).map((f) => ({
    path: join(dir, f),
    json: JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown,
  }));
}
/** The files with one payload replaced by `edit(its JSON)`. */
function edited(files: PayloadFile[], name: string, edit: (json: any) => void): PayloadFile[] {
  return files.map((f) => {
    if (!f.path.endsWith(`/${name}.json`)) return f;
    const json = structuredClone(f.json);
    edit(json);
    return { ...f, json };
  });
}
function err(fn: () => unknown): XmarginError {
  try {
    fn();
  } catch (e) {
    return e as XmarginError;
  }
  throw new Error('expected an error');
}

describe('malformed payloads name the venue, the payload, the field and the value', () => {
  const cases: [string, string, string, string, (j: any) => void, string[]][] = [
    [
      'deribit',
      'usdc-perps',
      'deribit',
      'positions',
      (j) => (j.result[0].size = 'lots'),
      ['deribit positions', 'result[0].size', '"lots"'],
    ],
    [
      'okx',
      'btc-swap',
      'okx',
      'balance',
      (j) => (j.data[0].details[0].cashBal = '12,5'),
      ['okx balance', 'data[0].details[0].cashBal', '"12,5"'],
    ],
    [
      'bybit',
      'btc-long',
      'bybit',
      'positions',
      (j) => (j.result.list[0].side = 'Long'),
      ['bybit positions', 'result.list[0].side', '"Long"'],
    ],
    [
      'okx',
      'pm-collar',
      'okx',
      'account-config',
      (j) => (j.data[0].acctLv = 4),
      ['okx account-config', 'data[0].acctLv', '4'],
    ],
    [
      'bybit',
      'pm-calendar',
      'bybit',
      'account-info',
      (j) => delete j.result.marginMode,
      ['bybit account-info', 'marginMode'],
    ],
    [
      'binance',
      'pm-btc',
      'binance',
      'account',
      (j) => delete j.accountMaintMargin,
      ['binance account', 'accountMaintMargin', 'got nothing'],
    ],
    [
      'hyperliquid',
      'cross-btc',
      'hyperliquid',
      'clearinghouse-state',
      (j) => (j.assetPositions[0].position.szi = null),
      ['hyperliquid clearinghouse-state', 'assetPositions[0].position.szi', 'null'],
    ],
    [
      'dydx',
      'btc-long',
      'dydx',
      'perpetual-markets',
      (j) => (j.markets['BTC-USD'].oraclePrice = 'NaN'),
      ['dydx perpetual-markets', 'markets.BTC-USD.oraclePrice', '"NaN"'],
    ],
    [
      'drift',
      'sol-perp',
      'drift',
      'user',
      (j) => (j.spotPositions[0].scaledBalance = '1.5'),
      ['drift user', 'spotPositions[0].scaledBalance', '"1.5"'],
    ],
    [
      'aave',
      'eth-usdc',
      'aave',
      'account-data',
      (j) => (j.healthFactor = '-1'),
      ['aave account-data', 'healthFactor', '"-1"'],
    ],
    [
      'ccxt-bybit',
      'linear',
      'ccxt:bybit',
      'positions',
      (j) => (j[0].markPrice = Infinity),
      ['ccxt positions', '[0].markPrice'],
    ],
  ];
  it.each(cases)('%s %s: %s %s', (dir, account, spec, payload, edit, parts) => {
    const e = err(() => importVenue(spec, edited(load(dir, account), payload, edit), AS_OF));
    expect(e.code).toBe('ERR_VALIDATION');
    for (const p of parts) expect(e.message).toContain(p);
  });

  it('a file that fits no payload, a missing payload and an unknown venue are named', () => {
    const files = load('okx', 'btc-swap');
    const junk = err(() =>
      importVenue('okx', [...files, { path: '/tmp/notes.json', json: { hello: 1 } }], AS_OF),
    );
    expect(junk.message).toContain('/tmp/notes.json');
    expect(junk.message).toContain('okx payloads');
    const missing = err(() =>
      importVenue(
        'okx',
        files.filter((f) => !f.path.endsWith('balance.json')),
        AS_OF,
      ),
    );
    expect(missing.message).toContain('must include the okx balance payload');
    expect(err(() => resolveVenue('kraken')).message).toContain('--venue');
    expect(err(() => resolveVenue('ccxt:Big Venue')).message).toContain('venue tag');
  });

  it('an instrument the importer cannot map is refused, naming it', () => {
    const e = err(() =>
      importVenue(
        'okx',
        edited(load('okx', 'btc-swap'), 'positions', (j) => (j.data[0].instType = 'MARGIN')),
        AS_OF,
      ),
    );
    expect(e.message).toContain('okx positions data[0].instType');
    expect(e.message).toContain('"MARGIN"');
    const o = err(() =>
      importVenue(
        'okx',
        edited(load('okx', 'btc-swap'), 'positions', (j) => (j.data[0].instType = 'OPTION')),
        AS_OF,
      ),
    );
    expect(o.message).toContain('okx positions data[0].instId');
    expect(o.message).toContain('"BTC-USDT-SWAP"');
  });

  it('payloads without a time need --as-of', () => {
    expect(err(() => importVenue('aave', load('aave', 'eth-usdc'))).message).toContain('--as-of');
  });

  it('every importer declares documented payloads', () => {
    for (const i of IMPORTERS)
      for (const k of i.kinds) expect(k.docs.length, `${i.name} ${k.name}`).toBeGreaterThan(8);
  });
});

describe('mappings', () => {
  it('deribit inverse perp: units = size_currency, floating P&L (BTC) added to the BTC balance', () => {
    const [a] = importVenue('deribit', load('deribit', 'btc-options'));
    const perp = a!.portfolio.positions.find((p) => p.instrument === 'deribit:BTC-PERPETUAL')!;
    // size −250,000 USD at mark 65,030: −250000/65030 BTC
    expect(perp.size).toBeCloseTo(-250000 / 65030, 7);
    expect(perp.entryPrice).toBeUndefined();
    // balance 12 BTC + FPL = −250000·(1/64000 − 1/65030) BTC
    const btc = a!.portfolio.balances!.find((b) => b.asset === 'BTC')!;
    expect(Number(btc.amount)).toBeCloseTo(12 - 250000 * (1 / 64000 - 1 / 65030), 7);
    // BTC-settled option: mark 0.017 BTC × index 65,000 = USD premium
    expect(a!.market.instruments.find((i) => i.id === 'deribit:BTC-27MAR26-70000-C')!.markPrice).toBeCloseTo(
      0.017 * 65000,
      9,
    );
  });

  it('okx: units = pos × ctVal; tiers converted from contracts to units', () => {
    const [a] = importVenue('okx', load('okx', 'tier-two'));
    expect(a!.portfolio.positions[0]!.size).toBeCloseTo(-2500 * 0.01, 12);
    const tiers = (a!.preset.params.tiers as Record<string, { maxUnits: number | null }[]>)[
      'okx:BTC-USDT-SWAP'
    ]!;
    expect(tiers.map((t) => t.maxUnits)).toEqual([10, 50, null]); // 1000, 5000 contracts × 0.01; last open
  });

  it('portfolio-margin mode selects okx-pm / bybit-pm; without the mode payload the regular preset', () => {
    expect(importVenue('okx', load('okx', 'pm-collar'))[0]!.preset.model).toBe('okx-pm');
    const noConfig = load('okx', 'pm-collar').filter((f) => !f.path.endsWith('account-config.json'));
    expect(importVenue('okx', noConfig)[0]!.preset.model).toBe('okx-unified');
    const multi = edited(load('okx', 'pm-collar'), 'account-config', (j) => (j.data[0].acctLv = '3'));
    expect(importVenue('okx', multi)[0]!.preset.model).toBe('okx-unified');
    const [b] = importVenue('bybit', load('bybit', 'pm-hedged-puts'));
    expect(b!.preset).toEqual({ model: 'bybit-pm', params: { spotHedging: false } });
    const regular = edited(
      load('bybit', 'pm-hedged-puts'),
      'account-info',
      (j) => (j.result.marginMode = 'REGULAR_MARGIN'),
    );
    expect(importVenue('bybit', regular)[0]!.preset.model).toBe('bybit-unified');
  });

  it('okx options: units = pos × ctVal·ctMult, USD premium = markPx × idxPx, forward = idxPx', () => {
    const [a] = importVenue('okx', load('okx', 'pm-collar'));
    const call = a!.portfolio.positions.find((p) => p.instrument === 'okx:BTC-USD-260327-75000-C')!;
    expect(call.size).toBeCloseTo(-200 * 0.01, 12);
    const inst = a!.market.instruments!.find((i) => i.id === 'okx:BTC-USD-260327-75000-C')!;
    const raw = JSON.parse(readFileSync(join(ROOT, 'okx', 'pm-collar', 'positions.json'), 'utf8')).data[1];
    expect(inst).toMatchObject({ kind: 'option', optionType: 'call', strike: 75000, forward: 65000 });
    expect((inst as { markPrice: number }).markPrice).toBeCloseTo(Number(raw.markPx) * 65000, 9);
    expect((inst as { expiryMs: number }).expiryMs).toBe(Date.UTC(2026, 2, 27, 8));
  });

  it('an option without its forward is refused, naming the field', () => {
    const o = err(() =>
      importVenue(
        'okx',
        edited(load('okx', 'pm-collar'), 'positions', (j) => delete j.data[1].idxPx),
      ),
    );
    expect(o.message).toContain('okx positions data[1].idxPx');
    const b = err(() =>
      importVenue(
        'bybit',
        edited(load('bybit', 'pm-calendar'), 'positions', (j) => (j.result.list = j.result.list.slice(0, 2))),
      ),
    );
    expect(b.message).toContain('bybit positions result.list[0].symbol');
    expect(b.message).toContain('needs a price of BTC');
  });

  it('okx without the instruments payload: units = |notionalUsd| / markPx with the sign of pos', () => {
    const files = load('okx', 'btc-swap').filter((f) => !f.path.endsWith('instruments.json'));
    const [a] = importVenue('okx', files);
    expect(a!.portfolio.positions[0]!.size).toBeCloseTo(97515 / 65010, 9);
    expect(a!.notes.join(' ')).toContain('notionalUsd');
  });

  it('dydx: USDC = asset position + Σ size·entry, so equity = USDC + Σ size·oracle', () => {
    const [a] = importVenue('dydx', load('dydx', 'btc-long'));
    const usdc = Number(a!.portfolio.balances![0]!.amount);
    expect(usdc).toBeCloseTo(25000 - 1.5 * 63500 + 1.5 * 63500, 6);
    expect(a!.reported!.equityUsd).toBeCloseTo(25000 - 1.5 * 63500 + 1.5 * 65000, 6);
  });

  it('hyperliquid: spot balances are a venue of their own', () => {
    const accounts = importVenue('hyperliquid', load('hyperliquid', 'multi'));
    expect(accounts.map((a) => a.venue)).toEqual(['hyperliquid', 'hyperliquid-spot']);
    expect(accounts[1]!.portfolio.balances!.map((b) => `${b.asset} ${b.amount}`)).toEqual([
      'HYPE 400',
      'USDC 25000',
    ]);
  });

  it('aave: balances from scaled balances and indexes in ray math, exactly', () => {
    const [a] = importVenue('aave', load('aave', 'eth-usdc'), AS_OF);
    // 40 WETH supplied: scaled = floor(40e18·1e27 / 1.05e27), back = floor(scaled·1.05e27 / 1e27)
    const scaled = (40n * 10n ** 18n * 10n ** 27n) / 1_050_000_000_000_000_000_000_000_000n;
    const back = (scaled * 1_050_000_000_000_000_000_000_000_000n) / 10n ** 27n;
    const eth = a!.portfolio.balances!.find((b) => b.asset === 'ETH')!;
    expect(BigInt(eth.amount.replace('.', '').replace(/^0+/, ''))).toBe(back);
  });

  it('drift token amounts round deposits down and borrows up', () => {
    // 1 SOL (9 decimals) at cumulative interest 1.05 (1e10): scaled 952380952 → 999999999.6 units
    expect(driftTokenAmount(952_380_952n, 10_500_000_000n, 9, 'deposit')).toBe(999_999_999n);
    expect(driftTokenAmount(952_380_952n, 10_500_000_000n, 9, 'borrow')).toBe(1_000_000_000n);
  });

  it('amounts beyond 18 decimals round toward −∞', () => {
    expect(floorDecimal('1.23456', 2)).toBe('1.23');
    expect(floorDecimal('-1.23456', 2)).toBe('-1.24');
    expect(floorDecimal('-1.2300', 2)).toBe('-1.23');
    expect(floorDecimal('-0.009', 2)).toBe('-0.01');
  });
});
