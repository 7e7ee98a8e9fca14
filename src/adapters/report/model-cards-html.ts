/**
 * Model cards as HTML (one `<section data-card=MODEL>` each) and as text (`xmargin models
 * --card NAME`): what the model covers, its coverage, crash and capital figures, its weaknesses.
 * Drawn from the cards of a backtest report only.
 */
import type { BacktestReport, ModelCard } from '../../engine/backtest/index.js';
import { escapeHtml } from './svg-charts.js';

const pct = (x: number | null, d = 2) => (x === null ? '-' : `${(100 * x).toFixed(d)}%`);
const usd = (x: number) => Math.round(x).toLocaleString('en-US');
const mult = (x: number | null) => (x === null ? '-' : `${x.toFixed(2)}×`);
const p3 = (x: number | null) => (x === null ? '-' : x.toFixed(3));

/** The card's lines of text (shared by the HTML and the CLI). */
export function cardLines(c: ModelCard): { title: string; sections: { heading: string; lines: string[] }[] } {
  return {
    title: `${c.model}: ${c.description}`,
    sections: [
      {
        heading: 'What it covers',
        lines: [
          c.covers,
          `Tested at ${c.level.measure === 'es' ? `ES ${c.level.alpha * 100}%, VaR-equivalent exceedance rate` : 'exceedance rate'} ${pct(c.level.target, 3)}${c.level.leverageCap ? ' (a leverage cap: the one-day test is informational)' : ''}. Source: ${c.source}.`,
        ],
      },
      {
        heading: `Coverage (${c.coverage.booksPassing} of ${c.coverage.books} books pass one-sided)`,
        lines: c.coverage.perBook.map(
          (b) =>
            `${b.book}: ${b.exceedances}/${b.observations}, one-sided p ${p3(b.oneSidedP)}${b.z2P === null ? '' : `, Z2 p ${p3(b.z2P)}`}, worst L/IM ${b.worstLossOverIm === null ? '-' : b.worstLossOverIm.toFixed(2)}`,
        ),
      },
      ...(c.leverageCap === null
        ? []
        : [
            {
              heading: 'Leverage cap on 1 h with intrabar extremes',
              lines: c.leverageCap.map(
                (x) =>
                  `${x.asset} ${pct(x.rate)}: exceeded in ${pct(x.share)} of ${x.bars.toLocaleString('en-US')} hours`,
              ),
            },
          ]),
      {
        heading: 'Crashes',
        lines: c.crashes.map((x) =>
          x.error !== null
            ? `${x.crash}: ${x.error}`
            : `${x.crash}: ${x.liquidations} liquidations, ${x.bankruptcies} bankruptcies, insurance drawn ${usd(x.insuranceDrawnUsd)} USD, bad debt ${usd(x.badDebtUsd)} USD, ${x.adlEvents} ADL events`,
        ),
      },
      {
        heading: 'Capital per book',
        lines: c.capital.map((x) => {
          const parts = [
            x.meanImUsd === null ? '' : `mean IM ${usd(x.meanImUsd)} USD`,
            x.vsIsolatedCover === null ? '' : `${mult(x.vsIsolatedCover)} isolated-cover`,
            x.vsDeribitPm === null ? '' : `${mult(x.vsDeribitPm)} deribit-pm on the same days`,
          ].filter((p) => p !== '');
          return `${x.book}: ${parts.join(', ')}`;
        }),
      },
      { heading: 'Known weaknesses', lines: c.weaknesses.length > 0 ? [...c.weaknesses] : ['none recorded'] },
    ],
  };
}

/** The cards of a report as HTML sections. */
export function renderModelCards(r: Pick<BacktestReport, 'cards'>): string {
  return r.cards
    .map((c) => {
      const t = cardLines(c);
      return `<section data-card="${escapeHtml(c.model)}"><h3>${escapeHtml(t.title)}</h3>${t.sections
        .map(
          (s) =>
            `<h4>${escapeHtml(s.heading)}</h4><ul>${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
        )
        .join('')}</section>`;
    })
    .join('');
}

/** A card as plain text. */
export function formatModelCard(c: ModelCard): string {
  const t = cardLines(c);
  return [
    t.title,
    ...t.sections.flatMap((s) => ['', `${s.heading}:`, ...s.lines.map((l) => `  - ${l}`)]),
  ].join('\n');
}
