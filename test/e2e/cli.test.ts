/**
 * The CLI end to end: in process through runCli (fast, exact output capture), and once through
 * the real `bin/xmargin.js` as a user runs it (needs the build that `npm test` runs first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/adapters/cli/run-cli.js';

const root = new URL('../../', import.meta.url).pathname;

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function tempJson(doc: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'xmargin-cli-'));
  const p = join(dir, 'input.json');
  writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return p;
}

/** Haug's values for the rows of examples/options.json, from test/golden/pricing (p. 2–8, 11, 24). */
const HAUG_PRICES: [number, number][] = [
  [0, 1.7011],
  [1, 1.7011],
  [4, 0.0205],
  [5, 15.3086],
  [6, 12.2149],
  [7, 1.2376],
];

describe('xmargin price', () => {
  it('--json prints results in input order that match Haug within 1e-4', async () => {
    const r = await run(['price', '--input', join(root, 'examples/options.json'), '--json']);
    expect(r.code).toBe(0);
    const { results } = JSON.parse(r.out) as { results: { price: number; delta: number }[] };
    expect(results).toHaveLength(9);
    for (const [row, expected] of HAUG_PRICES)
      expect(Math.abs(results[row]!.price - expected)).toBeLessThanOrEqual(1e-4);
    // Haug p. 11: delta of options on futures, F = 105, K = 100, t = 0.5, σ = 36%, r = 10%.
    expect(Math.abs(results[2]!.delta - 0.5946)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(results[3]!.delta - -0.3566)).toBeLessThanOrEqual(1e-4);
    for (const res of results)
      expect(Object.keys(res)).toEqual(['price', 'delta', 'gamma', 'vega', 'theta', 'rho']);
  });

  it('prints a readable table without --json', async () => {
    const r = await run(['price', '--input', join(root, 'examples/options.json')]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^#\s+type\s+forward\s+strike/);
    expect(r.out).toContain('1.70105');
  });

  it('a bad row exits 2 with an error naming the row and the field; nothing on stdout', async () => {
    const p = tempJson({
      options: [
        { type: 'call', forward: 1, strike: 1, tYears: 1, vol: 0.2 },
        { type: 'call', forward: 1, strike: -3, tYears: 1, vol: 0.2 },
      ],
    });
    const r = await run(['price', '--input', p]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('ERR_VALIDATION');
    expect(r.err).toContain('options[1].strike: must be > 0');
  });

  it('unknown fields, missing files and broken JSON are bad input (exit 2)', async () => {
    const unknown = await run([
      'price',
      '--input',
      tempJson({ options: [{ type: 'call', forward: 1, strike: 1, tYears: 1, vol: 0.2, volatility: 1 }] }),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('options[0].volatility: unknown field "volatility"');
    const missing = await run(['price', '--input', '/nonexistent/options.json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--input must name a readable file');
    const broken = await run(['price', '--input', tempJson('{"options": [')]);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('--input must contain valid JSON');
  });

  it('--json errors are JSON on stderr', async () => {
    const r = await run([
      'price',
      '--json',
      '--input',
      tempJson({ options: [{ type: 'straddle', forward: 1, strike: 1, tYears: 1, vol: 0.2 }] }),
    ]);
    expect(r.code).toBe(2);
    const e = JSON.parse(r.err) as { error: { code: string; details: { issues: { path: unknown[] }[] } } };
    expect(e.error.code).toBe('ERR_VALIDATION');
    expect(e.error.details.issues[0]!.path).toEqual(['options', 0, 'type']);
  });
});

describe('xmargin iv', () => {
  it('--json recovers the vols behind Haug prices (σ = 28%, 25%) to the precision of 4 printed decimals', async () => {
    const r = await run(['iv', '--input', join(root, 'examples/iv.json'), '--json']);
    expect(r.code).toBe(0);
    const { results } = JSON.parse(r.out) as { results: { vol: number }[] };
    expect(results).toHaveLength(4);
    expect(Math.abs(results[0]!.vol - 0.28)).toBeLessThan(1e-4);
    expect(Math.abs(results[1]!.vol - 0.25)).toBeLessThan(1e-4);
  });

  it('a price outside no-arbitrage bounds names the row and field, exit 2', async () => {
    const p = tempJson({
      options: [
        { type: 'call', forward: 100, strike: 90, tYears: 1, price: 12 },
        { type: 'call', forward: 100, strike: 90, tYears: 1, price: 5 },
      ],
    });
    const r = await run(['iv', '--input', p]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('ERR_PRICE_OUT_OF_BOUNDS');
    expect(r.err).toContain('options[1].price');
  });
});

describe('xmargin demo (npm start) on the shipped Deribit chain', () => {
  it('reproduces Deribit marks within a tick and deltas within 2e-4', async () => {
    const r = await run(['demo']);
    expect(r.code).toBe(0);
    const m = /median ([\d.e-]+) ticks, max ([\d.e-]+) ticks/.exec(r.out);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeLessThanOrEqual(1);
    const d = /delta − Deribit delta\|: median ([\d.e-]+), max ([\d.e-]+)/.exec(r.out);
    expect(Number(d![2])).toBeLessThanOrEqual(2e-4);
  });
});

const built = existsSync(join(root, 'dist/src/main/cli.js'));
describe.skipIf(!built)(
  'the installed command (bin/xmargin.js; skipped when dist/ is not built: run `npm run build`)',
  () => {
    it('npx xmargin price --input examples/options.json --json', () => {
      const out = execFileSync(
        process.execPath,
        [join(root, 'bin/xmargin.js'), 'price', '--input', join(root, 'examples/options.json'), '--json'],
        { encoding: 'utf8' },
      );
      const { results } = JSON.parse(out) as { results: { price: number }[] };
      expect(Math.abs(results[0]!.price - 1.7011)).toBeLessThanOrEqual(1e-4);
    });

    it('exit status 2 on bad input, 0 on --help', () => {
      const bad = spawnSync(
        process.execPath,
        [join(root, 'bin/xmargin.js'), 'price', '--input', '/nonexistent.json'],
        { encoding: 'utf8' },
      );
      expect(bad.status).toBe(2);
      const help = spawnSync(process.execPath, [join(root, 'bin/xmargin.js'), '--help'], {
        encoding: 'utf8',
      });
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('price');
    });

    it('package.json names the bin xmargin', () => {
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        name: string;
        bin: Record<string, string>;
      };
      expect(pkg.name).toBe('xmargin');
      expect(pkg.bin.xmargin).toBe('bin/xmargin.js');
    });
  },
);
