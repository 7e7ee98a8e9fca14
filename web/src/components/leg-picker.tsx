/**
 * @module leg-picker
 * Adds a leg to the position builder from the listed instruments: an underlying, then a
 * perpetual, a future by expiry, or an option by expiry and strike (the option chain), call or
 * put, and a signed size.
 */
import { useMemo, useState, type FormEvent } from 'react';
import type { Instrument } from '../api-types.js';
import { formatPrice, formatTime } from '../format.js';

type Kind = 'perpetual' | 'future' | 'call' | 'put';

const kindOf = (i: Instrument): Kind | 'other' =>
  i.kind === 'option'
    ? i.right === 'put'
      ? 'put'
      : 'call'
    : i.kind === 'perpetual' || i.kind === 'future'
      ? i.kind
      : 'other';

/** Props of {@link LegPicker}. */
export interface LegPickerProps {
  instruments: readonly Instrument[];
  onAdd: (leg: { instrument: string; size: number }) => void;
}

/** The leg picker. */
export function LegPicker({ instruments, onAdd }: LegPickerProps) {
  const underlyings = useMemo(() => [...new Set(instruments.map((i) => i.underlying))].sort(), [instruments]);
  const [underlying, setUnderlying] = useState('');
  const [kind, setKind] = useState<Kind>('perpetual');
  const [expiry, setExpiry] = useState('');
  const [strike, setStrike] = useState('');
  const [size, setSize] = useState('1');
  const [error, setError] = useState<string | null>(null);

  const u = underlying !== '' ? underlying : (underlyings[0] ?? '');
  const ofKind = instruments.filter((i) => i.underlying === u && kindOf(i) === kind);
  const expiries = [
    ...new Set(ofKind.map((i) => i.expiryMs).filter((x): x is number => x !== undefined)),
  ].sort((a, b) => a - b);
  const e = expiry !== '' && expiries.includes(Number(expiry)) ? Number(expiry) : expiries[0];
  const chain = ofKind.filter((i) => i.expiryMs === e).sort((a, b) => (a.strike ?? 0) - (b.strike ?? 0));
  const strikes = chain.map((i) => i.strike).filter((x): x is number => x !== undefined);
  const k =
    strike !== '' && strikes.includes(Number(strike))
      ? Number(strike)
      : strikes[Math.floor(strikes.length / 2)];
  const chosen =
    kind === 'perpetual'
      ? ofKind[0]
      : kind === 'future'
        ? ofKind.find((i) => i.expiryMs === e)
        : chain.find((i) => i.strike === k);

  function submit(ev: FormEvent) {
    ev.preventDefault();
    const n = Number(size.replace(/,/g, ''));
    if (!(Number.isFinite(n) && n !== 0))
      return setError(`size must be a non-zero number (negative sells); got ${JSON.stringify(size)}`);
    if (chosen === undefined) return setError(`no ${kind} listed on ${u}`);
    setError(null);
    onAdd({ instrument: chosen.id, size: n });
  }

  return (
    <form className="whatif" onSubmit={submit} data-testid="leg-picker" noValidate>
      <label>
        Underlying
        <select value={u} onChange={(x) => setUnderlying(x.target.value)} data-testid="leg-underlying">
          {underlyings.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
      </label>
      <label>
        Instrument
        <select value={kind} onChange={(x) => setKind(x.target.value as Kind)} data-testid="leg-kind">
          <option value="perpetual">perpetual</option>
          <option value="future">future</option>
          <option value="call">call option</option>
          <option value="put">put option</option>
        </select>
      </label>
      {kind !== 'perpetual' && (
        <label>
          Expiry
          <select value={e ?? ''} onChange={(x) => setExpiry(x.target.value)} data-testid="leg-expiry">
            {expiries.map((x) => (
              <option key={x} value={x}>
                {formatTime(x).slice(0, 16)}
              </option>
            ))}
          </select>
        </label>
      )}
      {(kind === 'call' || kind === 'put') && (
        <label>
          Strike
          <select value={k ?? ''} onChange={(x) => setStrike(x.target.value)} data-testid="leg-strike">
            {chain.map((i) => (
              <option key={i.id} value={i.strike}>
                {formatPrice(i.strike)} (mark {formatPrice(i.markPrice)})
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Size (negative sells)
        <input
          value={size}
          onChange={(x) => setSize(x.target.value)}
          inputMode="decimal"
          data-testid="leg-size"
        />
      </label>
      <button type="submit" data-testid="leg-add" disabled={chosen === undefined}>
        Add {chosen?.id ?? 'leg'}
      </button>
      {error !== null && (
        <span className="field-error" role="alert" data-testid="leg-error">
          {error}
        </span>
      )}
    </form>
  );
}
