/**
 * The plausibility flags of the commands that read portfolios, markets and option files
 * (core/portfolio/plausibility.ts): `--max-notional <usd>` (default 10^10) and `--allow-high-vol`
 * (lifts the 500% vol bound).
 */
import type { Command } from 'commander';
import { requireInput } from '../../core/errors.js';
import { DEFAULT_PLAUSIBILITY, type PlausibilityBounds } from '../../core/portfolio/plausibility.js';

/** What commander parses from the flags. */
export interface PlausibilityFlags {
  readonly maxNotional?: string;
  readonly allowHighVol?: boolean;
}

/** Adds the flags to a command. */
export function addPlausibilityOptions(cmd: Command, notional = true): Command {
  if (notional)
    cmd.option(
      '--max-notional <usd>',
      `largest notional of one position, trade or balance (default ${DEFAULT_PLAUSIBILITY.maxNotionalUsd.toExponential()} USD)`,
    );
  return cmd.option(
    '--allow-high-vol',
    `accept option vols above ${DEFAULT_PLAUSIBILITY.maxVol} (${100 * DEFAULT_PLAUSIBILITY.maxVol}%)`,
  );
}

/**
 * The bounds the flags ask for.
 * @throws InvalidInputError ERR_INVALID_INPUT naming `--max-notional` unless it is a number > 0
 */
export function boundsFrom(flags: PlausibilityFlags): PlausibilityBounds {
  let maxNotionalUsd = DEFAULT_PLAUSIBILITY.maxNotionalUsd;
  if (flags.maxNotional !== undefined) {
    maxNotionalUsd = Number(flags.maxNotional);
    requireInput(
      flags.maxNotional.trim() !== '' && maxNotionalUsd > 0,
      '--max-notional',
      flags.maxNotional,
      'must be a number of USD > 0 (Infinity for no bound)',
    );
  }
  return { maxNotionalUsd, maxVol: flags.allowHighVol === true ? Infinity : DEFAULT_PLAUSIBILITY.maxVol };
}
