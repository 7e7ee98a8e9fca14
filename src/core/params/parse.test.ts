import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseWithSchema } from './parse.js';
import { ValidationError } from '../errors.js';

const Schema = z.strictObject({ options: z.array(z.strictObject({ strike: z.number().positive() })) });

describe('parseWithSchema', () => {
  it('returns the parsed value', () => {
    expect(parseWithSchema(Schema, { options: [{ strike: 1 }] }, 'doc')).toEqual({
      options: [{ strike: 1 }],
    });
  });

  it('lists every failing field with its path, unknown keys each at their own path', () => {
    try {
      parseWithSchema(Schema, { options: [{ strike: -1 }, { strike: 2, strik: 3, x: 1 }] }, 'option file');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const v = e as ValidationError;
      expect(v.code).toBe('ERR_VALIDATION');
      expect(v.issues.map((i) => i.path)).toEqual([
        ['options', 0, 'strike'],
        ['options', 1, 'strik'],
        ['options', 1, 'x'],
      ]);
      expect(v.message).toContain('option file is invalid: options[0].strike:');
      expect(v.message).toContain('options[1].strik: unknown field "strik"');
    }
  });
});
