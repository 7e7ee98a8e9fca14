import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { formatSimulation, registerSimulateCommand, runSimulate } from './simulate-command.js';

describe('xmargin simulate (shipped history)', () => {
  it('replays the 2020-03-12 crash: liquidations under isolated, a flat-vol note', () => {
    const r = runSimulate({ from: '2020-03-11', to: '2020-03-14', models: 'isolated' });
    expect(r.steps).toBe(73);
    expect(r.volSource).toBe('flat');
    const iso = r.models[0]!;
    expect(iso.error).toBeUndefined();
    expect(iso.accounts).toBe(300);
    expect(iso.liquidations).toBeGreaterThan(0);
    const text = formatSimulation(r);
    expect(text).toContain('flat vol');
    expect(text).toMatch(/^isolated\s+300/m);
  });

  it('a calm period (2021-01-01 to 2021-01-02, 50 accounts) has no bad debt under any default model', () => {
    const r = runSimulate({ from: '2021-01-01', to: '2021-01-02', accounts: '50' });
    expect(r.models.map((m) => m.model)).toEqual(['isolated', 'cross', 'portfolio', 'es']);
    for (const m of r.models) {
      expect(m.error).toBeUndefined();
      expect(m.badDebtUsd).toBe(0);
    }
  }, 30_000);

  it('rejects bad options with ERR_INVALID_INPUT naming the flag', () => {
    expect(() => runSimulate({ from: '2020-03-11', to: '2020-03-10' })).toThrow(/--to/);
    expect(() => runSimulate({ from: 'yesterday', to: '2020-03-10' })).toThrow(/--from/);
    expect(() => runSimulate({ from: '2020-03-11', to: '2020-03-12', accounts: '0' })).toThrow(/--accounts/);
    expect(() => runSimulate({ from: '2020-03-11', to: '2020-03-12', models: 'nope' })).toThrow(/model/);
  });

  it('registers the command; --json prints the report as JSON', async () => {
    const out: string[] = [];
    let json = false;
    const program = new Command().exitOverride();
    registerSimulateCommand(program, { out: (t) => out.push(t), err: () => {} }, (j) => (json = j));
    await program.parseAsync(
      [
        'simulate',
        '--from',
        '2020-03-12',
        '--to',
        '2020-03-12T06:00:00Z',
        '--accounts',
        '10',
        '--models',
        'cross',
        '--json',
      ],
      { from: 'user' },
    );
    expect(json).toBe(true);
    const doc = JSON.parse(out[0]!) as { models: { model: string }[]; volSource: string };
    expect(doc.models[0]!.model).toBe('cross');
    expect(doc.volSource).toBe('flat');
  });
});
