/** The margin commands end to end over the shipped examples (in process). */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/adapters/cli/run-cli.js';

const root = new URL('../../', import.meta.url).pathname;
const ex = (f: string) => `${root}examples/${f}`;

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const BOOKS = ['hedged-btc-options', 'basis-trade', 'short-strangle', 'multi-collateral', 'eth-btc-pair'];

describe('xmargin compare', () => {
  it.each(BOOKS)('%s: every model side by side, --json has the same numbers as the table', async (b) => {
    const j = await run(['compare', '--portfolio', ex(`${b}.json`), '--market', ex('market.json'), '--json']);
    expect(j.code).toBe(0);
    const out = JSON.parse(j.out) as {
      models: { model: string; initialUsd: number; excessUsd: number; releasedVsIsolatedUsd: number }[];
    };
    const names = out.models.map((m) => m.model);
    expect(names).toEqual(expect.arrayContaining(['isolated', 'cross', 'portfolio']));
    const iso = out.models.find((m) => m.model === 'isolated')!;
    for (const m of out.models) expect(m.releasedVsIsolatedUsd).toBeCloseTo(m.excessUsd - iso.excessUsd, 6);
    const t = await run(['compare', '--portfolio', ex(`${b}.json`), '--market', ex('market.json')]);
    const pm = out.models.find((m) => m.model === 'portfolio')!;
    expect(t.out).toContain(
      pm.initialUsd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    );
  });

  it('the hedged options book: portfolio releases more than 40% of isolated margin', async () => {
    const j = await run([
      'compare',
      '--portfolio',
      ex('hedged-btc-options.json'),
      '--market',
      ex('market.json'),
      '--json',
    ]);
    const pm = (
      JSON.parse(j.out) as { models: { model: string; releasedVsIsolatedPct: number }[] }
    ).models.find((m) => m.model === 'portfolio')!;
    expect(pm.releasedVsIsolatedPct).toBeGreaterThan(0.4);
  });

  it('--instrument reports buying power that is tight: one more unit breaches', async () => {
    const j = await run([
      'compare',
      '--portfolio',
      ex('eth-btc-pair.json'),
      '--market',
      ex('market.json'),
      '--models',
      'isolated,portfolio',
      '--instrument',
      'BTC-PERP',
      '--json',
    ]);
    const out = JSON.parse(j.out) as { buyingPower: { model: string; buy: number; sell: number }[] };
    expect(out.buyingPower.map((b) => b.model)).toEqual(['isolated', 'portfolio']);
    for (const b of out.buyingPower) expect(b.buy).toBeGreaterThan(0);
  });
});

describe('xmargin margin', () => {
  it('--json: IM ≥ MM, contributions sum to IM, worst scenario named', async () => {
    const r = await run([
      'margin',
      '--portfolio',
      ex('short-strangle.json'),
      '--market',
      ex('market.json'),
      '--model',
      'portfolio',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out) as {
      initialUsd: number;
      maintenanceUsd: number;
      contributions: { initialUsd: number }[];
      worstScenario: { id: string };
      excessUsd: number;
      equityUsd: number;
    };
    expect(m.initialUsd).toBeGreaterThan(m.maintenanceUsd);
    expect(m.contributions.reduce((a, c) => a + c.initialUsd, 0)).toBeCloseTo(m.initialUsd, 6);
    expect(m.worstScenario.id).toMatch(/^BTC:/);
    expect(m.excessUsd).toBeCloseTo(m.equityUsd - m.initialUsd, 9);
  });

  it('an unknown model is bad input naming the known ones', async () => {
    const r = await run([
      'margin',
      '--portfolio',
      ex('basis-trade.json'),
      '--market',
      ex('market.json'),
      '--model',
      'spam',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'model must be one of isolated, cross, portfolio, es, var, isolated-cover, deribit-sm, deribit-pm, derive-srm, derive-pm2, dydx, drift',
    );
  });

  it('--params merges over the defaults; a bad params file names the field', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/xm-`);
    writeFileSync(`${dir}/p.json`, JSON.stringify({ mmFraction: 0.5 }));
    const r = await run([
      'margin',
      '--portfolio',
      ex('basis-trade.json'),
      '--market',
      ex('market.json'),
      '--params',
      `${dir}/p.json`,
      '--json',
    ]);
    const m = JSON.parse(r.out) as { initialUsd: number; maintenanceUsd: number };
    expect(m.maintenanceUsd).toBeCloseTo(0.5 * m.initialUsd, 9);
    writeFileSync(`${dir}/bad.json`, JSON.stringify({ mmFraction: 2 }));
    const bad = await run([
      'margin',
      '--portfolio',
      ex('basis-trade.json'),
      '--market',
      ex('market.json'),
      '--params',
      `${dir}/bad.json`,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('mmFraction');
  });
});

describe('xmargin whatif and models', () => {
  it('whatif: before/after/delta consistent', async () => {
    const r = await run([
      'whatif',
      '--portfolio',
      ex('hedged-btc-options.json'),
      '--market',
      ex('market.json'),
      '--trades',
      ex('trades.json'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const w = JSON.parse(r.out) as {
      before: { initialUsd: number };
      after: { initialUsd: number };
      delta: { initialUsd: number };
    };
    expect(w.delta.initialUsd).toBeCloseTo(w.after.initialUsd - w.before.initialUsd, 9);
  });

  it('models lists every model with a description', async () => {
    const r = await run(['models']);
    for (const name of ['isolated', 'cross', 'portfolio'])
      expect(r.out).toMatch(new RegExp(`^${name}\\s+\\S`, 'm'));
  });
});

describe('xmargin margin --model es', () => {
  it('prints the ES requirement, its components and the dates that drive it', async () => {
    const r = await run([
      'margin',
      '--model',
      'es',
      '--portfolio',
      ex('hedged-btc-options.json'),
      '--market',
      ex('market.json'),
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^es\s+[\d,.]+/m);
    expect(r.out).toMatch(/^apc-floor\s+[\d,.]+/m);
    expect(r.out).toMatch(/^liquidity:BTC\s+[\d,.]+/m);
    expect(r.out).toMatch(/es: driven by the windows ending \d{4}-\d{2}-\d{2}T\d{2}Z/);
  });
});

describe('CLI files follow the boundary text rule', () => {
  it('a control character in an instrument id or an asset symbol exits 2 naming the field', async () => {
    const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'xmargin-text-'));
    const pf = JSON.parse(readFileSync(ex('basis-trade.json'), 'utf8')) as {
      positions: { instrument: string }[];
    };
    pf.positions[0]!.instrument = 'BTC-PERP\u0000';
    writeFileSync(join(dir, 'pf.json'), JSON.stringify(pf));
    const r = await run([
      'margin',
      '--model',
      'portfolio',
      '--portfolio',
      join(dir, 'pf.json'),
      '--market',
      ex('market.json'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/positions\[0\]\.instrument: must not contain control characters; got U\+0000/);
  });
});
