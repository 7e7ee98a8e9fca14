/**
 * @module adapters/http/server
 *
 * Builds the fastify application of `xmargin serve`: the REST API and the WebSocket stream under
 * `/api/v1`, the OpenAPI document and its UI at `/docs` (served from the installed packages, so it
 * works offline), and the dashboard's built files at `/`.
 *
 * Trust boundary, in the order a request meets it:
 * 1. the path is made canonical before routing (canonical-path.ts): one spelling per route;
 * 2. the decision is taken on the matched route, never on the raw URL: every route under `/api/` needs
 *    a valid, unrevoked key unless it is on the allow-list of public routes (`config.public`:
 *    health); the documentation and the dashboard's files are public; the WebSocket upgrade passes the
 *    same hook;
 * 3. rate limits: per key, and per client address for requests without a valid key (public routes,
 *    401s, 404s);
 * 4. bodies: JSON only, at most 1 MiB (413) and 32 levels deep (400), then the route's zod schema;
 *    heavy requests (margin, what-if, risk, verdict, builder, optimiser, cross-venue) then pay their
 *    cost from the key's budget (429) and wait in a bounded queue (503) for a worker thread
 *    (heavy-requests.ts), both refusals with `Retry-After`;
 * 5. errors leave as the API's uniform body (http-errors.ts); a 5xx is logged with its cause, never
 *    shown; request logs carry a request id, the method, the path without its query (a key may ride
 *    in `?key=`), the status and the time, never a body or a key.
 * CORS: preflights are answered; cross-origin reads are allowed only for the configured origins.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import type { Asset } from '../../core/ledger/asset.js';
import { XmarginError } from '../../core/errors.js';
import type { DemoReplay } from '../../engine/venue/demo-venue.js';
import { keyFromRequest, hashApiKey, toPrincipal, type Principal } from './auth.js';
import { PathCanonicalizer } from './canonical-path.js';
import { toErrorResponse, unauthenticated } from './http-errors.js';
import { parseJsonBody } from './json-body.js';
import { RateLimiter, DEFAULT_RATE_LIMIT, type RateLimitParams } from './rate-limit.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerRoutes } from './routes.js';
import { registerTraderRoutes } from './trader-routes.js';
import { registerSolvencyRoutes } from './solvency-routes.js';
import { registerOptimiseRoutes } from './optimise-routes.js';
import { registerStream } from './stream.js';
import { registerCrossVenueRoutes } from './crossvenue-routes.js';
import { HeavyRequests, type HeavyRequestOptions } from './heavy-requests.js';
import type { VenueService } from './venue-service.js';
import { zodValidatorCompiler } from './zod-schemas.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  readonly service: VenueService;
  /** the venue's assets (decimals for amounts) */
  readonly assets: readonly Asset[];
  /** package version reported by /health */
  readonly version: string;
  /** the demo replay, when one runs (admin can step it) */
  readonly replay?: DemoReplay;
  /** per-key limits; default 50 req/s, bursts of 100 */
  readonly rateLimit?: RateLimitParams;
  /** per-address limits of requests without a valid key; default 20 req/s, bursts of 40 */
  readonly anonymousRateLimit?: RateLimitParams;
  /** origins allowed to call the API from a browser (CORS); default none (same origin only) */
  readonly corsOrigins?: readonly string[];
  /** directory of the dashboard's built files (index.html); a placeholder page when missing */
  readonly webDir?: string;
  /** the request log (default on, JSON lines on stdout) */
  readonly logger?: boolean;
  /** monotonic clock for the rate limiters, ms (default performance.now) */
  readonly nowMs?: () => number;
  /** heavy requests: worker threads, queue bound, per-key cost budget (heavy-requests.ts) */
  readonly heavy?: HeavyRequestOptions;
}

/** The built application (not yet listening). */
export interface XmarginServer {
  readonly app: FastifyInstance;
  /** registers a key in memory (it must already be stored) */
  addKey(keyHash: string, scopes: readonly string[]): void;
  /** forgets a key (it must already be revoked in the store) */
  removeKey(keyHash: string): void;
  /** the heavy requests' admission and worker pool (stopped when the app closes) */
  readonly heavy: HeavyRequests;
}

/** Page served at `/` when the dashboard has not been built. */
export const WEB_NOT_BUILT_HTML =
  '<!doctype html><title>xmargin</title><p>The xmargin dashboard is not built (run the web build to create dist/web); the API is at /api/v1 and its documentation at /docs.</p>\n';

/** Per-address limits of requests without a valid key. */
export const DEFAULT_ANONYMOUS_RATE_LIMIT: RateLimitParams = { ratePerSec: 20, burst: 40 };

/** The request as the log shows it: no query string (it may carry a key), no body, no headers. */
function logRequest(req: FastifyRequest) {
  return { method: req.method, path: req.url.split('?')[0], ip: req.ip };
}

