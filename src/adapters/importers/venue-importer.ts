/**
 * The importer interface and the payload classification shared by every venue (one file per
 * venue in this folder). An importer declares the payload kinds it reads, each with its zod
 * schema and the documentation page it follows; a file is assigned to a kind by its name
 * (`positions.json` → `positions`) or, failing that, by the one schema it satisfies.
 */
import type { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { ImportedAccount } from './import-builder.js';
import { parsePayload, unwrap } from './parse-payload.js';

/** One payload an importer reads. */
export interface PayloadKind {
  /** kind name, also the file name that selects it (`account-summary`) */
  readonly name: string;
  readonly required: boolean;
  /** the endpoint and documentation page it follows */
  readonly docs: string;
  readonly schema: z.ZodType;
  /** envelope keys stripped before validation (e.g. `['result']`, `['result', 'list']`) */
  readonly unwrap?: readonly string[];
}

/** A venue importer. */
export interface VenueImporter {
  /** importer name, as `xmargin import --venue NAME` takes it */
  readonly name: string;
  /** the default venue tag */
  readonly venue: string;
  readonly kinds: readonly PayloadKind[];
  /**
   * Reads the payloads (raw JSON by kind).
   * @throws ValidationError naming the venue, payload, field and value; InvalidInputError for a
   *         value the importer cannot map (naming it)
   */
  read(payloads: ReadonlyMap<string, unknown>, options: ImportOptions): readonly ImportedAccount[];
}

/** Options of an import. */
export interface ImportOptions {
  /** the tag written on every position and balance */
  readonly venue: string;
  /** valuation time, ms UTC; default: the latest time the payloads carry */
  readonly asOfMs?: number;
}

/** An input file: its path (for messages and its name) and parsed JSON. */
export interface PayloadFile {
  readonly path: string;
  readonly json: unknown;
}

const baseName = (path: string) => (path.split(/[\\/]/).pop() ?? path).replace(/\.json$/i, '').toLowerCase();

/**
 * Assigns each file to one of the importer's payload kinds.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the file when no kind (or more than one)
 *         fits, or a required kind is missing
 */
export function classifyPayloads(
  importer: VenueImporter,
  files: readonly PayloadFile[],
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const f of files) {
    const byName = importer.kinds.find((k) => k.name === baseName(f.path));
    const kinds = byName
      ? [byName]
      : importer.kinds.filter((k) => k.schema.safeParse(unwrap(f.json, k.unwrap ?? []).inner).success);
    if (kinds.length !== 1)
      throw new InvalidInputError(
        '--in',
        f.path,
        kinds.length === 0
          ? `must be one of the ${importer.name} payloads (${importer.kinds.map((k) => k.name).join(', ')}); name the file after its kind`
          : `fits several ${importer.name} payloads (${kinds.map((k) => k.name).join(', ')}); name the file after its kind`,
      );
    const kind = kinds[0]!.name;
    if (out.has(kind))
      throw new InvalidInputError('--in', f.path, `repeats the ${importer.name} ${kind} payload`);
    out.set(kind, f.json);
  }
  for (const k of importer.kinds)
    if (k.required && !out.has(k.name))
      throw new InvalidInputError(
        '--in',
        files.map((f) => f.path).join(' '),
        `must include the ${importer.name} ${k.name} payload (${k.docs})`,
      );
  return out;
}

/**
 * Validates the payload of one kind (its envelope stripped).
 * @throws ValidationError naming the venue, the payload, the field and the value
 */
export function readPayload<S extends z.ZodType>(
  importer: VenueImporter,
  payloads: ReadonlyMap<string, unknown>,
  kind: string,
  schema: S,
): z.output<S> | undefined {
  if (!payloads.has(kind)) return undefined;
  const k = importer.kinds.find((x) => x.name === kind);
  return parsePayload(importer.name, kind, schema, payloads.get(kind), k?.unwrap ?? []);
}
