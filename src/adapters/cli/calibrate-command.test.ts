import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { XmarginError } from '../../core/errors.js';
import { crossModel, isolatedModel } from '../../core/margin/rate-based-models.js';
import { registerCalibrateCommand } from './calibrate-command.js';

/** The error handling of run-cli.ts, reduced to what this command needs. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string; json: boolean }> {
  const out: string[] = [];
  const err: string[] = [];
  let json = false;
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerCalibrateCommand(program, io, (j) => (json = j));
  let code = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : 2;
    else if (e instanceof XmarginError) {
      io.err(json ? JSON.stringify({ error: e.toJSON() }) : `error ${e.code}: ${e.message}`);
      code = e.code === 'ERR_INVALID_INPUT' || e.code === 'ERR_VALIDATION' ? 2 : 1;
    } else throw e;
  }
  return { code, out: out.join('\n'), err: err.join('\n'), json };
}

const tmp = mkdtempSync(join(tmpdir(), 'xmargin-calibrate-'));

describe('xmargin calibrate', () => {
  it('as of 2023-01-01 writes a params file the rate-based models accept', async () => {
    const file = join(tmp, 'params-2023.json');
    const r = await run(['calibrate', '--as-of', '2023-01-01', '--out', file]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      rates: Record<string, unknown[]>;
      haircuts: Record<string, { im: number; mm: number }>;
    };
    const cross = crossModel.parseParams(doc);
    isolatedModel.parseParams(doc);
    expect(Object.keys(doc.rates)).toEqual(expect.arrayContaining(['BTC', 'ETH', 'SOL']));
    expect(Object.keys(doc.haircuts)).toEqual(expect.arrayContaining(['BTC', 'ETH', 'USDC', 'USDT', 'DAI']));
    // FTT is in its Binance suspension gap (2022-11-15 → 2023-09-22): stale, so left out.
    expect(doc.rates.FTT).toBeUndefined();
    expect(r.out).toMatch(/FTT: no hourly close/);
    const btc = cross.haircuts.BTC!;
    expect(btc.im).toBeGreaterThanOrEqual(btc.mm);
    expect(btc.im).toBeGreaterThanOrEqual(0.05); // at least the BTC floor
    expect(btc.im).toBeLessThan(0.2);
    // USDC as of 2023-01-01: its own pre-2023 history (worst day −3.65% on 2020-03-13).
    expect(cross.haircuts.USDC!.im).toBeCloseTo(0.0365, 3);
    expect(r.out).toContain('calibration as of 2023-01-01T00:00:00Z');
  });

  it('--json reports vol, MPOR moves, liquidity assumption and coverage per asset', async () => {
    const r = await run(['calibrate', '--as-of', '2023-01-01', '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toBe(true);
    const j = JSON.parse(r.out) as {
      asOf: string;
      assets: {
        asset: string;
        annualisedVol: number;
        moves: { im: { down: number; up: number } };
        liquidity: { advSource: string };
        coverage: { imHaircut: { share: number; windows: number } };
        haircut: { im: { haircut: number } };
      }[];
      params: { haircuts: Record<string, { im: number }> };
    };
    expect(j.asOf).toBe('2023-01-01T00:00:00Z');
    const btc = j.assets.find((a) => a.asset === 'BTC')!;
    expect(btc.annualisedVol).toBeGreaterThan(0.1);
    expect(btc.moves.im.up).toBeGreaterThan(btc.moves.im.down);
    expect(btc.liquidity.advSource).toBe('history');
    expect(btc.coverage.imHaircut.windows).toBeGreaterThan(20_000);
    expect(btc.coverage.imHaircut.share).toBeGreaterThanOrEqual(0);
    expect(btc.coverage.imHaircut.share).toBeLessThan(0.2);
    expect(j.params.haircuts.BTC!.im).toBeGreaterThanOrEqual(btc.haircut.im.haircut);
  });

  it('is deterministic: the same as-of gives the same bytes', async () => {
    const a = await run(['calibrate', '--as-of', '2022-06-01', '--json']);
    const b = await run(['calibrate', '--as-of', '2022-06-01', '--json']);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
  });

  it('--previous limits the move of each haircut to 0.02', async () => {
    const prev = join(tmp, 'prev.json');
    writeFileSync(prev, JSON.stringify({ haircuts: { BTC: { im: 0.3, mm: 0.2 } } }));
    const r = await run(['calibrate', '--as-of', '2023-01-01', '--previous', prev, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { params: { haircuts: Record<string, { im: number; mm: number }> } };
    expect(j.params.haircuts.BTC).toEqual({ im: 0.28, mm: 0.18 });
  });

  it.each([
    ['2023-13-01', /--as-of must be a UTC date YYYY-MM-DD from 2020-02-01 to 2026-04-17/],
    ['yesterday', /--as-of must be a UTC date/],
    ['2019-06-01', /--as-of must be a UTC date YYYY-MM-DD from 2020-02-01.*got "2019-06-01"/],
    ['2030-01-01', /got "2030-01-01"/],
  ])('a bad --as-of %s names the option, the rule and the value (exit 2)', async (value, message) => {
    const r = await run(['calibrate', '--as-of', value]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('a bad --holding-usd is exit 2 naming the option', async () => {
    const r = await run(['calibrate', '--as-of', '2023-01-01', '--holding-usd', '-5']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--holding-usd must be a number of USD > 0; got "-5"/);
  });
});
