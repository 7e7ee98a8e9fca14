/**
 * @module adapters/http/server
 *
 * Builds the fastify application of `xmargin serve`: the REST API and the WebSocket stream under
 * `/api/v1`, the OpenAPI document and its UI at `/docs` (served from the installed packages, so it
 * works offline), and the dashboard's built files at `/`.
 *
 * Every `/api/v1` route except `/health` needs an API key (auth.ts) and takes one token of the
 * key's rate limit (rate-limit.ts); errors leave as the API's error body (http-errors.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import type { Asset } from '../../core/ledger/asset.js';
import { XmarginError } from '../../core/errors.js';
import { keyFromRequest, hashApiKey, toPrincipal, type Principal } from './auth.js';
import { toErrorResponse, unauthenticated } from './http-errors.js';
import { RateLimiter, DEFAULT_RATE_LIMIT, type RateLimitParams } from './rate-limit.js';
import { registerRoutes } from './routes.js';
import { registerSolvencyRoutes } from './solvency-routes.js';
import { registerStream } from './stream.js';
import type { VenueService } from './venue-service.js';
import { zodValidatorCompiler } from './zod-schemas.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  readonly service: VenueService;
  /** the venue's assets (decimals for amounts) */
  readonly assets: readonly Asset[];
  /** package version reported by /health */
  readonly version: string;
  /** per-key limits; default 50 req/s, bursts of 100 */
  readonly rateLimit?: RateLimitParams;
  /** directory of the dashboard's built files (index.html); a placeholder page when missing */
  readonly webDir?: string;
  /** fastify's logger (default off) */
  readonly logger?: boolean;
  /** monotonic clock for the rate limiter, ms (default performance.now) */
  readonly nowMs?: () => number;
}

/** The built application (not yet listening). */
export interface XmarginServer {
  readonly app: FastifyInstance;
  /** registers a key in memory (it must already be stored) */
  addKey(keyHash: string, scopes: readonly string[]): void;
}

/** Page served at `/` when the dashboard has not been built. */
export const WEB_NOT_BUILT_HTML =
  '<!doctype html><title>xmargin</title><p>The xmargin dashboard is not built (run the web build to create dist/web); the API is at /api/v1 and its documentation at /docs.</p>\n';

/** Builds the application; loads the stored API keys. */
export async function buildServer(options: ServerOptions): Promise<XmarginServer> {
  const { service } = options;
  const keys = new Map<string, Principal>();
  for (const k of await service.store.listApiKeys()) keys.set(k.keyHash, toPrincipal(k.keyHash, k.scopes));
  const addKey = (keyHash: string, scopes: readonly string[]) =>
    keys.set(keyHash, toPrincipal(keyHash, scopes));
  const limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const now = options.nowMs ?? (() => performance.now());

  const app = fastify({ logger: options.logger ?? false, bodyLimit: 1 << 20 });
  app.setValidatorCompiler(zodValidatorCompiler);
  // Response schemas document; they do not filter (plain JSON.stringify).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'xmargin API',
        version: options.version,
        description:
          'Portfolio margin and liquidation engine: venue, accounts, operations, margin (docs/api.md).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  app.setErrorHandler((err, req, reply) => {
    if (!(err instanceof XmarginError)) {
      const status = (err as { statusCode?: number }).statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        // fastify's own refusals (malformed JSON, wrong content type, body too large)
        const message = (err as Error).message;
        return reply.status(status).send({
          error: { code: 'ERR_INVALID_INPUT', message, field: 'body', rule: message, details: {} },
        });
      }
      req.log.error(err);
    }
    const { status, body } = toErrorResponse(err);
    if (status === 429) {
      const ms = Number((err as XmarginError).details.retryAfterMs ?? 1000);
      void reply.header('retry-after', String(Math.max(1, Math.ceil(ms / 1000))));
    }
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const { status, body } = toErrorResponse(
      new XmarginError('ERR_NOT_FOUND', `route ${req.method} ${req.url.split('?')[0]} must exist; got none`, {
        field: 'url',
        value: req.url.split('?')[0],
        rule: 'must name an API route',
      }),
    );
    return reply.status(status).send(body);
  });

  // Authentication and rate limiting of every API route except the public ones.
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    if ((req.routeOptions.config as { public?: boolean } | undefined)?.public === true) return;
    const key = keyFromRequest(req.headers as Record<string, unknown>, req.query);
    if (key === undefined)
      throw unauthenticated('authorization must carry an API key (Bearer or ?key=); got none');
    const principal = keys.get(hashApiKey(key));
    if (!principal) throw unauthenticated('authorization must carry a known API key; got an unknown key');
    const d = limiter.take(principal.keyHash, now());
    if (!d.ok)
      throw new XmarginError(
        'ERR_RATE_LIMITED',
        `requests must stay within ${limiter.params.ratePerSec}/s (bursts of ${limiter.params.burst}) per key; retry in ${d.retryAfterMs} ms`,
        { rule: `<= ${limiter.params.ratePerSec} requests/s`, retryAfterMs: d.retryAfterMs },
      );
    req.principal = principal;
  });

  const assets = new Map(options.assets.map((a) => [a.symbol, a]));
  await app.register(async (scope) => {
    registerRoutes(scope, { service, version: options.version, assets, addKey });
    registerStream(scope, service);
    registerSolvencyRoutes(scope, service);
  });

  if (options.webDir !== undefined && existsSync(join(options.webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: options.webDir, prefix: '/', wildcard: false });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html').send(WEB_NOT_BUILT_HTML),
    );
  }
  await app.ready();
  return { app, addKey };
}
