/**
 * @module axis-format
 * Axis labels that stay distinct and readable: the unit (K, M, B) follows the largest value and
 * the decimals follow the tick step, so a fund moving between $1.02M and $1.04M reads `$1.02M`,
 * `$1.03M`, … rather than five `$1M`. Pure: unit-tested in test/web/axis-format.test.ts.
 */

const UNITS: readonly [number, string][] = [
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
  [1, ''],
];

/**
 * A formatter for axis ticks over [min, max], about `ticks` ticks: USD (`$1.03M`) or plain
 * (`21,500`) numbers with as many decimals as the step needs (at most 4).
 *
 * @param min    smallest value shown
 * @param max    largest value shown
 * @param prefix `'$'` for USD, `''` for prices and plain numbers
 * @param ticks  the number of ticks the axis draws (echarts' default is about 5)
 * @returns the formatter
 */
export function axisLabelFormatter(min: number, max: number, prefix = '$', ticks = 5): (v: number) => string {
  const lo = Number.isFinite(min) ? min : 0;
  const hi = Number.isFinite(max) ? max : 0;
  const absMax = Math.max(Math.abs(lo), Math.abs(hi));
  const [unit, suffix] = UNITS.find(([u]) => absMax >= u * 10) ?? UNITS[UNITS.length - 1]!;
  const step = (hi - lo) / unit / Math.max(1, ticks) || absMax / unit || 1;
  const digits = Math.min(4, Math.max(0, Math.ceil(-Math.log10(step))));
  return (v: number) => {
    const body = (Math.abs(v) / unit).toLocaleString('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    const zero = Number(body.replace(/,/g, '')) === 0;
    return `${v < 0 && !zero ? '-' : ''}${prefix}${body}${suffix}`;
  };
}

/** Smallest and largest finite value of the lists (0, 0 when there is none). */
export function extent(...lists: readonly (readonly (number | null | undefined)[])[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of lists)
    for (const v of l)
      if (typeof v === 'number' && Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/** Venue time on a time axis: `MM-DD HH:mm` (UTC), or `HH:mm:ss` when the span is under an hour. */
export function timeAxisFormat(spanMs: number): string {
  return spanMs < 3_600_000 ? '{HH}:{mm}:{ss}' : '{MM}-{dd} {HH}:{mm}';
}
