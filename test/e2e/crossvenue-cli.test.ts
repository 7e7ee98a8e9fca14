/**
 * `xmargin import` and `xmargin crossvenue` end to end over the shipped venue fixtures (in
 * process): the import writes a venue-tagged portfolio and its market that `xmargin margin` reads
 * back with the venue's preset to the same figures; `crossvenue --json` prints every venue's own
 * figures and the combined one, whose parts add up; bad input exits 2 naming the field.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/adapters/cli/run-cli.js';

const root = new URL('../../', import.meta.url).pathname;
const venues = `${root}examples/venues/`;
const tmp = mkdtempSync(join(tmpdir(), 'xmargin-crossvenue-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('xmargin import', () => {
  it('writes a tagged portfolio and its market; xmargin margin reads them back with the preset', async () => {
    const dir = `${venues}accounts/bybit/btc-long`;
    const files = readdirSync(dir).map((f) => join(dir, f));
    const out = join(tmp, 'bybit.json');
    const r = await run(['import', '--venue', 'bybit', '--in', ...files, '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out) as {
      reproduction: { imUsd: number; within1pct: boolean }[];
      accounts: { preset: { model: string; params: unknown } }[];
    };
    expect(summary.reproduction[0]!.within1pct).toBe(true);
    const portfolio = JSON.parse(readFileSync(out, 'utf8')) as {
      positions: { venue: string }[];
      balances: { venue: string }[];
    };
    expect(portfolio.positions.every((p) => p.venue === 'bybit')).toBe(true);
    expect(portfolio.balances.every((b) => b.venue === 'bybit')).toBe(true);
    const params = join(tmp, 'bybit-params.json');
    writeFileSync(params, JSON.stringify(summary.accounts[0]!.preset.params));
    const m = await run([
      'margin',
      '--model',
      'bybit-unified',
      '--portfolio',
      out,
      '--market',
      join(tmp, 'bybit.market.json'),
      '--params',
      params,
      '--json',
    ]);
    expect(m.code, m.err).toBe(0);
    expect((JSON.parse(m.out) as { initialUsd: number }).initialUsd).toBeCloseTo(
      summary.reproduction[0]!.imUsd,
      6,
    );
  });

  it('bad input exits 2 naming the field: an unknown venue, a malformed payload', async () => {
    const u = await run(['import', '--venue', 'mtgox', '--in', 'x.json', '--out', join(tmp, 'x.json')]);
    expect(u.code).toBe(2);
    expect(u.err).toContain('--venue');
    const dir = `${venues}accounts/okx/btc-swap`;
    const bad = join(tmp, 'balance.json');
    writeFileSync(bad, JSON.stringify({ code: '0', data: [{ totalEq: 'NaN', details: [] }] }));
    const m = await run([
      'import',
      '--venue',
      'okx',
      '--in',
      join(dir, 'positions.json'),
      bad,
      '--out',
      join(tmp, 'o.json'),
    ]);
    expect(m.code).toBe(2);
    expect(m.err).toContain('okx balance');
    expect(m.err).toContain('data[0].totalEq');
  });
});

describe('xmargin crossvenue', () => {
  it.each(['basis-trader', 'perp-hedger'])(
    "%s --json: every venue's own figures and the combined one",
    async (t) => {
      const r = await run(['crossvenue', '--accounts', `${venues}traders/${t}`, '--json']);
      expect(r.code, r.err).toBe(0);
      const v = JSON.parse(r.out) as {
        venues: {
          venue: string;
          own: { initialUsd: number };
          reproduction: { within1pct: boolean } | null;
          holdingUsd: number;
          defaultChargeUsd: number;
        }[];
        sumOfVenuesUsd: number;
        combinedUsd: number;
        differenceUsd: number;
        components: { riskUsd: number; transitUsd: number; defaultUsd: number };
      };
      expect(v.venues.length).toBeGreaterThanOrEqual(4);
      expect(v.sumOfVenuesUsd).toBeCloseTo(
        v.venues.reduce((s, x) => s + x.own.initialUsd, 0),
        6,
      );
      expect(v.combinedUsd).toBeCloseTo(
        v.venues.reduce((s, x) => s + x.holdingUsd + x.defaultChargeUsd, 0),
        6,
      );
      expect(v.combinedUsd).toBeCloseTo(
        v.components.riskUsd + v.components.transitUsd + v.components.defaultUsd,
        6,
      );
      expect(v.differenceUsd).toBeCloseTo(v.sumOfVenuesUsd - v.combinedUsd, 9);
      for (const x of v.venues)
        if (x.reproduction !== null) expect(x.reproduction.within1pct, x.venue).toBe(true);
    },
  );

  it('the table names every venue and the totals', async () => {
    const r = await run(['crossvenue', '--accounts', `${venues}traders/perp-hedger`]);
    expect(r.code).toBe(0);
    for (const s of [
      'binance',
      'bybit',
      'dydx',
      'drift',
      'hyperliquid',
      "sum of the venues' requirements",
      'combined requirement',
      'releasable now',
    ])
      expect(r.out).toContain(s);
  });

  it("the moves are the optimiser's, with the gap; every venue covered when its preset recomputes it", async () => {
    const r = await run(['crossvenue', '--accounts', `${venues}traders/basis-trader`, '--json']);
    expect(r.code, r.err).toBe(0);
    const v = JSON.parse(r.out) as {
      moves: { from: string; to: string; usd: number; hours: number; costUsd: number }[];
      venues: { venue: string; surplusUsd: number }[];
      allocation: {
        method: string;
        solver: { gapUsd: number; name: string } | null;
        plan: { allCovered: boolean; venues: { marginUsd: number }[]; costUsd: number };
        params: { transferCostUsd: number; latencyChargePerHour: number };
      };
    };
    expect(v.allocation.method).toBe('optimiser');
    expect(v.allocation.solver!.name).toContain('HiGHS');
    expect(v.allocation.solver!.gapUsd).toBeLessThan(1);
    expect(v.allocation.plan.allCovered).toBe(true);
    for (const x of v.allocation.plan.venues) expect(x.marginUsd).toBeGreaterThanOrEqual(-0.01);
    // the example's short venue is filled, each move costed by the parameters
    const short = v.venues.filter((x) => x.surplusUsd < 0).map((x) => x.venue);
    expect(short.length).toBeGreaterThan(0);
    for (const s of short) expect(v.moves.some((m) => m.to === s)).toBe(true);
    const p = v.allocation.params;
    expect(v.allocation.plan.costUsd).toBeCloseTo(
      v.moves.reduce((s, m) => s + p.transferCostUsd + p.latencyChargePerHour * m.hours * m.usd, 0),
      6,
    );
    const t = await run(['crossvenue', '--accounts', `${venues}traders/basis-trader`]);
    expect(t.out).toContain("the optimiser's least-cost allocation");
    expect(t.out).toContain('After the moves, each venue recomputed by its preset');
  });

  it('a missing directory exits 2 naming --accounts', async () => {
    const r = await run(['crossvenue', '--accounts', join(tmp, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--accounts');
  });
});
