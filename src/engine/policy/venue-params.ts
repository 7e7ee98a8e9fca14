/**
 * Versioned venue parameter sets with phased-in tightening (ANCHORS §3 item 6: a parameter change
 * must not liquidate previously healthy accounts at once).
 *
 * Each version has an integer `version` (strictly increasing), an `effectiveMs` (non-decreasing)
 * and a content hash (`paramsVersion`, FNV-1a of canonical JSON). A version may carry `phaseInMs`:
 * every numeric leaf that TIGHTENS (by default: increases — IM/MM rates, haircuts, add-on weights)
 * moves linearly from the value in force at `effectiveMs` to the new value over `phaseInMs`;
 * loosening numeric leaves and every non-numeric or structural change apply at once.
 *
 * Pure: the caller passes the time. Units: times in ms UTC, durations in ms.
 */
import { XmarginError, requireInput } from '../../core/errors.js';
import { paramsVersion } from '../../core/margin/params-version.js';

/** A JSON-like parameter tree; numeric leaves are compared by path. */
export type ParamValue =
  number | string | boolean | null | readonly ParamValue[] | { readonly [key: string]: ParamValue };

/** Which direction of a numeric leaf is a tightening: 'higher' (default) or 'lower'. */
export type TighterDirection = (path: string) => 'higher' | 'lower';

/** Options of a proposal. */
export interface ProposeOptions {
  /** duration over which tightening leaves move from old to new, ms (≥ 0); 0 or absent = at once */
  readonly phaseInMs?: number;
}

/** One recorded version. */
export interface VenueParamsVersion<P extends ParamValue> {
  readonly version: number;
  /** the target parameter set */
  readonly params: P;
  /** when the version takes effect, ms UTC */
  readonly effectiveMs: number;
  /** phase-in duration, ms (0 = at once) */
  readonly phaseInMs: number;
  /** the set in force just before `effectiveMs` (the phase-in start); absent for the first version */
  readonly from?: P;
  /** content stamp of `params`, `venue#<fnv1a32>` */
  readonly hash: string;
}

/** The parameters in force at one time. */
export interface EffectiveParams<P extends ParamValue> {
  readonly params: P;
  /** version whose phase-in (or final state) applies */
  readonly version: number;
  /** stamp of the returned (possibly blended) params */
  readonly hash: string;
  /** phase-in progress in [0, 1]; 1 when the version is fully in force */
  readonly progress: number;
}

const isRecord = (v: ParamValue): v is { readonly [key: string]: ParamValue } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function freezeDeep<T extends ParamValue>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const child of Object.values(v)) freezeDeep(child as ParamValue);
    Object.freeze(v);
  }
  return v;
}

function checkFinite(v: ParamValue, path: string): void {
  if (typeof v === 'number') requireInput(Number.isFinite(v), `params${path}`, v, 'must be finite');
  else if (Array.isArray(v)) v.forEach((x: ParamValue, i) => checkFinite(x, `${path}[${i}]`));
  else if (isRecord(v)) for (const [k, x] of Object.entries(v)) checkFinite(x, `${path}.${k}`);
}

/**
 * Blends `from` toward `to` at progress `f` in [0, 1): tightening numeric leaves interpolate
 * (clamped between old and new), everything else takes the `to` value.
 */
export function blendParams(
  from: ParamValue,
  to: ParamValue,
  f: number,
  tighter: TighterDirection,
  path = '',
): ParamValue {
  if (typeof from === 'number' && typeof to === 'number') {
    const tightens = tighter(path) === 'higher' ? to > from : to < from;
    if (!tightens || f >= 1) return to;
    const x = from + (to - from) * Math.max(0, f);
    return to > from ? Math.min(to, Math.max(from, x)) : Math.max(to, Math.min(from, x));
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    if (from.length !== to.length) return to;
    return to.map((t: ParamValue, i) => blendParams(from[i] as ParamValue, t, f, tighter, `${path}[${i}]`));
  }
  if (isRecord(from) && isRecord(to)) {
    const out: Record<string, ParamValue> = {};
    for (const [k, t] of Object.entries(to)) {
      const o = from[k];
      out[k] = o === undefined ? t : blendParams(o, t, f, tighter, `${path}.${k}`);
    }
    return out;
  }
  return to;
}

