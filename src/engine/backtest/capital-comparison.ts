/**
 * Capital on the hedged books, every model on the same days (docs/methodology/backtesting.md
 * #capital): for each hedged book, the common days are the steps at which every compared model
 * has an IM for every account of the book and the loss is observed; then per model
 *
 *   capital = Σ_{common days} IM(model, t)      (a pooled book: Σ over its accounts)
 *   × isolated-cover = capital(model) / capital(isolated-cover)
 *   × deribit-pm     = capital(model) / capital(deribit-pm)
 *
 * per book and in total over the hedged books (Σ capital over books, each on its own common
 * days), with the exceedances of the same days beside, so that a cheaper model that covers less
 * is seen as such. Ratios are null when the reference model is not in the run.
 * Units: USD·days for capital (a sum of daily requirements), ratios unitless.
 */
import type { BacktestRun } from './run-backtest.js';

/** The reference models of the comparison. */
export const CAPITAL_REFERENCES = ['isolated-cover', 'deribit-pm'] as const;

/** One model on one hedged book (or the total, book = '(hedged total)'). */
export interface CapitalRow {
  readonly model: string;
  readonly book: string;
  /** common days of the book (for the total: Σ over books) */
  readonly days: number;
  /** Σ IM over the common days, USD */
  readonly capitalUsd: number;
  readonly vsIsolatedCover: number | null;
  readonly vsDeribitPm: number | null;
  /** exceedances L > IM over the common days (pooled over accounts) and their count */
  readonly exceedances: number;
  readonly observations: number;
}

/** Label of the total row. */
export const HEDGED_TOTAL = '(hedged total)';

/**
 * The comparison over the hedged books of the run, for `models` (with any reference present).
 * @returns per-book rows then the totals, model order kept
 */
export function compareCapital(run: BacktestRun, models: readonly string[]): CapitalRow[] {
  const compared = [...new Set([...models, ...CAPITAL_REFERENCES])].filter((m) =>
    run.accounts.every((a) => a.imUsd.has(m)),
  );
  const K = run.timesMs.length;
  const rows: CapitalRow[] = [];
  const totals = new Map<string, { days: number; capital: number; x: number; n: number }>();
  for (const b of run.books.filter((x) => x.hedged === true)) {
    const accts = run.accounts.filter((a) => a.book === b.id);
    const common: number[] = [];
    for (let k = 0; k < K; k++)
      if (
        accts.every(
          (a) =>
            Number.isFinite(a.lossUsd[k]!) && compared.every((m) => Number.isFinite(a.imUsd.get(m)![k]!)),
        )
      )
        common.push(k);
    const capitalOf = new Map<string, { capital: number; x: number; n: number }>();
    for (const m of compared) {
      let capital = 0;
      let x = 0;
      let n = 0;
      for (const k of common)
        for (const a of accts) {
          const im = a.imUsd.get(m)![k]!;
          capital += im;
          n++;
          if (a.lossUsd[k]! > im) x++;
        }
      capitalOf.set(m, { capital, x, n });
      const t = totals.get(m) ?? { days: 0, capital: 0, x: 0, n: 0 };
      totals.set(m, { days: t.days + common.length, capital: t.capital + capital, x: t.x + x, n: t.n + n });
    }
    const ratio = (m: string, ref: string) => {
      const r = capitalOf.get(ref)?.capital;
      return r !== undefined && r > 0 ? capitalOf.get(m)!.capital / r : null;
    };
    for (const m of compared) {
      const c = capitalOf.get(m)!;
      rows.push({
        model: m,
        book: b.id,
        days: common.length,
        capitalUsd: c.capital,
        vsIsolatedCover: ratio(m, 'isolated-cover'),
        vsDeribitPm: ratio(m, 'deribit-pm'),
        exceedances: c.x,
        observations: c.n,
      });
    }
  }
  const totalRatio = (m: string, ref: string) => {
    const r = totals.get(ref)?.capital;
    return r !== undefined && r > 0 ? totals.get(m)!.capital / r : null;
  };
  for (const m of compared) {
    const t = totals.get(m);
    if (t === undefined) continue;
    rows.push({
      model: m,
      book: HEDGED_TOTAL,
      days: t.days,
      capitalUsd: t.capital,
      vsIsolatedCover: totalRatio(m, 'isolated-cover'),
      vsDeribitPm: totalRatio(m, 'deribit-pm'),
      exceedances: t.x,
      observations: t.n,
    });
  }
  return rows;
}
