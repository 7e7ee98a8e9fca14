/** Integer command-line options, checked at the edge. */
import { InvalidInputError } from '../../core/errors.js';

/**
 * The integer value of option `name`, or `def` when absent.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the option unless it is an integer in [min, max]
 */
export function intOption(
  text: string | undefined,
  name: string,
  def: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return def;
  const x = Number(text);
  if (!(text.trim() !== '' && Number.isInteger(x) && x >= min && x <= max))
    throw new InvalidInputError(name, text, `must be an integer from ${min} to ${max}`);
  return x;
}
