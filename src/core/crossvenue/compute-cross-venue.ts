/**
 * @module crossvenue
 *
 * One risk number across venues (docs/methodology/cross-venue.md). A trader's book is held at
 * several venues; each venue margins its part by its own rule (its preset) and liquidates it on
 * its own. The combined view runs the book as one account funded from one pool of collateral,
 * charging for what such an account must pay for:
 *
 *   S    = Σ_v IM_v                                   what the venues ask (IM_v: the venue's preset)
 *   R_G  = IM_v                                       a venue no agreement joins: its rule stands
 *   R_G  = max(IM_x(P_G), (1 − cap_G)·Σ_{v∈G} IM_v)   venues declared jointly managed: their book
 *                                                     netted by xmargin's model, savings capped
 *   T_v  = loss of P_v under the move over L_v        L_v = the fastest transfer into v
 *   H_v  = max(R_G·IM_v / Σ_{w∈G} IM_w, MM_v + T_v)    what must sit at v: its share of the group's
 *                                                     requirement, and never less than what keeps it
 *                                                     above its own MM while collateral is in transit
 *   D_v  = d_v·H_v                                    venue default: equity at v is a claim on v
 *   C    = Σ_v (H_v + D_v)                            the combined requirement
 *
 * The difference S − C is what one account across venues would free. What can be released today,
 * under each venue's own rules, is the equity above target_v = max(IM_v, H_v) after the moves that
 * fill the venues below target, less the default reserve Σ D_v. The moves are the optimiser's
 * least-cost allocation (allocate-across-venues.ts), verified venue by venue by its preset; the
 * greedy plan stands in, labelled, when no solver is given or the solver fails. For information, `wholeBookUsd`
 * is xmargin's model on the whole book with every offset recognised (no agreement, no cap).
 *
 * Units: USD (float64). Signs: requirements ≥ 0, equity may be negative. Deterministic.
 */
import { ensureFinite } from '../errors.js';
import { createMarginContext, type MarginResult } from '../margin/margin-model.js';
import { getMarginModel } from '../margin/registry.js';
import type { MarginMarket } from '../portfolio/margin-market.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { latencyBetween, type CrossVenueParams } from './cross-venue-params.js';
import type { LpSolver } from '../optimise/lp-problem.js';
import {
  allocateAcrossVenues,
  type AllocatedMove,
  type CrossVenueAllocation,
} from './allocate-across-venues.js';
import { selectVenues } from './split-by-venue.js';
import { transferMoveLoss, type MoveLoss } from './transfer-move-loss.js';

/** A venue's own margin figures as its payload reports them, USD. */
export interface ReportedMargin {
  readonly initialUsd?: number;
  readonly maintenanceUsd?: number;
  readonly equityUsd?: number;
}

/** One venue's part of the book, on the venue's own market, with the venue's own rule. */
export interface VenueBook {
  readonly venue: string;
  readonly portfolio: Portfolio;
  readonly market: MarginMarket;
  /** the preset reproducing the venue's rule (registry name) */
  readonly model: string;
  /** its params document (merged over the preset's defaults) */
  readonly params?: unknown;
  readonly reported?: ReportedMargin;
}

/** Input of {@link computeCrossVenue}. */
export interface CrossVenueInput {
  readonly venues: readonly VenueBook[];
  /** every venue's instruments and prices in one market */
  readonly market: MarginMarket;
  /** the venue-tagged book, resolved against `market` */
  readonly portfolio: Portfolio;
  readonly params: CrossVenueParams;
}

/** Relative error of a reproduced figure against the venue's: |ours − theirs| / |theirs|. */
export interface Reproduction {
  readonly initialRelError: number | null;
  readonly maintenanceRelError: number | null;
  /** both reported requirements reproduced within 1% (null when the venue reports none) */
  readonly within1pct: boolean | null;
}

/** One venue in the combined view. */
export interface VenueView {
  readonly venue: string;
  readonly model: string;
  /** the venue's own requirement as reproduced by its preset */
  readonly own: Pick<MarginResult, 'initialUsd' | 'maintenanceUsd' | 'equityUsd'>;
  /** equity − own IM */
  readonly freeCollateralUsd: number;
  /** equity / own MM; null when MM = 0 */
  readonly health: number | null;
  readonly reported: ReportedMargin | null;
  readonly reproduction: Reproduction | null;
  /** IM_x(P_v): the venue's book alone under xmargin's model (for information) */
  readonly standaloneUsd: number;
  /** its share of its group's requirement */
  readonly shareUsd: number;
  /** T_v */
  readonly transitUsd: number;
  readonly transit: MoveLoss | null;
  /** H_v = max(share, MM + T_v) */
  readonly holdingUsd: number;
  /** D_v */
  readonly defaultChargeUsd: number;
  /** max(own IM, H_v) */
  readonly targetUsd: number;
  /** equity − target */
  readonly surplusUsd: number;
  /** after the moves: what can leave this venue, USD */
  readonly releasableUsd: number;
}

