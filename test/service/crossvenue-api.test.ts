/**
 * `POST /api/v1/crossvenue` through fastify's `inject` on the real service: the example trader's
 * payloads give the same combined view as `xmargin crossvenue` (the CLI and the route share the
 * importers and the core), and a bad payload is a 400 naming the venue, the field and the value.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON response bodies are read by path in assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/adapters/http/start-service.js';
import { runCrossVenue } from '../../src/adapters/cli/crossvenue-command.js';
import { crossVenueBody, exampleTraderDir } from '../support/crossvenue-payloads.js';

const ADMIN = 'xm_test_admin_key_crossvenue_01';
const DIR = exampleTraderDir('perp-hedger');
let svc: RunningService;

const body = () => crossVenueBody();

beforeAll(async () => {
  svc = await startService({
    store: {},
    adminKey: ADMIN,
    version: 'test',
    rateLimit: { ratePerSec: 1e6, burst: 1e6 },
    onFatal: (e) => {
      throw e;
    },
  });
}, 60_000);
afterAll(async () => {
  await svc.close();
}, 60_000);

const post = async (payload: unknown, key: string | null = ADMIN) => {
  const res = await svc.server.app.inject({
    method: 'POST',
    url: '/api/v1/crossvenue',
    payload: payload as object,
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
};

describe('POST /api/v1/crossvenue', () => {
  it("gives the CLI's combined view of the same payloads", async () => {
    const r = await post(body());
    expect(r.status).toBe(200);
    const cli = (await runCrossVenue(DIR)).result;
    expect(r.body.sumOfVenuesUsd).toBeCloseTo(cli.sumOfVenuesUsd, 6);
    expect(r.body.combinedUsd).toBeCloseTo(cli.combinedUsd, 6);
    expect(r.body.venues.map((v: any) => v.venue)).toEqual(cli.venues.map((v) => v.venue));
    expect(r.body.venues.every((v: any) => v.reproduction.within1pct === true)).toBe(true);
  });

  it('a bad payload is a 400 naming the venue, the payload, the field and the value', async () => {
    const b = body();
    (b.venues[0]!.payloads.account as any).accountMaintMargin = 'lots';
    const r = await post(b);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('ERR_VALIDATION');
    expect(r.body.error.message).toContain('binance account');
    expect(r.body.error.message).toContain('accountMaintMargin');
    expect(r.body.error.message).toContain('"lots"');
  });

  it('an unknown venue, an unknown field and a missing key are refused', async () => {
    expect((await post({ venues: [{ venue: 'mtgox', payloads: {} }] })).body.error.message).toContain(
      'venues[0].venue',
    );
    expect((await post({ venues: [], extra: 1 })).status).toBe(400);
    expect((await post(body(), null)).status).toBe(401);
  });
});
