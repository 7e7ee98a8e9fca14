/**
 * @module api
 * Typed client for the service's HTTP API (docs/api.md). The one place that calls `fetch`, adds
 * the bearer key and turns an error response into an `ApiError` carrying the contract's
 * `{ code, message, field, rule, value }`, so that forms can show a message next to the field.
 *
 * The API key comes from the page URL (`?key=…`) once, is kept in sessionStorage (gone when the
 * tab closes) and removed from the address bar so it does not linger in history or screenshots.
 */
import type {
  AccountsResponse,
  ErrorBody,
  InstrumentsResponse,
  LiquidationsResponse,
  MarginResponse,
  OptimiseRequest,
  OptimiseResponse,
  SubAccountDetail,
  VenueResponse,
  WhatIfRequest,
  WhatIfResponse,
  RiskResponse,
  VerdictRequest,
  VerdictResponse,
  BuilderRequest,
  BuilderResponse,
} from './api-types.js';

/** Base path of every endpoint (the dashboard is served by the same origin). */
export const API_BASE = '/api/v1';

const KEY_STORAGE = 'xmargin.apiKey';

/** An error response of the API, or a network failure (status 0, code ERR_NETWORK). */
export class ApiError extends Error {
  override name = 'ApiError';
  /** HTTP status; 0 when the request never got a response */
  readonly status: number;
  readonly code: string;
  /** the request field the error names, when it names one */
  readonly field: string | undefined;
  readonly rule: string | undefined;
  readonly value: unknown;

  constructor(status: number, body: ErrorBody['error']) {
    super(body.message);
    this.status = status;
    this.code = body.code;
    this.field = body.field;
    this.rule = body.rule;
    this.value = body.value;
  }
}

/**
 * Reads the API key: takes `?key=` from the page URL when present (storing it in sessionStorage
 * and removing it from the address bar), otherwise the one stored earlier in this tab.
 *
 * @returns the key, or null when there is none
 */
export function readApiKey(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('key');
  if (fromUrl !== null && fromUrl !== '') {
    window.sessionStorage.setItem(KEY_STORAGE, fromUrl);
    url.searchParams.delete('key');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return window.sessionStorage.getItem(KEY_STORAGE);
}

function isErrorBody(x: unknown): x is ErrorBody {
  if (typeof x !== 'object' || x === null || !('error' in x)) return false;
  const e = (x as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

/** The API client: one instance per key. */
export class ApiClient {
  readonly key: string;

  /** @param key the API key, sent as `Authorization: Bearer <key>` */
  constructor(key: string) {
    this.key = key;
  }

  /**
   * Sends one request and parses the JSON answer.
   *
   * @param method HTTP method
   * @param path   path under /api/v1, starting with '/'
   * @param body   JSON body, for POST
   * @throws ApiError with the contract's error fields on a non-2xx answer, ERR_NETWORK when
   *   there is no answer, ERR_BAD_RESPONSE when the answer is not JSON
   */
  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.key}`,
      Accept: 'application/json',
    };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(API_BASE + path, init);
    } catch (e) {
      throw new ApiError(0, { code: 'ERR_NETWORK', message: `cannot reach the service: ${String(e)}` });
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      throw new ApiError(res.status, {
        code: 'ERR_BAD_RESPONSE',
        message: `${method} ${path}: answer is not JSON (HTTP ${res.status})`,
      });
    }
    if (!res.ok) {
      if (isErrorBody(json)) throw new ApiError(res.status, json.error);
      throw new ApiError(res.status, {
        code: `HTTP_${res.status}`,
        message: `${method} ${path}: HTTP ${res.status}`,
      });
    }
    return json as T;
  }

  /** GET /venue: prices, insurance fund, counts. */
  getVenue(): Promise<VenueResponse> {
    return this.request('GET', '/venue');
  }

  /** GET /instruments: every listed instrument with its mark. */
  getInstruments(): Promise<InstrumentsResponse> {
    return this.request('GET', '/instruments');
  }

  /**
   * GET /accounts: sub-accounts with their margin and status.
   *
   * @param sort   'health' (lowest first) or 'id'
   * @param limit  page size
   * @param offset first row of the page
   */
  getAccounts(sort: 'health' | 'id', limit: number, offset = 0): Promise<AccountsResponse> {
    return this.request('GET', `/accounts?sort=${sort}&limit=${limit}&offset=${offset}`);
  }

  /** GET /accounts/:a/subaccounts/:s: balances, positions and health of one sub-account. */
  getSubAccount(accountId: string, subAccountId: string): Promise<SubAccountDetail> {
    return this.request('GET', subAccountPath(accountId, subAccountId));
  }

  /** GET …/margin: every model side by side, contributions and the scenario heatmap. */
  getMargin(accountId: string, subAccountId: string): Promise<MarginResponse> {
    return this.request('GET', `${subAccountPath(accountId, subAccountId)}/margin`);
  }

  /** POST …/whatif: margin before and after a hypothetical trade, per model. */
  postWhatIf(accountId: string, subAccountId: string, req: WhatIfRequest): Promise<WhatIfResponse> {
    return this.request('POST', `${subAccountPath(accountId, subAccountId)}/whatif`, req);
  }

  /** GET …/risk: liquidation prices, greeks and P&L curves under the sub-account's own mode. */
  getRisk(accountId: string, subAccountId: string, points = 61): Promise<RiskResponse> {
    return this.request('GET', `${subAccountPath(accountId, subAccountId)}/risk?points=${points}`);
  }

  /** POST …/verdict: accepted or refused under the sub-account's mode, why, and the account after. */
  postVerdict(accountId: string, subAccountId: string, req: VerdictRequest): Promise<VerdictResponse> {
    return this.request('POST', `${subAccountPath(accountId, subAccountId)}/verdict`, req);
  }

  /** POST /builder: a hypothetical book under every model, with greeks, liquidation and P&L. */
  postBuilder(req: BuilderRequest): Promise<BuilderResponse> {
    return this.request('POST', '/builder', req);
  }

  /** POST …/optimise: suggested trades that free margin, verified by the model (nothing is traded). */
  postOptimise(accountId: string, subAccountId: string, req: OptimiseRequest): Promise<OptimiseResponse> {
    return this.request('POST', `${subAccountPath(accountId, subAccountId)}/optimise`, req);
  }

  /** GET /liquidations: most recent first. */
  getLiquidations(limit: number): Promise<LiquidationsResponse> {
    return this.request('GET', `/liquidations?limit=${limit}`);
  }
}

function subAccountPath(accountId: string, subAccountId: string): string {
  return `/accounts/${encodeURIComponent(accountId)}/subaccounts/${encodeURIComponent(subAccountId)}`;
}
