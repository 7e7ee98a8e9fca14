/**
 * Hand-made risk arrays and accounts for the solvency tests. Every expected value in the tests is
 * derived from these numbers by the formulas written out next to the assertions.
 */
import type { GridScenario } from '../../src/core/scenarios/grid.js';
import type { RiskArrays } from '../../src/core/risk/risk-arrays.js';
import type { EpochAccount } from '../../src/core/solvency/build-epoch.js';

const sc = (id: string, spotMove: number, vol: GridScenario['vol']): GridScenario => ({
  id,
  label: id,
  spotMove,
  vol,
  skew: 0,
  weight: 1,
});

/** Risk arrays of one underlying from rows of USD per unit. */
export function arraysOf(
  underlying: string,
  scenarios: GridScenario[],
  rows: Record<string, number[]>,
): RiskArrays {
  const keys = Object.keys(rows);
  return {
    underlying,
    scenarios,
    nScenarios: scenarios.length,
    keys,
    rowOf: new Map(keys.map((k, i) => [k, i])),
    unitPnl: Float64Array.from(keys.flatMap((k) => rows[k]!)),
  };
}

/** BTC: collateral, a perpetual and a call; the unmoved scenario is all zeros. */
export const BTC = arraysOf(
  'BTC',
  [
    sc('-10%/none', -0.1, 'none'),
    sc('0%/none', 0, 'none'),
    sc('+10%/none', 0.1, 'none'),
    sc('0%/up', 0, 'up'),
  ],
  {
    'collateral:BTC': [-2000, 0, 2000, 0],
    'BTC-PERP': [-2000, 0, 2000, 0],
    'BTC-7D-C': [-300, 0, 500, 100],
  },
);

/** ETH: a perpetual; its two −10% scenarios are the same column (vol does not move a perpetual). */
export const ETH = arraysOf(
  'ETH',
  [sc('-10%/up', -0.1, 'up'), sc('-10%/none', -0.1, 'none'), sc('+10%/up', 0.1, 'up')],
  {
    'ETH-PERP': [-150, -150, 150],
  },
);

/** Five accounts: compliant ones in three classes, one below its own MM, one with negative equity. */
export const ACCOUNTS: EpochAccount[] = [
  {
    key: 'alice/main',
    mode: 'portfolio',
    equityUsd: 10_000,
    maintenanceUsd: 1_500,
    holdings: [{ row: 'BTC-PERP', quantity: 1 }],
  },
  {
    key: 'bob/main',
    mode: 'cross',
    equityUsd: 1_000,
    maintenanceUsd: 100,
    holdings: [{ row: 'ETH-PERP', quantity: -2 }],
  },
  { key: 'carol/main', mode: 'es', equityUsd: 50, maintenanceUsd: 60, holdings: [] },
  {
    key: 'dave/main',
    mode: 'isolated',
    equityUsd: 100,
    maintenanceUsd: 10,
    holdings: [{ row: 'BTC-7D-C', quantity: -1 }],
  },
  { key: 'erin/main', mode: 'cross', equityUsd: -5, maintenanceUsd: 0, holdings: [] },
];

/** Fixed salts (a test needs no secret). */
export const SALTS = new Map(
  ACCOUNTS.map((a, i) => [a.key, { idSalt: BigInt(1000 + i), positionSalt: BigInt(2000 + i) }]),
);