/** One netting group. */
export interface GroupView {
  readonly venues: readonly string[];
  /** netting cap; null for a venue alone */
  readonly cap: number | null;
  /** Σ of the members' own IM */
  readonly standaloneSumUsd: number;
  /** IM_x of the group's whole book (for a venue alone: its own IM) */
  readonly nettedUsd: number;
  /** R_G */
  readonly requirementUsd: number;
  /** the cap bound */
  readonly capped: boolean;
}

/** The combined view. */
export interface CrossVenueResult {
  readonly model: string;
  readonly venues: readonly VenueView[];
  readonly groups: readonly GroupView[];
  /** S */
  readonly sumOfVenuesUsd: number;
  /** C = risk (Σ R_G) + transit (Σ H_v − share_v) + default (Σ D_v) */
  readonly combinedUsd: number;
  readonly components: { readonly riskUsd: number; readonly transitUsd: number; readonly defaultUsd: number };
  /** S − C */
  readonly differenceUsd: number;
  /** xmargin's model on the whole book, every offset recognised (for information) */
  readonly wholeBookUsd: number;
  /** Σ equity */
  readonly equityUsd: number;
  /** Σ target + Σ D */
  readonly requiredNowUsd: number;
  /** max(0, equity − requiredNow) once the moves are made */
  readonly releasableNowUsd: number;
  /** the moves shown: the optimiser's plan, or the greedy fallback (see `allocation.method`) */
  readonly moves: readonly AllocatedMove[];
  readonly allocation: CrossVenueAllocation;
}

const relError = (ours: number, theirs: number | undefined): number | null =>
  theirs === undefined
    ? null
    : theirs === 0
      ? ours === 0
        ? 0
        : Infinity
      : Math.abs(ours - theirs) / Math.abs(theirs);

/** Compares a reproduced result with the venue's own figures. */
export function compareWithReported(
  r: Pick<MarginResult, 'initialUsd' | 'maintenanceUsd'>,
  rep?: ReportedMargin,
): Reproduction | null {
  if (rep === undefined || (rep.initialUsd === undefined && rep.maintenanceUsd === undefined)) return null;
  const im = relError(r.initialUsd, rep.initialUsd);
  const mm = relError(r.maintenanceUsd, rep.maintenanceUsd);
  const within = [im, mm].filter((x): x is number => x !== null).every((x) => x <= 0.01);
  return { initialRelError: im, maintenanceRelError: mm, within1pct: within };
}

/** The netting groups: declared agreements (members present in the book), then single venues. */
function groupsOf(
  venues: readonly string[],
  p: CrossVenueParams,
): { venues: string[]; cap: number | null }[] {
  const present = new Set(venues);
  const out: { venues: string[]; cap: number | null }[] = [];
  const grouped = new Set<string>();
  for (const a of p.agreements) {
    const members = a.venues.filter((v) => present.has(v)).sort();
    if (members.length < 2) continue;
    members.forEach((v) => grouped.add(v));
    out.push({ venues: members, cap: a.cap });
  }
  for (const v of [...venues].sort()) if (!grouped.has(v)) out.push({ venues: [v], cap: null });
  return out;
}

/**
 * The combined view (module header).
 * @throws the venue presets' and the combined model's errors (margin fails closed: a venue that
 *         cannot be margined stops the view, naming the position); InvalidInputError for an
 *         untagged position or balance
 * @param solver  the LP/MILP solver of the moves (absent: the greedy plan, labelled as the fallback)
 * @example computeCrossVenue({ venues, market, portfolio, params: parseCrossVenueParams({}) }, solver)
 */
