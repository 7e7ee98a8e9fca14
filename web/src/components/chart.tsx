/**
 * @module chart
 * An echarts chart (SVG) in a React component. Only the chart types and components the dashboard uses
 * are registered, which keeps the bundle to a fraction of full echarts. The chart is created once
 * per mount, follows its container's size, and takes each new option whole (`notMerge`), so a
 * series that disappears from the data disappears from the chart.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

/** An echarts option object. */
export type ChartOption = echarts.EChartsCoreOption;

/** Props of {@link Chart}. */
export interface ChartProps {
  option: ChartOption;
  /** `data-testid` of the container, for end-to-end tests */
  testId: string;
  /** height in px */
  height: number;
  /** accessible description of what the chart shows */
  label: string;
}

/** Draws `option` as SVG filling the container's width. */
export function Chart({ option, testId, height, label }: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const node = el.current;
    if (node === null) return undefined;
    // SVG: crisp at any zoom, and axis labels are text a test (or a screen reader) can read.
    const c = echarts.init(node, undefined, { renderer: 'svg' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(node);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div ref={el} className="chart" data-testid={testId} role="img" aria-label={label} style={{ height }} />
  );
}
