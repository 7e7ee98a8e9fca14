/**
 * @module adapters/importers
 *
 * What every venue importer produces (docs/formats.md#venue-tags): a venue-tagged portfolio file,
 * the market file its instruments and assets resolve against (the venue's own marks and index
 * prices), the preset that reproduces the venue's own margin with the params read from the
 * payloads, and the venue's own figures when the payload carries them.
 *
 * Conventions shared by the importers:
 * - instrument ids are `<venue>:<the venue's name>` (unique across venues);
 * - amounts stay decimal strings; an amount with more fraction digits than 18 is rounded toward
 *   −∞ (a credit down, a debt up: never in the account's favour);
 * - asset decimals are the larger of xmargin's default for the asset and the digits seen;
 * - wrapped tokens are their underlying (WETH → ETH, WBTC → BTC): the venues' oracles price them so.
 */
import { InvalidInputError, InvariantError } from '../../core/errors.js';
import { DEFAULT_ASSET_DECIMALS, type MarketFile } from '../../core/portfolio/market-file.js';
import type { PortfolioFile } from '../../core/portfolio/portfolio-file.js';
import type { ReportedMargin } from '../../core/crossvenue/compute-cross-venue.js';

/** One imported venue account. */
export interface ImportedAccount {
  /** the venue tag of every position and balance */
  readonly venue: string;
  /** the importer that read it (deribit, okx, ..., ccxt) */
  readonly importer: string;
  readonly portfolio: PortfolioFile;
  readonly market: MarketFile;
  /** the preset reproducing the venue's own margin, with params read from the payloads */
  readonly preset: { readonly model: string; readonly params: Record<string, unknown> };
  /** the venue's own figures, USD (absent when the payloads carry none) */
  readonly reported?: ReportedMargin;
  /** what the import assumed or could not map, one sentence each */
  readonly notes: readonly string[];
}

const MAX_DECIMALS = 18;
/** Assets an importer prices at 1 USD (the venues' own convention for margin). */
const STABLECOINS: ReadonlySet<string> = new Set(['USD', 'USDC', 'USDT', 'DAI', 'FDUSD', 'BUSD']);
const ALIASES: Readonly<Record<string, string>> = { WETH: 'ETH', WBTC: 'BTC', XBT: 'BTC' };

/** The xmargin symbol of a venue's asset name (upper case; wrapped tokens as their underlying). */
export function assetSymbol(name: string): string {
  const up = name.toUpperCase();
  return ALIASES[up] ?? up;
}

/** A number or decimal string as a plain decimal string (no exponent). */
export function toDecimalText(x: number | string): string {
  if (typeof x === 'string') return x.trim();
  if (!Number.isFinite(x)) throw new InvariantError('non-finite amount', { value: x });
  const s = String(x);
  if (!/e/i.test(s)) return s;
  return x.toFixed(MAX_DECIMALS).replace(/\.?0+$/, '');
}

/** Rounds a decimal string to at most `decimals` fraction digits toward −∞ (module header). */
export function floorDecimal(text: string, decimals: number): string {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new InvariantError('not a decimal string', { text });
  const [, sign, int, frac = ''] = m;
  if (frac.length <= decimals) return text;
  const kept = frac.slice(0, decimals);
  const dropped = /[1-9]/.test(frac.slice(decimals));
  if (sign !== '-' || !dropped) return `${sign}${int}${kept === '' ? '' : `.${kept}`}`;
  // negative with dropped digits: one more unit of debt
  const units = BigInt(int + kept) + 1n;
  const digits = units.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const f = digits.slice(digits.length - decimals);
  return `-${whole}${decimals > 0 ? `.${f}` : ''}`;
}

const fractionDigits = (text: string) => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);

type InstrumentEntry = MarketFile['instruments'][number];
type PositionEntry = PortfolioFile['positions'][number];

/** Accumulates what an importer reads, then builds the account (module header). */
export class ImportBuilder {
  readonly venue: string;
  readonly #prices = new Map<string, number>();
  readonly #decimals = new Map<string, number>();
  readonly #instruments = new Map<string, InstrumentEntry>();
  readonly #balances = new Map<string, string[]>();
  readonly #positions: PositionEntry[] = [];
  readonly notes: string[] = [];
  #valuationMs = 0;

  constructor(venue: string) {
    this.venue = venue;
  }

