/**
 * @module adapters/http/replay-step
 *
 * One step of a demo replay through the service's queue, as the replay timer and the admin's
 * `POST /replay/step` take it.
 */
import type { DemoReplay } from '../../engine/venue/demo-venue.js';
import type { VenueService } from './venue-service.js';

/**
 * One step of a demo replay through the service's queue: applied, persisted with the new market
 * state (the step's time and prices; the template and window unchanged), acknowledged.
 * @returns false at the end of the replay's window
 */
export async function stepReplay(service: VenueService, replay: DemoReplay): Promise<boolean> {
  const events = await service.runMarketStep(() => {
    const s = replay.step();
    if (!s) return undefined;
    const prev = service.market()!;
    return {
      state: { ...prev, timeMs: s.timeMs, prices: Object.fromEntries(s.market.prices) },
      events: s.events,
    };
  });
  return events !== undefined;
}
