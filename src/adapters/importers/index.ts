/**
 * @module adapters/importers
 *
 * Venue importers: native payloads of Deribit, OKX, Bybit, Binance, Hyperliquid, dYdX, Drift and
 * Aave v3, and ccxt's unified structures, each into a venue-tagged portfolio, its market, the
 * preset that reproduces the venue's own margin, and the venue's own figures
 * (docs/formats.md#venue-tags, docs/methodology/cross-venue.md#importers).
 */
import { InvalidInputError } from '../../core/errors.js';
import { VENUE_TAG_PATTERN } from '../../core/portfolio/portfolio-file.js';
import { aaveImporter } from './aave-importer.js';
import { binanceImporter } from './binance-importer.js';
import { bybitImporter } from './bybit-importer.js';
import { ccxtImporter } from './ccxt-importer.js';
import { deribitImporter } from './deribit-importer.js';
import { driftImporter } from './drift-importer.js';
import { dydxImporter } from './dydx-importer.js';
import { hyperliquidImporter } from './hyperliquid-importer.js';
import type { ImportedAccount } from './import-builder.js';
import { okxImporter } from './okx-importer.js';
import { classifyPayloads, type PayloadFile, type VenueImporter } from './venue-importer.js';

export type { ImportedAccount } from './import-builder.js';
export type { PayloadFile, PayloadKind, VenueImporter, ImportOptions } from './venue-importer.js';

/** Every importer, by name. */
export const IMPORTERS: readonly VenueImporter[] = [
  deribitImporter,
  okxImporter,
  bybitImporter,
  binanceImporter,
  hyperliquidImporter,
  dydxImporter,
  driftImporter,
  aaveImporter,
  ccxtImporter,
];

/**
 * The importer and the venue tag of a `--venue` value: an importer name (`okx`), or
 * `ccxt:<exchange>` (ccxt's structures from that exchange, tagged with its id).
 * @throws InvalidInputError ERR_INVALID_INPUT naming `--venue`
 */
export function resolveVenue(spec: string, field = '--venue'): { importer: VenueImporter; venue: string } {
  const [name, tag] = spec.includes(':')
    ? [spec.slice(0, spec.indexOf(':')), spec.slice(spec.indexOf(':') + 1)]
    : [spec, undefined];
  const importer = IMPORTERS.find((i) => i.name === name);
  if (!importer)
    throw new InvalidInputError(
      field,
      spec,
      `must be one of ${IMPORTERS.map((i) => i.name).join(', ')} (or ccxt:<exchange>)`,
    );
  const venue = tag ?? importer.venue;
  if (!VENUE_TAG_PATTERN.test(venue))
    throw new InvalidInputError(
      field,
      spec,
      'must end in a venue tag: lower-case letters, digits, ".", "_", "-"',
    );
  return { importer, venue };
}

/**
 * Imports one venue's payload files.
 * @param field  the input that named the venue, for messages (`--venue`, `venues[0].venue`)
 * @throws InvalidInputError / ValidationError naming the venue, the file or payload, the field and the value
 * @example importVenue('okx', [{ path: 'positions.json', json }, { path: 'balance.json', json: b }])
 */
export function importVenue(
  spec: string,
  files: readonly PayloadFile[],
  asOfMs?: number,
  field = '--venue',
): readonly ImportedAccount[] {
  const { importer, venue } = resolveVenue(spec, field);
  const payloads = classifyPayloads(importer, files);
  return importer.read(payloads, { venue, ...(asOfMs === undefined ? {} : { asOfMs }) });
}
