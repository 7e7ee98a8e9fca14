#!/usr/bin/env node
/**
 * Writes the venue fixtures of examples/venues/: payloads in the shapes of each venue's public API
 * documentation (examples/venues/README.md names the page of each), with the venue's own margin
 * figures derived here from the venue's documented formula and the fixture's inputs.
 *
 * This script is the independent reference calculation behind those figures: plain JavaScript,
 * it imports nothing from xmargin. Re-run it (node examples/venues/tools/write-fixtures.mjs) and
 * review the diff; the figures must never be copied from xmargin's output.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const T = Date.UTC(2026, 2, 2, 8); // 2026-03-02T08:00:00Z, every fixture's time
const PX = { BTC: 65000, ETH: 1950, SOL: 82 };
const EXPIRY = '27MAR26';
const written = [];

const r = (x, d = 8) => Number(x.toFixed(d));
const s = (x, d = 8) => r(x, d).toString();
function write(dir, name, doc) {
  const path = join(ROOT, dir, `${name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
  written.push(path);
}

// ---------------------------------------------------------------------------------------------
// Deribit (USD figures by the standard-margin rule, reported in the summary's currency)
// Linear perpetual (support.deribit.com "Linear Perpetual"): IM = N·(2% + q·0.005%), MM = N·(1% +
// q·0.005%) for BTC, q in BTC, N = q·mark; ETH 2%/1% + q·0.0004%; SOL 4%/2% + q·0.0005%.
// Options (coin form, × S): short call IM = max(0.15 − OTM/S, 0.1)·S + mark, MM = 0.075·S + mark;
// short put IM = max(x·S + mark, MM), MM = max(0.075·S, 0.075·mark) + mark; long: mark.
const DERIBIT_LINEAR = {
  BTC: [0.02, 0.01, 0.00005],
  ETH: [0.02, 0.01, 0.000004],
  SOL: [0.04, 0.02, 0.000005],
};
function deribitLinear(coin, units, mark) {
  const [im, mm, per] = DERIBIT_LINEAR[coin];
  const q = Math.abs(units);
  return { im: q * mark * (im + q * per), mm: q * mark * (mm + q * per) };
}
function deribitOption(type, strike, S, markUsd, units) {
  const q = Math.abs(units);
  if (units > 0) return { im: q * markUsd, mm: q * markUsd };
  const otm = type === 'call' ? Math.max(strike - S, 0) : Math.max(S - strike, 0);
  const x = Math.max(0.15 - otm / S, 0.1);
  if (type === 'call') return { im: q * (x * S + markUsd), mm: q * (0.075 * S + markUsd) };
  const mm = Math.max(0.075 * S, 0.075 * markUsd) + markUsd;
  return { im: q * Math.max(x * S + markUsd, mm), mm: q * mm };
}
function deribitAccount(dir, { currency, balance, positions, marginModel = 'cross_sm' }) {
  let im = 0;
  let mm = 0;
  let upl = 0;
  let optionsValue = 0;
  const out = positions.map((p) => {
    const coin = p.name.split(/[-_]/)[0];
    const S = PX[coin];
    const linear = p.name.includes('_USDC');
    const isOption = /-[CP]$/.test(p.name);
    const idx = S;
    if (isOption) {
      const [, , k, cp] = p.name.split('-');
      const markUsd = linear ? p.mark : p.mark * S;
      const f = deribitOption(cp === 'C' ? 'call' : 'put', Number(k), S, markUsd, p.size);
      im += f.im;
      mm += f.mm;
      optionsValue += p.size * (linear ? p.mark : p.mark); // in the settlement currency
      return {
        instrument_name: p.name,
        kind: 'option',
        direction: p.size > 0 ? 'buy' : 'sell',
        size: p.size,
        average_price: p.avg,
        mark_price: p.mark,
        index_price: idx,
        floating_profit_loss: r(p.size * (p.mark - p.avg)),
        initial_margin: r(f.im / (linear ? 1 : S)),
        maintenance_margin: r(f.mm / (linear ? 1 : S)),
        delta: r(p.size * 0.3, 4),
      };
    }
    const units = linear ? p.size : p.size / p.mark; // inverse: size in USD
    const f = deribitLinear(coin, units, p.mark);
    im += f.im;
    mm += f.mm;
    const fpl = linear ? units * (p.mark - p.avg) : p.size * (1 / p.avg - 1 / p.mark);
    upl += fpl;
    return {
      instrument_name: p.name,
      kind: 'future',
      direction: p.size > 0 ? 'buy' : 'sell',
      size: p.size,
      ...(linear ? {} : { size_currency: r(units) }),
      average_price: p.avg,
      mark_price: p.mark,
      index_price: idx,
      floating_profit_loss: r(fpl),
      initial_margin: r(f.im / (linear ? 1 : S)),
      maintenance_margin: r(f.mm / (linear ? 1 : S)),
      delta: r(units, 6),
    };
  });
  const toCcy = currency === 'USDC' ? 1 : PX[currency];
  write(dir, 'positions', {
    jsonrpc: '2.0',
    id: 1,
    result: out,
    usIn: T * 1000,
    usOut: T * 1000 + 250,
    usDiff: 250,
    testnet: false,
  });
  write(dir, 'account-summary', {
    jsonrpc: '2.0',
    id: 2,
    result: {
      currency,
      balance,
      equity: r(balance + upl + optionsValue),
      margin_balance: r(balance + upl),
      initial_margin: r(im / toCcy),
      maintenance_margin: r(mm / toCcy),
      available_funds: r(balance + upl - im / toCcy),
      options_value: r(optionsValue),
      futures_pl: r(upl),
      margin_model: marginModel,
      portfolio_margining_enabled: marginModel.endsWith('_pm'),
      cross_collateral_enabled: marginModel.startsWith('cross'),
    },
    usIn: T * 1000,
    usOut: T * 1000 + 300,
    usDiff: 300,
    testnet: false,
  });
  return { venue: 'deribit', dir, imUsd: im, mmUsd: mm };
}

// ---------------------------------------------------------------------------------------------
// OKX multi-currency margin, cross (position tiers apply the tier's MMR to the whole position;
// IMR = notional / leverage).
const OKX_CT = { 'BTC-USDT-SWAP': 0.01, 'ETH-USDT-SWAP': 0.1, 'SOL-USDT-SWAP': 1 };
const OKX_TIERS = {
  'BTC-USDT': [
    [0, 1000, 0.004, 0.008],
    [1000, 5000, 0.006, 0.0125],
    [5000, 10000, 0.008, 0.02],
  ],
  'ETH-USDT': [
    [0, 5000, 0.005, 0.01],
    [5000, 20000, 0.008, 0.02],
  ],
  'SOL-USDT': [
    [0, 20000, 0.01, 0.02],
    [20000, 50000, 0.015, 0.03],
  ],
};
// The OKX positions and balance payloads of an account (balance totals in USD).
function okxPositionsAndBalance(dir, data, details, { adjEq, imr, mmr }) {
  write(dir, 'positions', { code: '0', msg: '', data });
  write(dir, 'balance', {
    code: '0',
    msg: '',
    data: [
      {
        uTime: String(T),
        totalEq: s(adjEq, 6),
        adjEq: s(adjEq, 6),
        imr: s(imr, 6),
        mmr: s(mmr, 6),
        mgnRatio: s(adjEq / mmr, 4),
        notionalUsd: s(
          data.reduce((a, x) => a + Number(x.notionalUsd), 0),
          6,
        ),
        details,
      },
    ],
  });
}
function okxAccount(dir, { positions, details }) {
  let imr = 0;
  let mmr = 0;
  let upl = 0;
  const data = positions.map((p) => {
    const ct = OKX_CT[p.instId];
    const coin = p.instId.split('-')[0];
    const fam = p.instId.split('-').slice(0, 2).join('-');
    const units = p.pos * ct;
    const notional = Math.abs(units) * p.markPx;
    const tier = OKX_TIERS[fam].find(([, max]) => Math.abs(p.pos) <= max);
    const lever = Math.min(p.lever, 1 / tier[3]);
    const pImr = notional / lever;
    const pMmr = notional * tier[2];
    imr += pImr;
    mmr += pMmr;
    const pUpl = units * (p.markPx - p.avgPx);
    upl += pUpl;
    return {
      instType: 'SWAP',
      instId: p.instId,
      mgnMode: 'cross',
      posSide: 'net',
      pos: s(p.pos),
      posCcy: '',
      ccy: 'USDT',
      avgPx: s(p.avgPx),
      markPx: s(p.markPx),
      idxPx: s(PX[coin]),
      notionalUsd: s(notional, 6),
      lever: s(p.lever),
      imr: s(pImr, 6),
      mmr: s(pMmr, 6),
      upl: s(pUpl, 6),
      liqPx: '',
      adl: '2',
      uTime: String(T),
      cTime: String(T - 86_400_000),
    };
  });
  let adjEq = 0;
  const det = details.map((d) => {
    const px = d.ccy === 'USDT' || d.ccy === 'USDC' ? 1 : PX[d.ccy];
    const eq = d.cashBal + (d.ccy === 'USDT' ? upl : 0);
    adjEq += eq * px;
    return {
      ccy: d.ccy,
      cashBal: s(d.cashBal),
      eq: s(eq),
      eqUsd: s(eq * px, 6),
      disEq: s(eq * px, 6),
      upl: s(d.ccy === 'USDT' ? upl : 0, 6),
      availBal: s(d.cashBal),
      frozenBal: '0',
      liab: '',
      uTime: String(T),
    };
  });
  okxPositionsAndBalance(dir, data, det, { adjEq, imr, mmr });
  const fams = [...new Set(positions.map((p) => p.instId.split('-').slice(0, 2).join('-')))];
  write(dir, 'position-tiers', {
    code: '0',
    msg: '',
    data: fams.flatMap((f) =>
      OKX_TIERS[f].map(([min, max, m, i], k) => ({
        instFamily: f,
        uly: f,
        instType: 'SWAP',
        tier: String(k + 1),
        minSz: String(min),
        maxSz: String(max),
        mmr: String(m),
        imr: String(i),
        maxLever: String(1 / i),
      })),
    ),
  });
  write(dir, 'instruments', {
    code: '0',
    msg: '',
    data: positions.map((p) => ({
      instType: 'SWAP',
      instId: p.instId,
      instFamily: p.instId.split('-').slice(0, 2).join('-'),
      ctVal: String(OKX_CT[p.instId]),
      ctMult: '1',
      ctValCcy: p.instId.split('-')[0],
      settleCcy: 'USDT',
      state: 'live',
    })),
  });
  return { venue: 'okx', dir, imUsd: imr, mmUsd: mmr };
}

// ---------------------------------------------------------------------------------------------
// Bybit UTA regular margin: IM = V/leverage + fee to close, MM = V·mmr − mmDeduction + fee to
// close, fee to close = V·0.055% (taken at mark here), tier = the first whose riskLimitValue ≥ V.
const BYBIT_LIMITS = {
  BTCUSDT: [
    [2_000_000, 0.005, 0.01],
    [2_600_000, 0.0056, 0.0112],
    [3_200_000, 0.0062, 0.0124],
  ],
  ETHUSDT: [
    [1_000_000, 0.005, 0.01],
    [1_400_000, 0.0058, 0.0116],
  ],
  SOLUSDT: [
    [200_000, 0.01, 0.02],
    [400_000, 0.015, 0.03],
  ],
};
const bybitDeductions = (rows) =>
  rows.map((_, i) => rows.slice(1, i + 1).reduce((d, row, k) => d + rows[k][0] * (row[1] - rows[k][1]), 0));
function bybitAccount(dir, { positions, coins }) {
  let im = 0;
  let mm = 0;
  let upl = 0;
  const list = positions.map((p) => {
    const v = p.size * p.markPrice;
    const rows = BYBIT_LIMITS[p.symbol];
    const ded = bybitDeductions(rows);
    const t = rows.findIndex(([cap]) => v <= cap);
    const [, mmr, imr] = rows[t];
    const lev = Math.min(p.leverage, 1 / imr);
    const fee = v * 0.00055;
    const pIm = v / lev + fee;
    const pMm = v * mmr - ded[t] + fee;
    im += pIm;
    mm += pMm;
    const pUpl = (p.side === 'Sell' ? -1 : 1) * p.size * (p.markPrice - p.avgPrice);
    upl += pUpl;
    return {
      symbol: p.symbol,
      side: p.side,
      size: s(p.size),
      avgPrice: s(p.avgPrice),
      positionValue: s(p.size * p.avgPrice, 6),
      markPrice: s(p.markPrice),
      leverage: s(p.leverage),
      positionIM: s(pIm, 6),
      positionMM: s(pMm, 6),
      unrealisedPnl: s(pUpl, 6),
      riskId: t + 1,
      riskLimitValue: String(rows[t][0]),
      tradeMode: 0,
      positionStatus: 'Normal',
      createdTime: String(T - 86_400_000),
      updatedTime: String(T),
      positionIdx: 0,
    };
  });
  let mb = 0;
  const coin = coins.map((c) => {
    const px = c.coin === 'USDT' || c.coin === 'USDC' ? 1 : PX[c.coin];
    const eq = c.walletBalance + (c.coin === 'USDT' ? upl : 0);
    mb += c.walletBalance * px;
    return {
      coin: c.coin,
      walletBalance: s(c.walletBalance),
      equity: s(eq),
      usdValue: s(eq * px, 6),
      unrealisedPnl: s(c.coin === 'USDT' ? upl : 0, 6),
      borrowAmount: '0',
      collateralSwitch: true,
      marginCollateral: true,
    };
  });
  mb += upl;
  write(dir, 'positions', {
    retCode: 0,
    retMsg: 'OK',
    result: { category: 'linear', list, nextPageCursor: '' },
    retExtInfo: {},
    time: T,
  });
  write(dir, 'wallet-balance', {
    retCode: 0,
    retMsg: 'OK',
    result: {
      list: [
        {
          accountType: 'UNIFIED',
          totalEquity: s(mb, 6),
          totalWalletBalance: s(mb - upl, 6),
          totalMarginBalance: s(mb, 6),
          totalAvailableBalance: s(mb - im, 6),
          totalPerpUPL: s(upl, 6),
          totalInitialMargin: s(im, 6),
          totalMaintenanceMargin: s(mm, 6),
          accountIMRate: s(im / mb, 4),
          accountMMRate: s(mm / mb, 4),
          coin,
        },
      ],
    },
    retExtInfo: {},
    time: T,
  });
  write(dir, 'risk-limit', {
    retCode: 0,
    retMsg: 'OK',
    result: {
      category: 'linear',
      list: positions.flatMap((p) =>
        BYBIT_LIMITS[p.symbol].map(([cap, m, i], k) => ({
          id: k + 1,
          symbol: p.symbol,
          riskLimitValue: String(cap),
          maintenanceMargin: String(m),
          initialMargin: String(i),
          isLowestRisk: k === 0 ? 1 : 0,
          maxLeverage: String(1 / i),
          mmDeduction: k === 0 ? '' : s(bybitDeductions(BYBIT_LIMITS[p.symbol])[k], 2),
        })),
      ),
    },
    retExtInfo: {},
    time: T,
  });
  return { venue: 'bybit', dir, imUsd: im, mmUsd: mm };
}

// ---------------------------------------------------------------------------------------------
// Binance Portfolio Margin: MM = Σ (|N|·maintMarginRatio − cum) by leverage bracket, IM = Σ |N| /
// leverage, uniMMR = accountEquity / accountMaintMargin, accountEquity = Σ collateral-rate-weighted
// balances + uPnL (rates 1 for USDT and for BTC under $100M).
const BINANCE_BRACKETS = {
  BTCUSDT: [
    [0, 50_000, 0.004],
    [50_000, 600_000, 0.005],
    [600_000, 3_000_000, 0.0065],
    [3_000_000, 12_000_000, 0.01],
  ],
  ETHUSDT: [
    [0, 50_000, 0.005],
    [50_000, 600_000, 0.0065],
    [600_000, 3_000_000, 0.01],
  ],
  SOLUSDT: [
    [0, 20_000, 0.01],
    [20_000, 250_000, 0.015],
    [250_000, 1_000_000, 0.02],
  ],
};
const binanceCum = (rows) =>
  rows.map((_, i) => rows.slice(1, i + 1).reduce((c, row, k) => c + row[0] * (row[2] - rows[k][2]), 0));
function binanceAccount(dir, { positions, balances }) {
  let im = 0;
  let mm = 0;
  let upl = 0;
  const risk = positions.map((p) => {
    const n = Math.abs(p.amt) * p.markPrice;
    const rows = BINANCE_BRACKETS[p.symbol];
    const cum = binanceCum(rows);
    const b = rows.reduce((k, row, i) => (row[0] <= n ? i : k), 0);
    im += n / p.leverage;
    mm += n * rows[b][2] - cum[b];
    const pUpl = p.amt * (p.markPrice - p.entryPrice);
    upl += pUpl;
    return {
      symbol: p.symbol,
      positionAmt: s(p.amt, 3),
      entryPrice: s(p.entryPrice),
      markPrice: s(p.markPrice),
      unRealizedProfit: s(pUpl),
      liquidationPrice: '0',
      leverage: String(p.leverage),
      maxNotionalValue: '50000000',
      positionSide: 'BOTH',
      notional: s(p.amt * p.markPrice),
      updateTime: T,
    };
  });
  let eq = upl;
  const bal = balances.map((x) => {
    const px = x.asset === 'USDT' || x.asset === 'USDC' ? 1 : PX[x.asset];
    eq += (x.cross + x.um) * px;
    return {
      asset: x.asset,
      totalWalletBalance: s(x.cross + x.um),
      crossMarginAsset: s(x.cross),
      crossMarginBorrowed: '0.0',
      crossMarginFree: s(x.cross),
      crossMarginInterest: '0.0',
      crossMarginLocked: '0.0',
      umWalletBalance: s(x.um),
      umUnrealizedPNL: s(x.asset === 'USDT' ? upl : 0),
      cmWalletBalance: '0.0',
      cmUnrealizedPNL: '0.0',
      updateTime: T,
      negativeBalance: '0.0',
    };
  });
  write(dir, 'account', {
    uniMMR: s(eq / mm, 4),
    accountEquity: s(eq, 6),
    actualEquity: s(eq, 6),
    accountInitialMargin: s(im, 6),
    accountMaintMargin: s(mm, 6),
    accountStatus: 'NORMAL',
    virtualMaxWithdrawAmount: s(eq - im, 6),
    totalAvailableBalance: s(eq - im, 6),
    totalMarginOpenLoss: '0.0',
    updateTime: T,
  });
  write(dir, 'balance', bal);
  write(dir, 'um-position-risk', risk);
  write(
    dir,
    'um-leverage-bracket',
    positions.map((p) => ({
      symbol: p.symbol,
      notionalCoef: 1,
      brackets: BINANCE_BRACKETS[p.symbol].map(([floor, cap, m], k) => ({
        bracket: k + 1,
        initialLeverage: Math.round(1 / (2 * m)),
        notionalCap: cap,
        notionalFloor: floor,
        maintMarginRatio: m,
        cum: binanceCum(BINANCE_BRACKETS[p.symbol])[k],
      })),
    })),
  );
  return { venue: 'binance', dir, imUsd: im, mmUsd: mm };
}

// ---------------------------------------------------------------------------------------------
// Hyperliquid: marginUsed = position value / leverage; maintenance = value / (2·max leverage)
// (first tier), cross maintenance = Σ over cross positions.
const HL_MAX = { BTC: 40, ETH: 25, SOL: 20 };
function hyperliquidAccount(dir, { positions, usdc, spot }) {
  let used = 0;
  let mm = 0;
  let upl = 0;
  const assetPositions = positions.map((p) => {
    const value = Math.abs(p.szi) * p.mark;
    const pUpl = p.szi * (p.mark - p.entryPx);
    const marginUsed = value / p.lev;
    used += marginUsed;
    mm += value / (2 * HL_MAX[p.coin]);
    upl += pUpl;
    return {
      type: 'oneWay',
      position: {
        coin: p.coin,
        szi: s(p.szi, 5),
        leverage: { type: 'cross', value: p.lev },
        entryPx: s(p.entryPx, 2),
        positionValue: s(value, 6),
        unrealizedPnl: s(pUpl, 6),
        returnOnEquity: s(pUpl / marginUsed, 6),
        liquidationPx: null,
        marginUsed: s(marginUsed, 6),
        maxLeverage: HL_MAX[p.coin],
        cumFunding: { allTime: '0.0', sinceOpen: '0.0', sinceChange: '0.0' },
      },
    };
  });
  const accountValue = usdc + upl;
  const ntl = positions.reduce((a, p) => a + Math.abs(p.szi) * p.mark, 0);
  const summary = {
    accountValue: s(accountValue, 6),
    totalNtlPos: s(ntl, 6),
    totalRawUsd: s(accountValue - positions.reduce((a, p) => a + p.szi * p.mark, 0), 6),
    totalMarginUsed: s(used, 6),
  };
  write(dir, 'clearinghouse-state', {
    marginSummary: summary,
    crossMarginSummary: summary,
    crossMaintenanceMarginUsed: s(mm, 6),
    withdrawable: s(accountValue - used, 6),
    assetPositions,
    time: T,
  });
  write(dir, 'meta', {
    universe: [
      { name: 'BTC', szDecimals: 5, maxLeverage: 40, marginTableId: 56 },
      { name: 'ETH', szDecimals: 4, maxLeverage: 25, marginTableId: 55 },
      { name: 'SOL', szDecimals: 2, maxLeverage: 20, marginTableId: 54 },
    ],
    marginTables: [
      [
        56,
        {
          description: 'tiered 40x',
          marginTiers: [
            { lowerBound: '0.0', maxLeverage: 40 },
            { lowerBound: '150000000.0', maxLeverage: 20 },
          ],
        },
      ],
      [
        55,
        {
          description: 'tiered 25x',
          marginTiers: [
            { lowerBound: '0.0', maxLeverage: 25 },
            { lowerBound: '100000000.0', maxLeverage: 15 },
          ],
        },
      ],
      [
        54,
        {
          description: 'tiered 20x',
          marginTiers: [
            { lowerBound: '0.0', maxLeverage: 20 },
            { lowerBound: '70000000.0', maxLeverage: 10 },
          ],
        },
      ],
    ],
  });
  if (spot)
    write(dir, 'spot-state', {
      balances: spot.map((b) => ({
        coin: b.coin,
        token: b.token,
        total: s(b.total),
        hold: '0.0',
        entryNtl: s(b.total * (b.coin === 'USDC' ? 1 : (PX[b.coin] ?? 1))),
      })),
    });
  return { venue: 'hyperliquid', dir, imUsd: used, mmUsd: mm };
}

// ---------------------------------------------------------------------------------------------
// dYdX v4: IMR = |size|·oracle·IMF, free collateral = equity − Σ IMR, equity = USDC + Σ size·oracle.
const DYDX_MARKETS = { 'BTC-USD': [0.02, 0.012], 'ETH-USD': [0.02, 0.012], 'SOL-USD': [0.05, 0.03] };
function dydxAccount(dir, { positions, usdcAfterTrades }) {
  let imr = 0;
  let value = 0;
  const open = {};
  for (const p of positions) {
    const coin = p.market.split('-')[0];
    imr += Math.abs(p.size) * PX[coin] * DYDX_MARKETS[p.market][0];
    value += p.size * PX[coin];
    open[p.market] = {
      market: p.market,
      status: 'OPEN',
      side: p.size > 0 ? 'LONG' : 'SHORT',
      size: s(p.size),
      maxSize: s(p.size),
      entryPrice: s(p.entry),
      exitPrice: null,
      realizedPnl: '0',
      unrealizedPnl: s(p.size * (PX[coin] - p.entry), 6),
      createdAt: new Date(T - 86_400_000).toISOString(),
      createdAtHeight: '41000000',
      closedAt: null,
      sumOpen: s(Math.abs(p.size)),
      sumClose: '0',
      netFunding: '0',
      subaccountNumber: 0,
    };
  }
  const equity = usdcAfterTrades + value;
  write(dir, 'subaccount', {
    subaccount: {
      address: 'dydx1qwertyuiopasdfghjklzxcvbnm0123456789abc',
      subaccountNumber: 0,
      equity: s(equity, 6),
      freeCollateral: s(equity - imr, 6),
      openPerpetualPositions: open,
      assetPositions: {
        USDC: {
          symbol: 'USDC',
          side: usdcAfterTrades >= 0 ? 'LONG' : 'SHORT',
          size: s(Math.abs(usdcAfterTrades), 6),
          assetId: '0',
          subaccountNumber: 0,
        },
      },
      marginEnabled: true,
      updatedAtHeight: '41234567',
    },
  });
  write(dir, 'perpetual-markets', {
    markets: Object.fromEntries(
      Object.entries(DYDX_MARKETS).map(([t, [imf, mmf]]) => [
        t,
        {
          ticker: t,
          status: 'ACTIVE',
          oraclePrice: String(PX[t.split('-')[0]]),
          initialMarginFraction: String(imf),
          maintenanceMarginFraction: String(mmf),
          openInterest: '1000',
          atomicResolution: -10,
          marketType: 'CROSS',
        },
      ]),
    ),
  });
  write(dir, 'time', { iso: new Date(T).toISOString(), epoch: T / 1000 });
  return { venue: 'dydx', dir, imUsd: imr };
}

// ---------------------------------------------------------------------------------------------
// Drift v2 (programs/drift/src/math/margin.rs): per deposit value·aw, aw = min(w, 1.1/(1 +
// imf·√qty)); per perp N·ratio (imf 0) in the requirement, P&L in total collateral (weight 1, IM
// capped at $100 of positive P&L). SDK figures in QUOTE_PRECISION (1e6).
const DRIFT_SPOT = [
  { marketIndex: 0, name: 'USDC', decimals: 6, w: [10000, 10000, 10000, 10000], imf: 0 },
  { marketIndex: 1, name: 'SOL', decimals: 9, w: [8000, 9000, 12000, 11000], imf: 3000 },
];
const DRIFT_PERP = [
  { marketIndex: 0, name: 'SOL-PERP', coin: 'SOL', ratio: [1000, 500] },
  { marketIndex: 1, name: 'BTC-PERP', coin: 'BTC', ratio: [1000, 500] },
  { marketIndex: 2, name: 'ETH-PERP', coin: 'ETH', ratio: [1000, 500] },
];
const CI = 10_000_000_000n; // cumulative interest 1.0 at 1e10
function driftAccount(dir, { deposits, perps }) {
  let tcI = 0;
  let tcM = 0;
  let imr = 0;
  let mmr = 0;
  const spotPositions = deposits.map((d) => {
    const m = DRIFT_SPOT.find((x) => x.name === d.asset);
    const px = d.asset === 'USDC' ? 1 : PX[d.asset];
    const aw = (w) =>
      m.imf === 0 ? w / 1e4 : Math.min(w / 1e4, 1.1 / (1 + (m.imf / 1e6) * Math.sqrt(d.qty)));
    tcI += d.qty * px * aw(m.w[0]);
    tcM += d.qty * px * aw(m.w[1]);
    const scaled = (BigInt(Math.round(d.qty * 10 ** m.decimals)) * 10n ** BigInt(19 - m.decimals)) / CI;
    return {
      marketIndex: m.marketIndex,
      scaledBalance: scaled.toString(),
      balanceType: { deposit: {} },
      openOrders: 0,
      cumulativeDeposits: String(Math.round(d.qty * 10 ** m.decimals)),
    };
  });
  const perpPositions = perps.map((p) => {
    const m = DRIFT_PERP.find((x) => x.coin === p.coin);
    const n = Math.abs(p.base) * PX[p.coin];
    const pnl = p.base * (PX[p.coin] - p.entry);
    imr += (n * m.ratio[0]) / 1e4;
    mmr += (n * m.ratio[1]) / 1e4;
    tcI += Math.min(pnl, 100);
    tcM += pnl;
    return {
      marketIndex: m.marketIndex,
      baseAssetAmount: String(Math.round(p.base * 1e9)),
      quoteAssetAmount: String(Math.round(-p.base * p.entry * 1e6)),
      quoteEntryAmount: String(Math.round(-p.base * p.entry * 1e6)),
      quoteBreakEvenAmount: String(Math.round(-p.base * p.entry * 1e6)),
      lastCumulativeFundingRate: '0',
      openOrders: 0,
    };
  });
  write(dir, 'user', {
    authority: '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin',
    subAccountId: 0,
    status: 0,
    perpPositions,
    spotPositions,
  });
  write(
    dir,
    'perp-markets',
    DRIFT_PERP.map((m) => ({
      marketIndex: m.marketIndex,
      name: m.name,
      oraclePrice: String(PX[m.coin] * 1e6),
      marginRatioInitial: m.ratio[0],
      marginRatioMaintenance: m.ratio[1],
      imfFactor: 0,
      unrealizedPnlInitialAssetWeight: 10000,
      unrealizedPnlMaintenanceAssetWeight: 10000,
      unrealizedPnlImfFactor: 0,
      contractTier: { a: {} },
    })),
  );
  write(
    dir,
    'spot-markets',
    DRIFT_SPOT.map((m) => ({
      marketIndex: m.marketIndex,
      name: m.name,
      decimals: m.decimals,
      oraclePrice: String((m.name === 'USDC' ? 1 : PX[m.name]) * 1e6),
      cumulativeDepositInterest: CI.toString(),
      cumulativeBorrowInterest: CI.toString(),
      initialAssetWeight: m.w[0],
      maintenanceAssetWeight: m.w[1],
      initialLiabilityWeight: m.w[2],
      maintenanceLiabilityWeight: m.w[3],
      imfFactor: m.imf,
    })),
  );
  const q = (x) => Math.round(x * 1e6).toString();
  write(dir, 'margin', {
    totalCollateralInitial: q(tcI),
    totalCollateralMaintenance: q(tcM),
    initialMarginRequirement: q(imr),
    maintenanceMarginRequirement: q(mmr),
    timestamp: T / 1000,
  });
  // xmargin's convention (drift preset): IM = IMR + TC_M − TC_I, MM = MMR (no borrows here)
  return { venue: 'drift', dir, imUsd: imr + tcM - tcI, mmUsd: mmr };
}

// ---------------------------------------------------------------------------------------------
// Aave v3 (GenericLogic.calculateUserAccountData): totalCollateralBase = Σ collateral·price (base
// 8 decimals), avgLT = Σ c·LT / Σ c (bps, truncated), avgLTV likewise, HF = c·avgLT / debt (1e18).
const AAVE = {
  WETH: {
    addr: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
    decimals: 18,
    ltv: 8050,
    lt: 8300,
    bonus: 10500,
    px: PX.ETH,
  },
  WBTC: {
    addr: '0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599',
    decimals: 8,
    ltv: 7300,
    lt: 7800,
    bonus: 10500,
    px: PX.BTC,
  },
  USDC: {
    addr: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
    decimals: 6,
    ltv: 7500,
    lt: 7800,
    bonus: 10450,
    px: 1,
  },
};
const RAY = 10n ** 27n;
function aaveAccount(dir, { supplied, borrowed, disabled = [] }) {
  const idx = {
    liquidity: 1_050_000_000_000_000_000_000_000_000n,
    variable: 1_100_000_000_000_000_000_000_000_000n,
  };
  let tc = 0;
  let td = 0;
  let sumLt = 0;
  let sumLtv = 0;
  const user = Object.entries(AAVE).map(([sym, a]) => {
    const sup = supplied[sym] ?? 0;
    const bor = borrowed[sym] ?? 0;
    const supUnits = BigInt(Math.round(sup * 10 ** a.decimals));
    const borUnits = BigInt(Math.round(bor * 10 ** a.decimals));
    const scaledA = (supUnits * RAY) / idx.liquidity; // rayDiv
    const scaledD = (borUnits * RAY) / idx.variable;
    const actualSup = Number((scaledA * idx.liquidity) / RAY) / 10 ** a.decimals;
    const actualBor = Number((scaledD * idx.variable + RAY - 1n) / RAY) / 10 ** a.decimals;
    const collat = !disabled.includes(sym) && sup > 0;
    if (collat) {
      const v = actualSup * a.px;
      tc += v;
      sumLt += v * a.lt;
      sumLtv += v * a.ltv;
    }
    td += actualBor * a.px;
    return {
      underlyingAsset: a.addr,
      scaledATokenBalance: scaledA.toString(),
      usageAsCollateralEnabledOnUser: collat,
      scaledVariableDebt: scaledD.toString(),
    };
  });
  const avgLt = tc > 0 ? Math.floor(sumLt / tc) : 0;
  const avgLtv = tc > 0 ? Math.floor(sumLtv / tc) : 0;
  const base = (x) => Math.floor(x * 1e8).toString();
  const hf =
    td > 0 ? BigInt(Math.floor(((tc * avgLt) / 1e4 / td) * 1e18)).toString() : (2n ** 256n - 1n).toString();
  write(dir, 'account-data', {
    totalCollateralBase: base(tc),
    totalDebtBase: base(td),
    availableBorrowsBase: base(Math.max(0, (tc * avgLtv) / 1e4 - td)),
    currentLiquidationThreshold: String(avgLt),
    ltv: String(avgLtv),
    healthFactor: hf,
  });
  write(dir, 'user-reserves', user);
  write(dir, 'reserves', {
    reservesData: Object.entries(AAVE).map(([sym, a]) => ({
      underlyingAsset: a.addr,
      name: sym,
      symbol: sym,
      decimals: String(a.decimals),
      baseLTVasCollateral: String(a.ltv),
      reserveLiquidationThreshold: String(a.lt),
      reserveLiquidationBonus: String(a.bonus),
      reserveFactor: '1000',
      usageAsCollateralEnabled: true,
      borrowingEnabled: true,
      isActive: true,
      isFrozen: false,
      liquidityIndex: idx.liquidity.toString(),
      variableBorrowIndex: idx.variable.toString(),
      priceInMarketReferenceCurrency: String(Math.round(a.px * 1e8)),
      liquidationProtocolFee: '1000',
    })),
    baseCurrencyInfo: {
      marketReferenceCurrencyUnit: '100000000',
      marketReferenceCurrencyPriceInUsd: '100000000',
      networkBaseTokenPriceInUsd: String(PX.ETH * 1e8),
      networkBaseTokenPriceDecimals: 8,
    },
  });
  const nonColl = Object.entries(supplied)
    .filter(([k]) => disabled.includes(k))
    .reduce((a, [k, q]) => a + q * AAVE[k].px, 0);
  return {
    venue: 'aave',
    dir,
    imUsd: tc * (1 - avgLtv / 1e4) + nonColl,
    mmUsd: tc * (1 - avgLt / 1e4) + nonColl,
  };
}

// ---------------------------------------------------------------------------------------------
// ccxt: unified positions with initialMargin / maintenanceMargin as the exchange reports them.
function ccxtAccount(dir, { exchange, positions, total }) {
  let im = 0;
  let mm = 0;
  const out = positions.map((p) => {
    const v = p.contracts * p.markPrice;
    let pim;
    let pmm;
    if (exchange === 'bybit') {
      const rows = BYBIT_LIMITS[p.id];
      const t = rows.findIndex(([cap]) => v <= cap);
      const ded = bybitDeductions(rows)[t];
      const fee = v * 0.00055;
      pim = v / Math.min(p.leverage, 1 / rows[t][2]) + fee;
      pmm = v * rows[t][1] - ded + fee;
    } else {
      // Kraken futures report a margin per position; xmargin has no Kraken preset (see README).
      pim = v * 0.02;
      pmm = v * 0.01;
    }
    im += pim;
    mm += pmm;
    return {
      info: { symbol: p.id },
      id: undefined,
      symbol: p.symbol,
      timestamp: T,
      datetime: new Date(T).toISOString(),
      contracts: p.contracts,
      contractSize: 1,
      side: p.side,
      notional: r(v, 6),
      leverage: p.leverage,
      unrealizedPnl: r((p.side === 'short' ? -1 : 1) * p.contracts * (p.markPrice - p.entryPrice), 6),
      realizedPnl: 0,
      collateral: r(pim, 6),
      entryPrice: p.entryPrice,
      markPrice: p.markPrice,
      liquidationPrice: null,
      marginMode: 'cross',
      hedged: false,
      maintenanceMargin: r(pmm, 6),
      maintenanceMarginPercentage: r(pmm / v, 6),
      initialMargin: r(pim, 6),
      initialMarginPercentage: r(pim / v, 6),
      marginRatio: null,
    };
  });
  write(dir, 'positions', out);
  const free = {};
  const used = {};
  for (const [k, v] of Object.entries(total)) {
    free[k] = v;
    used[k] = 0;
  }
  write(dir, 'balance', {
    info: {},
    timestamp: T,
    datetime: new Date(T).toISOString(),
    free,
    used,
    total,
    ...Object.fromEntries(Object.entries(total).map(([k, v]) => [k, { free: v, used: 0, total: v }])),
  });
  write(
    dir,
    'markets',
    positions.map((p) => ({
      id: p.id,
      symbol: p.symbol,
      base: p.symbol.split('/')[0],
      quote: 'USDT',
      settle: 'USDT',
      type: 'swap',
      spot: false,
      swap: true,
      future: false,
      option: false,
      contract: true,
      linear: true,
      inverse: false,
      contractSize: 1,
      expiry: null,
      strike: null,
      optionType: null,
    })),
  );
  return { venue: `ccxt:${exchange}`, dir, imUsd: im, mmUsd: mm };
}

// ---------------------------------------------------------------------------------------------
// Portfolio margin (OKX acctLv 4, Bybit UTA PORTFOLIO_MARGIN). Options priced with Black-76 at
// the index (forward = index, rate 0), N(x) by erfc (W. J. Cody's rational approximation is not
// needed at 1% accuracy: Abramowitz & Stegun 7.1.26, |error| < 1.5e-7).
const DAYMS = 86_400_000;
function ncdf(x) {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erfc =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-z * z);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}
function black76(type, F, K, t, vol) {
  if (t <= 0 || vol <= 0) return Math.max(0, type === 'C' ? F - K : K - F);
  const sd = vol * Math.sqrt(t);
  const d1 = (Math.log(F / K) + (sd * sd) / 2) / sd;
  const d2 = d1 - sd;
  return type === 'C' ? F * ncdf(d1) - K * ncdf(d2) : K * ncdf(-d2) - F * ncdf(-d1);
}
const delta76 = (type, F, K, t, vol) => {
  const sd = vol * Math.sqrt(t);
  const d1 = (Math.log(F / K) + (sd * sd) / 2) / sd;
  return type === 'C' ? ncdf(d1) : ncdf(d1) - 1;
};
// A risk unit's legs: { kind: 'linear' | 'option' | 'spot', units, mark, t (years), type, K, vol }.
function scenarioLoss(legs, S, moves, vols, weight) {
  let worst = 0;
  for (const m of moves)
    for (const dv of vols) {
      let pnl = 0;
      for (const l of legs)
        pnl +=
          l.kind === 'option'
            ? l.units * (black76(l.type, S * (1 + m), l.K, l.t, dv(l)) - black76(l.type, S, l.K, l.t, l.vol))
            : l.units * (l.kind === 'spot' ? S : l.mark) * m;
      worst = Math.min(worst, weight * pnl);
    }
  return -worst;
}
const hedged = (legs) => {
  const a = legs.filter((l) => l.amount !== 0);
  const gross = a.reduce((x, l) => x + Math.abs(l.amount), 0);
  const net = a.reduce((x, l) => x + l.amount, 0);
  const ts = a.map((l) => l.t);
  return { hedged: (gross - Math.abs(net)) / 2, spread: a.length ? Math.max(...ts) - Math.min(...ts) : 0 };
};
// Spot in use: the balance of the coin hedging the derivatives' delta (opposite signs), capped by it.
function withSpotInUse(legs, S, balance) {
  const delta = legs.reduce(
    (d, l) => d + (l.kind === 'option' ? l.units * delta76(l.type, S, l.K, l.t, l.vol) : l.units),
    0,
  );
  const inUse = balance * delta < 0 ? Math.sign(balance) * Math.min(Math.abs(balance), Math.abs(delta)) : 0;
  return inUse === 0 ? legs : [...legs, { kind: 'spot', units: inUse, t: 0 }];
}

// OKX portfolio margin (help "Portfolio margin mode: cross-margin trading (Risk Unit Merge)";
// parameters of the 2 Jan 2025 announcement; xmargin's documented assumptions where unpublished):
// BTC unit MR1 = worst loss over ±0/4/8/12% × vol ± points(T) (30 points at 0 days, 15 at 30);
// MR2 = 1-day theta loss; MR6 = 1/3 × loss at ±24%; MR4 = 5%/yr × hedged × max(spread, 30 d);
// MR7 = 0.45% of linear notional + 0.1% of options' |units|·index (× 1 below $250k);
// MMR = max(max(MR1, MR2, MR6) + MR4, MR7), IMR = 1.3 × MMR.
const OKX_PM_CT = { 'BTC-USDT-SWAP': 0.01, 'BTC-USD-OPTION': 0.01 };
function okxPmAccount(dir, { positions, details }) {
  const S = PX.BTC;
  const legs = [];
  const data = positions.map((p) => {
    const opt = /^BTC-USD-(\d{2})(\d{2})(\d{2})-(\d+)-([CP])$/.exec(p.instId);
    if (opt) {
      const t = (Date.UTC(2000 + +opt[1], +opt[2] - 1, +opt[3], 8) - T) / (365 * DAYMS);
      const units = p.pos * OKX_PM_CT['BTC-USD-OPTION'];
      const markPx = black76(opt[5], S, +opt[4], t, p.vol) / S; // premium in BTC
      legs.push({ kind: 'option', units, t, type: opt[5], K: +opt[4], vol: p.vol });
      return {
        instType: 'OPTION',
        instId: p.instId,
        mgnMode: 'cross',
        posSide: 'net',
        pos: s(p.pos),
        ccy: 'BTC',
        avgPx: s(markPx, 8),
        markPx: s(markPx, 10),
        idxPx: s(S),
        notionalUsd: s(Math.abs(units) * S, 6),
        uTime: String(T),
      };
    }
    const units = p.pos * OKX_PM_CT[p.instId];
    legs.push({ kind: 'linear', units, mark: p.markPx, t: 0 });
    return {
      instType: 'SWAP',
      instId: p.instId,
      mgnMode: 'cross',
      posSide: 'net',
      pos: s(p.pos),
      ccy: 'USDT',
      avgPx: s(p.markPx),
      markPx: s(p.markPx),
      idxPx: s(S),
      notionalUsd: s(Math.abs(units) * p.markPx, 6),
      lever: '10',
      uTime: String(T),
    };
  });
  const btc = details.find((d) => d.ccy === 'BTC')?.cashBal ?? 0;
  const unit = withSpotInUse(legs, S, btc);
  const shock = (t) => (t * 365 >= 30 ? 0.15 : 0.3 - (0.15 * t * 365) / 30);
  const vols = [(l) => l.vol + shock(l.t), (l) => Math.max(0, l.vol - shock(l.t))];
  const mr1 = scenarioLoss(unit, S, [-0.12, -0.08, -0.04, 0, 0.04, 0.08, 0.12], vols, 1);
  const mr6 = scenarioLoss(unit, S, [-0.24, 0.24], vols, 1 / 3);
  let theta = 0;
  for (const l of unit)
    if (l.kind === 'option')
      theta +=
        l.units * (black76(l.type, S, l.K, l.t - 1 / 365, l.vol) - black76(l.type, S, l.K, l.t, l.vol));
  const mr2 = Math.max(0, -theta);
  const lin = unit.filter((l) => l.kind !== 'option').map((l) => ({ amount: l.units * S, t: l.t }));
  const h = hedged(lin);
  const mr4 = h.hedged > 0 ? 0.05 * h.hedged * Math.max(h.spread, 30 / 365) : 0;
  const mr7 = unit.reduce(
    (a, l) =>
      a +
      (l.kind === 'option'
        ? Math.abs(l.units) * S * 0.001
        : l.kind === 'linear'
          ? Math.abs(l.units) * l.mark * 0.0045
          : 0),
    0,
  ); // < $250k: multiplier 1
  const mmr = Math.max(Math.max(mr1, mr2, mr6) + mr4, mr7);
  const imr = 1.3 * mmr;
  let adjEq = 0;
  const optValue = unit.reduce(
    (a, l) => a + (l.kind === 'option' ? l.units * black76(l.type, S, l.K, l.t, l.vol) : 0),
    0,
  );
  const det = details.map((d) => {
    const px = d.ccy === 'USDT' || d.ccy === 'USDC' ? 1 : PX[d.ccy];
    adjEq += d.cashBal * px;
    return {
      ccy: d.ccy,
      cashBal: s(d.cashBal),
      eq: s(d.cashBal),
      eqUsd: s(d.cashBal * px, 6),
      uTime: String(T),
    };
  });
  adjEq += optValue;
  okxPositionsAndBalance(dir, data, det, { adjEq, imr, mmr });
  write(dir, 'instruments', {
    code: '0',
    msg: '',
    data: positions.map((p) => ({
      instId: p.instId,
      ctVal: p.instId.endsWith('SWAP') ? String(OKX_PM_CT[p.instId]) : '1',
      ctMult: p.instId.endsWith('SWAP') ? '1' : String(OKX_PM_CT['BTC-USD-OPTION']),
    })),
  });
  write(dir, 'account-config', { code: '0', msg: '', data: [{ acctLv: '4', posMode: 'net_mode' }] });
  return { venue: 'okx', dir, imUsd: imr, mmUsd: mmr };
}

// Bybit portfolio margin (help "Margin Calculations under Portfolio Margin"; BTC price range ±10%
// from 10 Jan 2025; xmargin's documented assumptions where unpublished): max loss over 7 moves in
// ±10% × vol ×1.3 / ×1 / ×0.7; contingency = perps/futures Σ|qty|·index·0.5% + net short options
// ·index·1% + vega spread days × hedged qty·index·0.03% + delta spread years × hedged·index·5%;
// MM = max loss + contingency, IM = 1.2 × MM.
function bybitPmAccount(dir, { positions, coins }) {
  const S = PX.BTC;
  const legs = [];
  const list = positions.map((p) => {
    const sign = p.side === 'Sell' ? -1 : 1;
    const opt = /^BTC-(\d{1,2})([A-Z]{3})(\d{2})-(\d+)-([CP])$/.exec(p.symbol);
    if (opt) {
      const mon = [
        'JAN',
        'FEB',
        'MAR',
        'APR',
        'MAY',
        'JUN',
        'JUL',
        'AUG',
        'SEP',
        'OCT',
        'NOV',
        'DEC',
      ].indexOf(opt[2]);
      const t = (Date.UTC(2000 + +opt[3], mon, +opt[1], 8) - T) / (365 * DAYMS);
      const mark = black76(opt[5], S, +opt[4], t, p.vol);
      legs.push({ kind: 'option', units: sign * p.size, t, type: opt[5], K: +opt[4], vol: p.vol });
      return {
        symbol: p.symbol,
        side: p.side,
        size: s(p.size),
        avgPrice: s(mark, 6),
        markPrice: s(mark, 8),
        updatedTime: String(T),
      };
    }
    legs.push({ kind: 'linear', units: sign * p.size, mark: p.markPrice, t: 0 });
    return {
      symbol: p.symbol,
      side: p.side,
      size: s(p.size),
      avgPrice: s(p.markPrice),
      markPrice: s(p.markPrice),
      updatedTime: String(T),
    };
  });
  const moves = [-0.1, -0.2 / 3, -0.1 / 3, 0, 0.1 / 3, 0.2 / 3, 0.1];
  const maxLoss = scenarioLoss(legs, S, moves, [(l) => l.vol * 1.3, (l) => l.vol, (l) => l.vol * 0.7], 1);
  const opts = legs.filter((l) => l.kind === 'option');
  const lin = legs.filter((l) => l.kind !== 'option');
  const byT = new Map();
  for (const l of opts) byT.set(l.t, (byT.get(l.t) ?? 0) + l.units);
  const v = hedged([...byT].map(([t, amount]) => ({ t, amount })));
  const d = hedged(lin.map((l) => ({ t: l.t, amount: l.units })));
  const contingency =
    lin.reduce((a, l) => a + Math.abs(l.units), 0) * S * 0.005 +
    Math.max(0, -opts.reduce((a, l) => a + l.units, 0)) * S * 0.01 +
    v.spread * 365 * v.hedged * S * 0.0003 +
    d.spread * d.hedged * S * 0.05;
  const mm = maxLoss + contingency;
  const im = 1.2 * mm;
  const optValue = opts.reduce((a, l) => a + l.units * black76(l.type, S, l.K, l.t, l.vol), 0);
  let mb = optValue;
  const coin = coins.map((c) => {
    mb += c.walletBalance;
    return {
      coin: c.coin,
      walletBalance: s(c.walletBalance),
      equity: s(c.walletBalance),
      usdValue: s(c.walletBalance, 6),
    };
  });
  write(dir, 'positions', {
    retCode: 0,
    retMsg: 'OK',
    result: { category: 'option', list },
    retExtInfo: {},
    time: T,
  });
  write(dir, 'wallet-balance', {
    retCode: 0,
    retMsg: 'OK',
    result: {
      list: [
        {
          accountType: 'UNIFIED',
          totalMarginBalance: s(mb, 6),
          totalInitialMargin: s(im, 6),
          totalMaintenanceMargin: s(mm, 6),
          coin,
        },
      ],
    },
    retExtInfo: {},
    time: T,
  });
  write(dir, 'account-info', {
    retCode: 0,
    retMsg: 'OK',
    result: {
      unifiedMarginStatus: 4,
      marginMode: 'PORTFOLIO_MARGIN',
      spotHedgingStatus: 'OFF',
      updatedTime: String(T),
    },
    retExtInfo: {},
    time: T,
  });
  return { venue: 'bybit', dir, imUsd: im, mmUsd: mm };
}

// ---------------------------------------------------------------------------------------------
// The accounts.
rmSync(join(ROOT, 'accounts'), { recursive: true, force: true });
rmSync(join(ROOT, 'traders'), { recursive: true, force: true });
const A = (venue, name) => `accounts/${venue}/${name}`;
const figures = [
  deribitAccount(A('deribit', 'usdc-perps'), {
    currency: 'USDC',
    balance: 150000,
    positions: [
      { name: 'BTC_USDC-PERPETUAL', size: 2.5, avg: 63800, mark: 65020 },
      { name: 'ETH_USDC-PERPETUAL', size: -30, avg: 2010, mark: 1951 },
    ],
  }),
  deribitAccount(A('deribit', 'usdc-large'), {
    currency: 'USDC',
    balance: 900000,
    positions: [
      { name: 'BTC_USDC-PERPETUAL', size: -40, avg: 66100, mark: 65010 },
      { name: 'SOL_USDC-PERPETUAL', size: 5000, avg: 80, mark: 82.05 },
    ],
  }),
  deribitAccount(A('deribit', 'btc-options'), {
    currency: 'BTC',
    balance: 12,
    positions: [
      { name: 'BTC-PERPETUAL', size: -250000, avg: 64000, mark: 65030 },
      { name: `BTC-${EXPIRY}-70000-C`, size: -5, avg: 0.02, mark: 0.017 },
      { name: `BTC-${EXPIRY}-60000-P`, size: 3, avg: 0.014, mark: 0.0155 },
    ],
  }),
  okxAccount(A('okx', 'btc-swap'), {
    positions: [{ instId: 'BTC-USDT-SWAP', pos: 150, avgPx: 64200, markPx: 65010, lever: 10 }],
    details: [{ ccy: 'USDT', cashBal: 40000 }],
  }),
  okxAccount(A('okx', 'tier-two'), {
    positions: [
      { instId: 'BTC-USDT-SWAP', pos: -2500, avgPx: 65500, markPx: 65010, lever: 20 },
      { instId: 'ETH-USDT-SWAP', pos: 800, avgPx: 1900, markPx: 1951, lever: 5 },
    ],
    details: [
      { ccy: 'USDT', cashBal: 250000 },
      { ccy: 'BTC', cashBal: 1.5 },
    ],
  }),
  okxAccount(A('okx', 'sol-basis'), {
    positions: [{ instId: 'SOL-USDT-SWAP', pos: -3000, avgPx: 84, markPx: 82.04, lever: 3 }],
    details: [{ ccy: 'USDT', cashBal: 60000 }],
  }),
  okxPmAccount(A('okx', 'pm-collar'), {
    positions: [
      { instId: 'BTC-USDT-SWAP', pos: -150, markPx: 65010 },
      { instId: 'BTC-USD-260327-75000-C', pos: -200, vol: 0.52 },
      { instId: 'BTC-USD-260327-55000-P', pos: 200, vol: 0.6 },
    ],
    details: [
      { ccy: 'USDT', cashBal: 30000 },
      { ccy: 'BTC', cashBal: 2 },
    ],
  }),
  okxPmAccount(A('okx', 'pm-short-straddle'), {
    positions: [
      { instId: 'BTC-USD-260327-65000-C', pos: -300, vol: 0.5 },
      { instId: 'BTC-USD-260327-65000-P', pos: -300, vol: 0.5 },
    ],
    details: [{ ccy: 'USDT', cashBal: 80000 }],
  }),
  bybitPmAccount(A('bybit', 'pm-hedged-puts'), {
    positions: [
      { symbol: 'BTCUSDT', side: 'Buy', size: 2, markPrice: 65005 },
      { symbol: 'BTC-27MAR26-60000-P', side: 'Buy', size: 2, vol: 0.58 },
      { symbol: 'BTC-27MAR26-72000-C', side: 'Sell', size: 2, vol: 0.5 },
    ],
    coins: [{ coin: 'USDT', walletBalance: 40000 }],
  }),
  bybitPmAccount(A('bybit', 'pm-calendar'), {
    positions: [
      { symbol: 'BTC-27MAR26-70000-C', side: 'Sell', size: 3, vol: 0.5 },
      { symbol: 'BTC-26JUN26-70000-C', side: 'Buy', size: 3, vol: 0.52 },
      { symbol: 'BTCUSDT', side: 'Sell', size: 0.5, markPrice: 65005 },
    ],
    coins: [{ coin: 'USDT', walletBalance: 30000 }],
  }),
  bybitAccount(A('bybit', 'btc-long'), {
    positions: [{ symbol: 'BTCUSDT', side: 'Buy', size: 3, avgPrice: 63000, markPrice: 65005, leverage: 10 }],
    coins: [{ coin: 'USDT', walletBalance: 50000 }],
  }),
  bybitAccount(A('bybit', 'tiered'), {
    positions: [
      { symbol: 'BTCUSDT', side: 'Sell', size: 35, avgPrice: 66000, markPrice: 65005, leverage: 25 },
      { symbol: 'SOLUSDT', side: 'Buy', size: 2000, avgPrice: 79, markPrice: 82.02, leverage: 10 },
    ],
    coins: [
      { coin: 'USDT', walletBalance: 300000 },
      { coin: 'USDC', walletBalance: 20000 },
    ],
  }),
  bybitAccount(A('bybit', 'eth-short'), {
    positions: [
      { symbol: 'ETHUSDT', side: 'Sell', size: 120, avgPrice: 2000, markPrice: 1950.5, leverage: 8 },
    ],
    coins: [{ coin: 'USDT', walletBalance: 45000 }],
  }),
  binanceAccount(A('binance', 'pm-btc'), {
    positions: [{ symbol: 'BTCUSDT', amt: 4, entryPrice: 64000, markPrice: 65008, leverage: 20 }],
    balances: [{ asset: 'USDT', cross: 20000, um: 15000 }],
  }),
  binanceAccount(A('binance', 'pm-multi'), {
    positions: [
      { symbol: 'BTCUSDT', amt: -20, entryPrice: 66200, markPrice: 65008, leverage: 10 },
      { symbol: 'ETHUSDT', amt: 150, entryPrice: 1900, markPrice: 1950.7, leverage: 10 },
      { symbol: 'SOLUSDT', amt: 1500, entryPrice: 85, markPrice: 82.03, leverage: 5 },
    ],
    balances: [
      { asset: 'USDT', cross: 150000, um: 100000 },
      { asset: 'BTC', cross: 2, um: 0 },
    ],
  }),
  binanceAccount(A('binance', 'pm-small'), {
    positions: [{ symbol: 'ETHUSDT', amt: -10, entryPrice: 1970, markPrice: 1950.7, leverage: 25 }],
    balances: [{ asset: 'USDT', cross: 0, um: 5000 }],
  }),
  hyperliquidAccount(A('hyperliquid', 'cross-btc'), {
    positions: [{ coin: 'BTC', szi: 1.2, entryPx: 62000, mark: 65003, lev: 10 }],
    usdc: 30000,
  }),
  hyperliquidAccount(A('hyperliquid', 'multi'), {
    positions: [
      { coin: 'BTC', szi: -2, entryPx: 66000, mark: 65003, lev: 20 },
      { coin: 'ETH', szi: 40, entryPx: 1900, mark: 1950.4, lev: 10 },
      { coin: 'SOL', szi: -800, entryPx: 85, mark: 82.01, lev: 5 },
    ],
    usdc: 90000,
    spot: [
      { coin: 'USDC', token: 0, total: 25000 },
      { coin: 'HYPE', token: 150, total: 400 },
    ],
  }),
  hyperliquidAccount(A('hyperliquid', 'eth-short'), {
    positions: [{ coin: 'ETH', szi: -25, entryPx: 2000, mark: 1950.4, lev: 25 }],
    usdc: 12000,
  }),
  dydxAccount(A('dydx', 'btc-long'), {
    positions: [{ market: 'BTC-USD', size: 1.5, entry: 63500 }],
    usdcAfterTrades: 25000 - 1.5 * 63500,
  }),
  dydxAccount(A('dydx', 'pair'), {
    positions: [
      { market: 'ETH-USD', size: 50, entry: 1920 },
      { market: 'BTC-USD', size: -1.5, entry: 65800 },
    ],
    usdcAfterTrades: 40000 - 50 * 1920 + 1.5 * 65800,
  }),
  dydxAccount(A('dydx', 'sol-short'), {
    positions: [{ market: 'SOL-USD', size: -1200, entry: 84 }],
    usdcAfterTrades: 15000 + 1200 * 84,
  }),
  driftAccount(A('drift', 'sol-perp'), {
    deposits: [{ asset: 'USDC', qty: 20000 }],
    perps: [{ coin: 'SOL', base: 1000, entry: 82.05 }],
  }),
  driftAccount(A('drift', 'sol-collateral'), {
    deposits: [
      { asset: 'USDC', qty: 5000 },
      { asset: 'SOL', qty: 2000 },
    ],
    perps: [{ coin: 'BTC', base: -0.8, entry: 65000.5 }],
  }),
  driftAccount(A('drift', 'two-perps'), {
    deposits: [{ asset: 'USDC', qty: 60000 }],
    perps: [
      { coin: 'ETH', base: 60, entry: 1949.5 },
      { coin: 'SOL', base: -1500, entry: 82.02 },
    ],
  }),
  aaveAccount(A('aave', 'eth-usdc'), { supplied: { WETH: 40 }, borrowed: { USDC: 40000 } }),
  aaveAccount(A('aave', 'btc-eth'), { supplied: { WBTC: 2, USDC: 50000 }, borrowed: { WETH: 30 } }),
  aaveAccount(A('aave', 'not-collateral'), {
    supplied: { WETH: 10, USDC: 20000 },
    borrowed: { USDC: 5000 },
    disabled: ['USDC'],
  }),
  ccxtAccount(A('ccxt-bybit', 'linear'), {
    exchange: 'bybit',
    positions: [
      {
        id: 'BTCUSDT',
        symbol: 'BTC/USDT:USDT',
        contracts: 2,
        side: 'long',
        entryPrice: 64000,
        markPrice: 65004,
        leverage: 10,
      },
      {
        id: 'ETHUSDT',
        symbol: 'ETH/USDT:USDT',
        contracts: 40,
        side: 'short',
        entryPrice: 1990,
        markPrice: 1950.6,
        leverage: 10,
      },
    ],
    total: { USDT: 60000 },
  }),
  ccxtAccount(A('ccxt-kraken', 'no-preset'), {
    exchange: 'krakenfutures',
    positions: [
      {
        id: 'PF_XBTUSD',
        symbol: 'BTC/USD:USD',
        contracts: 1,
        side: 'long',
        entryPrice: 64500,
        markPrice: 65001,
        leverage: 5,
      },
    ],
    total: { USD: 30000 },
  }),
];

// ---------------------------------------------------------------------------------------------
// Two multi-venue traders: books hedged across venues, each venue's payloads written as above.
const TR = (name, venue) => `traders/${name}/${venue}`;
const at = new Date(T).toISOString();
figures.push(
  // Cash-and-carry across venues: long BTC on OKX against short BTC on Deribit; ETH supplied on
  // Aave against USDC debt, its delta hedged short on Hyperliquid.
  okxAccount(TR('basis-trader', 'okx'), {
    positions: [{ instId: 'BTC-USDT-SWAP', pos: 1000, avgPx: 64800, markPx: 65010, lever: 10 }],
    details: [{ ccy: 'USDT', cashBal: 90000 }],
  }),
  deribitAccount(TR('basis-trader', 'deribit'), {
    currency: 'USDC',
    balance: 40000,
    positions: [{ name: 'BTC_USDC-PERPETUAL', size: -10, avg: 65100, mark: 65020 }],
  }),
  aaveAccount(TR('basis-trader', 'aave'), { supplied: { WETH: 60 }, borrowed: { USDC: 50000 } }),
  hyperliquidAccount(TR('basis-trader', 'hyperliquid'), {
    positions: [{ coin: 'ETH', szi: -60, entryPx: 1960, mark: 1950.4, lev: 10 }],
    usdc: 9000,
    spot: [{ coin: 'USDC', token: 0, total: 15000 }],
  }),
  // Perpetual hedges split across venues: BTC long on Binance against short on Bybit, ETH long on
  // dYdX against short on Hyperliquid, a SOL position on Drift.
  binanceAccount(TR('perp-hedger', 'binance'), {
    positions: [{ symbol: 'BTCUSDT', amt: 8, entryPrice: 64500, markPrice: 65008, leverage: 10 }],
    balances: [{ asset: 'USDT', cross: 20000, um: 50000 }],
  }),
  bybitAccount(TR('perp-hedger', 'bybit'), {
    positions: [
      { symbol: 'BTCUSDT', side: 'Sell', size: 8, avgPrice: 65300, markPrice: 65005, leverage: 10 },
    ],
    coins: [{ coin: 'USDT', walletBalance: 70000 }],
  }),
  dydxAccount(TR('perp-hedger', 'dydx'), {
    positions: [{ market: 'ETH-USD', size: 50, entry: 1930 }],
    usdcAfterTrades: 30000 - 50 * 1930,
  }),
  hyperliquidAccount(TR('perp-hedger', 'hyperliquid'), {
    positions: [{ coin: 'ETH', szi: -50, entryPx: 1965, mark: 1950.4, lev: 10 }],
    usdc: 20000,
  }),
  driftAccount(TR('perp-hedger', 'drift'), {
    deposits: [{ asset: 'USDC', qty: 15000 }],
    perps: [{ coin: 'SOL', base: 800, entry: 81.5 }],
  }),
);
write('traders/basis-trader', 'crossvenue', {
  asOf: at,
  params: {
    latencyHours: {
      default: 1,
      pairs: [
        { between: ['deribit', 'okx'], hours: 0.25 },
        { between: ['hyperliquid', 'hyperliquid-spot'], hours: 0.01 },
      ],
    },
    venueDefault: { default: 0.01, byVenue: { aave: 0.005 } },
    agreements: [{ venues: ['deribit', 'okx'], cap: 0.8 }],
  },
});
write('traders/perp-hedger', 'crossvenue', {
  asOf: at,
  params: {
    latencyHours: {
      default: 1,
      pairs: [
        { between: ['binance', 'bybit'], hours: 0.25 },
        { between: ['dydx', 'hyperliquid'], hours: 0.5 },
      ],
    },
    agreements: [
      { venues: ['binance', 'bybit'], cap: 0.8 },
      { venues: ['dydx', 'hyperliquid'], cap: 0.8 },
    ],
  },
});
writeFileSync(
  join(ROOT, 'tools', 'figures.json'),
  `${JSON.stringify(
    figures.map((f) => ({
      venue: f.venue,
      account: f.dir,
      imUsd: r(f.imUsd, 6),
      ...(f.mmUsd === undefined ? {} : { mmUsd: r(f.mmUsd, 6) }),
    })),
    null,
    2,
  )}\n`,
);
console.log(`wrote ${written.length} files`);
