/**
 * The backtest's verdicts, capital comparison, fall limit and cards on hand-built runs, with
 * expected values written as the formulas they come from.
 */
import { describe, expect, it } from 'vitest';
import type { BacktestRun } from './run-backtest.js';
import { bookModelStats } from './backtest-stats.js';
import { coverageVerdicts } from './coverage-verdict.js';
import { compareCapital, HEDGED_TOTAL } from './capital-comparison.js';
import { applyBacktestFallLimits } from './backtest-fall-limit.js';
import { coverageLevel } from './coverage-level.js';
import { buildModelCard } from './model-cards.js';
import { checkBar } from './bar-checks.js';
import { kupiecOneSided, varToEsRatio } from '../../core/statistics/margin-coverage.js';

const DAY = 86_400_000;
const K = 6;
const nan = NaN;

/** A run with books `hedged` (two accounts, pooled) and `naked`, models es, deribit-pm, isolated-cover. */
function run(): BacktestRun {
  const f = (xs: number[]) => Float64Array.from(xs);
  const acct = (book: string, account: string, loss: number[], im: Record<string, number[]>) => ({
    book,
    account,
    lossUsd: f(loss),
    imUsd: new Map(Object.entries(im).map(([m, x]) => [m, f(x)])),
  });
  return {
    fromMs: 0,
    toMs: (K + 1) * DAY,
    stepDays: 1,
    mprDays: 1,
    models: ['es', 'deribit-pm'],
    books: [
      { id: 'hedged', group: 'reference', accounts: [], hedged: true },
      { id: 'naked', group: 'reference', accounts: [] },
    ],
    timesMs: Array.from({ length: K }, (_, k) => k * DAY),
    accounts: [
      acct('hedged', 'a', [1, 2, 30, 1, 1, 1], {
        es: [10, 10, 10, 10, nan, 10],
        'deribit-pm': [20, 20, 20, 20, 20, 20],
        'isolated-cover': [100, 100, 100, 100, 100, nan],
        isolated: [50, 50, 50, 50, 50, 50],
      }),
      acct('hedged', 'b', [0, 0, 0, 0, 0, 0], {
        es: [5, 5, 5, 5, 5, 5],
        'deribit-pm': [10, 10, 10, 10, 10, 10],
        'isolated-cover': [50, 50, 50, 50, 50, 50],
        isolated: [25, 25, 25, 25, 25, 25],
      }),
      acct('naked', 'c', [0, 1, 0, 50, 0, 0], {
        es: [100, 40, 20, 10, 5, 100],
        'deribit-pm': [10, 10, 10, 10, 10, 10],
        'isolated-cover': [10, 10, 10, 10, 10, 10],
        isolated: [10, 10, 10, 10, 10, 10],
      }),
    ],
    errors: [],
    skippedSteps: [],
    volSteps: { dvol: 0, realised: 0 },
    stepRange: [0, K],
  };
}

describe('capital on the hedged books, on common days', () => {
  const rows = compareCapital(run(), ['es', 'deribit-pm']);
  it('keeps only the days every compared model has a margin for every account (here 4 of 6)', () => {
    const es = rows.find((r) => r.model === 'es' && r.book === 'hedged')!;
    expect(es.days).toBe(4); // day 4: es missing for a; day 5: isolated-cover missing for a
    expect(es.capitalUsd).toBe(4 * (10 + 5));
    // Ratios of sums over the same days: es 60, deribit-pm 4 × 30 = 120, isolated-cover 4 × 150 = 600.
    expect(es.vsDeribitPm).toBeCloseTo(60 / 120, 15);
    expect(es.vsIsolatedCover).toBeCloseTo(60 / 600, 15);
    // Exceedances on those days: account a loses 30 > 10 on day 2.
    expect([es.exceedances, es.observations]).toEqual([1, 8]);
    expect(rows.some((r) => r.book === 'naked')).toBe(false);
  });
  it('totals sum capital over the hedged books', () => {
    const t = rows.find((r) => r.model === 'es' && r.book === HEDGED_TOTAL)!;
    expect(t.capitalUsd).toBe(60);
    expect(t.vsDeribitPm).toBeCloseTo(0.5, 15);
  });
});

