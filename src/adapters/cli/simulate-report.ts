/**
 * Text and JSON reports of `xmargin simulate`: one window (a per-model table with the per-step
 * ledger in JSON), or the shipped crashes (per crash and model: liquidations, bankruptcies, bad
 * debt, insurance fund drawn, ADL events). USD rounded to the dollar in text; times ISO UTC.
 */
import { formatUtcTime } from '../../core/history/utc-time.js';
import { replayOutcome, type SimulationResult } from '../../engine/simulation/index.js';
import type { CrashSimulation } from './simulate-command.js';
import { formatTable } from './format-table.js';

const usd = (x: number) => Math.round(x).toLocaleString('en-US');

/** The settings line of a replay: path, vols, funding, insurance fund. */
function settingsLine(r: SimulationResult): string {
  const vols = Object.entries(r.vols)
    .map(([a, v]) => `${a} ${(100 * v).toFixed(1)}%`)
    .join(', ');
  const volText =
    r.volSource === 'dvol'
      ? `options marked at DVOL (${vols} at the start)`
      : `options marked at a flat vol at the start (no DVOL before 2021-03-24): ${vols}`;
  const funding =
    r.funding === null
      ? 'funding IM × U(1.3, 3) (directional at least notional/leverage)'
      : `funding IM × U(${r.funding[0]}, ${r.funding[1]})`;
  const fund = r.models.find((m) => m.error === undefined)?.insurance.startUsd;
  return [
    `path ${r.path}`,
    `${volText}${r.movingVol ? ', moving with DVOL and the spot rule' : ', held flat'}`,
    funding,
    fund === undefined ? '' : `insurance fund ${usd(fund)} USD for every model`,
    r.fallLimit ? 'fall limit on' : 'fall limit off',
  ]
    .filter((x) => x !== '')
    .join('; ');
}

/** Text report: the settings and one row per model. */
export function formatSimulation(r: SimulationResult): string {
  const lines = [
    `venue replay ${formatUtcTime(r.fromMs)} → ${formatUtcTime(r.toMs)}, every ${r.stepHours}h (${r.steps} steps), seed ${r.seed}`,
    settingsLine(r),
    '',
    formatTable(
      [
        'model',
        'accounts',
        'unhealthy@start',
        'liquidations',
        'accts liquidated',
        'bankrupt',
        'liq cost USD',
        'fees USD',
        'IF start',
        'IF end',
        'IF min',
        'bad debt USD',
        'ADL events',
        'worst equity/MM',
      ],
      r.models.map((m) =>
        m.error !== undefined
          ? [m.model, String(m.accounts), `error: ${m.error}`]
          : [
              m.model,
              String(m.accounts),
              String(m.unhealthyAtStart),
              String(m.liquidations),
              String(m.liquidatedAccounts),
              String(m.bankruptcies),
              usd(m.totalCostUsd),
              usd(m.liquidatorFeesUsd + m.insuranceFeesUsd),
              usd(m.insurance.startUsd),
              usd(m.insurance.endUsd),
              usd(m.insurance.minUsd),
              usd(m.badDebtUsd),
              String(m.adlEvents.length),
              Number.isFinite(m.worstHealth.ratio) ? m.worstHealth.ratio.toFixed(3) : '-',
            ],
      ),
    ),
  ];
  return lines.join('\n');
}

/** JSON report: times as ISO text; the per-step ledger and ADL events kept. */
export function toSimulationJson(r: SimulationResult): unknown {
  const iso = (ms: number) => formatUtcTime(ms);
  return {
    from: iso(r.fromMs),
    to: iso(r.toMs),
    stepHours: r.stepHours,
    seed: r.seed,
    steps: r.steps,
    path: r.path,
    funding: r.funding,
    movingVol: r.movingVol,
    fallLimit: r.fallLimit,
    volSource: r.volSource,
    vols: r.vols,
    models: r.models.map((m) => ({
      ...m,
      worstHealth: {
        ratio: Number.isFinite(m.worstHealth.ratio) ? m.worstHealth.ratio : null,
        accountId: m.worstHealth.accountId,
        time: iso(m.worstHealth.timeMs),
      },
      adlEvents: m.adlEvents.map(({ timeMs, ...e }) => ({ ...e, time: iso(timeMs) })),
      ledger: m.ledger.map(({ timeMs, ...l }) => ({ ...l, time: iso(timeMs) })),
    })),
  };
}

/** The figures of one model in one crash (what the bar is read from), with the worst health. */
function crashRow(m: SimulationResult['models'][number]) {
  return {
    ...replayOutcome(m),
    accounts: m.accounts,
    worstEquityOverMm: Number.isFinite(m.worstHealth.ratio) ? m.worstHealth.ratio : null,
  };
}

/** Text report of the crash replays: the settings, then one row per crash and model. */
export function formatCrashSimulations(rs: readonly CrashSimulation[]): string {
  const first = rs[0]?.result;
  if (first === undefined) return 'no crash replayed';
  const rows = rs.flatMap(({ crash, result }) =>
    result.models.map((m) => {
      const x = crashRow(m);
      return x.error !== null
        ? [crash.id, m.model, `error: ${x.error}`]
        : [
            crash.id,
            m.model,
            String(x.liquidations),
            String(x.liquidatedAccounts),
            String(x.bankruptcies),
            usd(x.insuranceStartUsd),
            usd(x.insuranceDrawnUsd),
            usd(x.badDebtUsd),
            String(x.adlEvents),
          ];
    }),
  );
  return [
    `crash replays: ${first.models[0]?.accounts ?? 0} accounts, seed ${first.seed}, hourly`,
    settingsLine(first).replace(
      /insurance fund [^;]*/,
      'insurance fund the same for every model (column IF start)',
    ),
    '',
    formatTable(
      [
        'crash',
        'model',
        'liquidations',
        'accts liquidated',
        'bankrupt',
        'IF start',
        'IF drawn',
        'bad debt USD',
        'ADL events',
      ],
      rows,
    ),
  ].join('\n');
}

/** JSON report of the crash replays: settings and, per crash, the per-model figures. */
export function toCrashSimulationsJson(rs: readonly CrashSimulation[]): unknown {
  const first = rs[0]?.result;
  return {
    settings:
      first === undefined
        ? null
        : {
            accounts: first.models[0]?.accounts ?? 0,
            seed: first.seed,
            stepHours: first.stepHours,
            path: first.path,
            funding: first.funding,
            movingVol: first.movingVol,
            fallLimit: first.fallLimit,
          },
    crashes: rs.map(({ crash, result }) => ({
      id: crash.id,
      label: crash.label,
      from: formatUtcTime(crash.fromMs),
      to: formatUtcTime(crash.toMs),
      steps: result.steps,
      volSource: result.volSource,
      vols: result.vols,
      models: result.models.map(crashRow),
    })),
  };
}
