/**
 * @module adapters/http/auth
 *
 * API keys and their scopes. A key is a random secret shown once to whoever created it; the
 * service stores only its SHA-256 (hex). Scopes:
 * - `admin`: the venue's administrator, everything;
 * - `read:<accountId>`: read every sub-account of that account;
 * - `trade:<accountId>`: read, and submit deposits, withdrawals, transfers and trades for it.
 *
 * An owner key (read/trade scopes) never reads or changes another account (403 ERR_FORBIDDEN).
 */
import { createHash, randomBytes } from 'node:crypto';
import { ACCOUNT_ID_PATTERN } from '../../engine/accounts.js';
import { forbidden } from './http-errors.js';

/** A scope string: `admin`, `read:<accountId>` or `trade:<accountId>`. */
export const SCOPE_PATTERN = new RegExp(`^(admin|(read|trade):${ACCOUNT_ID_PATTERN.source.slice(1, -1)})$`);

/** What a request's key allows. */
export interface Principal {
  /** SHA-256 of the key (hex): the rate limiter's and the log's id of the caller */
  readonly keyHash: string;
  readonly scopes: readonly string[];
  readonly admin: boolean;
  /** accounts the key may read (trade implies read) */
  readonly readable: ReadonlySet<string>;
  /** accounts the key may trade for */
  readonly tradable: ReadonlySet<string>;
}

/** SHA-256 of a key, lower-case hex. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
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
  return { keyHash, scopes, admin: scopes.includes('admin'), readable, tradable };
}

/** @throws XmarginError ERR_FORBIDDEN unless the key may read `accountId` */
export function requireRead(p: Principal, accountId: string, what = `reading account ${accountId}`): void {
  if (!p.admin && !p.readable.has(accountId)) throw forbidden(`read:${accountId}`, what);
}

/** @throws XmarginError ERR_FORBIDDEN unless the key may trade for `accountId` */
export function requireTrade(p: Principal, accountId: string, what = `changing account ${accountId}`): void {
  if (!p.admin && !p.tradable.has(accountId)) throw forbidden(`trade:${accountId}`, what);
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
