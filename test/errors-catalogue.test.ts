/**
 * docs/errors.md and src/core/errors.ts must list the same codes with the same texts
 * (fastify's errors.test.js idea). The table is rendered from the catalogue; to refresh the
 * doc after adding a code, run `UPDATE_DOCS=1 npx vitest run test/errors-catalogue.test.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CATALOGUE,
  ERROR_CODES,
  InvalidInputError,
  ValidationError,
  XmarginError,
} from '../src/core/errors.js';

const docPath = new URL('../docs/errors.md', import.meta.url);

function renderDoc(): string {
  const rows = ERROR_CODES.map(
    (code) => `| \`${code}\` | ${ERROR_CATALOGUE[code].meaning} | ${ERROR_CATALOGUE[code].remedy} |`,
  );
  return [
    '# Error catalogue',
    '',
    'Every error xmargin raises carries one of these stable codes, a message naming the field, the rule',
    'and the offending value (`<field> <rule>; got <value>`), and a `details` object with those values.',
    'The CLI prints the code and message and exits with status 2 for bad input; the HTTP API maps',
    '`ERR_VALIDATION`/`ERR_INVALID_INPUT` to 400 and `ERR_INVARIANT` to 500.',
    '',
    'This table is generated from `src/core/errors.ts`; `test/errors-catalogue.test.ts` fails when they',
    'drift apart (refresh with `UPDATE_DOCS=1 npx vitest run test/errors-catalogue.test.ts`).',
    '',
    '| code | meaning | how to fix |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

describe('error catalogue', () => {
  it('docs/errors.md lists exactly the codes of src/core/errors.ts, with the same texts', () => {
    const expected = renderDoc();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(docPath, expected);
    const doc = readFileSync(docPath, 'utf8');
    const documented = [...doc.matchAll(/^\| `(ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(ERROR_CODES);
    expect(doc).toBe(expected);
  });

  it('every code is upper snake case with the ERR_ prefix, and unique', () => {
    for (const code of ERROR_CODES) expect(code).toMatch(/^ERR_[A-Z]+(_[A-Z]+)*$/);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('InvalidInputError names field, rule and value', () => {
    const e = new InvalidInputError('strike', -5, 'must be > 0');
    expect(e.code).toBe('ERR_INVALID_INPUT');
    expect(e.message).toBe('strike must be > 0; got -5');
    expect(e.details).toEqual({ field: 'strike', value: -5, rule: 'must be > 0' });
  });

  it('ValidationError lists every issue with its path', () => {
    const e = new ValidationError('market file', [
      { path: ['instruments', 3, 'strike'], code: 'too_small', message: 'must be > 0' },
      { path: ['extra'], code: 'unrecognized_keys', message: 'unknown key' },
    ]);
    expect(e.message).toBe('market file is invalid: instruments[3].strike: must be > 0; extra: unknown key');
  });

  it('toJSON is JSON-safe for bigint details', () => {
    const e = new XmarginError('ERR_INEXACT', 'x', { units: 10n ** 30n });
    expect(JSON.stringify(e)).toContain('"units":"1000000000000000000000000000000"');
  });
});
