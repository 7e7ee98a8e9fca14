/**
 * The service as the HTTP tests start it: an in-memory store, the test's admin key and clock, the
 * rate limits lifted (these tests exercise the routes, not the limiter; the limiter has its own),
 * no request log, and a fatal error thrown into the test instead of stopping the process.
 */
import {
  startService,
  type RunningService,
  type StartServiceOptions,
} from '../../src/adapters/http/start-service.js';

/** A rate limit no test reaches. */
export const LIFTED_RATE_LIMIT = { ratePerSec: 1e6, burst: 1e6 } as const;

/** Starts the service for a test; `extra` overrides or adds options. */
export function startTestService(
  adminKey: string,
  wall: () => number,
  extra: Partial<StartServiceOptions> = {},
): Promise<RunningService> {
  return startService({
    store: {},
    adminKey,
    version: 'test',
    logger: false,
    wall,
    rateLimit: LIFTED_RATE_LIMIT,
    onFatal: (e) => {
      throw e;
    },
    ...extra,
  });
}
