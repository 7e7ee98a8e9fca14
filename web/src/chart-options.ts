/**
 * @module chart-options
 * The echarts options of the dashboard's charts, built from API data by pure functions (no DOM),
 * so each chart's look is decided in one place. Colours: IM dark, MM light, losses red, gains
 * green, hedges (negative IM contribution) blue. No animation: figures update live and a risk
 * manager reads values, not transitions.
 */
import type { Heatmap, MarginRow } from './api-types.js';
import type { ChartOption } from './components/chart.js';
import { formatShock, formatTime, formatUsd, formatUsdCompact } from './format.js';
import { axisLabelFormatter, extent, timeAxisFormat } from './axis-format.js';

/** Colours shared with styles.css. */
export const COLORS = {
  im: '#24476b',
  mm: '#8fb3d9',
  equity: '#1a7f37',
  loss: '#cf222e',
  gain: '#1a7f37',
  hedge: '#0969da',
  neutral: '#57606a',
} as const;

const AXIS_LABEL = { fontSize: 11, color: '#24292f' };
/** A USD value axis whose labels stay distinct over the values shown (axis-format.ts). */
function usdAxisFor(values: readonly number[]) {
  const [lo, hi] = extent(values, [0]);
  return { type: 'value', axisLabel: { ...AXIS_LABEL, formatter: axisLabelFormatter(lo, hi) } };
}

/** The first tooltip param's fields that we read. */
interface TooltipParam {
  name: string;
  value: unknown;
  seriesName?: string;
  marker?: string;
}

function tooltipRows(params: TooltipParam[] | TooltipParam): string {
  const list = Array.isArray(params) ? params : [params];
  const head = list[0]?.name ?? '';
  const lines = list.map(
    (p) => `${p.marker ?? ''}${p.seriesName ?? ''}: <b>${formatUsd(p.value as number)}</b>`,
  );
  return [head, ...lines].join('<br/>');
}

/**
 * Grouped bars of IM and MM per model with each model's equity as a marker: a model's bar above
 * its equity marker is a model under which the account is short of margin.
 *
 * @param rows the margin rows, one per model
 */
export function buildMarginByModelOption(rows: readonly MarginRow[]): ChartOption {
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: tooltipRows },
    xAxis: { type: 'category', data: rows.map((r) => r.model), axisLabel: AXIS_LABEL },
    yAxis: usdAxisFor(rows.flatMap((r) => [r.initialUsd, r.maintenanceUsd, r.equityUsd])),
    series: [
      { name: 'IM', type: 'bar', data: rows.map((r) => r.initialUsd), itemStyle: { color: COLORS.im } },
      { name: 'MM', type: 'bar', data: rows.map((r) => r.maintenanceUsd), itemStyle: { color: COLORS.mm } },
      {
        name: 'Equity',
        type: 'scatter',
        symbol: 'rect',
        symbolSize: [34, 3],
        data: rows.map((r) => r.equityUsd),
        itemStyle: { color: COLORS.equity },
      },
    ],
  };
}

/**
 * The scenario P&L grid: spot shocks across, vol shocks up, P&L in USD as a diverging colour
 * (red loss, white zero, green gain) symmetric around zero so that colour intensity compares
 * across the grid. Cells carry their value as a label when the grid is small enough to read.
 *
 * @param h the heatmap of the worst underlying, `pnlUsd[vol][spot]`
 */
export function buildHeatmapOption(h: Heatmap): ChartOption {
  const data: [number, number, number][] = [];
  let maxAbs = 0;
  h.pnlUsd.forEach((row, v) =>
    row.forEach((pnl, s) => {
      data.push([s, v, pnl]);
      maxAbs = Math.max(maxAbs, Math.abs(pnl));
    }),
  );
  const showLabels = h.spotShocks.length <= 11 && h.volShocks.length <= 9;
  return {
    animation: false,
    grid: { left: 56, right: 90, top: 8, bottom: 44 },
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        `spot ${formatShock(h.spotShocks[p.value[0]])}, vol ${formatShock(h.volShocks[p.value[1]])}<br/>` +
        `P&L <b>${formatUsd(p.value[2])}</b>`,
    },
    xAxis: {
      type: 'category',
      name: 'spot shock',
      nameLocation: 'middle',
      nameGap: 26,
      data: h.spotShocks.map(formatShock),
      axisLabel: AXIS_LABEL,
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      name: 'vol shock',
      nameLocation: 'middle',
      nameGap: 44,
      data: h.volShocks.map(formatShock),
      axisLabel: AXIS_LABEL,
      splitArea: { show: true },
    },
    visualMap: {
      min: -(maxAbs || 1),
      max: maxAbs || 1,
      calculable: false,
      orient: 'vertical',
      right: 0,
      top: 'middle',
      itemHeight: 140,
      text: [formatUsdCompact(maxAbs), formatUsdCompact(-maxAbs)],
      textStyle: { fontSize: 11 },
      inRange: { color: [COLORS.loss, '#ffffff', COLORS.gain] },
    },
    series: [
      {
        name: 'P&L',
        type: 'heatmap',
        data,
        label: {
          show: showLabels,
          fontSize: 10,
          formatter: (p: { value: [number, number, number] }) => formatUsdCompact(p.value[2]),
        },
        emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } },
      },
    ],
  };
}