export function computeCrossVenue(input: CrossVenueInput, solver?: LpSolver): CrossVenueResult {
  const { params: p } = input;
  const model = getMarginModel(p.model);
  const modelParams = model.parseParams(p.modelParams);
  const ctx = createMarginContext(input.market);
  const stable = new Set(p.stableAssets);
  const moveOf = (hours: number) => (u: string) =>
    (p.hourlyMove.byUnderlying[u] ?? p.hourlyMove.default) * Math.sqrt(hours);

  const own = new Map<string, MarginResult>();
  const standalone = new Map<string, number>();
  for (const b of input.venues) {
    const preset = getMarginModel(b.model);
    own.set(
      b.venue,
      preset.compute(b.portfolio, createMarginContext(b.market), preset.parseParams(b.params)),
    );
    const part = selectVenues(input.portfolio, new Set([b.venue]));
    standalone.set(b.venue, model.compute(part, ctx, modelParams).initialUsd);
  }
  const ownIm = (v: string) => own.get(v)!.initialUsd;
  const venueNames = input.venues.map((b) => b.venue);

  const share = new Map<string, number>();
  const groups: GroupView[] = [];
  for (const g of groupsOf(venueNames, p)) {
    const sum = g.venues.reduce((acc, v) => acc + ownIm(v), 0);
    const netted =
      g.venues.length === 1
        ? sum
        : model.compute(selectVenues(input.portfolio, new Set(g.venues)), ctx, modelParams).initialUsd;
    const floor = g.cap === null ? 0 : (1 - g.cap) * sum;
    const requirement = Math.max(netted, floor);
    groups.push({
      venues: g.venues,
      cap: g.cap,
      standaloneSumUsd: sum,
      nettedUsd: netted,
      requirementUsd: requirement,
      capped: floor > netted,
    });
    // Pro rata to each venue's own IM (equal shares when every one is 0).
    for (const v of g.venues) share.set(v, requirement * (sum > 0 ? ownIm(v) / sum : 1 / g.venues.length));
  }

  const transit = new Map<string, MoveLoss>();
  const holding = new Map<string, number>();
  for (const v of venueNames) {
    const others = venueNames.filter((w) => w !== v);
    let t = 0;
    if (others.length > 0) {
      const hours = Math.min(...others.map((w) => latencyBetween(p, w, v)));
      const loss = transferMoveLoss(
        selectVenues(input.portfolio, new Set([v])),
        input.market,
        moveOf(hours),
        stable,
      );
      transit.set(v, loss);
      t = loss.lossUsd;
    }
    holding.set(v, Math.max(share.get(v)!, own.get(v)!.maintenanceUsd + t));
  }
  const wholeBookUsd = model.compute(input.portfolio, ctx, modelParams).initialUsd;

  const rows = input.venues.map((b) => {
    const r = own.get(b.venue)!;
    const h = holding.get(b.venue)!;
    const d = (p.venueDefault.byVenue[b.venue] ?? p.venueDefault.default) * h;
    const target = Math.max(r.initialUsd, h);
    return { b, r, h, d, target };
  });
  const allocation = allocateAcrossVenues({
    venues: input.venues.map((b) => ({
      venue: b.venue,
      portfolio: b.portfolio,
      market: b.market,
      model: b.model,
      params: b.params,
      holdingUsd: holding.get(b.venue)!,
    })),
    market: input.market,
    moves: p.moves,
    latency: (a, b) => latencyBetween(p, a, b),
    stable,
    ...(solver === undefined ? {} : { solver }),
  });
  const after = new Map(allocation.plan.venues.map((v) => [v.venue, v.marginUsd]));

  const venues: VenueView[] = rows.map(({ b, r, h, d, target }) => ({
    venue: b.venue,
    model: b.model,
    own: { initialUsd: r.initialUsd, maintenanceUsd: r.maintenanceUsd, equityUsd: r.equityUsd },
    freeCollateralUsd: r.equityUsd - r.initialUsd,
    health: r.maintenanceUsd > 0 ? r.equityUsd / r.maintenanceUsd : null,
    reported: b.reported ?? null,
    reproduction: compareWithReported(r, b.reported),
    standaloneUsd: standalone.get(b.venue)!,
    shareUsd: share.get(b.venue)!,
    transitUsd: transit.get(b.venue)?.lossUsd ?? 0,
    transit: transit.get(b.venue) ?? null,
    holdingUsd: h,
    defaultChargeUsd: d,
    targetUsd: target,
    surplusUsd: r.equityUsd - target,
    releasableUsd: Math.max(0, after.get(b.venue)!),
  }));

  const sum = (f: (v: VenueView) => number) => venues.reduce((s, v) => s + f(v), 0);
  const riskUsd = groups.reduce((s, g) => s + g.requirementUsd, 0);
  // What the transit floor adds above each venue's share: Σ (H_v − share_v).
  const transitUsd = sum((v) => v.holdingUsd - v.shareUsd);
  const defaultUsd = sum((v) => v.defaultChargeUsd);
  const combinedUsd = ensureFinite(riskUsd + transitUsd + defaultUsd, 'combined requirement');
  const sumOfVenuesUsd = ensureFinite(
    sum((v) => v.own.initialUsd),
    'sum of venue requirements',
  );
  const equityUsd = sum((v) => v.own.equityUsd);
  const requiredNowUsd = sum((v) => v.targetUsd) + defaultUsd;
  const unfilled = !allocation.plan.allCovered;
  return {
    model: p.model,
    venues,
    groups,
    sumOfVenuesUsd,
    combinedUsd,
    components: { riskUsd, transitUsd, defaultUsd },
    differenceUsd: sumOfVenuesUsd - combinedUsd,
    wholeBookUsd,
    equityUsd,
    requiredNowUsd,
    releasableNowUsd: unfilled ? 0 : Math.max(0, equityUsd - requiredNowUsd),
    moves: allocation.plan.moves,
    allocation,
  };
}
