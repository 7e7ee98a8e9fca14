/**
 * Regenerates test/golden/derive-srm/NNN-*.json from Derive's StandardManager test-cases-2.json
 * (transcribed below: positions and the published whole-dollar IM/MM) and the environment of
 * TestStandardManager_Cases2.t.sol (spot, forwards, flat 50% vol, parameters). README.md there.
 * Usage: node test/golden/derive-srm/tools/generate-srm-cases.mjs [outDir], then prettier.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const out = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
const SRC =
  'derivexyz/v2-core@530b61faef97d4513a36953964e48e0c4d1ee346:test/risk-managers/unit-tests/StandardManager/test-cases-2.json';
const VAL = Date.UTC(2023, 0, 1);
const H = 3600e3,
  D = 24 * H;
const exp = {
  20230104: 3 * D + 8 * H,
  20230111: 10 * D + 8 * H,
  20230118: 17 * D + 8 * H,
  20230227: 57 * D + 8 * H,
};
const fwd = {
  eth: { 20230104: 2000.91, 20230111: 2002.83, 20230118: 2004.75, 20230227: 2015.76 },
  btc: { 20230104: 28012.78, 20230111: 28039.66, 20230118: 28066.56, 20230227: 28220 },
};
const params = {
  defaultMarket: {
    perp: { mmPerpReq: 0.05, imPerpReq: 0.065 },
    options: {
      maxSpotReq: 0.15,
      minSpotReq: 0.1,
      mmCallSpotReq: 0.075,
      mmPutSpotReq: 0.075,
      mmPutMtmReq: 0.075,
      unpairedImScale: 1.2,
      unpairedMmScale: 1.1,
      mmOffsetScale: 1.05,
    },
    oracle: { perpThreshold: 0.4, optionThreshold: 0.4, baseThreshold: 0.4, ocFactor: 0.4 },
  },
  markets: {},
  base: { ETH: { marginFactor: 0.8, imScale: 1 }, BTC: { marginFactor: 0.8, imScale: 1 } },
  depeg: { threshold: 0.98, depegFactor: 1.2 },
};
// [name, description, options [amount, expiry, strike, type, underlying], bases [amount, underlying], im, mm, stable]
const cases = [
  [
    'test_long_ATM_call',
    'long ATM ETH call: longs need no margin',
    [[1, '20230111', 2000, 'call', 'eth']],
    [],
    0,
    0,
  ],
  ['test_long_ATM_put', 'long ATM ETH put', [[1, '20230111', 2000, 'put', 'eth']], [], 0, 0],
  [
    'test_short_ITM_call',
    'short ITM 1500 call: IM at maxSpotReq, MM at mmCallSpotReq',
    [[-1, '20230111', 1500, 'call', 'eth']],
    [],
    -802,
    -652,
  ],
  ['test_short_ITM_put', 'two short ITM 3000 puts', [[-2, '20230111', 3000, 'put', 'eth']], [], -2594, -2294],
  [
    'test_short_OTM_call',
    'short OTM 2500 call: IM reduced by the OTM ratio',
    [[-1, '20230118', 2500, 'call', 'eth']],
    [],
    -201,
    -151,
  ],
  [
    'test_short_OTM_put',
    'short deep OTM 1100 put: IM floored at minSpotReq',
    [[-1, '20230111', 1100, 'put', 'eth']],
    [],
    -200,
    -150,
  ],
  [
    'test_short_call_spread_with_MaxLoss',
    'short 1800/2000 call spread: max loss 200 beats the isolated margins',
    [
      [-1, '20230111', 1800, 'call', 'eth'],
      [1, '20230111', 2000, 'call', 'eth'],
    ],
    [],
    -200,
    -200,
  ],
  [
    'test_short_put_spread_with_MaxLoss',
    'short 3000/2500 put spread: max loss 500',
    [
      [1, '20230111', 2500, 'put', 'eth'],
      [-1, '20230111', 3000, 'put', 'eth'],
    ],
    [],
    -500,
    -500,
  ],
  [
    'test_short_call_spread_with_iso_margin',
    'short 2300/4000 call spread: isolated margin beats the 1700 max loss',
    [
      [-1, '20230111', 2300, 'call', 'eth'],
      [1, '20230111', 4000, 'call', 'eth'],
    ],
    [],
    -203,
    -153,
  ],
  [
    'test_short_put_spread_with_iso_margin',
    'short 2000/1200 put spread: isolated margin',
    [
      [1, '20230111', 1200, 'put', 'eth'],
      [-1, '20230111', 2000, 'put', 'eth'],
    ],
    [],
    -365,
    -215,
  ],
  [
    'test_short_spread_over_two_expiries_both_MaxLoss',
    'two 1800/2000 call spreads in two expiries',
    [
      [-1, '20230111', 1800, 'call', 'eth'],
      [1, '20230111', 2000, 'call', 'eth'],
      [-1, '20230118', 1800, 'call', 'eth'],
      [1, '20230118', 2000, 'call', 'eth'],
    ],
    [],
    -400,
    -400,
  ],
  [
    'test_short_spread_two_expiries_both_iso',
    'put spread and call spread in two expiries, both isolated',
    [
      [1, '20230111', 1200, 'put', 'eth'],
      [-1, '20230111', 1500, 'put', 'eth'],
      [-1, '20230227', 2500, 'call', 'eth'],
      [1, '20230227', 2700, 'call', 'eth'],
    ],
    [],
    -400,
    -331,
  ],
  [
    'test_short_spread_two_currencies_one_iso_one_MaxLoss',
    'ETH and BTC call spreads',
    [
      [-1, '20230111', 3200, 'call', 'eth'],
      [1, '20230111', 3500, 'call', 'eth'],
      [-1, '20230227', 33000, 'call', 'btc'],
      [1, '20230227', 35000, 'call', 'btc'],
    ],
    [],
    -2200,
    -2150,
  ],
  [
    'test_two_currencies_two_expiries_each_iso_and_MaxLoss_for_each',
    'ETH and BTC spreads over two expiries each',
    [
      [1, '20230118', 2900, 'put', 'eth'],
      [-1, '20230118', 3500, 'put', 'eth'],
      [-1, '20230227', 3000, 'call', 'eth'],
      [1, '20230227', 3200, 'call', 'eth'],
      [1, '20230118', 35000, 'put', 'btc'],
      [-1, '20230118', 38000, 'put', 'btc'],
      [-1, '20230111', 36000, 'call', 'btc'],
      [1, '20230111', 40000, 'call', 'btc'],
    ],
    [],
    -6601,
    -5855,
  ],
  [
    'test_long_call_spread',
    'long 2900/3500 call spread',
    [
      [1, '20230111', 2900, 'call', 'eth'],
      [-1, '20230111', 3500, 'call', 'eth'],
    ],
    [],
    0,
    0,
  ],
  [
    'test_long_put_spread',
    'long 3500/2900 put spread',
    [
      [-1, '20230111', 2900, 'put', 'eth'],
      [1, '20230111', 3500, 'put', 'eth'],
    ],
    [],
    0,
    0,
  ],
  [
    'test_long_box',
    'long 1000/2000 box',
    [
      [1, '20230111', 1000, 'call', 'eth'],
      [-1, '20230111', 1000, 'put', 'eth'],
      [-1, '20230111', 2000, 'call', 'eth'],
      [1, '20230111', 2000, 'put', 'eth'],
    ],
    [],
    0,
    0,
  ],
  [
    'test_short_box',
    'short 1000/2000 box: max loss 1000',
    [
      [-1, '20230111', 1000, 'call', 'eth'],
      [1, '20230111', 1000, 'put', 'eth'],
      [1, '20230111', 2000, 'call', 'eth'],
      [-1, '20230111', 2000, 'put', 'eth'],
    ],
    [],
    -1000,
    -1000,
  ],
  [
    'test_short_put_with_0_strike_MaxLoss',
    'short 100 put: max loss at a zero settlement price',
    [[-1, '20230118', 100, 'put', 'eth']],
    [],
    -100,
    -100,
  ],
  [
    'test_USDC_depeg',
    'short ATM put with USDC at 0.1: IM adds (0.98 − 0.1)·1.2·spot per short',
    [[-1, '20230118', 2000, 'put', 'eth']],
    [],
    -2496,
    -234,
    0.1,
  ],
  [
    'test_short_call_spread_with_offset',
    'short 1.01 × 1100 call vs long 1 × 1200 call: unpaired 0.01 call charged at 1.2/1.1 × forward',
    [
      [-1.01, '20230111', 1100, 'call', 'eth'],
      [1, '20230111', 1200, 'call', 'eth'],
    ],
    [],
    -125,
    -123,
  ],
  [
    'test_short_eth_call_with_btc_collateral',
    'short ETH 2000 call against 1 BTC of base collateral (credit 0.8 × spot)',
    [[-1, '20230118', 2000, 'call', 'eth']],
    [[1, 'btc']],
    22010,
    22160,
  ],
  [
    'test_short_btc_spread_with_eth_collateral',
    'short BTC 20000/22000 call spread against 1 ETH',
    [
      [-1, '20230111', 20000, 'call', 'btc'],
      [1, '20230111', 22000, 'call', 'btc'],
    ],
    [[1, 'eth']],
    -400,
    -400,
  ],
  ['test_borrowing_ETH', '1 ETH of base collateral alone: credit 0.8 × 2000', [], [[1, 'eth']], 1600, 1600],
];
cases.forEach(([name, desc, opts, bases, im, mm, stable = 1], i) => {
  const instruments = [];
  const positions = [];
  for (const [amount, e, strike, type, u] of opts) {
    const U = u.toUpperCase();
    const id = `${U}-${e}-${strike}-${type === 'call' ? 'C' : 'P'}`;
    instruments.push({
      id,
      kind: 'option',
      underlying: U,
      optionType: type,
      strike,
      expiryMs: VAL + exp[e],
      iv: 0.5,
      forward: fwd[u][e],
    });
    positions.push({ instrument: id, size: amount });
  }
  const collateral = Object.fromEntries(bases.map(([a, u]) => [u.toUpperCase(), String(a)]));
  const golden = {
    description: `Derive StandardManager case ${name}: ${desc}`,
    source: SRC,
    params,
    inputs: {
      market: {
        snapshotId: `derive-srm-${name}`,
        valuationMs: VAL,
        quoteCurrency: 'USD',
        prices: { ETH: 2000, BTC: 28000, USDC: stable },
        rates: 0,
        instruments,
      },
      portfolio: { collateral, positions },
    },
    expected: { deriveInitialMarginTruncated: im, deriveMaintenanceMarginTruncated: mm },
    tolerance: { truncatedToWholeUsd: true },
  };
  const nnn = String(i + 1).padStart(3, '0');
  const slug = name
    .replace(/^test_/, '')
    .replace(/_/g, '-')
    .toLowerCase();
  writeFileSync(`${out}/${nnn}-${slug}.json`, JSON.stringify(golden, null, 2) + '\n');
});
process.stdout.write(`${cases.length} cases\n`);
