/**
 * @module adapters/http/canonical-path
 *
 * One spelling per route, before routing and before auth: every request's path is decoded and
 * normalised once, so `/%61pi/v1/venue`, `//api/v1/./venue`, `/api/v1/x/../venue` and
 * `/API/V1/Venue` all reach the route `/api/v1/venue` and get its decision (auth.ts decides on the
 * matched route, never on the raw URL).
 *
 * Steps: percent-decoding of the path (an undecodable escape leaves the path as sent: the router
 * then refuses it), `\` treated as `/`, empty segments (double slashes) dropped, `.` and `..`
 * resolved (never above the root), then the route table's static segments matched without regard to
 * case and written in their registered case. Path parameters (account ids, key ids) keep their case:
 * a segment is lower-cased only where every route of that shape has a static segment. The query
 * string is kept as sent.
 */

/** Splits a route pattern or a path into segments (no empty ones). */
function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** A canonicaliser over a route table that can grow (routes are registered after it is built). */
export class PathCanonicalizer {
  /** per segment count: the route patterns of that length, as segments (`:x` = a parameter) */
  readonly #byLength = new Map<number, string[][]>();

  /** Adds a route pattern (`/api/v1/accounts/:accountId`); wildcards (`*`) are ignored. */
  addRoute(pattern: string): void {
    if (pattern.includes('*')) return;
    const segs = segmentsOf(pattern);
    let list = this.#byLength.get(segs.length);
    if (!list) this.#byLength.set(segs.length, (list = []));
    if (!list.some((r) => r.join('/') === segs.join('/'))) list.push(segs);
  }

  /**
   * The canonical form of a request URL (path and query).
   * @param url  the request target as received (`/path?query`)
   */
  canonicalize(url: string): string {
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q);
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      return url; // malformed escape: let the router refuse it as sent
    }
    const out: string[] = [];
    for (const seg of decoded.replace(/\\/g, '/').split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') out.pop();
      else out.push(seg);
    }
    this.#restoreStaticCase(out);
    return `/${out.map(encodeURIComponent).join('/')}${query}`;
  }

  /** Writes static segments in their registered case where the route shape is unambiguous. */
  #restoreStaticCase(segs: string[]): void {
    const routes = this.#byLength.get(segs.length);
    if (!routes) return;
    const matches = routes.filter((r) =>
      r.every((p, i) => p.startsWith(':') || p.toLowerCase() === segs[i]!.toLowerCase()),
    );
    if (matches.length === 0) return;
    for (let i = 0; i < segs.length; i++) {
      const statics = new Set(matches.map((r) => r[i]!).filter((p) => !p.startsWith(':')));
      const allStatic = matches.every((r) => !r[i]!.startsWith(':'));
      if (allStatic && statics.size === 1) segs[i] = [...statics][0]!;
    }
  }
}
