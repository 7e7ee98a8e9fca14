import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import {
  formatSimulation,
  registerSimulateCommand,
  runSimulate,
  runSimulateCrashes,
} from './simulate-command.js';
import { formatCrashSimulations, toCrashSimulationsJson } from './simulate-report.js';

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

describe('xmargin simulate --crashes', () => {
  it('replays a named crash per model with the thin-funding settings; one insurance fund for all', () => {
    const r = runSimulateCrashes({
      crashes: '2022-11',
      models: 'isolated,cross',
      accounts: '20',
      funding: '1.0:1.3',
      path: 'intrabar',
      insuranceUsd: '50000',
    });
    expect(r.map((x) => x.crash.id)).toEqual(['ftx-2022-11']);
    const res = r[0]!.result;
    // 2022-11-06 00:00 → 11-12 00:00: 144 hours, three steps each, plus the first close.
    expect(res.steps).toBe(144 * 3 + 1);
    expect(res.path).toBe('intrabar');
    expect(res.funding).toEqual([1, 1.3]);
    for (const m of res.models) expect(m.insurance.startUsd).toBe(50_000);
    const doc = toCrashSimulationsJson(r) as {
      crashes: { id: string; models: { model: string; insuranceDrawnUsd: number; badDebtUsd: number }[] }[];
    };
    expect(doc.crashes[0]!.models.map((m) => m.model)).toEqual(['isolated', 'cross']);
    expect(formatCrashSimulations(r)).toMatch(/^ftx-2022-11\s+isolated/m);
  }, 60_000);

  it('rejects bad flags with ERR_INVALID_INPUT naming them', () => {
    expect(() => runSimulateCrashes({ crashes: '2019-01' })).toThrow(
      /--crashes must be all, none or crash names/,
    );
    expect(() => runSimulateCrashes({ crashes: 'all', from: '2020-03-11' })).toThrow(
      /--crashes .*cannot be combined with --from\/--to/,
    );
    expect(() => runSimulateCrashes({ crashes: 'all', path: 'wicks' })).toThrow(
      /--path must be close or intrabar/,
    );
    expect(() => runSimulateCrashes({ crashes: 'all', funding: '1.3:1' })).toThrow(/--funding must be LO:HI/);
    expect(() => runSimulateCrashes({ crashes: 'all', insuranceUsd: '-5' })).toThrow(
      /--insurance-usd must be/,
    );
    expect(() => runSimulateCrashes({ crashes: 'all', fallLimit: 'maybe' })).toThrow(
      /--fall-limit must be on or off; got "?maybe/,
    );
    expect(() => runSimulateCrashes({ crashes: 'all', path: 'intrabar', stepHours: '2' })).toThrow(
      /--step-hours must be 1 with --path intrabar/,
    );
    expect(() => runSimulate({ from: '2020-03-11' })).toThrow(
      /--from .*and --to are required unless --crashes/,
    );
  });
});
