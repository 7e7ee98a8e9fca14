/**
 * @module adapters/http/auth
 *
 * API keys and their scopes. A key is a random secret shown once to whoever created it; the
 * service stores only its SHA-256 (hex) and names it by the first 16 hex digits of that hash (its
 * id). Scopes:
 * - `admin`: the venue's administrator, everything;
 * - `venue`: the venue's matching side: fills (trades with an agreed price) for any account;
 * - `read:<accountId>`: read every sub-account of that account;
 * - `trade:<accountId>`: read, and submit deposits, withdrawals, transfers and orders for it
 *   (an order is filled by the venue's market maker at the mark plus a spread: an owner key
 *   never sets a price, an amount of cash, or the clock).
 *
 * An owner key (read/trade scopes) never reads or changes another account (403 ERR_FORBIDDEN).
 * A revoked key authenticates nothing (401).
 */
import { createHash, randomBytes } from 'node:crypto';
import { forbidden } from './http-errors.js';

export { SCOPE_PATTERN } from './contract-requests.js';

/** What a request's key allows. */
export interface Principal {
  /** SHA-256 of the key (hex): the rate limiter's and the log's id of the caller */
  readonly keyHash: string;
  readonly scopes: readonly string[];
  readonly admin: boolean;
  /** the venue's matching side (or admin): may submit fills with a price */
  readonly venue: boolean;
  /** accounts the key may read (trade implies read) */
  readonly readable: ReadonlySet<string>;
  /** accounts the key may trade for */
  readonly tradable: ReadonlySet<string>;
}

/** SHA-256 of a key, lower-case hex. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The public id of a key: the first 16 hex digits of its SHA-256. */
export function keyIdOf(keyHash: string): string {
  return keyHash.slice(0, 16);
}

/** A new random key: `xm_` + 32 random bytes in base64url (256 bits). */
export function generateApiKey(): string {
  return `xm_${randomBytes(32).toString('base64url')}`;
}

/** The principal of a key with these scopes. */
export function toPrincipal(keyHash: string, scopes: readonly string[]): Principal {
  const readable = new Set<string>();
  const tradable = new Set<string>();
  for (const s of scopes) {
    const [kind, account] = s.split(':', 2) as [string, string | undefined];
    if (account === undefined) continue;
    readable.add(account);
    if (kind === 'trade') tradable.add(account);
  }
  const admin = scopes.includes('admin');
  return { keyHash, scopes, admin, venue: admin || scopes.includes('venue'), readable, tradable };
}

/** @throws XmarginError ERR_FORBIDDEN unless the key may read `accountId` */
export function requireRead(p: Principal, accountId: string, what = `reading account ${accountId}`): void {
  if (!p.admin && !p.readable.has(accountId)) throw forbidden(`read:${accountId}`, what);
}

/** @throws XmarginError ERR_FORBIDDEN unless the key may trade for `accountId` */
export function requireTrade(p: Principal, accountId: string, what = `changing account ${accountId}`): void {
  if (!p.admin && !p.tradable.has(accountId)) throw forbidden(`trade:${accountId}`, what);
}

/** @throws XmarginError ERR_FORBIDDEN unless the key is the venue's matching side (venue or admin) */
export function requireVenue(p: Principal, what: string): void {
  if (!p.venue) throw forbidden('venue', what);
}

/** @throws XmarginError ERR_FORBIDDEN unless the key is an admin key */
export function requireAdmin(p: Principal, what: string): void {
  if (!p.admin) throw forbidden('admin', what);
}

/**
 * The key of a request: `Authorization: Bearer <key>`, else the `key` query parameter (the
 * WebSocket and the dashboard's links cannot set headers).
 */
export function keyFromRequest(
  headers: Readonly<Record<string, unknown>>,
  query: unknown,
): string | undefined {
  const h = headers.authorization;
  if (typeof h === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    if (m) return m[1];
  }
  if (query !== null && typeof query === 'object') {
    const k = (query as Record<string, unknown>).key;
    if (typeof k === 'string' && k.length > 0) return k;
  }
  return undefined;
}
