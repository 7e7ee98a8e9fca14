/**
 * @module trader-chart-options
 * The P&L-across-spot chart of the account and builder pages: P&L now and at the nearest expiry,
 * the lines where equity would meet IM and MM (re-margined at each price), and the liquidation
 * prices and spot as vertical markers. Pure: built from the API's curve.
 */
import type { PnlCurve } from './api-types.js';
import { axisLabelFormatter, extent } from './axis-format.js';
import { COLORS } from './chart-options.js';
import type { ChartOption } from './components/chart.js';
import { formatPrice, formatTime, formatUsd } from './format.js';

const AXIS_LABEL = { fontSize: 11, color: '#24292f' };

/**
 * The option of one underlying's P&L curve (module header).
 *
 * @param c the curve (prices ascending)
 */
export function buildPnlCurveOption(c: PnlCurve): ChartOption {
  const pts = c.points;
  const [pMin, pMax] = extent(pts.map((p) => p.priceUsd));
  const [yMin, yMax] = extent(
    pts.map((p) => p.pnlNowUsd),
    pts.map((p) => p.pnlExpiryUsd),
    pts.map((p) => p.maintenanceLineUsd),
    pts.map((p) => p.initialLineUsd),
  );
  const line = (
    name: string,
    get: (p: (typeof pts)[number]) => number | null,
    color: string,
    type: string,
  ) => ({
    name,
    type: 'line',
    showSymbol: false,
    data: pts.filter((p) => get(p) !== null).map((p) => [p.priceUsd, get(p)]),
    lineStyle: { color, width: 1.6, type },
    itemStyle: { color },
  });
  const marks = [
    ...c.liquidationPricesUsd.map((x) => ({
      xAxis: x,
      name: `liquidation ${formatPrice(x)}`,
      lineStyle: { color: COLORS.loss, type: 'solid', width: 1.5 },
      // along the line, so that two prices close together never overlap
      label: {
        formatter: `liq. ${formatPrice(x)}`,
        color: COLORS.loss,
        fontSize: 10,
        position: 'insideEndTop',
      },
    })),
    {
      xAxis: c.spotUsd,
      name: 'spot',
      lineStyle: { color: COLORS.neutral, type: 'dotted' },
      label: { formatter: 'spot', color: COLORS.neutral, fontSize: 10, position: 'insideStartTop' },
    },
  ];
  const series = [
    {
      ...line('P&L now', (p) => p.pnlNowUsd, COLORS.im, 'solid'),
      markLine: { symbol: 'none', silent: true, data: marks },
    },
    ...(c.expiryMs === null
      ? []
      : [
          line(
            `P&L at expiry ${formatTime(c.expiryMs).slice(0, 10)}`,
            (p) => p.pnlExpiryUsd,
            COLORS.hedge,
            'dashed',
          ),
        ]),
    line('equity = IM', (p) => p.initialLineUsd, '#9a6700', 'dotted'),
    line('equity = MM (liquidation)', (p) => p.maintenanceLineUsd, COLORS.loss, 'dashed'),
  ];
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 12, bottom: 64, containLabel: true },
    legend: { bottom: 0, textStyle: { fontSize: 11 } },
    tooltip: {
      trigger: 'axis',
      formatter: (ps: { value: [number, number]; seriesName: string; marker: string }[]) =>
        [
          `${c.underlying} ${formatPrice(ps[0]?.value[0])}`,
          ...ps.map((p) => `${p.marker}${p.seriesName}: <b>${formatUsd(p.value[1])}</b>`),
        ].join('<br/>'),
    },
    xAxis: {
      type: 'value',
      name: `${c.underlying} price (USD)`,
      nameLocation: 'middle',
      nameGap: 24,
      min: pMin,
      max: pMax,
      splitNumber: 5,
      axisLabel: { ...AXIS_LABEL, hideOverlap: true, formatter: axisLabelFormatter(pMin, pMax, '') },
    },
    yAxis: {
      type: 'value',
      splitNumber: 5,
      axisLabel: { ...AXIS_LABEL, formatter: axisLabelFormatter(yMin, yMax) },
    },
    series,
  };
}
