/**
 * The trader's view from the CLI: `margin` prints and returns liquidation prices and greeks,
 * `whatif` gives a verdict (exit 3 when refused), every text output fits 100 columns unless
 * --wide, progress lines appear on a redirected stderr, and `serve` resolves its port from
 * --port, XMARGIN_PORT or PORT (test/getting-started.test.ts starts it on XMARGIN_PORT). Liquidation prices are checked by re-running `margin` on a market file moved
 * to them by hand.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/adapters/cli/run-cli.js';
import { resolvePort } from '../../src/adapters/cli/serve-command.js';

const root = new URL('../../', import.meta.url).pathname;
const ex = (f: string) => join(root, 'examples', f);
const bin = join(root, 'bin', 'xmargin.js');

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface MarketEntry {
  id: string;
  kind: string;
  underlying: string;
  markPrice?: number;
  forward?: number;
}

/** examples/market.json with BTC's index, linear marks and option forwards multiplied by f. */
function marketWithBtcTimes(f: number): string {
  const doc = JSON.parse(readFileSync(ex('market.json'), 'utf8')) as {
    prices: Record<string, number>;
    instruments: MarketEntry[];
  };
  doc.prices.BTC = doc.prices.BTC! * f;
  for (const i of doc.instruments) {
    if (i.underlying !== 'BTC') continue;
    if (i.markPrice !== undefined) i.markPrice *= f;
    if (i.forward !== undefined) i.forward *= f;
  }
  const dir = mkdtempSync(join(tmpdir(), 'xmargin-trader-'));
  writeFileSync(join(dir, 'market.json'), JSON.stringify(doc));
  return join(dir, 'market.json');
}

