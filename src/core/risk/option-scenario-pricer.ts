/**
 * Revalues one option under S scenarios with the batched Black-76 kernel, for the risk-array
 * builders (grid and historical). The caller fills `forward[s]` and `vol[s]` for its scenarios;
 * `revalue` writes (B76(forward[s], K, t, vol[s], r) − B76(F, K, t, σ, r))·contractSize·w[s]
 * into `out[base + s]`. Repricing is against the model price at the unshocked inputs, so a
 * scenario that moves nothing has exactly zero P&L. Scratch columns are allocated once per builder.
 */
import { InvariantError } from '../errors.js';
import { priceBlack76 } from '../pricing/black76.js';
import { priceBlack76Batch } from '../pricing/black76-batch.js';
import type { MarkedInstrument } from '../portfolio/margin-market.js';

export class OptionScenarioPricer {
  /** shocked forwards, filled by the caller */
  readonly forward: Float64Array;
  /** shocked vols, filled by the caller */
  readonly vol: Float64Array;
  private readonly isCall: Uint8Array;
  private readonly strike: Float64Array;
  private readonly tYears: Float64Array;
  private readonly rate: Float64Array;
  private readonly shocked: Float64Array;

  constructor(readonly nScenarios: number) {
    this.forward = new Float64Array(nScenarios);
    this.vol = new Float64Array(nScenarios);
    this.isCall = new Uint8Array(nScenarios);
    this.strike = new Float64Array(nScenarios);
    this.tYears = new Float64Array(nScenarios);
    this.rate = new Float64Array(nScenarios);
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
  revalue(m: MarkedInstrument, out: Float64Array, base: number, weight?: Float64Array): void {
    const inst = m.instrument;
    if (inst.kind !== 'option')
      throw new InvariantError('OptionScenarioPricer.revalue on a non-option', { id: inst.id });
    const x = OptionScenarioPricer.inputsOf(m);
    const now = priceBlack76({
      type: inst.optionType,
      forward: x.forward,
      strike: inst.strike,
      tYears: x.tYears,
      vol: x.vol,
      rate: x.rate,
    });
    this.isCall.fill(inst.optionType === 'call' ? 1 : 0);
    this.strike.fill(inst.strike);
    this.tYears.fill(x.tYears);
    this.rate.fill(x.rate);
    priceBlack76Batch(
      {
        isCall: this.isCall,
        forward: this.forward,
        strike: this.strike,
        tYears: this.tYears,
        vol: this.vol,
        rate: this.rate,
      },
      this.shocked,
    );
    const S = this.nScenarios;
    for (let s = 0; s < S; s++)
      out[base + s] = (this.shocked[s]! - now) * inst.contractSize * (weight ? weight[s]! : 1);
  }
}
