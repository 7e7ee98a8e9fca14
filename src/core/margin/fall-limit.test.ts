import { describe, expect, it } from 'vitest';
import { applyFallLimit } from './fall-limit.js';
import type { MarginResult } from './margin-model.js';

const result = (im: number): MarginResult => ({
  model: 'es',
  initialUsd: im,
  maintenanceUsd: 0.8 * im,
  equityUsd: 1e6,
  components: [{ name: 'es', initialUsd: im, maintenanceUsd: 0.8 * im }],
  contributions: [
    { key: 'A', initialUsd: 0.75 * im },
    { key: 'B', initialUsd: 0.25 * im },
  ],
  paramsVersion: 'es#0',
  snapshotId: 's',
  valuationMs: 0,
});

describe('applyFallLimit', () => {
  it('a fall of more than 10% is limited to 10%: IM = 0.9·previous, MM ratio kept, contributions still sum', () => {
    const r = applyFallLimit(result(5_000), 10_000, 0.1);
    expect(r.initialUsd).toBe(9_000);
    expect(r.maintenanceUsd).toBeCloseTo(0.8 * 9_000, 9);
    expect(r.contributions.reduce((a, c) => a + c.initialUsd, 0)).toBeCloseTo(9_000, 9);
    expect(r.components.at(-1)).toMatchObject({ name: 'fall-limit', initialUsd: 4_000 });
  });
  it('a rise, or a fall within the limit, is unchanged', () => {
    expect(applyFallLimit(result(12_000), 10_000, 0.1).initialUsd).toBe(12_000);
    expect(applyFallLimit(result(9_500), 10_000, 0.1).initialUsd).toBe(9_500);
  });
  it('bad inputs name the field', () => {
    expect(() => applyFallLimit(result(1), -1, 0.1)).toThrow(
      'previousInitialUsd must be finite and >= 0; got -1',
    );
    expect(() => applyFallLimit(result(1), 1, 2)).toThrow('maxFall must be in [0, 1]; got 2');
  });
});
