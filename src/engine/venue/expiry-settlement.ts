/**
 * @module engine/venue/expiry-settlement
 *
 * Cash settlement of expired instruments as journal operations (`expiry`): every position in an
 * instrument of the template that expired at or before `timeMs` is closed at the underlying's price
 * then: an option pays size × max(S − K, 0) (call) or size × max(K − S, 0) (put), a future
 * size × (S − entry). Keys are a function of the time, the sub-account and the instrument, so a
 * resumed replay keys the same settlement the same way. Rounding: `creditToUnits` (toward −∞).
 */
import { creditToUnits } from '../../core/ledger/convert.js';
import type { Operation } from '../operations.js';
import type { SimMarketTemplate } from '../simulation/sim-market.js';
import type { Venue } from './venue.js';
import type { VenueEvent } from './venue-types.js';

/** Settles what expired by `timeMs` at `prices`; appends the `operation` events. */
export function settleExpiries(
  venue: Venue,
  tpl: SimMarketTemplate,
  timeMs: number,
  prices: Readonly<Record<string, number>>,
  events: VenueEvent[],
): void {
  const expired = tpl.instruments.filter((i) => i.expiryMs !== undefined && i.expiryMs <= timeMs);
  if (expired.length === 0) return;
  const usdc = venue.assetOf('USDC')!.decimals;
  for (const sub of venue.journal.accounts.list()) {
    for (const i of expired) {
      const held = venue.journal.positionOf(sub.key, i.id);
      if (held === undefined) continue;
      const s = prices[i.underlying] ?? 0;
      const settle =
        i.kind === 'option'
          ? Math.max(0, i.optionType === 'call' ? s - (i.strike ?? 0) : (i.strike ?? 0) - s)
          : s;
      const cashUsd = i.kind === 'option' ? held.size * settle : held.size * (s - held.entryPrice);
      const op: Operation = {
        kind: 'expiry',
        key: `expiry-${timeMs}-${sub.key}-${i.id}`,
        timeMs,
        subAccount: sub.key,
        instrument: i.id,
        price: settle,
        asset: 'USDC',
        cashUnits: creditToUnits(cashUsd, usdc),
      };
      events.push({ type: 'operation', op, entry: venue.restore(op) });
    }
  }
}
