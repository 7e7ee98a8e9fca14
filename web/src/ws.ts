/**
 * @module ws
 * One reconnecting WebSocket to `/api/v1/stream?key=…`, shared by every page.
 *
 * Pages subscribe with the accounts they show (and `venue` for prices and liquidations) and a
 * listener; the client sends the union of all live subscriptions as one `subscribe` message
 * whenever it changes and again after every reconnect, so a page never has to care about the
 * connection. Reconnects back off exponentially from 0.5 s to 10 s. Events go only to the
 * listeners that asked for them: `tick` to venue subscribers, account events to those that list
 * the account, `liquidation` to venue subscribers and to those that list its sub-account.
 */
import type { StreamEvent, Subscription } from './api-types.js';
import { HEALTH_STATUSES } from './api-types.js';
import { API_BASE } from './api.js';

/** State of the connection, for a status indicator. */
export type StreamState = 'connecting' | 'open' | 'closed';

interface Entry {
  accounts: ReadonlySet<string>;
  venue: boolean;
  listener: (e: StreamEvent) => void;
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10_000;

const EVENT_TYPES: ReadonlySet<string> = new Set(['tick', 'margin', 'liquidation', ...HEALTH_STATUSES]);

/** Whether a message is one of the events pages listen to (acknowledgements and errors are not). */
function isStreamEvent(x: unknown): x is StreamEvent {
  if (typeof x !== 'object' || x === null) return false;
  const type = (x as { type?: unknown }).type;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) return false;
  if (type === 'tick') return typeof (x as { prices?: unknown }).prices === 'object';
  if (type === 'liquidation') return typeof (x as { item?: unknown }).item === 'object';
  const account = (x as { account?: { key?: unknown } }).account;
  return typeof account === 'object' && account !== null && typeof account.key === 'string';
}

/** Whether `entry` asked for `e`. */
function wants(entry: Entry, e: StreamEvent): boolean {
  switch (e.type) {
    case 'tick':
      return entry.venue;
    case 'liquidation':
      return entry.venue || entry.accounts.has(e.item.subAccount);
    default:
      return entry.accounts.has(e.account.key);
  }
}

/** The shared stream client. */
export class StreamClient {
  private readonly url: string;
  private readonly entries = new Set<Entry>();
  private readonly stateListeners = new Set<(s: StreamState) => void>();
  private socket: WebSocket | null = null;
  private backoffMs = MIN_BACKOFF_MS;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private sendQueued = false;
  private closed = false;
  private lastSent = '';
  state: StreamState = 'closed';

  /** @param key the API key, passed as `?key=` (browsers cannot set headers on a WebSocket) */
  constructor(key: string) {
    const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.url = `${proto}//${window.location.host}${API_BASE}/stream?key=${encodeURIComponent(key)}`;
  }

  /**
   * Subscribes a listener to some accounts and/or the venue; connects on first use.
   *
   * @param sub       the accounts (`accountId/subAccountId`) and whether to get venue events
   * @param listener  called with each event this subscription asked for
   * @returns a function that ends the subscription
   */
  subscribe(sub: Partial<Subscription>, listener: (e: StreamEvent) => void): () => void {
    const entry: Entry = { accounts: new Set(sub.accounts ?? []), venue: sub.venue ?? false, listener };
    this.entries.add(entry);
    this.connect();
    this.queueSend();
    return () => {
      this.entries.delete(entry);
      this.queueSend();
    };
  }

  /**
   * Follows the connection state.
   *
   * @returns a function that stops following
   */
  onState(listener: (s: StreamState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  /** Closes the socket for good (no reconnect). */
  close(): void {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.socket?.close();
  }

  private setState(s: StreamState): void {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  private connect(): void {
    if (this.closed || this.socket !== null || this.retryTimer !== null) return;
    this.setState('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.backoffMs = MIN_BACKOFF_MS;
      this.lastSent = '';
      this.setState('open');
      this.sendSubscription();
    };
    socket.onmessage = (m: MessageEvent) => {
      if (typeof m.data !== 'string') return;
      let e: unknown;
      try {
        e = JSON.parse(m.data);
      } catch {
        return; // not ours to interpret; the stream only sends JSON
      }
      if (!isStreamEvent(e)) return;
      for (const entry of this.entries) if (wants(entry, e)) entry.listener(e);
    };
    socket.onclose = () => {
      this.socket = null;
      this.setState('closed');
      if (this.closed) return;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.connect();
      }, this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    };
  }

  /** Sends the union once per task, however many pages subscribed in it. */
  private queueSend(): void {
    if (this.sendQueued) return;
    this.sendQueued = true;
    queueMicrotask(() => {
      this.sendQueued = false;
      this.sendSubscription();
    });
  }

  private sendSubscription(): void {
    if (this.socket === null || this.socket.readyState !== WebSocket.OPEN) return;
    const accounts = new Set<string>();
    let venue = false;
    for (const e of this.entries) {
      for (const a of e.accounts) accounts.add(a);
      venue ||= e.venue;
    }
    const msg: Subscription & { type: 'subscribe' } = {
      type: 'subscribe',
      accounts: [...accounts].sort(),
      venue,
    };
    const text = JSON.stringify(msg);
    if (text === this.lastSent) return;
    this.lastSent = text;
    this.socket.send(text);
  }
}
