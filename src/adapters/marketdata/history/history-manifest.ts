/**
 * The MANIFEST.json of data/history (written by scripts/import-history.mjs): one entry per
 * shipped file with its layout, row count, first/last timestamp, sha256 of the decompressed CSV
 * and its source. Read with a strict schema; unknown fields are errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../../../core/errors.js';
import { parseWithSchema } from '../../../core/params/parse.js';
import { findPackageRoot } from '../../system/package-root.js';

/** What a shipped file holds: Binance hourly bars, Yahoo daily bars, or Deribit DVOL daily. */
export type HistoryKind = 'ohlcv_1h' | 'ohlcv_1d' | 'dvol';

const ManifestEntrySchema = z.strictObject({
  path: z.string().regex(/^[a-z0-9_]+\/[A-Za-z0-9-]+\.csv\.gz$/),
  kind: z.enum(['ohlcv_1h', 'ohlcv_1d', 'dvol']),
  symbol: z.string().min(1),
  quote: z.string().min(1),
  header: z.string().min(1),
  stepMs: z.number().int().positive(),
  rows: z.number().int().nonnegative(),
  first: z.string(),
  last: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  source: z.string().min(1),
  sourceSha256: z.string().regex(/^[0-9a-f]{64}$/),
  droppedRows: z.array(z.strictObject({ time: z.string(), reason: z.string() })).optional(),
});

const ManifestSchema = z.strictObject({
  format: z.literal(1),
  description: z.string(),
  generator: z.string(),
  files: z.array(ManifestEntrySchema),
});

/** One file of the manifest (paths relative to the history directory). */
export type HistoryManifestEntry = z.output<typeof ManifestEntrySchema>;
/** The whole manifest. */
export type HistoryManifest = z.output<typeof ManifestSchema>;

/** `<package root>/data/history`, the directory the import script writes. */
export function defaultHistoryDir(): string {
  return join(findPackageRoot(), 'data', 'history');
}

/**
 * Reads and validates `<dir>/MANIFEST.json`.
 * @param dir  history directory; default {@link defaultHistoryDir}
 * @throws InvalidInputError ERR_INVALID_INPUT when the file is missing or not JSON
 * @throws ValidationError ERR_VALIDATION when it does not match the manifest schema
 */
export function readHistoryManifest(dir: string = defaultHistoryDir()): HistoryManifest {
  const path = join(dir, 'MANIFEST.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InvalidInputError(
      'history manifest',
      path,
      `must be a readable file (${code}); run node scripts/import-history.mjs`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError('history manifest', path, `must be valid JSON (${(e as Error).message})`);
  }
  return parseWithSchema(ManifestSchema, json, path);
}

/**
 * The manifest entry of `symbol` among files of `kind`.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the field and listing the available symbols
 */
export function findManifestEntry(
  manifest: HistoryManifest,
  kind: HistoryKind,
  symbol: string,
  field: string,
): HistoryManifestEntry {
  const entry = manifest.files.find((f) => f.kind === kind && f.symbol === symbol);
  if (entry !== undefined) return entry;
  const known = manifest.files.filter((f) => f.kind === kind).map((f) => f.symbol);
  throw new InvalidInputError(field, symbol, `must be one of the ${kind} symbols (${known.join(', ')})`);
}
