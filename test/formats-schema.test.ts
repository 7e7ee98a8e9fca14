/**
 * docs/schemas/*.schema.json are generated from the zod schemas of the input formats
 * (docs/formats.md); this test fails when they drift. Refresh:
 * `UPDATE_DOCS=1 npx vitest run test/formats-schema.test.ts`.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { MarketFileSchema } from '../src/core/portfolio/market-file.js';
import { PortfolioFileSchema } from '../src/core/portfolio/portfolio-file.js';
import { IvFileSchema, PriceFileSchema } from '../src/adapters/cli/option-file.js';
import { AllocationFileSchema, CandidateFileSchema } from '../src/core/optimise/index.js';

const schemas: Record<string, z.ZodType> = {
  'market-file': MarketFileSchema,
  'portfolio-file': PortfolioFileSchema,
  'price-file': PriceFileSchema,
  'iv-file': IvFileSchema,
  'candidate-file': CandidateFileSchema,
  'allocation-file': AllocationFileSchema,
};

describe('JSON Schemas of the input formats', () => {
  it.each(Object.keys(schemas))('docs/schemas/%s.schema.json matches the zod schema', (name) => {
    const generated = `${JSON.stringify(z.toJSONSchema(schemas[name]!, { unrepresentable: 'any', io: 'input' }), null, 2)}\n`;
    const path = new URL(`../docs/schemas/${name}.schema.json`, import.meta.url);
    if (process.env.UPDATE_DOCS === '1' || !existsSync(path)) writeFileSync(path, generated);
    expect(readFileSync(path, 'utf8')).toBe(generated);
  });

  it('the schemas reject unknown fields (additionalProperties: false)', () => {
    const market = JSON.parse(
      readFileSync(new URL('../docs/schemas/market-file.schema.json', import.meta.url), 'utf8'),
    ) as { additionalProperties: boolean };
    expect(market.additionalProperties).toBe(false);
  });
});
