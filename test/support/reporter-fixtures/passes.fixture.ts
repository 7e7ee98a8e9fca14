import { expect, it } from 'vitest';

it('passes', () => expect(1 + 1).toBe(2));
it.skip('is skipped on purpose (reason: a fixture of the reporter test)', () => undefined);
it('fails', () => expect(1 + 1).toBe(3));
