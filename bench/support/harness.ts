/**
 * Benchmark harness: a seeded generator, a timer that reports the median of several runs after
 * a warm-up, and a table printer. Benchmarks print figures; they never assert timings.
 */
import { cpus } from 'node:os';

/** Mulberry32: a small, fast, seeded 32-bit generator (deterministic inputs across runs). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Median wall time in ms of `runs` calls of `fn`, after one warm-up call. */
export function timeMedianMs(fn: () => void, runs = 5): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export interface BenchRow {
  readonly workload: string;
  readonly items: number;
  readonly ms: number;
  readonly note?: string;
}

/** Prints rows as an aligned table with items/s. */
export function printTable(title: string, rows: readonly BenchRow[]): void {
  console.log(`\n## ${title}`);
  const header = ['workload', 'items', 'median ms', 'items/s', 'note'];
  const body = rows.map((r) => [
    r.workload,
    r.items.toLocaleString('en-US'),
    r.ms.toFixed(2),
    Math.round((r.items / r.ms) * 1000).toLocaleString('en-US'),
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}

/** One line describing the machine, printed at the top of every run. */
export function describeMachine(): string {
  const c = cpus();
  return `node ${process.version}, ${c.length} cores (${c[0]?.model ?? 'unknown cpu'}), single thread unless stated`;
}
