/**
 * @module adapters/http/service-clock
 *
 * The server owns time. Oracle staleness, parameter versions and expiries are measured against the
 * service's clock, never against a time a client sends:
 *
 * - a live venue runs on the wall clock (ms UTC);
 * - a demo replay runs on the replay's clock: the market time of the last step plus the wall time
 *   elapsed since it, times the replay speed (hours of history per hour of wall time). A replay
 *   that stops stepping (stalled, or past its window) keeps its clock running, so its prices go
 *   stale by wall time and risk-increasing actions and liquidation pause, as with a silent feed.
 *   A frozen replay (speed 0) keeps its clock at the last step.
 *
 * The clock never runs behind the venue's own time (a market update at t moves it to t at least).
 */

/** The service's source of time, ms since the epoch (UTC). */
export interface ServiceClock {
  /** now, ms UTC */
  nowMs(): number;
  /** a market update (a step of the replay, posted quotes) reached `timeMs` */
  marketAt(timeMs: number): void;
}

/** The wall clock (a live venue). `wall` is injectable for tests. */
export function wallClock(wall: () => number = Date.now): ServiceClock {
  let floor = 0;
  return {
    nowMs: () => Math.max(Math.floor(wall()), floor),
    marketAt(t) {
      if (t > floor) floor = t;
    },
  };
}

/**
 * The replay's clock: the last step's time plus elapsed wall time × `speed`.
 * @param speed  hours of history per hour of wall time (≥ 0; 0 = frozen)
 */
export function replayClock(startMs: number, speed: number, wall: () => number = Date.now): ServiceClock {
  let anchorMs = startMs;
  let anchorWall = wall();
  return {
    nowMs: () => anchorMs + Math.max(0, Math.floor((wall() - anchorWall) * speed)),
    marketAt(t) {
      if (t >= anchorMs) {
        anchorMs = t;
        anchorWall = wall();
      }
    },
  };
}
