/**
 * @module adapters/http/route-support
 *
 * What every route file shares: the route context, the caller's principal, and the route schema
 * builder that registers the request and response schemas of the contract (contract.ts) with
 * fastify, so `/docs` shows real bodies and status codes.
 */
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/swagger';
import type { z } from 'zod';
import type { Asset } from '../../core/ledger/asset.js';
import type { DemoReplay } from '../../engine/venue/demo-venue.js';
import type { Principal } from './auth.js';
import { ErrorResponse } from './contract-responses.js';
import type { HeavyRequests } from './heavy-requests.js';
import type { VenueService } from './venue-service.js';
import { zodJson, zodResponseJson } from './zod-schemas.js';

/** What the routes need besides the service. */
export interface RouteContext {
  readonly service: VenueService;
  /** the package version, for /health */
  readonly version: string;
  /** the venue's assets by symbol (decimals) */
  readonly assets: ReadonlyMap<string, Asset>;
  /** registers a new key so that it authenticates at once (after it is persisted) */
  readonly addKey: (keyHash: string, scopes: readonly string[]) => void;
  /** forgets a revoked key (after the revocation is persisted) */
  readonly removeKey: (keyHash: string) => void;
  /** the demo replay, when one runs */
  readonly replay: DemoReplay | undefined;
  /** admission and worker threads of the heavy, read-only computations */
  readonly heavy: HeavyRequests;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The caller (set by the auth hook on every authenticated route). */
export function principalOf(req: FastifyRequest): Principal {
  return req.principal!;
}

/** Statuses documented on every route besides its success: the error body. */
const ERRORS = [400, 401, 403, 404, 409, 413, 422, 429, 500, 503] as const;

/**
 * A route's `schema`: request parts (validated by zod), the success response and the error
 * responses (documented), its summary and tags.
 * @param ok  the success status and its response schema (200 by default; 201 where created)
 */
export function routeSchema(parts: {
  summary: string;
  tags: string[];
  ok: z.ZodType;
  status?: 200 | 201;
  body?: z.ZodType;
  querystring?: z.ZodType;
  params?: z.ZodType;
  /** true on the public allow-list (no key) */
  public?: boolean;
  /** a replayed request answers 200 with the same body (idempotent creation) */
  replay200?: boolean;
}) {
  const error = zodResponseJson(ErrorResponse, 'error');
  const okJson = zodResponseJson(parts.ok, 'response');
  const response: Record<number, unknown> = { [parts.status ?? 200]: okJson };
  if (parts.replay200) response[200] = okJson;
  for (const s of ERRORS) if (!(parts.public && (s === 401 || s === 403))) response[s] = error;
  return {
    summary: parts.summary,
    tags: parts.tags,
    ...(parts.public ? {} : { security: [{ bearer: [] }] }),
    ...(parts.body ? { body: zodJson(parts.body, 'request body') } : {}),
    ...(parts.querystring ? { querystring: zodJson(parts.querystring, 'query') } : {}),
    ...(parts.params ? { params: zodJson(parts.params, 'path') } : {}),
    response,
  };
}

/** `a < b` for sorting strings by code unit. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
