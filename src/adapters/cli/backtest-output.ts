/**
 * Output of `xmargin backtest`: the text report (settings, comparison, coverage verdicts, capital
 * on the hedged books, crash replays, the bar) and where the JSON goes (progress: progress.ts).
 */
import { basename, dirname, extname, join } from 'node:path';
import type { BacktestReport, OptimiserSection } from '../../engine/backtest/index.js';
import {
  capitalCells,
  coverageCells,
  crashCells,
  optimiserCells,
  optimiserCrashCells,
  summaryCells,
} from '../report/backtest-tables.js';
import { formatTable } from './format-table.js';

/** The text report: settings, comparison table, verdicts, capital, crash replays, wall time. */
export function formatBacktest(r: BacktestReport): string {
  const s = r.settings;
  const sum = summaryCells(r);
  const cov = coverageCells(r);
  const cap = capitalCells(r);
  const lines = [
    `backtest ${s.from} → ${s.to}, every ${s.stepDays} day(s), margin period of risk ${s.mprDays} day(s), ${r.steps} steps, ${s.books.length} books, seed ${s.seed}`,
    `option vols: DVOL on ${r.volSteps.dvol} steps, 30-day realised vol on ${r.volSteps.realised} (no DVOL before 2021-03-24)`,
    '',
    formatTable(sum.header, sum.rows),
    '',
    'coverage at each model’s claimed level (one-sided Kupiec, Z2 for ES, largest loss / IM):',
    formatTable(cov.header, cov.rows),
  ];
  if (cap.rows.length > 0)
    lines.push(
      '',
      'capital on the hedged books, every model on the same days:',
      formatTable(cap.header, cap.rows),
    );
  if (r.crashes.length > 0) {
    const c = crashCells(r);
    const cs = r.crashSettings;
    const how =
      cs === null
        ? ''
        : `, path ${cs.path}, funding ${cs.funding === null ? 'IM × U(1.3, 3)' : `IM × U(${cs.funding[0]}, ${cs.funding[1]})`}, insurance ${cs.insuranceUsd === null ? '1% of open interest' : `${cs.insuranceUsd} USD`} for every model`;
    lines.push(
      '',
      `crash replays (${s.crashAccounts} accounts, hourly, seed ${s.seed}${how}):`,
      formatTable(c.header, c.rows),
    );
  }
  if (r.optimiser !== null) lines.push('', ...formatOptimiser(r.optimiser));
  for (const e of r.errors)
    lines.push(
      `${e.model} on ${e.book}: ${e.steps} account-step(s) without IM (first ${e.firstTime}: ${e.first})`,
    );
  if (r.bar.length > 0)
    lines.push(
      '',
      'the bar (DESIGN "Model quality") for es:',
      ...r.bar.map((b) => `  ${b.met === null ? '-   ' : b.met ? 'met ' : 'MISS'} ${b.check}: ${b.figure}`),
    );
  if (r.wallSeconds !== null) lines.push('', `wall time ${r.wallSeconds.toFixed(1)} s`);
  return lines.join('\n');
}

/** The optimiser section: capital freed and coverage of the optimised books, crash bad debt side by side. */
function formatOptimiser(o: OptimiserSection): string[] {
  const t = optimiserCells(o);
  const lines = [
    `optimiser on the backtest (goal release, every ${o.stepDays} day(s), keep ${o.keep}, ${o.steps} steps; IM and exceedances of each book under the model it is optimised for):`,
    formatTable(t.header, t.rows),
  ];
  if (o.crashes.length > 0) {
    const c = optimiserCrashCells(o);
    lines.push(
      '',
      'crash replays of each book funded at its own IM, original next to optimised:',
      formatTable(c.header, c.rows),
    );
  }
  for (const e of o.errors)
    lines.push(
      `optimiser ${e.model} on ${e.book}: ${e.steps} step(s) refused (first ${e.firstTime}: ${e.first})`,
    );
  return lines;
}

/** Where the JSON goes: report.html → report.json (any other name: name + .json). */
export function jsonPathFor(htmlPath: string): string {
  const ext = extname(htmlPath);
  return ext === '.html' || ext === '.htm'
    ? join(dirname(htmlPath), `${basename(htmlPath, ext)}.json`)
    : `${htmlPath}.json`;
}
