/**
 * @module adapters/http/stream
 *
 * The WebSocket stream `GET /api/v1/stream` (key in `?key=` or the Authorization header). The
 * client subscribes with `{"type":"subscribe","accounts":["alice/main"],"venue":true}`; the server
 * then sends, once each event is durable:
 * - `{type:'tick', timeMs, prices}` to venue subscribers (admin keys only);
 * - `{type:'margin', account}` on a re-margin of a subscribed sub-account, at most one per second
 *   per sub-account (the latest state wins);
 * - `{type:'margin-call'|'reduce-only'|'liquidatable'|'healthy', account, from}` on a status change;
 * - `{type:'liquidation', item}` for a subscribed sub-account (venue subscribers: every one).
 * A refused subscription is answered `{type:'error', error}` (403 ERR_FORBIDDEN) and changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { SubAccountHealth, VenueEvent } from '../../engine/venue/venue-types.js';
import { requireAdmin, requireRead } from './auth.js';
import { HTTP_STATUS, toErrorResponse } from './http-errors.js';
import { StreamMessage } from './contract-requests.js';
import { principalOf } from './route-support.js';
import type { VenueService } from './venue-service.js';
import { parseJsonBody } from './json-body.js';
import { parseRequest } from './zod-schemas.js';

/** Shortest interval between two `margin` messages of one sub-account on one connection, ms. */
export const MARGIN_THROTTLE_MS = 1000;

/** Registers the stream route. */
export function registerStream(app: FastifyInstance, service: VenueService): void {
  app.get('/api/v1/stream', { websocket: true, schema: { hide: true } }, (socket: WebSocket, req) => {
    const principal = principalOf(req);
    const accounts = new Set<string>();
    let venue = false;
    const lastSent = new Map<string, number>();
    const pending = new Map<string, SubAccountHealth>();
    const timers = new Map<string, NodeJS.Timeout>();
    const send = (msg: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
    };
    const sendMargin = (h: SubAccountHealth) => {
      const now = Date.now();
      const last = lastSent.get(h.key) ?? -Infinity;
      if (now - last >= MARGIN_THROTTLE_MS) {
        lastSent.set(h.key, now);
        send({ type: 'margin', account: h });
        return;
      }
      pending.set(h.key, h);
      if (!timers.has(h.key))
        timers.set(
          h.key,
          setTimeout(
            () => {
              timers.delete(h.key);
              const p = pending.get(h.key);
              pending.delete(h.key);
              if (p) sendMargin(p);
            },
            MARGIN_THROTTLE_MS - (now - last),
          ),
        );
    };
    const onEvent = (e: VenueEvent) => {
      switch (e.type) {
        case 'tick':
          if (venue) send({ type: 'tick', timeMs: e.timeMs, prices: e.prices });
          return;
        case 'margin':
          if (accounts.has(e.account.key)) sendMargin(e.account);
          return;
        case 'status':
          if (venue || accounts.has(e.account.key))
            send({ type: e.account.status, account: e.account, from: e.from, timeMs: e.timeMs });
          return;
        case 'liquidation':
          if (venue || accounts.has(e.record.subAccount)) send({ type: 'liquidation', item: e.record });
          return;
        default:
          return;
      }
    };
    const unsubscribe = service.subscribe(onEvent);
    socket.on('message', (raw: Buffer) => {
      try {
        // the same limits as request bodies: 64 KiB (the socket's maxPayload), 32 levels deep
        const data = parseJsonBody(raw.toString('utf8'));
        const msg = parseRequest(StreamMessage, data, 'stream message');
        for (const key of msg.accounts)
          requireRead(principal, key.slice(0, key.indexOf('/')), `subscribing to ${key}`);
        if (msg.venue) requireAdmin(principal, 'subscribing to the venue stream');
        const added = msg.accounts.filter((key) => !accounts.has(key));
        for (const key of added) accounts.add(key);
        service.watch(added);
        venue ||= msg.venue;
        send({ type: 'subscribed', accounts: [...accounts].sort(), venue });
        // the current state first, so a client needs no separate GET
        for (const key of msg.accounts)
          if (service.venue.journal.accounts.find(key))
            send({ type: 'margin', account: service.venue.health(key) });
      } catch (e) {
        const { body } = toErrorResponse(e);
        send({ type: 'error', status: HTTP_STATUS[body.error.code], error: body.error });
      }
    });
    socket.on('close', () => {
      unsubscribe();
      service.unwatch(accounts);
      for (const t of timers.values()) clearTimeout(t);
    });
  });
}
