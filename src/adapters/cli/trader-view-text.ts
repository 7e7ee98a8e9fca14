/**
 * The trader's view in text: liquidation prices, greeks and the what-if verdict as the `margin`
 * and `whatif` commands print them (within 100 columns, format-table.ts).
 */
import type {
  AccountRiskView,
  LiquidationPrice,
  LiquidationReport,
  PortfolioGreeks,
  WhatIfVerdict,
} from '../../core/analytics/index.js';
import { formatNumber, formatTable, wrapLines } from './format-table.js';

/** USD with two decimals and thousands separators. */
export const usd = (x: number) =>
  x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signedPct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}%`;
const vols = (x: number | null) => (x === null ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}`);
/** A price with about 6 significant digits and separators. */
export const price = (x: number) =>
  x.toLocaleString('en-US', {
    maximumFractionDigits: Math.max(0, 5 - Math.floor(Math.log10(Math.abs(x) || 1))),
  });

function side(s: LiquidationPrice | null): string[] {
  return s === null ? ['none', '', ''] : [price(s.priceUsd), signedPct(s.movePct), vols(s.moveDailyVols)];
}

/** Liquidation prices per underlying, the joint move, and where the daily vols come from. */
export function formatLiquidation(r: LiquidationReport): string {
  const rule = r.volRule === 'model' ? "option vols moved by the model's spot-vol rule" : 'option vols held';
  const range = `${r.searchRange.minFactor}× to ${r.searchRange.maxFactor}× spot`;
  if (r.liquidatableNow)
    return `liquidation: LIQUIDATABLE NOW (equity ${usd(r.equityUsd)} < maintenance ${usd(r.maintenanceUsd)} USD)`;
  if (r.underlyings.length === 0) return 'liquidation: no volatile underlying (cash only)';
  const lines = [
    `liquidation prices (equity = maintenance margin; everything else held, ${rule}; searched ${range}):`,
    formatTable(
      ['underlying', 'spot', 'down to', 'move', 'daily vols', 'up to', 'move', 'daily vols'],
      r.underlyings.map((u) => [u.underlying, price(u.spotUsd), ...side(u.down), ...side(u.up)]),
    ),
  ];
  const withVol = r.underlyings.filter((u) => u.dailyVol !== null);
  if (r.joint)
    lines.push(
      `joint move along the book's worst direction: ${r.joint.dailyVols.toFixed(1)} daily vols (` +
        r.joint.moves
          .map((m) => `${m.underlying} ${signedPct(m.movePct)} to ${price(m.priceUsd)}`)
          .join(', ') +
        ')',
    );
  else if (withVol.length >= 2)
    lines.push("joint move along the book's worst direction: no liquidation within the search range");
  if (withVol.length > 0)
    lines.push(
      'daily vols: ' +
        withVol
          .map(
            (u) =>
              `${u.underlying} ${(100 * u.dailyVol!.daily).toFixed(2)}% (${u.dailyVol!.source}, ${u.dailyVol!.from})`,
          )
          .join('; '),
    );
  const without = r.underlyings.filter((u) => u.dailyVol === null).map((u) => u.underlying);
  if (without.length > 0)
    lines.push(`no daily vol for ${without.join(', ')} (no listed option, no history): distance in % only`);
  return wrapLines(lines.join('\n'));
}

/** Greeks per underlying, in coin and USD. */
export function formatGreeks(g: PortfolioGreeks): string {
  if (g.underlyings.length === 0) return 'greeks: no volatile underlying';
  const n = (x: number) => formatNumber(x, 5);
  const rows = g.underlyings.flatMap((u) => [
    [u.underlying, 'coin', n(u.deltaCoin), n(u.gammaCoin), n(u.vegaCoin), n(u.thetaCoin)],
    [u.underlying, 'USD', usd(u.deltaUsd), usd(u.gammaUsd), usd(u.vegaUsd), usd(u.thetaUsd)],
  ]);
  rows.push([
    'total',
    'USD',
    usd(g.totalUsd.delta),
    usd(g.totalUsd.gamma),
    usd(g.totalUsd.vega),
    usd(g.totalUsd.theta),
  ]);
  return [
    wrapLines(
      'greeks (delta per 100% move; gamma: change of delta per +1% move; vega per vol point; theta per day):',
    ),
    formatTable(['underlying', 'unit', 'delta', 'gamma', 'vega', 'theta'], rows),
  ].join('\n');
}

/** `health (status)` of an account view. */
export function healthText(v: Pick<AccountRiskView, 'health' | 'status'>): string {
  return `${v.health === null ? 'no MM' : v.health.toFixed(2)} (${v.status})`;
}

/** The verdict first, then before/after and the liquidation prices after. */
export function formatVerdict(v: WhatIfVerdict): string {
  const trades = v.trades.map((t) => `${t.size > 0 ? '+' : ''}${t.size} ${t.instrument}`).join(', ');
  const head =
    v.verdict === 'accepted'
      ? `ACCEPTED under ${v.model} (${v.rule}): ${v.reason}`
      : `REFUSED under ${v.model} (rule ${v.rule}): ${v.reason}; shortfall ${usd(v.shortfallUsd!)} USD`;
  const row = (name: string, get: (x: AccountRiskView) => number) => [
    name,
    usd(get(v.before)),
    usd(get(v.after)),
    usd(get(v.after) - get(v.before)),
  ];
  const liq = (r: LiquidationReport, u: string, s: 'down' | 'up') => {
    const x = r.underlyings.find((y) => y.underlying === u)?.[s];
    return r.liquidatableNow ? 'now' : x ? price(x.priceUsd) : 'none';
  };
  const us = [
    ...new Set(
      [...v.before.liquidation.underlyings, ...v.after.liquidation.underlyings].map((u) => u.underlying),
    ),
  ];
  return [
    wrapLines(
      [
        head,
        `trades: ${trades} (${v.riskIncreasing ? 'risk-increasing' : 'risk-reducing'})`,
        ...v.warnings.map((w) => `warning: ${w}`),
      ].join('\n'),
    ),
    '',
    formatTable(
      ['', 'before', 'after', 'change'],
      [
        row('initial margin', (x) => x.initialUsd),
        row('maintenance', (x) => x.maintenanceUsd),
        row('equity', (x) => x.equityUsd),
        row('excess', (x) => x.excessUsd),
        ['health', healthText(v.before), healthText(v.after), ''],
      ],
    ),
    '',
    'liquidation prices (equity = maintenance margin, everything else held):',
    formatTable(
      ['underlying', 'down before', 'down after', 'up before', 'up after'],
      us.map((u) => [
        u,
        liq(v.before.liquidation, u, 'down'),
        liq(v.after.liquidation, u, 'down'),
        liq(v.before.liquidation, u, 'up'),
        liq(v.after.liquidation, u, 'up'),
      ]),
    ),
  ].join('\n');
}
