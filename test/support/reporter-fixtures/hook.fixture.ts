import { beforeAll, describe, expect, it } from 'vitest';

describe('a suite whose set-up times out', () => {
  beforeAll(() => new Promise<void>((resolve) => setTimeout(resolve, 5_000)));
  it('never runs (1)', () => expect(true).toBe(true));
  it('never runs (2)', () => expect(true).toBe(true));
});
