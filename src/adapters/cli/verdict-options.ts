/** The `whatif` rule options: `--buffer <fraction>` and `--max-leverage <ratio>`, checked at the edge. */
import { requireInput } from '../../core/errors.js';
import type { VerdictRules } from '../../core/analytics/index.js';

/**
 * Verdict rules from the command-line text.
 * @throws InvalidInputError ERR_INVALID_INPUT naming `--buffer` or `--max-leverage`
 */
export function parseVerdictRules(buffer: string, maxLeverage: string | undefined): VerdictRules {
  const b = Number(buffer);
  requireInput(
    buffer.trim() !== '' && b >= 0 && b <= 10,
    '--buffer',
    buffer,
    'must be a fraction in [0, 10]',
  );
  if (maxLeverage === undefined) return { bufferFraction: b };
  const l = Number(maxLeverage);
  requireInput(
    maxLeverage.trim() !== '' && l > 0 && l <= 1000,
    '--max-leverage',
    maxLeverage,
    'must be a ratio in (0, 1000]',
  );
  return { bufferFraction: b, maxLeverage: l };
}
