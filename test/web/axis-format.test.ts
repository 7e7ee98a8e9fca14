/** Axis labels that stay distinct: the unit follows the largest value, the decimals the step. */
import { describe, expect, it } from 'vitest';
import { axisLabelFormatter, extent, timeAxisFormat } from '../../web/src/axis-format.js';

describe('axisLabelFormatter', () => {
  it('a fund moving between $1.000M and $1.004M: five distinct labels, not five "$1M"', () => {
    const f = axisLabelFormatter(1_000_000, 1_004_000, '$', 4);
    const ticks = [1_000_000, 1_001_000, 1_002_000, 1_003_000, 1_004_000].map(f);
    expect(new Set(ticks).size).toBe(5);
    expect(ticks).toEqual(['$1,000K', '$1,001K', '$1,002K', '$1,003K', '$1,004K']);
  });

  it('units and signs: millions, thousands, plain; a negative keeps its minus, zero has none', () => {
    expect(axisLabelFormatter(-400_000, 400_000)(-200_000)).toBe('-$200K');
    expect(axisLabelFormatter(0, 50_000_000)(25_000_000)).toBe('$25M');
    expect(axisLabelFormatter(11_000, 32_000, '')(15_000)).toBe('15K');
    expect(axisLabelFormatter(0.5, 1.5, '')(0.75)).toBe('0.8'); // step 0.2: one decimal
    expect(axisLabelFormatter(-1, 1)(-0.0001)).toBe('$0.0');
  });

  it('extent skips missing values; time axes show dates beyond an hour', () => {
    expect(extent([3, null, -2], [undefined, 7, NaN])).toEqual([-2, 7]);
    expect(extent([])).toEqual([0, 0]);
    expect(timeAxisFormat(30 * 60_000)).toBe('{HH}:{mm}:{ss}');
    expect(timeAxisFormat(48 * 3_600_000)).toBe('{MM}-{dd} {HH}:{mm}');
  });
});