describe('xmargin margin: liquidation prices and greeks', () => {
  const args = [
    '--model',
    'portfolio',
    '--portfolio',
    ex('short-strangle.json'),
    '--market',
    ex('market.json'),
  ];

  it('--json has both liquidation prices of the short strangle; margin at each of them: equity = MM', async () => {
    const r = await run(['margin', ...args, '--json']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out) as {
      status: string;
      liquidation: {
        underlyings: {
          underlying: string;
          down: { priceUsd: number } | null;
          up: { priceUsd: number } | null;
        }[];
      };
      greeks: { underlyings: { underlying: string; deltaCoin: number; vegaUsd: number; thetaUsd: number }[] };
    };
    expect(m.status).toBe('healthy');
    const btc = m.liquidation.underlyings.find((u) => u.underlying === 'BTC')!;
    expect(btc.down!.priceUsd).toBeLessThan(66_320);
    expect(btc.up!.priceUsd).toBeGreaterThan(66_320);
    for (const p of [btc.down!.priceUsd, btc.up!.priceUsd]) {
      const at = await run([
        'margin',
        '--model',
        'portfolio',
        '--portfolio',
        ex('short-strangle.json'),
        '--market',
        marketWithBtcTimes(p / 66_320),
        '--json',
      ]);
      const res = JSON.parse(at.out) as { equityUsd: number; maintenanceUsd: number };
      expect(Math.abs(res.equityUsd - res.maintenanceUsd) / res.maintenanceUsd).toBeLessThan(1e-6);
    }
    // a short strangle is short vega and earns theta
    const g = m.greeks.underlyings.find((u) => u.underlying === 'BTC')!;
    expect(g.vegaUsd).toBeLessThan(0);
    expect(g.thetaUsd).toBeGreaterThan(0);
  });

  it('the text shows the liquidation table and the greeks in coin and USD', async () => {
    const r = await run(['margin', ...args]);
    expect(r.out).toMatch(/^liquidation prices \(equity = maintenance margin/m);
    expect(r.out).toMatch(/^BTC\s+66,320\s+[\d,.]+\s+-\d+\.\d\d%\s+-\d+\.\d\s+[\d,.]+\s+\+\d+\.\d\d%/m);
    expect(r.out).toMatch(/^BTC\s+coin\s+-?[\d.]+/m);
    expect(r.out).toMatch(/^BTC\s+USD\s+-?[\d,.]+/m);
    expect(r.out).toMatch(/health [\d.]+ \(healthy\)/);
  });
});

describe('xmargin whatif: the verdict', () => {
  const base = ['--portfolio', ex('short-strangle.json'), '--market', ex('market.json')];

  it('refused: exit 3, the verdict first with the rule and the shortfall', async () => {
    const r = await run(['whatif', ...base, '--trades', ex('trades-refused.json')]);
    expect(r.code).toBe(3);
    expect(r.out.split('\n')[0]).toMatch(/^REFUSED under portfolio \(rule initial-margin\)/);
    expect(r.out).toMatch(/shortfall [\d,.]+ USD/);
    const j = await run(['whatif', ...base, '--trades', ex('trades-refused.json'), '--json']);
    expect(j.code).toBe(3);
    const v = JSON.parse(j.out) as {
      verdict: string;
      rule: string;
      shortfallUsd: number;
      requiredUsd: number;
      after: { equityUsd: number; initialUsd: number; status: string };
    };
    expect(v).toMatchObject({ verdict: 'refused', rule: 'initial-margin' });
    expect(v.shortfallUsd).toBeCloseTo(v.after.initialUsd - v.after.equityUsd, 6);
  });

  it('accepted: exit 0; a hedge removed by shrinking positions is accepted with a warning', async () => {
    const r = await run([
      'whatif',
      '--portfolio',
      ex('hedged-btc-options.json'),
      '--market',
      ex('market.json'),
      '--trades',
      ex('trades.json'),
    ]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^ACCEPTED under portfolio \(risk-reducing\)/);
    expect(r.out).toMatch(/^warning: initial margin rises by [\d.]+ USD/m);
  });

  it('a bad --buffer or --max-leverage is bad input (exit 2) naming the flag', async () => {
    const r = await run(['whatif', ...base, '--trades', ex('trades.json'), '--buffer', '-1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--buffer must be a fraction in [0, 10]');
    const l = await run(['whatif', ...base, '--trades', ex('trades.json'), '--max-leverage', 'x']);
    expect(l.code).toBe(2);
    expect(l.err).toContain('--max-leverage');
  });
});

function temp(name: string, doc: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'xmargin-bounds-'));
  writeFileSync(join(dir, name), JSON.stringify(doc));
  return join(dir, name);
}

