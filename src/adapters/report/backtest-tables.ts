/**
 * The tables of the backtest report as text cells, shared by the terminal output and the HTML
 * report so that both print the same figures (rates and rises in %, capital as × isolated,
 * USD rounded to the dollar, p-values to 3 decimals; "-" where undefined).
 */
import type { BacktestReport, OptimiserSection } from '../../engine/backtest/index.js';

/** Header and rows of a table. */
export interface Cells {
  readonly header: string[];
  readonly rows: string[][];
}

const pct = (x: number | null, d = 2) => (x === null ? '-' : `${(100 * x).toFixed(d)}%`);
const p3 = (x: number | null) => (x === null ? '-' : x.toFixed(3));
const mult = (x: number | null) => (x === null ? '-' : `${x.toFixed(3)}×`);
const usd = (x: number | null) => (x === null ? '-' : Math.round(x).toLocaleString('en-US'));

/** Cells of the comparison table (shared with the HTML report so that both print the same text). */
export function summaryCells(r: BacktestReport): Cells {
  return {
    header: [
      'model',
      'exceedances/obs',
      'rate',
      'target',
      'Kupiec p',
      'Christoffersen cc p',
      'traffic light',
      'books passing Kupiec',
      'capital × isolated',
      'hedged × isolated',
      'rise 1d',
      'rise 5d',
      'crash bad debt USD',
    ],
    rows: r.summary.map((s) => [
      s.model,
      `${s.exceedances}/${s.observations}`,
      pct(s.rate),
      pct(s.target),
      p3(s.kupiecP),
      p3(s.conditionalCoverageP),
      s.trafficLight ?? '-',
      `${s.booksPassingKupiec}/${s.booksTested}`,
      mult(s.capitalVsIsolated),
      mult(s.hedgedCapitalVsIsolated),
      pct(s.rise1d, 1),
      pct(s.rise5d, 1),
      usd(s.crashBadDebtUsd),
    ]),
  };
}

/** Cells of the per-book table. */
export function bookCells(r: BacktestReport): Cells {
  return {
    header: [
      'model',
      'book',
      'exceedances/obs',
      'rate',
      'Kupiec p',
      'cc p',
      'zone',
      'capital × isolated',
      'rise 1d',
      'rise 5d',
      'unobserved',
    ],
    rows: r.books.map((b) => [
      b.model,
      b.book,
      `${b.exceedances}/${b.observations}`,
      pct(b.rate),
      p3(b.kupiecP),
      p3(b.conditionalCoverageP),
      b.trafficLight ?? '-',
      mult(b.capitalVsIsolated),
      pct(b.rise1d, 1),
      pct(b.rise5d, 1),
      String(b.unobserved),
    ]),
  };
}

/** Cells of the crash-replay table. */
export function crashCells(r: BacktestReport): Cells {
  return {
    header: [
      'crash',
      'model',
      'liquidations',
      'accounts liquidated',
      'liquidation cost USD',
      'insurance drawn USD',
      'bad debt USD',
      'ADL events',
      'bankruptcies',
      'insurance start USD',
    ],
    rows: r.crashes.flatMap((c) =>
      c.models.map((m) =>
        m.error !== null
          ? [c.id, m.model, `error: ${m.error}`, '', '', '', '', '', '', '']
          : [
              c.id,
              m.model,
              String(m.liquidations),
              String(m.liquidatedAccounts),
              usd(m.liquidationCostUsd),
              usd(m.insuranceDrawnUsd),
              usd(m.badDebtUsd),
              String(m.adlEvents),
              String(m.bankruptcies),
              usd(m.insuranceStartUsd),
            ],
      ),
    ),
  };
}

const verdict = (x: boolean | null) => (x === null ? '-' : x ? 'pass' : 'FAIL');

/** Cells of the coverage verdicts: each model on each book at its claimed level. */
export function coverageCells(r: BacktestReport): Cells {
  return {
    header: [
      'model',
      'book',
      'level',
      'exceedances/obs',
      'rate',
      'one-sided p',
      'coverage',
      'independence p',
      'zone',
      'Z2',
      'Z2 p',
      'worst L/IM',
      'misses ≤ 3×',
    ],
    rows: r.coverage.map((v) => [
      v.model,
      v.book,
      `${v.measure === 'es' ? 'ES≈' : ''}${pct(v.target, 3)}${v.leverageCap ? ' (cap)' : ''}`,
      `${v.exceedances}/${v.observations}`,
      pct(v.rate, 3),
      p3(v.oneSidedP),
      verdict(v.coveragePasses),
      p3(v.independenceP),
      v.trafficLight ?? '-',
      v.z2 === null ? '-' : v.z2.toFixed(3),
      p3(v.z2P),
      v.worstLossOverIm === null ? '-' : `${v.worstLossOverIm.toFixed(2)}×`,
      verdict(v.missPasses),
    ]),
  };
}

/** Cells of the capital comparison on the hedged books (same days for every model). */
export function capitalCells(r: BacktestReport): Cells {
  return {
    header: [
      'book',
      'model',
      'common days',
      'Σ IM USD·days',
      '× isolated-cover',
      '× deribit-pm',
      'exceedances/obs (same days)',
    ],
    rows: r.capital.map((c) => [
      c.book,
      c.model,
      String(c.days),
      usd(c.capitalUsd),
      mult(c.vsIsolatedCover),
      mult(c.vsDeribitPm),
      `${c.exceedances}/${c.observations}`,
    ]),
  };
}

/** The optimiser on the backtest: capital freed and exceedances of the optimised books. */
export function optimiserCells(o: OptimiserSection): Cells {
  return {
    header: [
      'model',
      'book',
      'steps',
      'traded',
      'mean IM before USD',
      'mean IM after USD',
      'IM freed',
      'cost / IM',
      'exceedances before',
      'exceedances after',
      'refused',
    ],
    rows: o.summary.map((s) => [
      s.model,
      s.book,
      String(s.observations),
      String(s.stepsTraded),
      usd(s.meanImBeforeUsd),
      usd(s.meanImAfterUsd),
      pct(s.imFreedPct, 1),
      pct(s.costPctOfIm, 1),
      `${s.coverageBefore.exceedances} (${pct(s.coverageBefore.rate, 1)})`,
      `${s.coverageAfter.exceedances} (${pct(s.coverageAfter.rate, 1)})`,
      String(s.refused),
    ]),
  };
}

/** Each book and its optimised version through each crash, funded at their own IM. */
export function optimiserCrashCells(o: OptimiserSection): Cells {
  return {
    header: [
      'crash',
      'model',
      'book',
      'IM before USD',
      'IM after USD',
      'bad debt before USD',
      'bad debt after USD',
      'liquidations before',
      'liquidations after',
    ],
    rows: o.crashes.map((c) =>
      c.error !== null
        ? [c.crash, c.model, c.book, `not replayed: ${c.error}`, '', '', '', '', '']
        : [
            c.crash,
            c.model,
            c.book,
            usd(c.imBeforeUsd),
            usd(c.imAfterUsd),
            usd(c.original!.badDebtUsd),
            usd(c.optimised!.badDebtUsd),
            String(c.original!.liquidations),
            String(c.optimised!.liquidations),
          ],
    ),
  };
}
