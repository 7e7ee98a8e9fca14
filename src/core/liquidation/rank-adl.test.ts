import { describe, expect, it } from 'vitest';
import { rankAdl } from './rank-adl.js';

describe('rankAdl', () => {
  const pos = (side: 'long' | 'short', uPnlUsd: number, leverage: number) => ({
    instrument: 'BTC-PERP',
    side,
    uPnlUsd,
    leverage,
  });
  it('ranks by uPnL × leverage, ties by id, and skips accounts without a position on the side', () => {
    const ranked = rankAdl(
      [
        { id: 'c', positions: [pos('long', 100, 5)] }, // 500
        { id: 'a', positions: [pos('long', 50, 10)] }, // 500 (tie: a before c)
        { id: 'b', positions: [pos('long', 1_000, 2), pos('short', 9_999, 50)] }, // 2,000
        { id: 'd', positions: [pos('short', 10_000, 3)] }, // not long
        { id: 'e', positions: [pos('long', -100, 4)] }, // −400
      ],
      'long',
    );
    expect(ranked.map((r) => [r.id, r.rank, r.scoreUsd])).toEqual([
      ['b', 1, 2_000],
      ['a', 2, 500],
      ['c', 3, 500],
      ['e', 4, -400],
    ]);
  });
  it('is independent of input order', () => {
    const xs = [
      { id: 'x', positions: [pos('short', 10, 1)] },
      { id: 'y', positions: [pos('short', 10, 1)] },
    ];
    expect(rankAdl(xs, 'short')).toEqual(rankAdl([...xs].reverse(), 'short'));
  });
});
