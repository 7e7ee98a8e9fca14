/**
 * Collateral moves that bring every venue to its target: deficits filled from surpluses, the
 * largest deficit first, each from the fastest source (then the largest surplus).
 *
 *   surplus_v = equity_v − target_v;   a move x from w to v: x ≤ surplus_w, x ≤ −surplus_v
 *
 * Greedy, not optimal in cost: it fills every deficit whenever Σ surplus ≥ Σ deficit, which is
 * what releases capital; the least-cost allocation is a transport problem (the optimiser's).
 * Units: USD, hours. Reference: docs/methodology/cross-venue.md#moves.
 */

/** One suggested transfer of collateral. */
export interface CollateralMove {
  readonly from: string;
  readonly to: string;
  /** USD value to move (> 0) */
  readonly usd: number;
  /** the route's latency, hours */
  readonly hours: number;
}

/** The moves and what each venue can still release afterwards. */
export interface MovePlan {
  readonly moves: readonly CollateralMove[];
  /** surplus left per venue after the moves, USD (negative = a deficit no source could fill) */
  readonly after: ReadonlyMap<string, number>;
}

/**
 * Plans the moves (module header).
 * @param surplus  equity − target per venue, USD (finite)
 * @param latency  hours from one venue to another
 * @param minUsd   smallest move worth making, USD (default 1)
 */
export function planCollateralMoves(
  surplus: ReadonlyMap<string, number>,
  latency: (from: string, to: string) => number,
  minUsd = 1,
): MovePlan {
  const left = new Map(surplus);
  const moves: CollateralMove[] = [];
  const deficits = [...left].filter(([, s]) => s < 0).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  for (const [to] of deficits) {
    const sources = [...left]
      .filter(([v, s]) => v !== to && s > 0)
      .sort((a, b) => latency(a[0], to) - latency(b[0], to) || b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [from] of sources) {
      const need = -left.get(to)!;
      if (need < minUsd) break;
      const usd = Math.min(need, left.get(from)!);
      if (usd < minUsd) continue;
      moves.push({ from, to, usd, hours: latency(from, to) });
      left.set(from, left.get(from)! - usd);
      left.set(to, left.get(to)! + usd);
    }
  }
  return { moves, after: left };
}
