/**
 * Golden runner for `derive-pm2`: every test/golden/derive-pm2/NNN-name.json is one of Derive's
 * published PMRM_2 portfolio cases (derivexyz/v2-core test/risk-managers/unit-tests/PMRM_2/
 * portfolio_cases), converted to xmargin's market and portfolio files (README.md there).
 * Checked: IM and MM requirements (equity − Derive's margin), equity (Derive's MtM), every
 * scenario's P&L, the worst scenario when it is unique, and the model's
 * invariants (IM ≥ MM ≥ 0, contributions sum to IM).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import { createMarginContext } from '../../margin-model.js';
import { derivePm2Model } from './derive-pm2-model.js';

const DIR = fileURLToPath(new URL('../../../../../test/golden/derive-pm2/', import.meta.url));

interface GoldenCase {
  description: string;
  source: string;
  params: unknown;
  /** optionRates: Derive's per-expiry rate feed by expiryMs (the market file has one rate per currency) */
  inputs: { market: unknown; portfolio: unknown; optionRates?: Record<string, number> };
  expected: {
    initialUsd: number;
    maintenanceUsd: number;
    mtmUsd: number;
    scenarioPnlUsd: number[];
    worstScenario?: number | 'basis';
  };
  tolerance: { rel: number; abs: number };
}

const files = readdirSync(DIR)
  .filter((f) => /^\d{3}-.*\.json$/.test(f))
  .sort();

/**
 * Derive's per-expiry rate feed goes into the market file's `expiryRates` (one entry per option
 * underlying and expiry), so the market marks each option at its expiry's rate.
 */
function withExpiryRates(market: unknown, rates: Record<string, number> | undefined): unknown {
  if (!rates) return market;
  const m = market as { instruments: { kind: string; underlying: string; expiryMs?: number }[] };
  const seen = new Set<string>();
  const expiryRates: { underlying: string; expiryMs: number; rate: number }[] = [];
  for (const i of m.instruments) {
    const rate = i.kind === 'option' && i.expiryMs !== undefined ? rates[String(i.expiryMs)] : undefined;
    const k = `${i.underlying}@${i.expiryMs}`;
    if (rate === undefined || seen.has(k)) continue;
    seen.add(k);
    expiryRates.push({ underlying: i.underlying, expiryMs: i.expiryMs!, rate });
  }
  return { ...m, expiryRates };
}

function close(actual: number, expected: number, tol: GoldenCase['tolerance']): boolean {
  return Math.abs(actual - expected) <= tol.abs + tol.rel * Math.abs(expected);
}

describe('derive-pm2 golden cases (Derive PMRM_2 portfolio_cases)', () => {
  it('has cases', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    it(file, () => {
      const g = JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')) as GoldenCase;
      const market = buildMarginMarket(withExpiryRates(g.inputs.market, g.inputs.optionRates));
      const portfolio = parsePortfolio(g.inputs.portfolio, market);
      const params = derivePm2Model.parseParams(g.params);
      const r = derivePm2Model.compute(portfolio, createMarginContext(market), params);
      const report = (what: string, actual: number, expected: number) =>
        `${file} ${what}: expected ${expected}, got ${actual}, error ${actual - expected}, tolerance ${JSON.stringify(g.tolerance)}\n${g.description}\n${g.source}\ninputs ${JSON.stringify(g.inputs)}`;
      const check = (what: string, actual: number, expected: number) =>
        expect(close(actual, expected, g.tolerance), report(what, actual, expected)).toBe(true);
      check('initialUsd', r.initialUsd, g.expected.initialUsd);
      check('maintenanceUsd', r.maintenanceUsd, g.expected.maintenanceUsd);
      check('equityUsd (MtM)', r.equityUsd, g.expected.mtmUsd);
      const scenario = r.components.find((c) => c.name.startsWith('scenario:'));
      if (scenario) {
        const d = scenario.detail as { scenarioPnlUsd: number[]; worst: string };
        expect(d.scenarioPnlUsd.length).toBe(g.expected.scenarioPnlUsd.length);
        g.expected.scenarioPnlUsd.forEach((e, i) => check(`scenario ${i} P&L`, d.scenarioPnlUsd[i]!, e));
        if (g.expected.worstScenario !== undefined) {
          const w = g.expected.worstScenario;
          expect(d.worst.split(':')[1]).toBe(w === 'basis' ? 'basis' : `s${w}`);
        }
      } else {
        for (const e of g.expected.scenarioPnlUsd) check('scenario P&L (no book)', 0, e);
      }
      expect(r.initialUsd).toBeGreaterThanOrEqual(r.maintenanceUsd);
      expect(r.maintenanceUsd).toBeGreaterThanOrEqual(0);
      const sum = r.contributions.reduce((a, c) => a + c.initialUsd, 0);
      expect(Math.abs(sum - r.initialUsd)).toBeLessThanOrEqual(1e-9 * Math.max(1, r.initialUsd));
    });
  }
});
