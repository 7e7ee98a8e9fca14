import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'xmargin-cards-'));
const card = {
  model: 'es',
  description: 'd',
  source: 's',
  covers: 'ES 99%',
  level: { measure: 'es', alpha: 0.99, target: 0.00321, leverageCap: false },
  coverage: {
    books: 1,
    booksPassing: 1,
    perBook: [{ book: 'b', exceedances: 0, observations: 10, oneSidedP: 0.97, z2P: 1, worstLossOverIm: 0.5 }],
  },
  crashes: [
    {
      crash: 'c',
      liquidations: 1,
      bankruptcies: 0,
      insuranceDrawnUsd: 0,
      badDebtUsd: 0,
      adlEvents: 0,
      error: null,
    },
  ],
  capital: [{ book: 'b', meanImUsd: 10, vsIsolatedCover: 0.1, vsDeribitPm: 0.8 }],
  leverageCap: null,
  weaknesses: ['w'],
};

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('xmargin models --card', () => {
  const good = join(dir, 'cards.json');
  writeFileSync(good, JSON.stringify({ format: 1, cards: [card] }));

  it('prints a card from a cards file, as text or JSON', async () => {
    const t = await run(['models', '--card', 'es', '--cards', good]);
    expect(t.code).toBe(0);
    expect(t.out).toContain('What it covers:');
    expect(t.out).toContain('b: 0/10, one-sided p 0.970, Z2 p 1.000, worst L/IM 0.50');
    const j = await run(['models', '--card', 'es', '--cards', good, '--json']);
    expect(JSON.parse(j.out)).toEqual(card);
  });

  it('lists the models without --card; names the flag on bad input (exit 2)', async () => {
    expect((await run(['models'])).out).toMatch(/^isolated-cover\s/m);
    const missing = await run(['models', '--card', 'portfolio', '--cards', good]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--card has no card in .*cards: es/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ cards: [{ ...card, level: { measure: 'maybe' } }] }));
    const invalid = await run(['models', '--card', 'es', '--cards', bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain('--cards');
    expect(invalid.err).toContain('level');
    expect((await run(['models', '--cards', good])).err).toMatch(/--cards needs --card NAME/);
  });
});

describe('the shipped cards (docs/model-cards.json, the full backtest)', () => {
  it('hold a valid card for every model of the default backtest and its baseline', async () => {
    for (const m of ['isolated', 'cross', 'portfolio', 'deribit-pm', 'derive-pm2', 'es', 'isolated-cover']) {
      const r = await run(['models', '--card', m, '--json']);
      expect(r.code, r.err).toBe(0);
      expect((JSON.parse(r.out) as { model: string }).model).toBe(m);
    }
  });
});
