/**
 * @module portfolio/marked-option
 * The Black-76 inputs of a marked option: its forward, strike, years to expiry, vol and rate as
 * the market resolved them (market-file.ts guarantees them for every listed option).
 */
import { InvariantError } from '../errors.js';
import type { Black76Input } from '../pricing/black76.js';
import type { MarkedInstrument } from './margin-market.js';

/**
 * Black-76 inputs of `m`.
 * @throws InvariantError ERR_INVARIANT when `m` is not an option or lacks forward, vol or tYears
 * @example computeBlack76Greeks(black76InputOf(market.instruments.get('BTC-27MAR26-70000-C')!)).delta
 */
export function black76InputOf(m: MarkedInstrument): Black76Input {
  const inst = m.instrument;
  if (inst.kind !== 'option' || m.forward === undefined || m.vol === undefined || m.tYears === undefined)
    throw new InvariantError('option without forward/vol/tYears in the market', { id: inst.id });
  return {
    type: inst.optionType,
    forward: m.forward,
    strike: inst.strike,
    tYears: m.tYears,
    vol: m.vol,
    rate: m.rate ?? 0,
  };
}
