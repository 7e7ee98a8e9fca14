/** Reads and parses a JSON input file; unreadable or malformed files are bad input (exit 2). */
import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../../core/errors.js';

/** @throws InvalidInputError naming the option when the file cannot be read or parsed */
export function readJsonFile(path: string, option = '--input'): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidInputError(
      option,
      path,
      `must name a readable file (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InvalidInputError(option, path, `must contain valid JSON (${(e as Error).message})`);
  }
}
