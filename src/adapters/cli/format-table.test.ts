/** Tables within a width: folded into column groups that repeat the key column, text wrapped. */
import { describe, expect, it } from 'vitest';
import { formatTable, wrapLines, wrapText } from './format-table.js';

const header = ['asset', 'alpha', 'beta', 'gamma', 'delta'];
const rows = [
  ['BTC', '1.00', '2.00', '3.00', '4.00'],
  ['ETH', '10.00', '20.00', '30.00', '40.00'],
];

describe('formatTable', () => {
  it('a table that fits is one table, numbers right-aligned', () => {
    expect(formatTable(header, rows, 100).split('\n')).toEqual([
      'asset  alpha  beta   gamma  delta',
      '-----  -----  -----  -----  -----',
      'BTC     1.00   2.00   3.00   4.00',
      'ETH    10.00  20.00  30.00  40.00',
    ]);
  });

  it('too wide: column groups, each with the key column, every line within the width', () => {
    const t = formatTable(header, rows, 20);
    expect(t.split('\n\n')).toHaveLength(2);
    for (const line of t.split('\n')) expect(line.length).toBeLessThanOrEqual(20);
    expect(t).toContain('asset  alpha  beta');
    expect(t).toContain('asset  gamma  delta');
    expect(t).toContain('ETH    30.00  40.00');
  });

  it('a text column too wide on its own is wrapped at spaces; numbers never are', () => {
    const t = formatTable(
      ['model', 'description'],
      [['portfolio', 'a risk matrix per underlying with collateral revalued together']],
      30,
    );
    for (const line of t.split('\n')) expect(line.length).toBeLessThanOrEqual(30);
    expect(t.split('\n').slice(2)).toEqual([
      'portfolio  a risk matrix per',
      '           underlying with',
      '           collateral revalued',
      '           together',
    ]);
  });

  it('wrapText breaks words longer than the width; wrapLines indents continuations', () => {
    expect(wrapText('abcdefghij kl', 4)).toEqual(['abcd', 'efgh', 'ij', 'kl']);
    expect(wrapLines('one two three four', 9)).toBe('one two\n  three\n  four');
    expect(wrapLines('x'.repeat(200), Infinity)).toBe('x'.repeat(200));
  });
});
