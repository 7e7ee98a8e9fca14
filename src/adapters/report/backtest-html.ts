/**
 * The backtest report as one self-contained HTML file (docs/methodology/backtesting.md#report):
 * inline CSS and inline SVG charts, no script, no external resource, so it opens offline. Drawn
 * from the report document only (the JSON written next to it carries the same numbers).
 *
 * Charts (each `<svg data-chart=...>`): `margin-vs-loss` (one per model, `data-model`), `capital`,
 * `coverage-capital`, `exceedances-by-year`, `crash-bad-debt`, `crash-liquidations`.
 */
import type { BacktestReport } from '../../engine/backtest/index.js';
import { barChart, escapeHtml, lineChart, PALETTE, scatterChart, shortNumber } from './svg-charts.js';
import {
  bookCells,
  capitalCells,
  coverageCells,
  crashCells,
  optimiserCells,
  optimiserCrashCells,
  summaryCells,
  type Cells,
} from './backtest-tables.js';
import { renderModelCards } from './model-cards-html.js';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1600px;padding:0 16px;color:#1b1f24;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
p.meta{color:#57606a;margin:0 0 12px}
table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:right;white-space:nowrap}
th{white-space:normal;vertical-align:bottom;min-width:4em}
th{background:#f6f8fa}td:first-child,th:first-child{text-align:left}
td.zone-green{background:#dafbe1}td.zone-yellow{background:#fff8c5}td.zone-red{background:#ffebe9}
.charts{display:flex;flex-wrap:wrap;gap:12px}
svg{background:#fff;border:1px solid #eaeef2;max-width:100%;height:auto}
svg .chart-title{font-weight:600;font-size:13px}
svg .tick,svg .legend{font-size:11px;fill:#57606a}
svg .grid{stroke:#eaeef2;stroke-width:1;fill:none}
svg .axis{stroke:#8c959f;stroke-width:1;fill:none}
svg .series{fill:none;stroke-width:1.3}
svg .mark{fill:#d1242f;stroke:#fff;stroke-width:.8}
svg .reference{stroke:#d1242f;stroke-dasharray:4 3;fill:none}
details{margin:8px 0}
.scroll{overflow-x:auto;max-width:100%}
`;

function table(c: Cells, name: string, zoneColumn?: number): string {
  const head = c.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = c.rows
    .map(
      (r) =>
        `<tr>${r
          .map((cell, i) =>
            i === zoneColumn && ['green', 'yellow', 'red'].includes(cell)
              ? `<td class="zone-${cell}">${escapeHtml(cell)}</td>`
              : `<td>${escapeHtml(cell)}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('');
  return `<div class="scroll"><table data-table="${escapeHtml(name)}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

const pct = (v: number) => `${(100 * v).toPrecision(2)}%`;

/** Renders the report as a self-contained HTML page. */
export function renderBacktestHtml(r: BacktestReport): string {
  const s = r.settings;
  const models = s.models;
  const color = (m: string) => PALETTE[models.indexOf(m) % PALETTE.length]!;
  const times = r.chart.times.map((t) => Date.parse(t));
  const loss = r.chart.lossUsd.map((v) => (v === null ? null : Math.max(0, v)));
  const marginCharts = models
    .map((m) => {
      const im = r.chart.imUsd[m] ?? [];
      const marks: number[] = [];
      im.forEach((v, k) => {
        const l = r.chart.lossUsd[k];
        if (v !== null && l !== null && l !== undefined && l > v) marks.push(k);
      });
      return lineChart({
        name: 'margin-vs-loss',
        title: `${m}: IM vs realised ${s.mprDays}-day loss, ${r.chart.book} (${marks.length} exceedances)`,
        timesMs: times,
        series: [
          { name: `IM (${m})`, values: im, color: color(m) },
          { name: 'realised loss (gains at 0)', values: loss, color: '#8c959f', marks },
        ],
        attrs: { model: m },
      });
    })
    .join('');
  const capital = barChart({
    name: 'capital',
    title: 'Average margin as a multiple of isolated margin (all books; hedged books)',
    groups: models,
    series: [
      { name: 'all books', values: r.summary.map((x) => x.capitalVsIsolated), color: PALETTE[0]! },
      { name: 'hedged books', values: r.summary.map((x) => x.hedgedCapitalVsIsolated), color: PALETTE[1]! },
    ],
    yFormat: (v) => `${v.toFixed(2)}×`,
    reference: { value: 1, label: 'isolated = 1×' },
  });
  const coverageCapital = scatterChart({
    name: 'coverage-capital',
    title: 'Coverage against capital: exceedance rate (all books pooled) vs margin × isolated',
    points: r.summary
      .filter((x) => x.rate !== null && x.capitalVsIsolated !== null)
      .map((x) => ({ label: x.model, x: x.capitalVsIsolated!, y: x.rate!, color: color(x.model) })),
    xLabel: 'average margin × isolated',
    xFormat: (v) => `${v.toFixed(2)}×`,
    yFormat: pct,
    reference: { value: r.summary[0]?.target ?? 0.01, label: 'target rate' },
  });
  const years = [...new Set(Object.values(r.exceedancesByYear).flatMap((y) => Object.keys(y)))].sort();
  const byYear = barChart({
    name: 'exceedances-by-year',
    title: 'Exceedance rate per year (all books pooled)',
    groups: years,
    series: models.map((m) => ({
      name: m,
      values: years.map((y) => {
        const e = r.exceedancesByYear[m]?.[y];
        return e === undefined || e.observations === 0 ? null : e.exceedances / e.observations;
      }),
      color: color(m),
    })),
    yFormat: pct,
    reference: { value: r.summary[0]?.target ?? 0.01, label: 'target' },
  });
  const crashIds = r.crashes.map((c) => c.id);
  const crashSeries = (get: (o: BacktestReport['crashes'][number]['models'][number]) => number) =>
    models.map((m) => ({
      name: m,
      values: r.crashes.map((c) => {
        const o = c.models.find((x) => x.model === m);
        return o === undefined || o.error !== null ? null : get(o);
      }),
      color: color(m),
    }));
  const crashCharts =
    r.crashes.length === 0
      ? '<p>No crash replays in this run (--crashes none).</p>'
      : barChart({
          name: 'crash-bad-debt',
          title: 'Crash replays: bad debt per model (USD)',
          groups: crashIds,
          series: crashSeries((o) => o.badDebtUsd),
        }) +
        barChart({
          name: 'crash-liquidations',
          title: 'Crash replays: liquidations per model',
          groups: crashIds,
          series: crashSeries((o) => o.liquidations),
        });
  const errors =
    r.errors.length === 0
      ? ''
      : `<h2>Steps without a margin</h2><ul>${r.errors
          .map(
            (e) =>
              `<li>${escapeHtml(`${e.model} on ${e.book}: ${e.steps} account-step(s), first ${e.firstTime}: ${e.first}`)}</li>`,
          )
          .join('')}</ul>`;
  const bookList = s.books
    .map((b) => `${b.id} (${b.group}${b.accounts > 1 ? `, ${b.accounts} accounts pooled` : ''})`)
    .join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>xmargin backtest ${escapeHtml(s.from.slice(0, 10))} to ${escapeHtml(s.to.slice(0, 10))}</title>
<style>${CSS}</style></head><body>
<h1>xmargin margin model backtest</h1>
<p class="meta">${escapeHtml(`${s.from} → ${s.to}, every ${s.stepDays} day(s), margin period of risk ${s.mprDays} day(s), ${r.steps} steps, seed ${s.seed}. Option vols: DVOL on ${r.volSteps.dvol} steps, 30-day realised vol on ${r.volSteps.realised}.${r.wallSeconds === null ? '' : ` Wall time ${r.wallSeconds.toFixed(1)} s.`}`)}</p>
<p class="meta">Books: ${escapeHtml(bookList)}.</p>
${r.bar.length === 0 ? '' : `<h2>The bar for es</h2><ul data-list="bar">${r.bar.map((b) => `<li>${escapeHtml(`${b.met === null ? 'not measured' : b.met ? 'met' : 'MISSED'}: ${b.check}: ${b.figure}`)}</li>`).join('')}</ul>`}
<h2>Model comparison</h2>
<p>Exceedance: realised loss of the unchanged book over the margin period of risk &gt; initial margin. Coverage pooled over every book and account; capital = mean over steps of IM / IM(isolated), averaged over books; rises are the worst book's largest increase of IM over 1 and 5 days; bad debt summed over the crash replays.</p>
${table(summaryCells(r), 'summary', 6)}
<h2>Coverage at each model's claimed level</h2>
<p>One-sided: a margin fails by covering too little. Level: 1 − α for a VaR, the VaR-equivalent level of an ES (ES 99% ≈ 0.321% under a t(4)), 1% for grids and rates; leverage caps (cap) claim no one-day cover. Z2: Acerbi–Szekely test of the ES. A miss is a loss above IM; the bar is no miss above 3× IM.${r.baselines.length > 0 ? ` Baselines computed by the run: ${escapeHtml(r.baselines.join(', '))}.` : ''}</p>
${table(coverageCells(r), 'coverage', 8)}
${r.capital.length === 0 ? '' : `<h2>Capital on the hedged books</h2><p>Every model on the same days (the days each of them has a margin for the book); Σ IM over those days against isolated-cover (isolated recalibrated to a one-day 99% cover) and deribit-pm, with the exceedances of the same days.</p>${table(capitalCells(r), 'capital')}`}
<h2>Margin against realised loss</h2>
<div class="charts">${marginCharts}</div>
<h2>Capital and coverage</h2>
<div class="charts">${capital}${coverageCapital}${byYear}</div>
<h2>Crash replays</h2>
<div class="charts">${crashCharts}</div>
${r.crashes.length === 0 ? '' : `${r.crashSettings === null ? '' : `<p class="meta">${escapeHtml(`Path ${r.crashSettings.path}; funding ${r.crashSettings.funding === null ? 'IM × U(1.3, 3)' : `IM × U(${r.crashSettings.funding[0]}, ${r.crashSettings.funding[1]})`} of each account's own model; one insurance fund for every model (${r.crashSettings.insuranceUsd === null ? '1% of the open interest' : `${r.crashSettings.insuranceUsd} USD`}).`)}</p>`}${table(crashCells(r), 'crashes')}`}
${r.optimiser === null ? '' : `<h2>The optimiser on the backtest</h2><p>${escapeHtml(`Goal release every ${r.optimiser.stepDays} day(s), keep ${r.optimiser.keep}, ${r.optimiser.steps} steps: each book optimised at each rebalancing and carried over the margin period of risk next to the original; IM and exceedances under the model it is optimised for.`)}</p>${table(optimiserCells(r.optimiser), 'optimiser')}${r.optimiser.crashes.length === 0 ? '' : table(optimiserCrashCells(r.optimiser), 'optimiser-crashes')}`}
<h2>Model cards</h2>
${renderModelCards(r)}
<h2>Per book</h2>
<details open><summary>Every model on every book</summary>${table(bookCells(r), 'books', 6)}</details>
${errors}
<p class="meta">Generated by xmargin backtest (report format ${r.format}). Method: docs/methodology/backtesting.md. Numbers: ${escapeHtml(shortNumber(r.steps))} steps; the JSON document next to this file holds every figure.</p>
</body></html>
`;
}