/**
 * History of a venue's parameter versions.
 * @example
 * const h = new VenueParamsHistory<Params>();
 * h.propose(1, p1, 0);
 * h.propose(2, p2, t0, { phaseInMs: 7 * 86_400_000 }); // tightening over a week
 * h.paramsAt(t0 + 3.5 * 86_400_000); // increased leaves halfway
 */
export class VenueParamsHistory<P extends ParamValue> {
  readonly #versions: VenueParamsVersion<P>[] = [];
  readonly #tighter: TighterDirection;

  /**
   * @param tighter which direction of each numeric leaf (path like `.mmRate` or `.tiers[0].rate`)
   *                tightens; default: higher is tighter for every leaf. Pass 'lower' for leaves
   *                such as collateral weights or max leverage.
   */
  constructor(tighter: TighterDirection = () => 'higher') {
    this.#tighter = tighter;
  }

  /** All versions, oldest first. */
  get versions(): readonly VenueParamsVersion<P>[] {
    return this.#versions.slice();
  }

  /**
   * Records a new version.
   * @param version     integer, > every earlier version
   * @param params      the target parameter set (numeric leaves finite)
   * @param effectiveMs when it takes effect, ms UTC, ≥ the previous version's effectiveMs
   * @throws XmarginError ERR_INVALID_PARAMS naming `version` or `effectiveMs` when out of order;
   *         ERR_INVALID_INPUT for a non-integer version, non-finite time or leaf, negative phaseInMs
   */
  propose(
    version: number,
    params: P,
    effectiveMs: number,
    options: ProposeOptions = {},
  ): VenueParamsVersion<P> {
    requireInput(Number.isSafeInteger(version), 'version', version, 'must be a safe integer');
    requireInput(Number.isFinite(effectiveMs), 'effectiveMs', effectiveMs, 'must be finite (ms UTC)');
    const phaseInMs = options.phaseInMs ?? 0;
    requireInput(
      Number.isFinite(phaseInMs) && phaseInMs >= 0,
      'phaseInMs',
      phaseInMs,
      'must be finite and ≥ 0 ms',
    );
    checkFinite(params, '');
    const last = this.#versions.at(-1);
    if (last && !(version > last.version)) {
      throw new XmarginError(
        'ERR_INVALID_PARAMS',
        `version must increase: got ${version}, last is ${last.version}`,
        { field: 'version', value: version, last: last.version },
      );
    }
    if (last && !(effectiveMs >= last.effectiveMs)) {
      throw new XmarginError(
        'ERR_INVALID_PARAMS',
        `effectiveMs must not go back: got ${effectiveMs}, last is ${last.effectiveMs}`,
        { field: 'effectiveMs', value: effectiveMs, last: last.effectiveMs },
      );
    }
    const target = freezeDeep(structuredClone(params) as P);
    const entry: VenueParamsVersion<P> = Object.freeze({
      version,
      params: target,
      effectiveMs,
      phaseInMs,
      ...(last ? { from: this.effectiveAt(effectiveMs).params } : {}),
      hash: paramsVersion('venue', target),
    });
    this.#versions.push(entry);
    return entry;
  }

  /**
   * The parameters in force at `nowMs`, with version, stamp and phase-in progress.
   * @throws XmarginError ERR_INVALID_PARAMS when no version is effective yet
   */
  effectiveAt(nowMs: number): EffectiveParams<P> {
    requireInput(Number.isFinite(nowMs), 'nowMs', nowMs, 'must be finite (ms UTC)');
    let entry: VenueParamsVersion<P> | undefined;
    for (const v of this.#versions) if (v.effectiveMs <= nowMs) entry = v;
    if (!entry) {
      throw new XmarginError('ERR_INVALID_PARAMS', `no venue parameter version is effective at ${nowMs} ms`, {
        nowMs,
        first: this.#versions[0]?.effectiveMs,
      });
    }
    const elapsed = nowMs - entry.effectiveMs;
    const progress = entry.phaseInMs > 0 ? Math.min(1, elapsed / entry.phaseInMs) : 1;
    if (progress >= 1 || entry.from === undefined) {
      return { params: entry.params, version: entry.version, hash: entry.hash, progress: 1 };
    }
    const params = freezeDeep(blendParams(entry.from, entry.params, progress, this.#tighter) as P);
    return { params, version: entry.version, hash: paramsVersion('venue', params), progress };
  }

  /** The parameter set in force at `nowMs` (ms UTC). */
  paramsAt(nowMs: number): P {
    return this.effectiveAt(nowMs).params;
  }
}
