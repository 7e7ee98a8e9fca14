/**
 * @module ledger/asset-registry
 *
 * An immutable map from symbol to {@link Asset}: the set of assets a ledger knows. Built once
 * (from configuration, at the edge) and passed to the core; lookups of unknown symbols fail
 * with `ERR_UNKNOWN_ASSET` instead of guessing decimals.
 *
 * Symbols are case-sensitive, but two symbols that differ only in case (`USDC` and `usdc`) are
 * refused in one registry: they would be a trap for anyone reading a balance sheet.
 */
import { InvalidInputError, RiskError } from '../errors.js';
import { defineAsset } from './asset.js';
import type { Asset } from './asset.js';

/**
 * The assets a ledger knows, by symbol. Immutable: {@link AssetRegistry.withAsset} returns a
 * new registry.
 *
 * @example
 *   const registry = new AssetRegistry([defineAsset('USDC', 6), defineAsset('BTC', 8)]);
 *   registry.getAsset('BTC').decimals;  // 8
 *   registry.getAsset('DOGE');          // throws RiskError ERR_UNKNOWN_ASSET
 */
export class AssetRegistry {
  readonly #bySymbol: ReadonlyMap<string, Asset>;
  /** The symbols, in insertion order (frozen). */
  readonly symbols: readonly string[];

  /**
   * Builds a registry; every asset is re-validated and frozen.
   * @param assets  the assets, each symbol at most once
   * @throws InvalidInputError ERR_INVALID_INPUT on an invalid asset, or a symbol repeated
   *   (case-insensitively)
   */
  constructor(assets: Iterable<Asset>) {
    const bySymbol = new Map<string, Asset>();
    const folded = new Map<string, string>();
    for (const a of assets) {
      // Re-validate: the argument may be a plain object that never went through defineAsset.
      const asset = defineAsset(a.symbol, a.decimals);
      const key = asset.symbol.toUpperCase();
      const previous = folded.get(key);
      if (previous !== undefined) {
        throw new InvalidInputError(
          'assets',
          asset.symbol,
          `must not repeat a symbol (case-insensitively); "${previous}" is already defined`,
        );
      }
      folded.set(key, asset.symbol);
      bySymbol.set(asset.symbol, asset);
    }
    this.#bySymbol = bySymbol;
    this.symbols = Object.freeze([...bySymbol.keys()]);
    Object.freeze(this);
  }

  /** Number of assets. */
  get size(): number {
    return this.#bySymbol.size;
  }

  /**
   * The asset with this symbol (exact, case-sensitive match).
   * @param symbol  ticker, e.g. `USDC`
   * @returns       the registered asset
   * @throws RiskError ERR_UNKNOWN_ASSET naming the symbol (details: `symbol`, `known`)
   * @example registry.getAsset('USDC')  // { symbol: 'USDC', decimals: 6 }
   */
  getAsset(symbol: string): Asset {
    const asset = this.#bySymbol.get(symbol);
    if (asset === undefined) {
      throw new RiskError('ERR_UNKNOWN_ASSET', `unknown asset ${JSON.stringify(String(symbol))}`, {
        symbol,
        known: this.symbols,
      });
    }
    return asset;
  }

  /**
   * The asset with this symbol, or `undefined` (for callers that branch instead of failing).
   * @param symbol  ticker
   * @returns       the registered asset or undefined
   */
  findAsset(symbol: string): Asset | undefined {
    return this.#bySymbol.get(symbol);
  }

  /**
   * Whether a symbol is registered (exact, case-sensitive match).
   * @param symbol  ticker
   * @returns       true when {@link AssetRegistry.getAsset} would succeed
   */
  hasAsset(symbol: string): boolean {
    return this.#bySymbol.has(symbol);
  }

  /**
   * A new registry with one more asset; this registry is unchanged.
   * @param asset  the asset to add; its symbol must not be registered yet (case-insensitively)
   * @returns      a new registry
   * @throws InvalidInputError ERR_INVALID_INPUT on an invalid or repeated asset
   */
  withAsset(asset: Asset): AssetRegistry {
    return new AssetRegistry([...this.#bySymbol.values(), asset]);
  }
}
