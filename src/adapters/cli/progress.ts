/**
 * Progress of a long command on stderr (stdout stays the result):
 * - on a terminal: one line redrawn in place, `label [#####.....] 42%`;
 * - otherwise (redirected, piped, CI): a plain line every `everySeconds` (default 10) once the
 *   command has run that long, `label: 42% (1,234/2,938), 1m05s elapsed, about 1m30s left`, and a
 *   last `label: done in 2m35s` when any line was printed; a command that finishes sooner prints
 *   nothing. `everySeconds` 0 prints a line at every whole percent.
 */
import { requireInput } from '../../core/errors.js';

/** Where progress goes and how often. */
export interface ProgressOptions {
  /** what is progressing, e.g. `backtest` */
  readonly label: string;
  /** default process.stderr */
  readonly stream?: { write(text: string): unknown; readonly isTTY?: boolean };
  /** seconds between lines when not on a terminal (≥ 0; default 10) */
  readonly everySeconds?: number;
  /** the clock, ms (default performance.now) */
  readonly now?: () => number;
}

/** `(done, total, phase?)`: report that `done` of `total` units are finished. */
export type ProgressReporter = (done: number, total: number, phase?: string) => void;

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  if (h > 0) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A reporter for one command (module header). */
export function createProgress(opts: ProgressOptions): ProgressReporter {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? (() => performance.now());
  const every = (opts.everySeconds ?? 10) * 1000;
  const start = now();
  let lastKey = '';
  let lastLine = start;
  let printed = false;
  if (stream.isTTY === true) {
    return (done, total, phase) => {
      const pct = Math.floor((100 * done) / Math.max(1, total));
      const label = phase ?? opts.label;
      const key = `${label}:${pct}`;
      if (key === lastKey) return;
      lastKey = key;
      const width = 30;
      const fill = Math.round((width * Math.min(done, total)) / Math.max(1, total));
      stream.write(
        `\r${label.padEnd(14)}[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct}%${done >= total ? '\n' : ''}`,
      );
    };
  }
  return (done, total, phase) => {
    const t = now();
    const label = phase ?? opts.label;
    if (done >= total) {
      if (printed) stream.write(`${label}: done in ${duration(t - start)}\n`);
      printed = false;
      return;
    }
    const pct = Math.floor((100 * done) / Math.max(1, total));
    const due = every === 0 ? `${label}:${pct}` !== lastKey : t - lastLine >= every;
    if (!due) return;
    lastKey = `${label}:${pct}`;
    lastLine = t;
    printed = true;
    const left = done > 0 ? `, about ${duration(((t - start) * (total - done)) / done)} left` : '';
    stream.write(
      `${label}: ${pct}% (${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}), ${duration(t - start)} elapsed${left}\n`,
    );
  };
}

/**
 * A reporter for a command's `--progress <seconds>` value.
 * @throws InvalidInputError ERR_INVALID_INPUT naming `--progress` unless it is a number >= 0
 */
export function progressFor(label: string, seconds: string): ProgressReporter {
  const every = Number(seconds);
  requireInput(
    seconds.trim() !== '' && every >= 0 && every < Infinity,
    '--progress',
    seconds,
    'must be a number of seconds >= 0',
  );
  return createProgress({ label, everySeconds: every });
}

/** The `--progress <seconds>` option shared by the long commands. */
export const PROGRESS_OPTION = [
  '--progress <seconds>',
  'seconds between progress lines on stderr when it is not a terminal (0: every percent)',
  '10',
] as const;
