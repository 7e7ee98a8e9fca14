/**
 * The shipped crashes the venue is replayed through (docs/methodology/simulation.md#crashes):
 * each with the day before it as a run-up, and the names `--crashes` accepts (its id, or the
 * short date alias the issue tracker and the docs use). Units: ms UTC; windows are valuation
 * times from..to inclusive, stepped hourly by the replays.
 */
import { InvalidInputError } from '../../core/errors.js';

/** A crash window. */
export interface CrashWindow {
  readonly id: string;
  readonly label: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** other names accepted by `--crashes` (e.g. the crash date) */
  readonly aliases?: readonly string[];
}

const at = (iso: string) => Date.parse(iso);

/** The five shipped crashes, oldest first. */
export const CRASH_WINDOWS: readonly CrashWindow[] = [
  {
    id: 'black-thursday-2020-03',
    label: 'Black Thursday (2020-03-12)',
    fromMs: at('2020-03-11T00:00:00Z'),
    toMs: at('2020-03-14T00:00:00Z'),
    aliases: ['2020-03-12', '2020-03'],
  },
  {
    id: 'deleveraging-2021-05',
    label: 'May 2021 deleveraging (2021-05-19)',
    fromMs: at('2021-05-18T00:00:00Z'),
    toMs: at('2021-05-21T00:00:00Z'),
    aliases: ['2021-05-19', '2021-05'],
  },
  {
    id: 'luna-2022-05',
    label: 'LUNA/UST (2022-05-07..14)',
    fromMs: at('2022-05-07T00:00:00Z'),
    toMs: at('2022-05-14T00:00:00Z'),
    aliases: ['2022-05', 'luna'],
  },
  {
    id: 'ftx-2022-11',
    label: 'FTX/FTT (2022-11-06..12)',
    fromMs: at('2022-11-06T00:00:00Z'),
    toMs: at('2022-11-12T00:00:00Z'),
    aliases: ['2022-11', 'ftx'],
  },
  {
    id: 'usdc-2023-03',
    label: 'USDC depeg (2023-03-10..14)',
    fromMs: at('2023-03-10T00:00:00Z'),
    toMs: at('2023-03-14T00:00:00Z'),
    aliases: ['2023-03', 'usdc'],
  },
];

/**
 * The crashes named by a `--crashes` list: `all`, `none`, or ids / aliases, comma-separated
 * (order kept, repeats dropped).
 * @param text  the flag's value
 * @param flag  the flag's name, for the error
 * @throws InvalidInputError ERR_INVALID_INPUT naming the flag and the unknown name, listing the known ones
 * @example selectCrashes('2020-03-12,ftx') // [black-thursday-2020-03, ftx-2022-11]
 */
export function selectCrashes(text: string, flag = '--crashes'): CrashWindow[] {
  const tokens = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (tokens.length === 0) throw new InvalidInputError(flag, text, 'must list crashes, all or none');
  if (tokens.length === 1 && tokens[0] === 'all') return [...CRASH_WINDOWS];
  if (tokens.length === 1 && tokens[0] === 'none') return [];
  const out: CrashWindow[] = [];
  for (const tok of tokens) {
    const c = CRASH_WINDOWS.find((x) => x.id === tok || (x.aliases ?? []).includes(tok));
    if (c === undefined)
      throw new InvalidInputError(
        flag,
        tok,
        `must be all, none or crash names (${CRASH_WINDOWS.map((x) => [x.id, ...(x.aliases ?? [])].join('|')).join(', ')})`,
      );
    if (!out.includes(c)) out.push(c);
  }
  return out;
}
