/**
 * @module route
 * Hash routing: `#/` accounts, `#/account/<accountId>/<subAccountId>` one sub-account, `#/venue`,
 * `#/builder?…` the position builder (its book in the query: builder-state.ts).
 * Hash routes need nothing from the server: any static handler serving index.html at `/` works.
 */
import { useSyncExternalStore } from 'react';

/** A page of the dashboard. */
export type Route =
  | { page: 'accounts' }
  | { page: 'account'; accountId: string; subAccountId: string }
  | { page: 'venue' }
  | { page: 'builder'; query: string }
  | { page: 'not-found'; hash: string };

/**
 * Parses a location hash into a route.
 *
 * @param hash `location.hash`, e.g. `#/account/alice/main`
 * @returns the route; unknown hashes give `not-found`
 */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split(/\?(.*)/s);
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 1 && parts[0] === 'builder') return { page: 'builder', query };
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'accounts')) return { page: 'accounts' };
  if (parts.length === 1 && parts[0] === 'venue') return { page: 'venue' };
  if (parts.length === 3 && parts[0] === 'account')
    return {
      page: 'account',
      accountId: decodeURIComponent(parts[1]!),
      subAccountId: decodeURIComponent(parts[2]!),
    };
  return { page: 'not-found', hash };
}

/**
 * The hash of a sub-account's page.
 *
 * @param key `accountId/subAccountId`
 */
export function toAccountHash(key: string): string {
  const [a = '', s = ''] = key.split('/');
  return `#/account/${encodeURIComponent(a)}/${encodeURIComponent(s)}`;
}

function subscribeHash(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

/** The current route, re-rendering on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  return parseRoute(hash);
}