describe('the fall limit on backtest series', () => {
  it('es (10% a day) is held at 0.9 × the previous limited IM; a gap restarts it; deribit-pm untouched', () => {
    const r = applyBacktestFallLimits(run());
    const c = r.accounts[2]!;
    // 100, then max(40, 90) = 90, max(20, 81) = 81, max(10, 72.9) = 72.9, max(5, 65.61), max(100, ·) = 100
    const expected = [100, 0.9 * 100, 0.9 * 90, 0.9 * 81, 0.9 * 72.9, 100];
    Array.from(c.imUsd.get('es')!).forEach((x, k) => expect(x).toBeCloseTo(expected[k]!, 9));
    const a = r.accounts[0]!.imUsd.get('es')!;
    expect(a[4]).toBeNaN();
    expect(a[5]).toBe(10);
    expect(Array.from(c.imUsd.get('deribit-pm')!)).toEqual([10, 10, 10, 10, 10, 10]);
  });
});

describe('coverage verdicts', () => {
  const rr = run();
  const stats = ['es', 'deribit-pm'].flatMap((m) => rr.books.map((b) => bookModelStats(rr, m, b.id)));
  const v = coverageVerdicts(rr, stats, ['es', 'deribit-pm']);
  it('one-sided Kupiec on the pooled book at the model’s level', () => {
    const es = v.find((x) => x.model === 'es' && x.book === 'hedged')!;
    // Pooled: account a has 5 observed days (1 hit: 30 > 10), b 6 days (no hit).
    expect([es.exceedances, es.observations]).toEqual([1, 11]);
    expect(es.target).toBe(coverageLevel('es').target);
    expect(es.oneSidedP).toBeCloseTo(kupiecOneSided(11, 1, coverageLevel('es').target).pValue, 15);
    expect(es.coveragePasses).toBe(es.oneSidedP! >= 0.05);
  });
  it('Z2 only for the ES model, with VaR = (VaR/ES of a t(4))·IM; misses beyond 3× IM fail', () => {
    const es = v.find((x) => x.model === 'es' && x.book === 'hedged')!;
    // Hits against VaR = ρ·IM: a's 30 > ρ·10 (day 2); a's 2 ≤ ρ·10 (ρ ≈ 0.72).
    const rho = varToEsRatio(0.99, 4);
    expect(rho).toBeGreaterThan(0.2);
    expect(es.z2).toBeCloseTo(1 - 30 / 10 / (11 * 0.01), 12);
    expect(es.worstLossOverIm).toBe(3);
    expect(es.missPasses).toBe(true);
    const naked = v.find((x) => x.model === 'deribit-pm' && x.book === 'naked')!;
    expect(naked.z2).toBeNull();
    expect(naked.worstLossOverIm).toBe(5);
    expect(naked.missPasses).toBe(false);
  });
  it('a card lists the measured weaknesses: failing books, misses, dearer than deribit-pm', () => {
    const card = buildModelCard('deribit-pm', {
      perBook: stats,
      verdicts: v,
      capital: [],
      crashes: [],
      leverageCaps: [],
    });
    expect(card.weaknesses.some((w) => w.includes('Misses larger than 3× IM: naked 5.0×'))).toBe(true);
    expect(card.level.target).toBeCloseTo(0.01, 15);
  });
});

describe('the bar for es', () => {
  it('says which checks are met and by how much the others are missed', () => {
    const rr = run();
    const stats = ['es', 'deribit-pm'].flatMap((m) => rr.books.map((b) => bookModelStats(rr, m, b.id)));
    const coverage = coverageVerdicts(rr, stats, ['es', 'deribit-pm']);
    const capital = compareCapital(rr, ['es', 'deribit-pm']);
    const bar = checkBar({ crashes: [], crashSettings: null, coverage, capital });
    const get = (prefix: string) => bar.find((b) => b.check.startsWith(prefix))!;
    // No crash replayed: the five crash checks are not measured.
    expect(bar.filter((b) => b.check.startsWith('no bad debt')).every((b) => b.met === null)).toBe(true);
    // Capital: es 60 vs deribit-pm 120 and isolated-cover 600 in total (see above).
    expect(get('hedged books in total ≤ 0.85× deribit-pm')).toMatchObject({ met: true, figure: '0.500×' });
    expect(get('hedged books in total ≤ 0.6× isolated-cover')).toMatchObject({ met: true, figure: '0.100×' });
    // es on the naked book: loss 50 on a margin of 10 (day 3).
    expect(get('no loss larger than 3× the margin')).toMatchObject({
      met: false,
      figure: 'largest L/IM 5.00 (naked)',
    });
  });
});
