/**
 * An accounts directory (`xmargin crossvenue --accounts DIR`): one sub-directory of payload files
 * per venue, named after its importer (`okx/positions.json`, `okx/balance.json`), and an optional
 * `crossvenue.json`:
 *
 *   { "asOf": "2026-03-02T08:00:00Z",              valuation time for payloads without one
 *     "venues": { "bybit-ccxt": "ccxt:bybit" },     a directory's --venue value, when not its name
 *     "params": { ... } }                           the combined view's parameters (cross-venue-params.ts)
 *
 * Directories starting with `.` or `_` are skipped. Every file is read and validated; a bad one
 * stops the load with an error naming the venue, the file, the field and the value.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import { parseCrossVenueParams, type CrossVenueParams } from '../../core/crossvenue/cross-venue-params.js';
import { parseWithSchema } from '../../core/params/parse.js';
import type { ImportedAccount } from './import-builder.js';
import { importVenue } from './index.js';
import { readJsonFile } from '../cli/read-json-file.js';

/** Strict schema of `crossvenue.json`. */
export const AccountsConfigSchema = z.strictObject({
  asOf: z.iso.datetime().exactOptional(),
  venues: z.record(z.string().min(1), z.string().min(1)).exactOptional(),
  params: z.unknown().exactOptional(),
});

/** A loaded accounts directory. */
export interface AccountsDir {
  readonly accounts: readonly ImportedAccount[];
  readonly params: CrossVenueParams;
  readonly asOfMs?: number;
}

/**
 * Loads every venue of an accounts directory (module header).
 * @param asOfMs  overrides the directory's `asOf`
 * @throws InvalidInputError / ValidationError naming the directory, file, field and value
 */
export function loadAccountsDir(dir: string, asOfMs?: number): AccountsDir {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (e) {
    throw new InvalidInputError(
      '--accounts',
      dir,
      `must name a readable directory (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
  const cfg = entries.includes('crossvenue.json')
    ? parseWithSchema(
        AccountsConfigSchema,
        readJsonFile(join(dir, 'crossvenue.json'), '--accounts'),
        `${join(dir, 'crossvenue.json')}`,
      )
    : {};
  const asOf = asOfMs ?? (cfg.asOf === undefined ? undefined : Date.parse(cfg.asOf));
  const accounts: ImportedAccount[] = [];
  for (const name of entries) {
    const path = join(dir, name);
    if (name.startsWith('.') || name.startsWith('_') || !statSync(path).isDirectory()) continue;
    const files = readdirSync(path)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => ({ path: join(path, f), json: readJsonFile(join(path, f), '--accounts') }));
    accounts.push(...importVenue(cfg.venues?.[name] ?? name, files, asOf));
  }
  if (accounts.length === 0)
    throw new InvalidInputError('--accounts', dir, 'must hold one sub-directory of payloads per venue');
  return {
    accounts,
    params: parseCrossVenueParams(cfg.params),
    ...(asOf === undefined ? {} : { asOfMs: asOf }),
  };
}
