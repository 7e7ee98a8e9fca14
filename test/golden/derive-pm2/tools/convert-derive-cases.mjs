/**
 * Regenerates test/golden/derive-pm2/NNN-*.json from the transcriptions in ./cases (README.md).
 * Usage: node test/golden/derive-pm2/tools/convert-derive-cases.mjs [outDir], then prettier.
 * Each transcription holds a Derive case's inputs and results as published; this script only
 * reshapes them into xmargin's market, portfolio and params documents and checks that the case
 * is representable (one rate per expiry is carried as inputs.optionRates; per-feed oracle
 * confidences must collapse to one per asset without changing Derive's oracle contingency).
 */
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BASE_SCENARIOS, BASE_PARAMS } from './base-parameters.mjs';

const REF_TIME = 1630000000; // seconds, the Solidity test's block time
let CCY = 'ETH';
const dir = { Up: 'up', Down: 'down', None: 'none', LINEAR: 'linear', ABS: 'abs' };

function merge(p) {
  const out = {};
  for (const k of Object.keys(BASE_PARAMS)) out[k] = { ...BASE_PARAMS[k], ...(p?.[k] ?? {}) };
  return out;
}

function convert(c, nnn) {
  if (c.S === 'SWEEP') c.S = JSON.parse(readFileSync(new URL('./sweep-book.json', import.meta.url), 'utf8'));
  CCY = c.ccy ?? 'ETH';
  const S = c.S;
  const P = merge(c.P);
  let scen = c.P?.Scenarios ?? BASE_SCENARIOS;
  if (c.P?.Tails)
    scen = [
      ...BASE_SCENARIOS.slice(0, 23),
      ...c.P.Tails.map(([s, d]) => [s, 'Up', d]),
      ...BASE_SCENARIOS.slice(29),
    ];
  if (c.P?.SkewDampening)
    scen = scen.map((x) =>
      x[1] === 'LINEAR'
        ? [1, 'LINEAR', c.P.SkewDampening[0]]
        : x[1] === 'ABS'
          ? [1, 'ABS', c.P.SkewDampening[1]]
          : x,
    );
  const problems = [];
  const feeds = new Map(S.Feeds.map((f) => [f[0], f]));
  const rates = [...new Set(S.Feeds.map((f) => f[3]))];
  for (const o of S.Opt) {
    if (!feeds.has(o[0])) problems.push(`option expiry ${o[0]} has no feed`);
    if (o[0] <= 0) problems.push('expired option');
  }
  const perp = S.NumPerps ?? 0;
  const perpValue = (S.PnL ?? 0) + (S.Funding ?? 0);
  if (perp === 0 && perpValue !== 0) problems.push('unrealised perp P&L without a perp position');
  for (const k of S.Coll)
    if (k[0] === CCY && k[2] !== S.Spot) problems.push(`collateral ${CCY} priced ${k[2]} != spot ${S.Spot}`);
  // Confidences: Derive's per-feed minima vs one confidence per asset.
  const thr = P.OtherContingency.CONF_THRESHOLD,
    cm = P.OtherContingency.CONF_MARGIN;
  const cont = (conf, notional) => (conf < thr ? (1 - conf) * cm * notional : 0);
  const perpConf = perp !== 0 ? Math.min(S.SpotConf, S.PerpConf) : S.SpotConf;
  let cU = perpConf;
  for (const f of S.Feeds) if (S.Opt.some((o) => o[0] === f[0])) cU = Math.min(cU, f[2], f[4], f[5]);
  let dCont = cont(perpConf, Math.abs(perp) * S.Spot),
    oCont = cont(cU, Math.abs(perp) * S.Spot);
  for (const f of S.Feeds) {
    const net = S.Opt.filter((o) => o[0] === f[0]).reduce((a, o) => a + Math.abs(o[4]), 0);
    if (net === 0) continue;
    dCont += cont(Math.min(perpConf, f[2], f[4], f[5]), net * S.Spot);
    oCont += cont(cU, net * S.Spot);
  }
  for (const k of S.Coll) {
    const v = (k[1] * k[2]) / S.Stable;
    dCont += cont(Math.min(k[3], S.SpotConf), v);
    oCont += cont(Math.min(k[3], cU), v);
  }
  if (Math.abs(dCont - oCont) > 1e-9 * Math.max(1, Math.abs(dCont)))
    problems.push(
      `feed confidences differ below the threshold (Derive oracle contingency ${dCont}, one-per-asset ${oCont})`,
    );

  if (problems.length) return { name: '', golden: null, problems };
  const assets = { USDC: { decimals: 18 }, [CCY]: { decimals: 18 } };
  const prices = { [CCY]: S.Spot, USDC: S.Stable };
  const confidence = {};
  if (cU < 1) confidence[CCY] = cU;
  for (const k of S.Coll) {
    assets[k[0]] = { decimals: 18 };
    if (k[0] !== CCY) prices[k[0]] = k[2];
    if (k[0] !== CCY && k[3] < 1) confidence[k[0]] = k[3];
    if (k[0] === CCY && k[3] < cU) problems.push('ETH collateral confidence below spot confidence');
  }
  const instruments = [];
  const positions = [];
  if (perp !== 0) {
    instruments.push({ id: `${CCY}-PERP`, kind: 'perpetual', underlying: CCY, markPrice: S.PerpPrice });
    const pos = { instrument: `${CCY}-PERP`, size: perp };
    if (perpValue !== 0) pos.entryPrice = S.PerpPrice - perpValue / perp;
    positions.push(pos);
  }
  const seen = new Set();
  for (const o of S.Opt) {
    const [exp, strike, isCall, vol, amount] = o;
    const f = feeds.get(exp);
    const id = `${CCY}-${exp}s-${strike}-${isCall ? 'C' : 'P'}`;
    if (!seen.has(id)) {
      seen.add(id);
      instruments.push({
        id,
        kind: 'option',
        underlying: CCY,
        optionType: isCall ? 'call' : 'put',
        strike,
        expiryMs: (REF_TIME + exp) * 1000,
        iv: vol,
        forward: f[1],
      });
    } else problems.push(`duplicate option ${id}`);
    positions.push({ instrument: id, size: amount });
  }
  const collateral = {};
  if (S.Cash !== 0) collateral.USDC = String(S.Cash);
  for (const k of S.Coll) collateral[k[0]] = String(k[1]);
  const market = {
    snapshotId: `derive-${c.file}`,
    valuationMs: REF_TIME * 1000,
    quoteCurrency: 'USD',
    prices,
    assets,
    rates: rates.length === 1 ? rates[0] : 0,
    ...(Object.keys(confidence).length ? { confidence } : {}),
    instruments,
  };
  const V = P.VolShock,
    M = P.Margin,
    B = P.BasisContingency,
    O = P.OtherContingency,
    K = P.SkewShock;
  const params = {
    scenarios: scen.map(([s, d, w]) => ({ spotShock: s, volShock: dir[d], dampening: w })),
    volShock: {
      volRangeUp: V.VOLRANGEUP,
      volRangeDown: V.VOLRANGEDOWN,
      shortTermPower: V.SHORTTERMPOWER,
      longTermPower: V.LONGTERMPOWER,
      dteFloorDays: V.DTE_FLOOR,
      minVolUpShock: V.MIN_VOL_EVAL_SHOCKED,
    },
    margin: {
      imFactor: M.IM_LOSS_FACTOR,
      mmFactor: M.MM_LOSS_FACTOR,
      shortRateMultScale: M.SHORT_RATE_MULTSCALE,
      longRateMultScale: M.LONG_RATE_MULTSCALE,
      shortRateAddScale: M.SHORT_RATE_ADDSCALE,
      longRateAddScale: M.LONG_RATE_ADDSCALE,
      shortBaseStaticDiscount: M.BASE_STATIC_DISCOUNT_NEG,
      longBaseStaticDiscount: M.BASE_STATIC_DISCOUNT,
    },
    basisContingency: {
      scenarioSpotUp: B.SCENARIO_SPOT_UP,
      scenarioSpotDown: B.SCENARIO_SPOT_DOWN,
      addFactor: B.BASIS_CONT_ADD_FACTOR,
      multFactor: B.BASIS_CONT_MULT_FACTOR,
    },
    otherContingency: {
      pegLossThreshold: O.PEG_LOSS_THRESHOLD,
      pegLossFactor: O.PEG_LOSS_FACTOR,
      confThreshold: O.CONF_THRESHOLD,
      confMargin: O.CONF_MARGIN,
      mmPerpPercent: O.MM_PERP_PERCENT,
      imPerpPercent: O.IM_PERP_PERCENT,
      mmOptionPercent: O.MM_OPTION_PERCENT,
      imOptionPercent: O.IM_OPTION_PERCENT,
    },
    skewShock: {
      linearBaseCap: K.LINEAR_SCALE_CAP,
      absBaseCap: K.ABS_SCALE_CAP,
      linearCBase: K.LINEAR_CBASE,
      absCBase: K.ABS_CBASE,
      minKStar: K.MIN_K_STAR,
      widthScale: K.MIN_WIDTH_SCALE,
      volParamStatic: K.VOL_PARAM_STATIC,
      volParamScale: K.VOL_PARAM_SCALE,
    },
    collateral: Object.fromEntries(
      S.Coll.map((k) => [k[0], { mmHaircut: k[6], imHaircut: k[5], riskCancelling: k[4], currency: CCY }]),
    ),
  };
  const R = c.R;
  const pnl = [...R.reg, ...R.tail, ...R.skew].map(Number);
  if (pnl.length !== scen.length) problems.push(`expected ${scen.length} scenario values, got ${pnl.length}`);
  // Derive's worst: start at the basis contingency, strictly-smaller scenario wins.
  const cands = [{ id: 'basis', v: Number(R.Fwd) }, ...pnl.map((v, i) => ({ id: i, v }))];
  let w = cands[0];
  for (const x of cands.slice(1)) if (x.v < w.v) w = x;
  const gap = Math.min(...cands.filter((x) => x !== w).map((x) => x.v - w.v));
  const mtm = Number(R.PortfolioMTM);
  const expected = {
    deriveInitialMargin: Number(R.IM),
    deriveMaintenanceMargin: Number(R.MM),
    mtmUsd: mtm,
    initialUsd: mtm - Number(R.IM),
    maintenanceUsd: mtm - Number(R.MM),
    optionMtmUsd: Number(R.OptionMTM),
    scenarioPnlUsd: pnl,
    ...(gap > 1e-6 * Math.max(1, Math.abs(w.v)) ? { worstScenario: w.id } : {}),
  };
  const name = `${nnn}-${c.file
    .replace(/^test_\d+_/, '')
    .replace(/_/g, '-')
    .toLowerCase()}`;
  const golden = {
    description: `Derive PMRM_2 portfolio case ${c.file}${c.desc ? `: ${c.desc}` : ''}`,
    source: `derivexyz/v2-core@${c.commit}:test/risk-managers/unit-tests/PMRM_2/portfolio_cases/${c.file}.json`,
    params,
    inputs: {
      market,
      portfolio: { collateral, positions },
      ...(rates.length > 1
        ? { optionRates: Object.fromEntries(S.Feeds.map((f) => [String((REF_TIME + f[0]) * 1000), f[3]])) }
        : {}),
    },
    expected,
    tolerance: { rel: 1e-9, abs: 1e-6 },
  };
  return { name, golden, problems };
}

const outDir = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
const casesDir = fileURLToPath(new URL('./cases/', import.meta.url));
const files = readdirSync(casesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
for (const f of files) {
  const c = JSON.parse(readFileSync(`${casesDir}${f}`, 'utf8'));
  const nnn = f.replace('.json', '');
  const { name, golden, problems } = convert(c, nnn);
  if (problems.length) {
    process.stdout.write(`EXCLUDE ${c.file}: ${problems.join('; ')}\n`);
    continue;
  }
  const text = JSON.stringify(golden, null, 2).replace(
    /\{\n(\s+"[^"\n]+": [^{}[\]\n]+,?\n)+\s*\}/g,
    (m) =>
      '{ ' +
      m
        .slice(1, -1)
        .trim()
        .split(/,?\n\s*/)
        .join(', ') +
      ' }',
  );
  writeFileSync(`${outDir}/${name}.json`, text + '\n');
  process.stdout.write(`wrote ${name}.json\n`);
}
