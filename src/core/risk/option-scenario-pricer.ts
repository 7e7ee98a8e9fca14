/**
 * Revalues one option under S scenarios with the scenario kernel (pricing/black76-scenarios.ts),
 * for the risk-array builders (grid and historical). The builder gives the forward moves of the
 * option's underlying (shared by every option on it) and fills `vol[s]`; `revalue` writes
 * (B76(F·g[s], K, t, vol[s], r) − B76(F, K, t, σ, r))·contractSize·w[s] into `out[base + s]`.
 * Repricing is against the model price at the unshocked inputs, computed by the same kernel, so
 * a scenario that moves nothing has exactly zero P&L. Scratch columns are allocated once per builder.
 */
import { InvariantError } from '../errors.js';
import {
  priceBlack76Kernel,
  repriceBlack76Scenarios,
  type Black76Option,
  type ForwardMoves,
} from '../pricing/black76-scenarios.js';
import type { MarkedInstrument } from '../portfolio/margin-market.js';

export class OptionScenarioPricer {
  /** shocked vols, filled by the caller */
  readonly vol: Float64Array;
  private readonly shocked: Float64Array;

  constructor(readonly nScenarios: number) {
    this.vol = new Float64Array(nScenarios);
    this.shocked = new Float64Array(nScenarios);
  }

  /** The option's market inputs, checked (the market builder guarantees them). */
  static inputsOf(m: MarkedInstrument): { forward: number; vol: number; tYears: number; rate: number } {
    if (
      m.instrument.kind !== 'option' ||
      m.forward === undefined ||
      m.vol === undefined ||
      m.tYears === undefined
    ) {
      throw new InvariantError('option without forward/vol/tYears in the market', { id: m.instrument.id });
    }
    return { forward: m.forward, vol: m.vol, tYears: m.tYears, rate: m.rate ?? 0 };
  }

  /** Writes the option's unit P&L per scenario (module header); `weight` defaults to 1. */
  revalue(
    m: MarkedInstrument,
    moves: ForwardMoves,
    out: Float64Array,
    base: number,
    weight?: Float64Array,
  ): void {
    const inst = m.instrument;
    if (inst.kind !== 'option')
      throw new InvariantError('OptionScenarioPricer.revalue on a non-option', { id: inst.id });
    const x = OptionScenarioPricer.inputsOf(m);
    const o: Black76Option = {
      isCall: inst.optionType === 'call',
      forward: x.forward,
      strike: inst.strike,
      tYears: x.tYears,
      rate: x.rate,
    };
    const now = priceBlack76Kernel(o, x.vol);
    const S = this.nScenarios;
    repriceBlack76Scenarios(o, moves, this.vol, this.shocked, 0, S);
    const cs = inst.contractSize;
    if (weight) for (let s = 0; s < S; s++) out[base + s] = (this.shocked[s]! - now) * cs * weight[s]!;
    else for (let s = 0; s < S; s++) out[base + s] = (this.shocked[s]! - now) * cs;
  }
}