/** Builds the application; loads the stored, unrevoked API keys. */
export async function buildServer(options: ServerOptions): Promise<XmarginServer> {
  const { service } = options;
  const keys = new Map<string, Principal>();
  for (const k of await service.store.listApiKeys())
    if (k.revokedAtMs === undefined) keys.set(k.keyHash, toPrincipal(k.keyHash, k.scopes));
  const addKey = (keyHash: string, scopes: readonly string[]) =>
    keys.set(keyHash, toPrincipal(keyHash, scopes));
  const removeKey = (keyHash: string) => keys.delete(keyHash);
  const limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const anonymous = new RateLimiter(options.anonymousRateLimit ?? DEFAULT_ANONYMOUS_RATE_LIMIT);
  const now = options.nowMs ?? (() => performance.now());
  const cors = new Set(options.corsOrigins ?? []);
  const paths = new PathCanonicalizer();
  const heavy = new HeavyRequests(options.heavy, service.venue.history, now);

  const app = fastify({
    logger:
      (options.logger ?? true)
        ? { level: 'info', serializers: { req: logRequest, res: (res) => ({ statusCode: res.statusCode }) } }
        : false,
    bodyLimit: 1 << 20,
    rewriteUrl: (req) => paths.canonicalize(req.url ?? '/'),
    // The router's own refusals (a path that is not valid percent-encoded UTF-8) in the API's body.
    frameworkErrors: (err, _req, reply) => {
      const { status, body } = toErrorResponse(
        new XmarginError('ERR_INVALID_INPUT', `url must be valid percent-encoded UTF-8; ${err.message}`, {
          field: 'url',
          rule: 'must be valid percent-encoded UTF-8',
        }),
      );
      void (reply as unknown as FastifyReply).status(status).send(body);
    },
  });
  app.addHook('onRoute', (route) => paths.addRoute(route.url));
  app.addHook('onClose', () => heavy.close());
  app.setValidatorCompiler(zodValidatorCompiler);
  // Response schemas document; they do not filter (plain JSON.stringify).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

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
    let e: unknown = err;
    if (!(err instanceof XmarginError)) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 413)
        e = new XmarginError('ERR_PAYLOAD_TOO_LARGE', 'body must be at most 1 MiB', {
          field: 'body',
          rule: 'at most 1 MiB',
        });
      else if (typeof status === 'number' && status >= 400 && status < 500) {
        // fastify's own refusals (malformed JSON, wrong content type, malformed URL)
        const message = (err as Error).message;
        return reply.status(status).send({
          error: {
            code: 'ERR_INVALID_INPUT',
            message,
            field: status === 415 ? 'content-type' : 'body',
            rule: message,
            details: {},
          },
        });
      }
    }
    const { status, body } = toErrorResponse(e);
    if (status >= 500) req.log.error({ err, code: body.error.code }, 'request failed');
    const retryMs = (e as { details?: { retryAfterMs?: unknown } }).details?.retryAfterMs;
    if (status === 429 || (status === 503 && typeof retryMs === 'number')) {
      const ms = Number(retryMs ?? 1000);
      void reply.header('retry-after', String(Math.max(1, Math.ceil(ms / 1000))));
    }
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const { status, body } = toErrorResponse(
      new XmarginError('ERR_NOT_FOUND', `route ${req.method} ${path} must exist; got none`, {
        field: 'url',
        value: path,
        rule: 'must name an API route',
      }),
    );
    return reply.status(status).send(body);
  });

  // Authentication and rate limiting, decided on the matched route (module header).
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (typeof origin === 'string' && cors.has(origin)) {
      void reply.header('access-control-allow-origin', origin);
      void reply.header('vary', 'origin');
    }
    const route = req.routeOptions.url;
    const isPublic =
      route === undefined ||
      !route.startsWith('/api/') ||
      (req.routeOptions.config as { public?: boolean } | undefined)?.public === true;
    const key = isPublic ? undefined : keyFromRequest(req.headers as Record<string, unknown>, req.query);
    const principal = key === undefined ? undefined : keys.get(hashApiKey(key));
    const d = principal ? limiter.take(principal.keyHash, now()) : anonymous.take(`ip:${req.ip}`, now());
    if (!d.ok) {
      const rule = principal
        ? `<= ${limiter.params.ratePerSec} requests/s (bursts of ${limiter.params.burst}) per key`
        : `<= ${anonymous.params.ratePerSec} requests/s (bursts of ${anonymous.params.burst}) per address without a key`;
      throw new XmarginError(
        'ERR_RATE_LIMITED',
        `requests must stay within ${rule}; retry in ${d.retryAfterMs} ms`,
        {
          rule,
          retryAfterMs: d.retryAfterMs,
        },
      );
    }
    if (isPublic) return;
    if (key === undefined)
      throw unauthenticated('authorization must carry an API key (Bearer or ?key=); got none');
    if (!principal)
      throw unauthenticated('authorization must carry a known, unrevoked API key; got an unknown key');
    req.principal = principal;
  });

  // CORS preflight of any API route: answered without a key (browsers send none).
  app.options('/api/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    const origin = req.headers.origin;
    if (typeof origin === 'string' && cors.has(origin))
      void reply
        .header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS')
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', '600');
    return reply.status(204).send();
  });

  const assets = new Map(options.assets.map((a) => [a.symbol, a]));
  await app.register(async (scope) => {
    const rc = {
      service,
      version: options.version,
      assets,
      addKey,
      removeKey,
      replay: options.replay,
      heavy,
    };
    registerRoutes(scope, rc);
    registerAdminRoutes(scope, rc);
    registerTraderRoutes(scope, rc);
    registerOptimiseRoutes(scope, rc);
    registerStream(scope, service);
    registerCrossVenueRoutes(scope, rc);
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
  return { app, addKey, removeKey, heavy };
}