  /** The latest time seen in the payloads, ms UTC. */
  time(ms: number): void {
    if (ms > this.#valuationMs) this.#valuationMs = ms;
  }

  /** Sets the index price of an asset (first one wins). */
  price(asset: string, usd: number): void {
    if (!this.#prices.has(asset)) this.#prices.set(asset, usd);
  }

  hasPrice(asset: string): boolean {
    return this.#prices.has(asset);
  }

  /** The index price set for an asset, if any. */
  priceOf(asset: string): number | undefined {
    return this.#prices.get(asset);
  }

  /** Sets the base-unit decimals of an asset (the largest wins). */
  decimals(asset: string, d: number): void {
    this.#decimals.set(asset, Math.min(MAX_DECIMALS, Math.max(this.#decimals.get(asset) ?? 0, d)));
  }

  /** Adds a balance held at this venue (summed per asset; negative = borrowed). */
  balance(asset: string, amount: number | string): void {
    const text = toDecimalText(amount);
    if (/^[+-]?0*(\.0*)?$/.test(text)) return;
    this.decimals(asset, fractionDigits(text));
    this.#balances.set(asset, [...(this.#balances.get(asset) ?? []), text]);
  }

  /**
   * A balance priced as the payloads allow: a stablecoin at 1, else `usd` when the payload gives
   * it, else an earlier price (a position on the asset).
   * @param field  the payload field that should have priced it, for the error
   * @throws InvalidInputError ERR_INVALID_INPUT naming `field` when nothing prices the asset
   */
  pricedBalance(asset: string, amount: number | string, usd: number | undefined, field: string): void {
    if (STABLECOINS.has(asset)) this.price(asset, 1);
    else if (usd !== undefined && usd > 0) this.price(asset, usd);
    if (!this.#prices.has(asset))
      throw new InvalidInputError(
        field,
        usd,
        `must price ${asset}: no stablecoin rule, payload value or position prices it`,
      );
    this.balance(asset, amount);
  }

  /** Defines an instrument (id already prefixed with the venue). */
  instrument(entry: InstrumentEntry): void {
    if (!this.#instruments.has(entry.id)) this.#instruments.set(entry.id, entry);
  }

  /** Defines a perpetual (no expiry) or a dated future at its mark. */
  linear(id: string, underlying: string, markPrice: number, expiryMs: number | undefined): void {
    this.instrument({
      id,
      kind: expiryMs === undefined ? 'perpetual' : 'future',
      underlying,
      markPrice,
      ...(expiryMs === undefined ? {} : { expiryMs }),
    });
  }

  /**
   * Defines a European option at its USD premium, with the forward the payload gives (the vol is
   * implied from the mark when the market is built).
   */
  option(
    id: string,
    underlying: string,
    callPut: string,
    strike: number,
    expiryMs: number,
    markUsd: number,
    forward: number,
  ): void {
    this.instrument({
      id,
      kind: 'option',
      underlying,
      optionType: callPut === 'C' ? 'call' : 'put',
      strike,
      expiryMs,
      markPrice: markUsd,
      forward,
    });
  }

  /** Adds a position. */
  position(instrument: string, size: number, entryPrice?: number): void {
    if (size === 0) return;
    this.#positions.push({
      instrument,
      size,
      venue: this.venue,
      ...(entryPrice !== undefined && entryPrice > 0 ? { entryPrice } : {}),
    });
  }

  /** The id of a venue instrument: `<venue>:<name>`, characters ids may not hold as `-`. */
  id(name: string): string {
    return `${this.venue}:${name.replace(/[^A-Za-z0-9._:-]/g, '-')}`;
  }

  /**
   * Builds the portfolio and market files.
   * @param asOfMs valuation time (else the latest time seen in the payloads)
   * @throws InvalidInputError ERR_INVALID_INPUT (`--as-of`) when neither gives a time
   */
  build(asOfMs?: number): { portfolio: PortfolioFile; market: MarketFile } {
    const valuationMs = asOfMs ?? this.#valuationMs;
    if (!(valuationMs > 0))
      throw new InvalidInputError(
        '--as-of',
        asOfMs,
        `must be given: the ${this.venue} payloads carry no time`,
      );
    const assets = new Set([...this.#prices.keys(), ...this.#balances.keys()]);
    const decimalsOf = (a: string) => Math.max(this.#decimals.get(a) ?? 0, DEFAULT_ASSET_DECIMALS[a] ?? 8);
    const balances: NonNullable<PortfolioFile['balances']> = [];
    for (const [asset, parts] of [...this.#balances].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const d = decimalsOf(asset);
      for (const text of parts) balances.push({ venue: this.venue, asset, amount: floorDecimal(text, d) });
    }
    const market: MarketFile = {
      valuationMs,
      snapshotId: `${this.venue}@${valuationMs}`,
      prices: Object.fromEntries([...this.#prices].sort(([a], [b]) => (a < b ? -1 : 1))),
      assets: Object.fromEntries([...assets].sort().map((a) => [a, { decimals: decimalsOf(a) }])),
      instruments: [...this.#instruments.values()],
      rates: 0,
    };
    return {
      portfolio: { venue: this.venue, collateral: {}, balances, positions: this.#positions },
      market,
    };
  }
}
