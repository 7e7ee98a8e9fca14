/** @module error-banner An API error as a page-level message, with the contract's code. */
import type { ApiError } from '../api.js';

/** Shows an error of the API, or nothing when there is none. */
export function ErrorBanner({ error, what }: { error: ApiError | null; what: string }) {
  if (error === null) return null;
  const hint = error.status === 401 ? ' Open the dashboard with ?key=<api key>.' : '';
  return (
    <div className="error-banner" role="alert">
      Cannot load {what}: {error.message} <code>{error.code}</code>
      {hint}
    </div>
  );
}
