/**
 * Shared pieces of the venue presets that charge per position: the refusal of an instrument the
 * venue does not list (margin fails closed, naming the position), and the `MarginResult` built
 * from per-position charges (IM = Σ IM_i ≥ MM = Σ MM_i, one component and one contribution each).
 * Units: USD.
 */
import { RiskError, ensureFinite } from '../../errors.js';
import type { Contribution, MarginComponent, MarginResult, WorstScenario } from '../margin-model.js';
import { paramsVersion } from '../params-version.js';
import type { MarginMarket } from '../../portfolio/margin-market.js';
import type { Portfolio } from '../../portfolio/portfolio.js';
import type { PortfolioValuation, PositionValue } from '../../portfolio/valuation.js';

/** One position's (or balance's) charge. */
export interface PositionCharge {
  /** contribution key: instrument id or `collateral:<ASSET>` */
  readonly key: string;
  readonly imUsd: number;
  readonly mmUsd: number;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/**
 * ERR_UNSUPPORTED_INSTRUMENT for a position the venue does not list.
 * @param why  the venue's reason, e.g. "OKX cross margin of options is not reproduced"
 */
export function unsupportedInstrument(
  model: string,
  portfolio: Portfolio,
  instrument: string,
  kind: string,
  why: string,
): RiskError {
  const i = portfolio.positions.findIndex((p) => p.instrument === instrument);
  return new RiskError(
    'ERR_UNSUPPORTED_INSTRUMENT',
    `positions[${i}].instrument ${JSON.stringify(instrument)} is a ${kind}: not supported by the ${model} model (${why})`,
    { field: `positions[${i}].instrument`, id: instrument, kind, model, reason: 'unsupported-instrument' },
  );
}

/**
 * The result of a per-position preset.
 * @param equityUsd  equity as the venue values it
 * @throws XmarginError ERR_NUMERIC when a total is not finite; InvariantError never (IM ≥ MM is
 *         enforced per charge by taking IM_i = max(IM_i, MM_i))
 */
export function perPositionResult(
  model: string,
  params: unknown,
  market: MarginMarket,
  charges: readonly PositionCharge[],
  equityUsd: number,
): MarginResult {
  const components: MarginComponent[] = [];
  let im = 0;
  let mm = 0;
  for (const c of charges) {
    // A venue's IM is never below its MM (a trade that opens below MM would be liquidated at once).
    const imUsd = Math.max(c.imUsd, c.mmUsd);
    im += imUsd;
    mm += c.mmUsd;
    components.push({
      name: c.key.startsWith('collateral:') ? c.key : `position:${c.key}`,
      initialUsd: imUsd,
      maintenanceUsd: c.mmUsd,
      ...(c.detail === undefined ? {} : { detail: c.detail }),
    });
  }
  return presetResult(model, params, market, { im, mm, equityUsd }, components, {
    contributions: components.map((c) => ({
      key: c.name.startsWith('position:') ? c.name.slice('position:'.length) : c.name,
      initialUsd: c.initialUsd,
    })),
  });
}

/**
 * A preset's MarginResult from its totals, components and contributions, with the
 * reproducibility fields (params version, snapshot, valuation time).
 * @throws XmarginError ERR_NUMERIC when a total is not finite
 */
export function presetResult(
  model: string,
  params: unknown,
  market: MarginMarket,
  totals: { readonly im: number; readonly mm: number; readonly equityUsd: number },
  components: readonly MarginComponent[],
  extra: { readonly contributions: readonly Contribution[]; readonly worstScenario?: WorstScenario },
): MarginResult {
  const details = { model, snapshotId: market.snapshotId };
  return {
    model,
    initialUsd: ensureFinite(totals.im, `${model} initial margin`, details),
    maintenanceUsd: ensureFinite(totals.mm, `${model} maintenance margin`, details),
    equityUsd: ensureFinite(totals.equityUsd, `${model} equity`, details),
    components,
    ...(extra.worstScenario === undefined ? {} : { worstScenario: extra.worstScenario }),
    contributions: extra.contributions,
    paramsVersion: paramsVersion(model, params),
    snapshotId: market.snapshotId,
    valuationMs: market.valuationMs,
  };
}

/**
 * The charges of a venue that lists only some instrument kinds (perpetuals, futures): each
 * position's notional at its mark, |units|·mark, handed to the venue's rule; any other kind is
 * refused (ERR_UNSUPPORTED_INSTRUMENT naming the position).
 * @param why  the venue's reason, for the refusal
 */
export function chargePositions(
  model: string,
  portfolio: Portfolio,
  v: PortfolioValuation,
  kinds: readonly string[],
  why: string,
  charge: (pv: PositionValue, notionalUsd: number) => Omit<PositionCharge, 'key'>,
): PositionCharge[] {
  return v.positions.map((pv) => {
    const inst = pv.marked.instrument;
    if (!kinds.includes(inst.kind)) throw unsupportedInstrument(model, portfolio, inst.id, inst.kind, why);
    return { key: inst.id, ...charge(pv, Math.abs(pv.units) * pv.marked.markPrice) };
  });
}
