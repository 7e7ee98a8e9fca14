/**
 * Golden runner for `derive-srm`: every test/golden/derive-srm/NNN-name.json is one of Derive's
 * published StandardManager cases (derivexyz/v2-core test/risk-managers/unit-tests/StandardManager/
 * test-cases-2.json, run by TestStandardManager_Cases2.t.sol), in xmargin's market and portfolio
 * files (README.md there). Derive publishes the net margins truncated toward zero to whole dollars
 * (`im / 1e18`); the runner checks trunc(equityUsd − initialUsd) and trunc(equityUsd −
 * maintenanceUsd) against them exactly, plus IM ≥ MM ≥ 0 and contributions summing to IM.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildMarginMarket } from '../../../portfolio/market-file.js';
import { parsePortfolio } from '../../../portfolio/portfolio-file.js';
import { createMarginContext } from '../../margin-model.js';
import { deriveSrmModel } from './derive-srm-model.js';

const DIR = fileURLToPath(new URL('../../../../../test/golden/derive-srm/', import.meta.url));

interface SrmGoldenCase {
  description: string;
  source: string;
  params: unknown;
  inputs: { market: unknown; portfolio: unknown };
  expected: { deriveInitialMarginTruncated: number; deriveMaintenanceMarginTruncated: number };
}

const files = readdirSync(DIR)
  .filter((f) => /^\d{3}-.*\.json$/.test(f))
  .sort();

describe('derive-srm golden cases (Derive StandardManager test-cases-2)', () => {
  it('has cases', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    it(file, () => {
      const g = JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')) as SrmGoldenCase;
      const market = buildMarginMarket(g.inputs.market);
      const portfolio = parsePortfolio(g.inputs.portfolio, market);
      const r = deriveSrmModel.compute(
        portfolio,
        createMarginContext(market),
        deriveSrmModel.parseParams(g.params),
      );
      const im = r.equityUsd - r.initialUsd;
      const mm = r.equityUsd - r.maintenanceUsd;
      const why = `${file}: ${g.description}\n${g.source}\nDerive IM ${im}, MM ${mm}; equity ${r.equityUsd}, IM req ${r.initialUsd}, MM req ${r.maintenanceUsd}\ninputs ${JSON.stringify(g.inputs)}`;
      expect(Math.trunc(im) + 0, why).toBe(g.expected.deriveInitialMarginTruncated);
      expect(Math.trunc(mm) + 0, why).toBe(g.expected.deriveMaintenanceMarginTruncated);
      expect(r.initialUsd).toBeGreaterThanOrEqual(r.maintenanceUsd);
      expect(r.maintenanceUsd).toBeGreaterThanOrEqual(0);
      const sum = r.contributions.reduce((a, c) => a + c.initialUsd, 0);
      expect(Math.abs(sum - r.initialUsd)).toBeLessThanOrEqual(1e-9 * Math.max(1, r.initialUsd));
    });
  }
});
