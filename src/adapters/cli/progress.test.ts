/** Progress reporting with a fake clock and stream: periodic lines off a terminal, a bar on one. */
import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function fake(isTTY: boolean) {
  const out: string[] = [];
  let t = 0;
  return {
    stream: { isTTY, write: (s: string) => out.push(s) },
    out,
    tick: (ms: number) => (t += ms),
    now: () => t,
  };
}

describe('progress', () => {
  it('off a terminal: nothing before the interval, then a line per interval with elapsed and left', () => {
    const f = fake(false);
    const p = createProgress({ label: 'backtest', stream: f.stream, everySeconds: 10, now: f.now });
    f.tick(5_000);
    p(10, 100);
    expect(f.out).toEqual([]);
    f.tick(5_000);
    p(20, 100); // 10 s elapsed, 20% done: 40 s left
    f.tick(3_000);
    p(25, 100); // within the interval: silent
    f.tick(10_000);
    p(50, 100);
    f.tick(60_000);
    p(100, 100);
    expect(f.out).toEqual([
      'backtest: 20% (20/100), 10s elapsed, about 40s left\n',
      'backtest: 50% (50/100), 23s elapsed, about 23s left\n',
      'backtest: done in 1m23s\n',
    ]);
  });

  it('a command faster than the interval prints nothing at all', () => {
    const f = fake(false);
    const p = createProgress({ label: 'calibrate', stream: f.stream, now: f.now });
    for (let i = 1; i <= 10; i++) {
      f.tick(100);
      p(i, 10);
    }
    expect(f.out).toEqual([]);
  });

  it('interval 0: a line at every whole percent', () => {
    const f = fake(false);
    const p = createProgress({ label: 'simulate', stream: f.stream, everySeconds: 0, now: f.now });
    for (let i = 1; i <= 400; i++) p(i, 400);
    expect(f.out).toHaveLength(100 + 1); // 0%..99%, then done
    expect(f.out.at(-1)).toBe('simulate: done in 0s\n');
  });

  it('on a terminal: one bar redrawn in place, a newline at the end', () => {
    const f = fake(true);
    const p = createProgress({ label: 'backtest', stream: f.stream, now: f.now });
    p(1, 2);
    p(2, 2);
    expect(f.out[0]).toMatch(/^\rbacktest\s+\[#{15}\.{15}\] 50%$/);
    expect(f.out[1]).toMatch(/^\rbacktest\s+\[#{30}\] 100%\n$/);
  });
});
