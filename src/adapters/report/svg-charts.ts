/**
 * Inline SVG charts for the HTML reports: a time-series line chart with marked points, grouped
 * bar charts and a scatter, drawn as plain SVG text (no script, no external resource). Every
 * chart is an `<svg data-chart="NAME">` with marks (`path`, `rect`, `circle`) a test can find.
 *
 * Units: pixels for geometry; data in the caller's units (labels say which). All text is
 * HTML-escaped.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Colours of series, in order (colour-blind friendly, Okabe–Ito). */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
];

/** Round tick values covering [lo, hi] (about `n` of them). */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/** Short number text: 1.2M, 350k, 0.5, 12%. */
export function shortNumber(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(a >= 1e10 ? 0 : 1)}B`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  if (a === 0) return '0';
  return a >= 1 ? x.toFixed(a >= 10 ? 0 : 1) : x.toPrecision(2);
}

const f = (x: number) => (Math.round(x * 10) / 10).toString();

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

const FRAME: Frame = { width: 760, height: 260, left: 64, right: 16, top: 28, bottom: 36 };

function open(name: string, title: string, fr: Frame, attrs: Readonly<Record<string, string>> = {}): string {
  const extra = Object.entries(attrs)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" data-chart="${escapeHtml(name)}"${extra} viewBox="0 0 ${fr.width} ${fr.height}" ` +
    `width="${fr.width}" height="${fr.height}" role="img" aria-label="${escapeHtml(title)}">` +
    `<title>${escapeHtml(title)}</title>` +
    `<text x="${fr.left}" y="16" class="chart-title">${escapeHtml(title)}</text>`
  );
}

/** Horizontal grid lines and y labels; returns the y mapping. */
function yAxis(
  fr: Frame,
  lo: number,
  hi: number,
  fmt: (v: number) => string,
): { y: (v: number) => number; svg: string } {
  const h = fr.height - fr.top - fr.bottom;
  const y = (v: number) => fr.top + h - ((v - lo) / (hi - lo || 1)) * h;
  let svg = '';
  for (const t of niceTicks(lo, hi)) {
    svg += `<path class="grid" d="M${fr.left} ${f(y(t))}H${fr.width - fr.right}"/>`;
    svg += `<text class="tick" x="${fr.left - 6}" y="${f(y(t) + 4)}" text-anchor="end">${escapeHtml(fmt(t))}</text>`;
  }
  svg += `<path class="axis" d="M${fr.left} ${fr.top}V${fr.height - fr.bottom}H${fr.width - fr.right}"/>`;
  return { y, svg };
}

/** One line series of {@link lineChart}; null = gap. */
export interface LineSeries {
  readonly name: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  /** indices drawn as red dots (e.g. exceedances) */
  readonly marks?: readonly number[];
  readonly dashed?: boolean;
}

/**
 * A line chart over time: x = times (ms UTC, increasing), one path per series, marked points as
 * circles, a legend. Years label the x axis.
 */
