/**
 * The body of `POST /api/v1/crossvenue` for an example trader (examples/venues/traders/<name>/):
 * one entry per venue directory with its payloads by kind, and the example's `asOf` and params.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The example trader's directory. */
export function exampleTraderDir(name: string): string {
  return new URL(`../../examples/venues/traders/${name}/`, import.meta.url).pathname;
}

/** The request body of the example trader `name` (default the perpetual hedger). */
export function crossVenueBody(name = 'perp-hedger') {
  const dir = exampleTraderDir(name);
  const cfg = JSON.parse(readFileSync(join(dir, 'crossvenue.json'), 'utf8')) as {
    asOf: string;
    params: unknown;
  };
  const venues = readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .sort()
    .map((venue) => ({
      venue,
      payloads: Object.fromEntries(
        readdirSync(join(dir, venue)).map((f) => [
          f.replace(/\.json$/, ''),
          JSON.parse(readFileSync(join(dir, venue, f), 'utf8')) as unknown,
        ]),
      ),
    }));
  return { asOf: cfg.asOf, venues, params: cfg.params };
}