describe('plausibility bounds at the CLI edge', () => {
  it('size 1e12: exit 2 naming positions[0].size and the bound; --max-notional raises it', async () => {
    const pf = temp('p.json', {
      collateral: { USDC: '1000' },
      positions: [{ instrument: 'BTC-PERP', size: 1e12 }],
    });
    const r = await run(['margin', '--portfolio', pf, '--market', ex('market.json')]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(
      'positions[0].size must keep the notional within the plausibility bound 10,000,000,000 USD',
    );
    const w = await run([
      'compare',
      '--portfolio',
      pf,
      '--market',
      ex('market.json'),
      '--max-notional',
      'Infinity',
      '--models',
      'isolated',
    ]);
    expect(w.code).toBe(0);
  });

  it('vol 50 in an option file: exit 2 suggesting 0.5; --allow-high-vol accepts it; negative tYears exit 2', async () => {
    const row = { type: 'call', forward: 100, strike: 100, tYears: 0.5, vol: 50 };
    const r = await run(['price', '--input', temp('o.json', { options: [row] })]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('options[0].vol must be <= 5 (500%)');
    expect(r.err).toContain('did you mean 0.5?');
    expect(
      (await run(['price', '--input', temp('o.json', { options: [row] }), '--allow-high-vol'])).code,
    ).toBe(0);
    const neg = await run([
      'price',
      '--input',
      temp('o.json', { options: [{ ...row, vol: 0.5, tYears: -1 }] }),
    ]);
    expect(neg.code).toBe(2);
    expect(neg.err).toContain('options[0].tYears: must be >= 0');
  });

  it('an expired instrument the portfolio does not hold: a warning on stderr, margin as usual', async () => {
    const doc = JSON.parse(readFileSync(ex('market.json'), 'utf8')) as {
      valuationMs: number;
      instruments: object[];
    };
    doc.instruments.push({
      id: 'BTC-OLD',
      kind: 'future',
      underlying: 'BTC',
      expiryMs: doc.valuationMs - 3_600_000,
      markPrice: 66_000,
    });
    const market = temp('m.json', doc);
    const r = await run(['margin', '--portfolio', ex('short-strangle.json'), '--market', market, '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /^warning: --market: instrument BTC-OLD expired at 2026-03-01T12:40:00\.000Z .*left out$/,
    );
    const held = temp('p.json', { positions: [{ instrument: 'BTC-OLD', size: 1 }] });
    const h = await run(['margin', '--portfolio', held, '--market', market]);
    expect(h.code).toBe(2);
    expect(h.err).toContain('error ERR_INSTRUMENT_EXPIRED: positions[0].instrument: "BTC-OLD" expired');
  });
});

describe('xmargin --help', () => {
  it('states the exit statuses and what npm start runs', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('3 a what-if refused');
    expect(r.out).toContain('`npm start` runs `xmargin serve --demo`');
    expect(r.out).not.toMatch(/demo.*what npm start runs/);
    expect(r.out).toContain('--wide');
  });
});

describe('CLI output fits 100 columns (or --wide)', () => {
  const commands: [string, string[]][] = [
    ['price', ['price', '--input', ex('options.json')]],
    ['compare', ['compare', '--portfolio', ex('multi-collateral.json'), '--market', ex('market.json')]],
    ['margin', ['margin', '--portfolio', ex('multi-collateral.json'), '--market', ex('market.json')]],
    [
      'whatif',
      [
        'whatif',
        '--portfolio',
        ex('hedged-btc-options.json'),
        '--market',
        ex('market.json'),
        '--trades',
        ex('trades.json'),
      ],
    ],
    ['models', ['models']],
    ['demo', ['demo']],
    ['calibrate', ['calibrate', '--as-of', '2026-03-01']],
  ];
  for (const [name, args] of commands) {
    it(`${name}: no line longer than 100 columns; --wide keeps tables unfolded`, async () => {
      const r = await run(args);
      expect(r.code === 0 || r.code === 3).toBe(true);
      const widest = Math.max(...r.out.split('\n').map((l) => l.length));
      expect(widest).toBeLessThanOrEqual(100);
      if (name === 'calibrate' || name === 'compare') {
        const wide = await run([...args, '--wide']);
        expect(Math.max(...wide.out.split('\n').map((l) => l.length))).toBeGreaterThan(100);
      }
    });
  }
});

describe('progress and port (the built CLI, as a user runs it)', () => {
  it('simulate with stderr redirected prints progress lines and a last "done" line', () => {
    const r = spawnSync(
      process.execPath,
      [
        bin,
        'simulate',
        '--from',
        '2021-01-01',
        '--to',
        '2021-01-02',
        '--accounts',
        '20',
        '--models',
        'isolated',
        '--progress',
        '0',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines[0]).toMatch(/^simulate: \d+% \([\d,]+\/[\d,]+\), \d+s elapsed/);
    expect(lines.at(-1)).toMatch(/^simulate: done in \d+s$/);
    expect(r.stderr).not.toContain('\r');
  });

  it('the port comes from --port, else XMARGIN_PORT, else PORT, else 8080; a bad value names its source', () => {
    expect(resolvePort('9001', { XMARGIN_PORT: '9002' })).toBe(9001);
    expect(resolvePort(undefined, { XMARGIN_PORT: '9002', PORT: '9003' })).toBe(9002);
    expect(resolvePort(undefined, { PORT: '9003' })).toBe(9003);
    expect(resolvePort(undefined, {})).toBe(8080);
    expect(() => resolvePort(undefined, { XMARGIN_PORT: 'http' })).toThrow(/XMARGIN_PORT must be an integer/);
  });
});