export function lineChart(opts: {
  readonly name: string;
  readonly title: string;
  readonly timesMs: readonly number[];
  readonly series: readonly LineSeries[];
  readonly yFormat?: (v: number) => string;
  readonly attrs?: Readonly<Record<string, string>>;
}): string {
  const fr = FRAME;
  const fmt = opts.yFormat ?? shortNumber;
  const all = opts.series.flatMap((s) =>
    s.values.filter((v): v is number => v !== null && Number.isFinite(v)),
  );
  const lo = Math.min(0, ...all);
  const hi = Math.max(lo + 1, ...all) * 1.05;
  const ax = yAxis(fr, lo, hi, fmt);
  const t0 = opts.timesMs[0] ?? 0;
  const t1 = opts.timesMs[opts.timesMs.length - 1] ?? t0 + 1;
  const w = fr.width - fr.left - fr.right;
  const x = (t: number) => fr.left + ((t - t0) / (t1 - t0 || 1)) * w;
  let svg = open(opts.name, opts.title, fr, opts.attrs) + ax.svg;
  const y0 = new Date(t0).getUTCFullYear();
  const y1 = new Date(t1).getUTCFullYear();
  for (let yr = y0; yr <= y1 + 1; yr++) {
    const t = Date.UTC(yr, 0, 1);
    if (t < t0 || t > t1) continue;
    svg += `<path class="grid" d="M${f(x(t))} ${fr.top}V${fr.height - fr.bottom}"/>`;
    svg += `<text class="tick" x="${f(x(t))}" y="${fr.height - fr.bottom + 14}" text-anchor="middle">${yr}</text>`;
  }
  opts.series.forEach((s, i) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, k) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${f(x(opts.timesMs[k]!))} ${f(ax.y(v))}`;
      pen = true;
    });
    if (d !== '')
      svg += `<path class="series" data-series="${escapeHtml(s.name)}" d="${d}" stroke="${s.color}"${s.dashed ? ' stroke-dasharray="3 2"' : ''}/>`;
    for (const k of s.marks ?? []) {
      const v = s.values[k];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      svg += `<circle class="mark" cx="${f(x(opts.timesMs[k]!))}" cy="${f(ax.y(v))}" r="3"><title>${escapeHtml(`${s.name} ${new Date(opts.timesMs[k]!).toISOString().slice(0, 10)}: ${fmt(v)}`)}</title></circle>`;
    }
    svg += `<rect x="${fr.left + 8 + i * 150}" y="${fr.top - 4}" width="10" height="3" fill="${s.color}"/>`;
    svg += `<text class="legend" x="${fr.left + 22 + i * 150}" y="${fr.top}">${escapeHtml(s.name)}</text>`;
  });
  return `${svg}</svg>`;
}

/** A grouped bar chart: groups on x, one bar per series in each group; optional reference line. */
export function barChart(opts: {
  readonly name: string;
  readonly title: string;
  readonly groups: readonly string[];
  readonly series: readonly {
    readonly name: string;
    readonly values: readonly (number | null)[];
    readonly color: string;
  }[];
  readonly yFormat?: (v: number) => string;
  /** a horizontal line at this value (e.g. 1× isolated, the target rate) */
  readonly reference?: { readonly value: number; readonly label: string };
  readonly attrs?: Readonly<Record<string, string>>;
}): string {
  const fr = FRAME;
  const fmt = opts.yFormat ?? shortNumber;
  const vals = opts.series.flatMap((s) =>
    s.values.filter((v): v is number => v !== null && Number.isFinite(v)),
  );
  const top = Math.max(0, opts.reference?.value ?? 0, ...vals);
  const hi = top > 0 ? top * 1.08 : 1;
  const ax = yAxis(fr, 0, hi, fmt);
  const w = fr.width - fr.left - fr.right;
  const gw = w / Math.max(1, opts.groups.length);
  const bw = Math.max(2, (gw * 0.8) / Math.max(1, opts.series.length));
  let svg = open(opts.name, opts.title, fr, opts.attrs) + ax.svg;
  opts.groups.forEach((g, gi) => {
    const gx = fr.left + gi * gw + gw * 0.1;
    opts.series.forEach((s, si) => {
      const v = s.values[gi];
      if (v === null || v === undefined || !Number.isFinite(v)) return;
      const y = ax.y(Math.max(0, v));
      svg += `<rect class="bar" data-series="${escapeHtml(s.name)}" data-group="${escapeHtml(g)}" data-value="${v}" x="${f(gx + si * bw)}" y="${f(y)}" width="${f(bw - 1)}" height="${f(Math.max(0, fr.height - fr.bottom - y))}" fill="${s.color}"><title>${escapeHtml(`${g} · ${s.name}: ${fmt(v)}`)}</title></rect>`;
    });
    svg += `<text class="tick" x="${f(gx + (gw * 0.8) / 2)}" y="${fr.height - fr.bottom + 14}" text-anchor="middle">${escapeHtml(g)}</text>`;
  });
  if (opts.reference !== undefined) {
    const y = ax.y(opts.reference.value);
    svg += `<path class="reference" d="M${fr.left} ${f(y)}H${fr.width - fr.right}"/>`;
    svg += `<text class="legend" x="${fr.width - fr.right - 4}" y="${f(y - 4)}" text-anchor="end">${escapeHtml(opts.reference.label)}</text>`;
  }
  if (opts.series.length > 1)
    opts.series.forEach((s, i) => {
      svg += `<rect x="${fr.left + 8 + i * 110}" y="${fr.top - 8}" width="10" height="8" fill="${s.color}"/>`;
      svg += `<text class="legend" x="${fr.left + 22 + i * 110}" y="${fr.top}">${escapeHtml(s.name)}</text>`;
    });
  return `${svg}</svg>`;
}

/** A scatter of labelled points with an optional horizontal reference line. */
export function scatterChart(opts: {
  readonly name: string;
  readonly title: string;
  readonly points: readonly {
    readonly label: string;
    readonly x: number;
    readonly y: number;
    readonly color: string;
  }[];
  readonly xLabel: string;
  readonly xFormat?: (v: number) => string;
  readonly yFormat?: (v: number) => string;
  readonly reference?: { readonly value: number; readonly label: string };
}): string {
  const fr = { ...FRAME, bottom: 48 };
  const fmtX = opts.xFormat ?? shortNumber;
  const fmtY = opts.yFormat ?? shortNumber;
  const xs = opts.points.map((p) => p.x).filter(Number.isFinite);
  const ys = opts.points.map((p) => p.y).filter(Number.isFinite);
  const xtop = Math.max(0, ...xs);
  const xhi = xtop > 0 ? xtop * 1.1 : 1;
  const ytop = Math.max(0, opts.reference?.value ?? 0, ...ys);
  const yhi = ytop > 0 ? ytop * 1.15 : 1;
  const ax = yAxis(fr, 0, yhi, fmtY);
  const w = fr.width - fr.left - fr.right;
  const x = (v: number) => fr.left + (v / xhi) * w;
  let svg = open(opts.name, opts.title, fr) + ax.svg;
  for (const t of niceTicks(0, xhi))
    svg += `<text class="tick" x="${f(x(t))}" y="${fr.height - fr.bottom + 14}" text-anchor="middle">${escapeHtml(fmtX(t))}</text>`;
  svg += `<text class="tick" x="${fr.left + w / 2}" y="${fr.height - 8}" text-anchor="middle">${escapeHtml(opts.xLabel)}</text>`;
  if (opts.reference !== undefined) {
    const y = ax.y(opts.reference.value);
    svg += `<path class="reference" d="M${fr.left} ${f(y)}H${fr.width - fr.right}"/>`;
    svg += `<text class="legend" x="${fr.width - fr.right - 4}" y="${f(y - 4)}" text-anchor="end">${escapeHtml(opts.reference.label)}</text>`;
  }
  for (const p of opts.points) {
    if (!(Number.isFinite(p.x) && Number.isFinite(p.y))) continue;
    svg += `<circle class="point" data-series="${escapeHtml(p.label)}" cx="${f(x(p.x))}" cy="${f(ax.y(p.y))}" r="6" fill="${p.color}"><title>${escapeHtml(`${p.label}: ${fmtX(p.x)}, ${fmtY(p.y)}`)}</title></circle>`;
    svg += `<text class="legend" x="${f(x(p.x) + 9)}" y="${f(ax.y(p.y) + 4)}">${escapeHtml(p.label)}</text>`;
  }
  return `${svg}</svg>`;
}