/**
 * Each position's contribution to IM as horizontal bars, largest on top; hedges (negative
 * contributions) in blue to the left of zero.
 *
 * @param items the contributions in USD
 */
export function buildContributionsOption(items: readonly { key: string; initialUsd: number }[]): ChartOption {
  const sorted = [...items].sort((a, b) => a.initialUsd - b.initialUsd);
  return {
    animation: false,
    grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: tooltipRows },
    xAxis: { ...usdAxisFor(sorted.map((c) => c.initialUsd)), splitNumber: 4 },
    yAxis: { type: 'category', data: sorted.map((c) => c.key), axisLabel: AXIS_LABEL },
    series: [
      {
        name: 'IM contribution',
        type: 'bar',
        data: sorted.map((c) => ({
          value: c.initialUsd,
          itemStyle: { color: c.initialUsd < 0 ? COLORS.hedge : COLORS.im },
        })),
      },
    ],
  };
}

/**
 * The insurance fund's USD value over venue time (the replay's clock, not the wall clock), as a
 * step line; the y labels carry as many decimals as the fund's range needs to stay distinct.
 *
 * @param points `[venueTimeMs, usd]` samples in time order
 */
export function buildInsuranceOption(points: readonly [number, number][]): ChartOption {
  const single = points.length === 1 ? points[0]![0] : undefined;
  const [tMin, tMax] = extent(points.map((p) => p[0]));
  const [lo, hi] = extent(points.map((p) => p[1]));
  // A flat fund has no range: show ±0.1% around it, with labels that resolve that range.
  const pad = hi > lo ? 0 : Math.max(Math.abs(lo) * 1e-3, 1);
  const [yMin, yMax] = [lo - pad, hi + pad];
  return {
    animation: false,
    useUTC: true,
    grid: { left: 8, right: 16, top: 10, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: { value: [number, number] }[]) => {
        const p = ps[0];
        return p === undefined
          ? ''
          : `${formatTime(p.value[0])} UTC (venue time)<br/><b>${formatUsd(p.value[1])}</b>`;
      },
    },
    // One sample has no span: show an hour around it rather than echarts' default two days.
    xAxis: {
      type: 'time',
      splitNumber: 4,
      axisLabel: { ...AXIS_LABEL, formatter: timeAxisFormat(tMax - tMin), hideOverlap: true },
      ...(single === undefined ? {} : { min: single - 1_800_000, max: single + 1_800_000 }),
    },
    yAxis: {
      type: 'value',
      scale: true,
      splitNumber: 4,
      ...(pad > 0 ? { min: yMin, max: yMax } : {}),
      axisLabel: { ...AXIS_LABEL, formatter: axisLabelFormatter(yMin, yMax, '$', 4) },
    },
    series: [
      {
        name: 'Insurance fund',
        type: 'line',
        step: 'end',
        showSymbol: points.length < 2,
        data: points.map((p) => [p[0], p[1]]),
        lineStyle: { color: COLORS.im, width: 1.5 },
        itemStyle: { color: COLORS.im },
        areaStyle: { color: 'rgba(36,71,107,0.08)' },
      },
    ],
  };
}

/**
 * The fund's history from the liquidations' flows (fee share in, bankruptcy payouts out),
 * walked back from its value now: `[timeMs, usd]` after each liquidation, oldest first, with the
 * value before the first one and now. Exact while liquidations are the fund's only flows (they
 * are in the venue runtime); a value held in another asset than USD moves with its price.
 *
 * @param nowMs   venue time of `nowUsd`
 * @param nowUsd  the fund's value now
 * @param records liquidations in any order
 */
export function fundHistory(
  nowMs: number,
  nowUsd: number,
  records: readonly { timeMs: number; insuranceUsd: number; insurancePaidUsd: number }[],
): [number, number][] {
  const sorted = [...records].filter((r) => r.timeMs <= nowMs).sort((a, b) => b.timeMs - a.timeMs);
  const out: [number, number][] = [[nowMs, nowUsd]];
  let value = nowUsd;
  for (const r of sorted) {
    out.push([r.timeMs, value]);
    value -= r.insuranceUsd - r.insurancePaidUsd;
    out.push([r.timeMs - 1, value]);
  }
  out.reverse();
  // one point per time: the last value at each time
  const byTime = new Map<number, number>();
  for (const [t, v] of out) byTime.set(t, v);
  return [...byTime].sort((a, b) => a[0] - b[0]);
}
